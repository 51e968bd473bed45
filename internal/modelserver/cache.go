package modelserver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// cacheRoot is where the packaging keeps what it builds once and reuses
// (image contexts, the optimizer, optimized graphs), each under a name
// derived from everything its content depends on: $COSTGUARD_CACHE_DIR,
// else the user's cache directory's costguard, else the temporary
// directory's.
func cacheRoot() string {
	if d := os.Getenv("COSTGUARD_CACHE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "costguard")
	}
	return filepath.Join(os.TempDir(), "costguard")
}

// stage makes dir exist, complete: when it holds marker it is used as it
// is; otherwise fill writes it into a fresh temporary directory next to it
// (marker included), which is renamed into place with the modification
// time [serverbuild.ModTime]. Two processes staging the same dir write the
// same bytes: whichever renames first wins.
func stage(dir, marker string, fill func(tmp string) error) error {
	if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(parent, filepath.Base(dir)+".tmp-"+randomSuffix())
	defer os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(tmp, marker)); err != nil {
		return err
	}
	if err := os.Chtimes(tmp, serverbuild.ModTime, serverbuild.ModTime); err != nil {
		return err
	}
	err := os.Rename(tmp, dir)
	if err == nil {
		return nil
	}
	// Another process staged the same directory first: same bytes.
	if _, statErr := os.Stat(filepath.Join(dir, marker)); statErr == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		_ = os.RemoveAll(dir) // a directory without its marker: incomplete
		err = os.Rename(tmp, dir)
	}
	return err
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
