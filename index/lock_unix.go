//go:build unix

package index

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive lock on the project's index, waiting up to
// wait. The lock covers what bleve's own lock does not: deciding to
// delete and rebuild an index, which two processes (or two goroutines of
// one workbench) must never do at once. flock is per open file, so a
// second Open in the same process waits too.
func lockDir(path string, wait time.Duration) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if errors.Is(err, syscall.EROFS) {
		// A project on a read-only mount: nobody updates its index;
		// searches read the index as it is, and the store beyond it.
		return nil, ErrBusy
	}
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrBusy
			}
			return nil, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tryExclusive takes an exclusive lock on an existing file without
// waiting; it fails while anyone (bolt, for a reader) holds a lock on it.
func tryExclusive(path string) (*os.File, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, os.IsNotExist(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return f, true
}
