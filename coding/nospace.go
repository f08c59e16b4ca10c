package coding

import (
	"errors"
	"strings"
	"sync"
	"syscall"
)

// ErrNoSpace is what a full disk is called, whichever layer noticed it:
// SQLite ("database or disk is full", or an I/O error growing its files
// when nothing is left), or the writing of an original into sources/ or
// of an export. Every change is one transaction, so a write that did not
// fit changed nothing.
var ErrNoSpace = errors.New("no space left on device: free some space; nothing was lost")

// noSpaceError is a full disk, with the error that showed it.
type noSpaceError struct {
	msg string
	err error
}

func (e *noSpaceError) Error() string { return e.msg }

func (e *noSpaceError) Unwrap() []error { return []error{ErrNoSpace, e.err} }

// NoSpace returns err as ErrNoSpace when it says that a disk is full (the
// system's ENOSPC anywhere in its chain), keeping what it says before
// that; any other error is returned as it is.
func NoSpace(err error) error {
	if err == nil || errors.Is(err, ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) {
		return err
	}
	msg := strings.TrimSuffix(err.Error(), syscall.ENOSPC.Error())
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ":")
	if msg != "" {
		msg += ": "
	}
	return &noSpaceError{msg: msg + ErrNoSpace.Error(), err: err}
}

// noSpace is a full disk that SQLite noticed.
func noSpace(err error) error {
	return &noSpaceError{msg: ErrNoSpace.Error(), err: err}
}

// openedDirs are the project folders this process opened: when SQLite
// reports an I/O error, whether one of their disks is full says what the
// error was.
var openedDirs struct {
	sync.Mutex
	dirs []string
}

func noteOpened(dir string) {
	openedDirs.Lock()
	defer openedDirs.Unlock()
	for _, d := range openedDirs.dirs {
		if d == dir {
			return
		}
	}
	openedDirs.dirs = append(openedDirs.dirs, dir)
}

// lowSpaceFloor is the free space under which an I/O error of SQLite is
// taken for a full disk: SQLite grows its files by pages and its shared
// memory file by 32 KiB.
const lowSpaceFloor = 1 << 20

// diskFull reports whether the disk of a project this process opened has
// (nearly) no space left.
func diskFull() bool {
	openedDirs.Lock()
	dirs := append([]string(nil), openedDirs.dirs...)
	openedDirs.Unlock()
	for _, d := range dirs {
		if free, ok := freeSpace(d); ok && free < lowSpaceFloor {
			return true
		}
	}
	return false
}
