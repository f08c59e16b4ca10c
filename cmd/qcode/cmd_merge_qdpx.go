package main

import (
	"fmt"

	"github.com/qcode-dev/qcode/coding"
)

// readQDPX reads a REFI-QDA project for merging.
func (a *app) readQDPX(path string) (*coding.Snapshot, error) {
	return nil, fmt.Errorf("merge %s: reading .qdpx projects is not in this build yet", path)
}
