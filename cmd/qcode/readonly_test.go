package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// roMount bind-mounts dir read-only at a new folder and returns it; the
// test is skipped where mounting is not permitted.
func roMount(t *testing.T, dir string) string {
	t.Helper()
	mnt := filepath.Join(t.TempDir(), "ro.qcode")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "--bind", dir, mnt).CombinedOutput(); err != nil {
		t.Skipf("mount --bind: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", mnt).CombinedOutput(); err != nil {
		t.Skipf("remount read-only: %v %s", err, out)
	}
	return mnt
}

// TestReadOnlyProject: a project on a read-only mount can be listed,
// shown, searched, quoted and exported elsewhere, with a note that it is
// read-only; a change is refused as a read-only project; and merging
// from a read-only copy works and leaves it as it was.
func TestReadOnlyProject(t *testing.T) {
	dir := demoDir(t)
	mnt := roMount(t, dir)
	out := t.TempDir()
	reads := [][]string{
		{"docs"},
		{"show", "R01"},
		{"search", "мобилизация"},
		{"quotes", "Donations"},
		{"codes"},
		{"export", "codebook", "--format", "qdc", "-o", filepath.Join(out, "c.qdc")},
		{"export", "project", "-o", filepath.Join(out, "p.qdpx")},
	}
	for _, args := range reads {
		stdout, stderr, err := qc(t, mnt, args...)
		if err != nil {
			t.Errorf("%q on a read-only project = %v; stderr %s", args, err, stderr)
			continue
		}
		if !strings.Contains(stderr, "read-only project") {
			t.Errorf("%q: stderr %q, want a note that the project is read-only", args, stderr)
		}
		if stdout == "" && !strings.Contains(strings.Join(args, " "), "-o") {
			t.Errorf("%q printed nothing", args)
		}
	}
	writes := [][]string{
		{"code", "add", "New theme"},
		{"tag", "R01", "Donations", "--span", "0:5"},
		{"memo", "add", "a note"},
	}
	for _, args := range writes {
		msg, _, _ := wantErr(t, mnt, args...)
		if !strings.Contains(msg, "read-only project") {
			t.Errorf("%q = %q, want a read-only project refused", args, msg)
		}
	}

	here := newProject(t)
	if stdout, stderr, err := qc(t, here, "merge", mnt); err != nil {
		t.Errorf("merge from a read-only copy = %v; %s %s", err, stdout, stderr)
	}
}
