package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writers are the commands that write a file with -o.
var writers = [][]string{
	{"quotes", "Fear of repression"},
	{"export", "codebook"},
	{"export", "project"},
}

// TestOutputRefused gives each command that writes a file a place it
// must not write: the project's own database, another file in the
// project folder, the folder itself, a folder that does not exist. Each
// must refuse before writing, name the path and say why, and leave the
// project as it was, with no stray file in it.
func TestOutputRefused(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	elsewhere := t.TempDir()
	tests := []struct {
		name, path string
		want       []string
	}{
		{"the project database", filepath.Join(dir, "project.db"), []string{"inside the project folder", dir}},
		{"a new file in the project folder", filepath.Join(dir, "quotes.md"), []string{"inside the project folder", dir}},
		{"a file in the project's sources", filepath.Join(dir, "sources", "x.md"), []string{"inside the project folder"}},
		{"the project folder", dir, []string{"is a folder"}},
		{"a missing folder", filepath.Join(elsewhere, "no", "such", "out.md"), []string{"does not exist", filepath.Join(elsewhere, "no", "such")}},
		{"an existing folder", elsewhere, []string{"is a folder"}},
	}
	listing := func() []string {
		var names []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if rel, _ := filepath.Rel(dir, p); rel != "index" || err != nil {
				names = append(names, rel)
				return nil
			}
			return filepath.SkipDir
		})
		return names
	}
	before, files := snapshot(t, dir), listing()
	for _, w := range writers {
		for _, tt := range tests {
			args := append(slices.Clone(w), "-o", tt.path)
			t.Run(strings.Join(w, " ")+"/"+tt.name, func(t *testing.T) {
				msg, stdout, stderr := wantErr(t, dir, args...)
				for _, want := range append([]string{tt.path}, tt.want...) {
					if !strings.Contains(msg, want) {
						t.Errorf("run(%q) = %q, want it to contain %q", args, msg, want)
					}
				}
				if stdout != "" || strings.Contains(stderr, "Wrote") {
					t.Errorf("run(%q) failed but said %q %q", args, stdout, stderr)
				}
			})
		}
	}
	diffSnapshots(t, "refused -o", before, snapshot(t, dir))
	if after := listing(); !slices.Equal(files, after) {
		t.Errorf("the project folder held %q, now %q", files, after)
	}
	if left, _ := os.ReadDir(elsewhere); len(left) != 0 {
		t.Errorf("%s holds %d files after refused writes, want none", elsewhere, len(left))
	}
}

// TestOutputThroughLink writes to -o a symbolic link to a file, as a
// user who keeps the paper's appendix linked from elsewhere: the linked
// file gets the output and the link stays a link.
func TestOutputThroughLink(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	for _, w := range writers {
		t.Run(strings.Join(w, " "), func(t *testing.T) {
			tmp := t.TempDir()
			target, link := filepath.Join(tmp, "target.out"), filepath.Join(tmp, "link.out")
			if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, link); err != nil {
				t.Skipf("symlink: %v", err)
			}
			mustQC(t, dir, append(slices.Clone(w), "-o", link)...)
			if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s is no longer a link after -o wrote to it (%v)", link, err)
			}
			if got, _ := os.ReadFile(target); len(got) < 10 {
				t.Errorf("%s holds %q after -o wrote through its link, want the output", target, got)
			}
		})
	}
}

// TestOutputDash takes -o - as standard output, as export codebook and
// most tools do, not as a file called "-".
func TestOutputDash(t *testing.T) {
	// Not parallel: a wrong answer writes "-" in the working directory.
	dir := seededProject(t)
	t.Cleanup(func() { os.Remove("-") })
	for _, w := range writers {
		t.Run(strings.Join(w, " "), func(t *testing.T) {
			out, stderr, err := qc(t, dir, append(slices.Clone(w), "-o", "-")...)
			if err != nil {
				t.Fatalf("run(%q -o -) = %v, stderr %q", w, err, stderr)
			}
			if _, err := os.Stat("-"); err == nil {
				os.Remove("-")
				t.Errorf("run(%q -o -) wrote a file called \"-\"", w)
			}
			want := "PK\x03\x04" // a .qdpx has no stdout of its own
			if w[0] != "export" || w[1] != "project" {
				want = mustQC(t, dir, w...)
			}
			if !strings.HasPrefix(out, want) {
				t.Errorf("run(%q -o -) wrote %.60q to stdout; want %.60q", w, out, want)
			}
		})
	}
}
