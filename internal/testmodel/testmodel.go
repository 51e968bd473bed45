// Package testmodel gives tests a model directory of their own: a copy of
// a committed one (lambda/models/NAME) outside the repository, its manifest
// edited, so a test can prove which model served an answer or break one
// rule of the model contract at a time.
package testmodel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Copy copies the regular files of root/lambda/models/name into a new
// temporary directory whose path has a space (as users' paths may),
// applies edit (if any) to its manifest, and returns the directory.
func Copy(tb testing.TB, root, name string, edit func(*model.Manifest)) string {
	tb.Helper()
	src := filepath.Join(root, "lambda", "models", name)
	dst := filepath.Join(tb.TempDir(), "my "+name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		tb.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if edit != nil {
		m, err := model.ReadManifest(dst)
		if err != nil {
			tb.Fatal(err)
		}
		edit(m)
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, model.ManifestFile), append(b, '\n'), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dst
}

// UserModel is the spam model renamed "my-model" in a directory outside
// the repository: a model that is not the repository's, so an answer that
// names it proves which model served it.
func UserModel(tb testing.TB, root string) string {
	tb.Helper()
	return Copy(tb, root, "spam", func(m *model.Manifest) { m.Name = "my-model" })
}

// WriteProfile writes p as dir's profile.json, as `costguard model check`
// does.
func WriteProfile(tb testing.TB, dir string, p model.Profile) {
	tb.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, model.ProfileFile), b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// CheckUserModelAnswer fails tb unless status and body, the answer to the
// REST v1 fixture lambda/server/testdata/events/rest_v1_predict.json (a
// spam and a ham message), come from UserModel: model "my-model", labels
// spam then ham. log is shown on failure (the emulator's output).
func CheckUserModelAnswer(tb testing.TB, status int, body, log string) {
	tb.Helper()
	var resp struct {
		Predictions []struct{ Label string }
		Model       struct{ Name string }
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || status != 200 || resp.Model.Name != "my-model" ||
		len(resp.Predictions) != 2 || resp.Predictions[0].Label != "spam" || resp.Predictions[1].Label != "ham" {
		tb.Fatalf("prediction %d %s, want my-model's [spam ham]\n%s", status, body, log)
	}
}
