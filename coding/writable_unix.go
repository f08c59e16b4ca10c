//go:build unix

package coding

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// writable reports whether this process may create files in dir and
// write its database (a read-only mount says no even to root).
func writable(dir string) bool {
	return unix.Access(dir, unix.W_OK) == nil && unix.Access(filepath.Join(dir, DBFile), unix.W_OK) == nil
}
