//go:build unix

package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesRefused gives every command that reads a file the user
// names a named pipe (and some a socket or a device) instead. Each must
// refuse it at once, naming the file and what it is, and change nothing:
// opening a pipe would wait for a writer forever, deaf to Ctrl-C.
func TestSpecialFilesRefused(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	src := writeFile(t, t.TempDir(), "R01.txt", "I: Why did you leave?\nR: Because of the mobilization.\n")
	mustQC(t, dir, "import", src)

	type special struct {
		kind string // what the message must call it
		make func(t *testing.T, path string) string
	}
	fifo := special{"a named pipe", func(t *testing.T, path string) string {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return path
	}}
	socket := special{"a socket", func(t *testing.T, path string) string {
		// A socket's path is limited to about 100 bytes: make it short.
		d, err := os.MkdirTemp("", "qs")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		p := filepath.Join(d, filepath.Base(path))
		l, err := net.Listen("unix", p)
		if err != nil {
			t.Skipf("unix socket: %v", err)
		}
		t.Cleanup(func() { l.Close() })
		return p
	}}
	device := special{"a character device", func(t *testing.T, path string) string {
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip("no /dev/zero")
		}
		return "/dev/zero"
	}}
	cases := []struct {
		name string
		file string // the special file's name
		kind special
		args func(p string) []string
	}{
		{"import", "R42.txt", fifo, func(p string) []string { return []string{"import", p} }},
		{"import-codebook", "team.qdc", fifo, func(p string) []string { return []string{"import-codebook", p} }},
		{"import-codebook socket", "team.qdc", socket, func(p string) []string { return []string{"import-codebook", p} }},
		{"import-codebook device", "team.qdc", device, func(p string) []string { return []string{"import-codebook", p} }},
		{"import-codebook dry run", "team.qdc", fifo, func(p string) []string { return []string{"import-codebook", "--dry-run", p} }},
		{"agree --data", "data.csv", fifo, func(p string) []string { return []string{"agree", "--data", p} }},
		{"agree --data device", "data.csv", device, func(p string) []string { return []string{"agree", "--data", p} }},
		{"doc replace", "R01b.txt", fifo, func(p string) []string { return []string{"doc", "replace", "R01", p} }},
		{"merge", "team.qdpx", fifo, func(p string) []string { return []string{"merge", p} }},
		{"import-project", "team.qdpx", fifo, func(p string) []string {
			return []string{"import-project", p, filepath.Join(filepath.Dir(p), "new.qcode")}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := mustQC(t, dir, "history", "--json")
			path := tc.kind.make(t, filepath.Join(t.TempDir(), tc.file))
			args := tc.args(path)
			type result struct {
				stderr string
				err    error
			}
			done := make(chan result, 1)
			go func() {
				_, stderr, err := qc(t, dir, args...)
				done <- result{stderr, err}
			}()
			var res result
			select {
			case res = <-done:
			case <-time.After(3 * time.Second):
				t.Errorf("run(%q) still waits after 3 s: it opened %s blindly", args, tc.kind.kind)
				if tc.kind.kind != "a named pipe" {
					t.FailNow()
				}
				// A writer that opens and closes the pipe gives the
				// reader an end of file and lets the command go.
				w, err := os.OpenFile(path, os.O_WRONLY, 0)
				if err != nil {
					t.Fatalf("opening the pipe to release the command: %v", err)
				}
				w.Close()
				res = <-done
			}
			if res.err == nil {
				t.Fatalf("run(%q) = nil, want an error", args)
			}
			said := res.stderr + res.err.Error()
			if !strings.Contains(said, path) || !strings.Contains(said, tc.kind.kind) {
				t.Errorf("run(%q) = %v, stderr %q; want the path and %q", args, res.err, res.stderr, tc.kind.kind)
			}
			if after := mustQC(t, dir, "history", "--json"); after != before {
				t.Errorf("run(%q) changed the history:\n%s\nwas:\n%s", args, after, before)
			}
		})
	}
}
