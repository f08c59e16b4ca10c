package refiqda

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// stagingPrefix starts the name of the hidden folder ImportProject builds
// a project in, next to its destination: ".qcode-import-PID-RANDOM",
// where PID is the importing process.
const stagingPrefix = ".qcode-import-"

// stagingName matches the staging folders qcode makes: with the owner's
// process id, and (from earlier versions) without it.
var stagingName = regexp.MustCompile(`^\.qcode-import-(?:([0-9]+)-)?[0-9]+$`)

// staleStagingAge is how old a staging folder must be to be removed even
// when its owner may still run (a process id reused, or none recorded):
// no import-project takes a day.
const staleStagingAge = 24 * time.Hour

// mkStaging makes a private staging folder in parent.
func mkStaging(parent string) (string, error) {
	return os.MkdirTemp(parent, fmt.Sprintf("%s%d-*", stagingPrefix, os.Getpid()))
}

// sweepStaging removes from parent the staging folders an import-project
// killed before it finished left behind: they hold a whole project, the
// interviews' text included, in a folder no one sees. Only folders whose
// name is qcode's own pattern are touched, and only when the process that
// made them is gone, or they are older than staleStagingAge. It returns
// the folders removed.
func sweepStaging(parent string, now time.Time) []string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		m := stagingName.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() { // IsDir is false for a symbolic link
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		stale := now.Sub(info.ModTime()) > staleStagingAge
		if m[1] != "" && !stale {
			pid, err := strconv.Atoi(m[1])
			stale = err == nil && pid != os.Getpid() && processGone(pid)
		}
		if !stale {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if os.RemoveAll(p) == nil {
			removed = append(removed, p)
		}
	}
	return removed
}

// processGone reports whether no process has the id pid. Where that
// cannot be told, the process counts as running.
func processGone(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	return errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}
