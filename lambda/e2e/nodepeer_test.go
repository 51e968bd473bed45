package e2e

import (
	"encoding/json"
	"net/http"
	"path/filepath"
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
	for _, m := range peerModels {
		t.Run(m.name, func(t *testing.T) {
			ref := m.reference(t)
			var instances []json.RawMessage
			var want []string
			for _, c := range ref.Cases {
				instances = append(instances, c.Instance)
				want = append(want, c.Top)
			}
			event := predictEvent(t, instances)
			for _, side := range []struct {
				name, dir string
				env       []string
			}{
				{"go", goFunction(t, m.name), goEnv},
				{"node", nodeFunction(t, m.name), nodeEnv()},
			} {
				url, p := rie(t, filepath.Join(side.dir, "bootstrap"), side.env...)
				got, err := labels(do(t, http.MethodPost, url, "application/json", event))
				if err != nil {
					t.Fatalf("%s: %v\n%s", side.name, err, p.Out)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: labels %q, reference %q", side.name, got, want)
				}
				p.Stop()
			}
		})
	}
}
