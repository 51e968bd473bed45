package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestNodePeerMatchesGo proves the benchmarks compare like with like: the
// Node.js peer and the Lambda build of the Go server, each under the
// emulator, give the exporter's top label on every reference case of the
// MobileNet (PNG, JPEG, gray, RGBA, another size) and BERT (accents, CJK,
// an over-long text, the empty text) test models, in one request per model.
func TestNodePeerMatchesGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the native bundle and starts Node; not in -short")
	}
	needNodePeer(t)
	var ref struct {
		Cases []struct{ File, Top string }
	}
	readJSON(t, root+"/lambda/models/testdata/mobilenet/reference.json", &ref)
	cases := map[string]struct {
		instances []any
		want      []string
	}{}
	var images []any
	var imageTops []string
	for _, c := range ref.Cases {
		images = append(images, imageInstance(t, c.File))
		imageTops = append(imageTops, c.Top)
	}
	cases["mobilenet"] = struct {
		instances []any
		want      []string
	}{images, imageTops}
	var texts []any
	var textTops []string
	for _, c := range bertTexts(t) {
		texts = append(texts, c.text)
		textTops = append(textTops, c.top)
	}
	cases["bert"] = struct {
		instances []any
		want      []string
	}{texts, textTops}
	for _, m := range peerModels {
		t.Run(m.name, func(t *testing.T) {
			c := cases[m.name]
			event := restEvent(t, c.instances)
			for _, side := range []struct {
				name, dir string
				env       []string
			}{
				{"go", goFunction(t, m.name), goEnv},
				{"node", nodeFunction(t, m.name), nodeEnv()},
			} {
				url, p := rie(t, side.dir+"/bootstrap", side.env...)
				got, err := labels(do(t, http.MethodPost, url, "application/json", event))
				if err != nil {
					t.Fatalf("%s: %v\n%s", side.name, err, p.Out)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("%s: labels %q, reference %q", side.name, got, c.want)
				}
				p.Stop()
			}
		})
	}
}
