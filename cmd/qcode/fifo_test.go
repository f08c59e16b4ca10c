//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImportFIFO imports a named pipe that has a transcript's name, alone
// and inside a folder. It is not a file to read: import must refuse it
// at once, not wait for a writer that never comes.
func TestImportFIFO(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	for _, asFolder := range []bool{false, true} {
		name := "file"
		if asFolder {
			name = "folder"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := t.TempDir()
			fifo := filepath.Join(in, "R42.txt")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			arg := fifo
			if asFolder {
				arg = in
			}
			type result struct {
				stderr string
				err    error
			}
			done := make(chan result, 1)
			go func() {
				_, stderr, err := qc(t, dir, "import", arg)
				done <- result{stderr, err}
			}()
			var res result
			select {
			case res = <-done:
			case <-time.After(3 * time.Second):
				t.Errorf("run(import %s) still waits after 3 s: it blocks opening the named pipe", arg)
				// Let it go: a writer that opens and closes the pipe
				// gives the reader an end of file.
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					t.Fatalf("opening the pipe to release the import: %v", err)
				}
				w.Close()
				res = <-done
			}
			if res.err == nil {
				t.Fatalf("run(import %s) = nil, want an error", arg)
			}
			if said := res.stderr + res.err.Error(); !strings.Contains(said, fifo) || !strings.Contains(said, "regular file") {
				t.Errorf("run(import %s) = %v, stderr %q; want the pipe's path and \"not a regular file\"", arg, res.err, res.stderr)
			}
			if ds := docs(t, dir); len(ds) != 0 {
				t.Errorf("docs after importing a pipe = %+v, want none", ds)
			}
		})
	}
}

// TestQDPXFIFO gives merge and import-project a named pipe called .qdpx.
// A .qdpx is read out of order, which a pipe cannot do: both must refuse
// it at once, not wait for a writer (which even Ctrl-C cannot end).
func TestQDPXFIFO(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	for _, args := range [][]string{{"merge"}, {"import-project"}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			in := t.TempDir()
			fifo := filepath.Join(in, "team.qdpx")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			args = append(args, fifo)
			if args[0] == "import-project" {
				args = append(args, filepath.Join(in, "new.qcode"))
			}
			done := make(chan error, 1)
			go func() {
				_, _, err := qc(t, dir, args...)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(3 * time.Second):
				t.Errorf("run(%q) still waits after 3 s: it blocks opening the named pipe", args)
				w, oerr := os.OpenFile(fifo, os.O_WRONLY, 0)
				if oerr != nil {
					t.Fatalf("opening the pipe to release the command: %v", oerr)
				}
				w.Close()
				err = <-done
			}
			if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("run(%q) = %v; want the pipe's path and \"not a regular file\"", args, err)
			}
		})
	}
}
