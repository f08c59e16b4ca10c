//go:build !unix

package coding

import (
	"os"
	"path/filepath"
)

// writable reports whether the database may be written, as far as its
// permissions tell.
func writable(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, DBFile))
	return err == nil && st.Mode().Perm()&0o200 != 0
}
