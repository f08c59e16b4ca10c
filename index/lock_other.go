//go:build !unix

package index

import (
	"os"
	"time"
)

// lockDir opens the lock file; without flock, bleve's own lock is the
// only guard.
func lockDir(path string, wait time.Duration) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
}

// tryExclusive cannot lock here; removing a folder whose files are open
// fails on such systems, which is the guard.
func tryExclusive(path string) (*os.File, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, os.IsNotExist(err)
	}
	return f, true
}
