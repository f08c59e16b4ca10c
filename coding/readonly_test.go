package coding_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// listing is a folder's files, each with its mode and bytes, so that a
// read can be shown to leave the folder byte for byte as it was.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		line := rel + " " + info.Mode().String()
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += " " + string(data)
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func names(l []string) []string {
	var out []string
	for _, s := range l {
		out = append(out, strings.Fields(s)[0])
	}
	return out
}

// TestMergeLeavesOtherUntouched: merging another copy, or being refused
// it, leaves the other folder byte for byte as it was: no -wal, no -shm.
func TestMergeLeavesOtherUntouched(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		open    bool // keep the other copy open, its changes in its -wal
		newer   bool // the other copy is of a newer schema: refused
		wantErr error
	}{
		{name: "closed copy"},
		{name: "copy open in another qcode", open: true},
		{name: "refused: newer schema", newer: true, wantErr: coding.ErrNewer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := buildDemo(t, "nino", "nino")
			dir := other.Dir()
			if _, err := other.Import(ctx, coding.ImportFile{Path: "R99.txt", Data: []byte("Interviewer: Why?\nRespondent: Because.\n")}); err != nil {
				t.Fatal(err)
			}
			if tt.newer {
				other.Close()
				if out, err := exec.Command("sqlite3", filepath.Join(dir, coding.DBFile), "PRAGMA user_version = 999").CombinedOutput(); err != nil {
					t.Skipf("sqlite3: %v %s", err, out)
				}
			} else if !tt.open {
				other.Close()
			}
			before := listing(t, dir)
			here, err := coding.Create(ctx, filepath.Join(t.TempDir(), "here.qcode"), coding.Options{Coder: "anna"})
			if err != nil {
				t.Fatal(err)
			}
			defer here.Close()
			snap, err := coding.ReadSnapshot(ctx, dir)
			if err == nil {
				var sum coding.MergeSummary
				sum, _, err = here.Merge(ctx, snap, coding.MergeOptions{Label: "merge"})
				if err == nil && sum.Documents == 0 {
					t.Errorf("the merge added no documents")
				}
				if err == nil && !tt.open && len(snap.Documents) == 0 {
					t.Errorf("read no documents")
				}
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("merge = %v, want %v", err, tt.wantErr)
			}
			if tt.open {
				found := false
				for _, d := range snap.Documents {
					found = found || d.Name == "R99"
				}
				if !found {
					t.Error("the document in the other copy's write-ahead log was not read")
				}
			}
			if after := listing(t, dir); !reflect.DeepEqual(after, before) {
				t.Errorf("the other folder changed:\nbefore %v\nafter  %v", names(before), names(after))
			}
			if tt.open {
				other.Close()
			}
		})
	}
}

// roMount bind-mounts dir read-only at a new folder and returns it; the
// test is skipped where mounting is not permitted.
func roMount(t *testing.T, dir string) string {
	t.Helper()
	mnt := filepath.Join(t.TempDir(), "ro"+coding.Ext)
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

// TestReadOnlyMount: a project on a read-only mount opens for reading:
// its documents, codings and snapshot can be read, a change is refused
// as a read-only project, and merging from it works too.
func TestReadOnlyMount(t *testing.T) {
	ctx := context.Background()
	s := buildDemo(t, "nino", "nino")
	want := snapshot(t, s)
	dir := s.Dir()
	s.Close()
	mnt := roMount(t, dir)

	ro, err := coding.Open(ctx, mnt, coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatalf("Open on a read-only mount: %v", err)
	}
	defer ro.Close()
	if !ro.ReadOnly() {
		t.Error("ReadOnly() = false on a read-only mount")
	}
	docs, err := ro.Documents(ctx, false)
	if err != nil || len(docs) != len(want.Documents) {
		t.Errorf("Documents = %d, %v; want %d", len(docs), err, len(want.Documents))
	}
	if got := snapshot(t, ro); !reflect.DeepEqual(got, want) {
		t.Error("the read-only project reads differently")
	}
	writes := []struct {
		name string
		do   func() error
	}{
		{"add a code", func() error { _, _, err := ro.AddCode(ctx, coding.NewCode{Path: "New theme"}); return err }},
		{"set a setting", func() error { return ro.SetSetting(ctx, "cite", "{name}") }},
		{"add a memo", func() error { _, _, err := ro.AddMemo(ctx, coding.TargetProject, "", "a note"); return err }},
	}
	for _, w := range writes {
		err := w.do()
		if !errors.Is(err, coding.ErrReadOnly) || !strings.Contains(err.Error(), "read-only project") {
			t.Errorf("%s = %v, want a read-only project refused", w.name, err)
		}
	}

	snap, err := coding.ReadSnapshot(ctx, mnt)
	if err != nil {
		t.Fatalf("ReadSnapshot from a read-only mount: %v", err)
	}
	if !reflect.DeepEqual(snap, want) {
		t.Error("ReadSnapshot from a read-only mount differs")
	}
}
