package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const noSpaceWords = "no space left on device: free some space; nothing was lost"

// TestDiskFull runs qcode on a project whose disk (an 8 MiB tmpfs) is
// full: every command that fails must say so in plain words, not "disk
// I/O error (4874)" or "database or disk is full (13)", and once space is
// freed the project works again with nothing lost.
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=8m,mode=0700"); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (%v): run as root to test a full disk", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			syscall.Unmount(mnt, syscall.MNT_DETACH)
		}
	})
	dir := filepath.Join(mnt, "study.qcode")
	mustQC(t, "", "init", dir)
	in := t.TempDir()
	first := writeFile(t, in, "R01.txt", "I: Why did you leave?\nR: Because of the mobilization.\n")
	mustQC(t, dir, "import", first)
	mustQC(t, dir, "code", "add", "Fear")
	mustQC(t, dir, "code", "add", "Hope")
	mustQC(t, dir, "tag", "R01", "Fear", "--span", "0:5")

	// Fill the disk: a file grows until nothing is left.
	filler := filepath.Join(mnt, "filler")
	f, err := os.OpenFile(filler, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()

	second := writeFile(t, in, "R02.txt", strings.Repeat("I: And then?\nR: Then we went to Tbilisi and stayed there for a long time.\n", 400))
	for _, args := range [][]string{
		{"import", second},
		{"tag", "R01", "Hope", "--span", "6:9"},
		{"docs"},
		{"export", "project", "-o", filepath.Join(mnt, "out.qdpx")},
	} {
		_, stderr, err := qc(t, dir, args...)
		t.Logf("run(%q) on a full disk: %v", args, err)
		if err == nil {
			continue // a command that needs no space may work
		}
		said := stderr + err.Error()
		if !strings.Contains(said, noSpaceWords) || strings.Contains(said, "I/O error") || strings.Contains(said, "(13)") {
			t.Errorf("run(%q) on a full disk = %v, stderr %q; want %q", args, err, stderr, noSpaceWords)
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	mustQC(t, dir, "import", second)
	mustQC(t, dir, "tag", "R01", "Hope", "--span", "6:9")
	if ds := docs(t, dir); len(ds) != 2 {
		t.Errorf("after freeing space: %d documents, want 2", len(ds))
	}

	// A nearly full disk: a little space left, too little for a long
	// transcript ("database or disk is full" from SQLite, or the original
	// not fitting in sources/).
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	left := int64(24 << 10)
	if err := os.WriteFile(filler, make([]byte, int64(st.Bavail)*st.Bsize-left), 0o600); err != nil {
		t.Fatal(err)
	}
	third := writeFile(t, in, "R03.txt", strings.Repeat("I: Did you learn Georgian?\nR: A little, at the courses in Vake, twice a week.\n", 1200))
	_, stderr, err := qc(t, dir, "import", third)
	t.Logf("run(import R03.txt) on a nearly full disk: %v", err)
	if err == nil || !strings.Contains(stderr+err.Error(), noSpaceWords) {
		t.Errorf("import on a nearly full disk = %v, stderr %q; want %q", err, stderr, noSpaceWords)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	mustQC(t, dir, "import", third)
	if ds := docs(t, dir); len(ds) != 3 {
		t.Errorf("after freeing space again: %d documents, want 3", len(ds))
	}
	if len(quotes(t, dir, "Fear")) != 1 || len(quotes(t, dir, "Hope")) != 1 {
		t.Errorf("after freeing space: want one quote on Fear and one on Hope")
	}
}
