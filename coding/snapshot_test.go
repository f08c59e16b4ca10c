package coding_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

// TestSnapshotDemo reads the demo project whole and checks that every
// cross reference resolves, every span lies in its text, and that a second
// read gives the same snapshot.
func TestSnapshotDemo(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	if err := demo.Build(ctx, dir); err != nil {
		t.Fatal(err)
	}
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "reader"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Documents) != 7 || len(snap.Codes) != 19 || len(snap.Codings) != 65 {
		t.Fatalf("snapshot has %d documents, %d codes, %d codings; want 7, 19, 65",
			len(snap.Documents), len(snap.Codes), len(snap.Codings))
	}
	codes := map[string]bool{}
	for _, c := range snap.Codes {
		if c.ParentGUID != "" && !codes[c.ParentGUID] {
			t.Errorf("code %s comes before its parent", c.Name)
		}
		codes[c.GUID] = true
	}
	coders := map[string]bool{}
	for _, c := range snap.Coders {
		coders[c.Name] = true
	}
	docs := map[string]coding.SnapshotDocument{}
	for _, d := range snap.Documents {
		if d.Text == "" || len(d.Turns) == 0 || !d.Latest {
			t.Errorf("document %s: text %d bytes, %d turns, latest %v", d.Name, len(d.Text), len(d.Turns), d.Latest)
		}
		if len(d.Speakers) == 0 {
			t.Errorf("document %s has no speakers", d.Name)
		}
		for i, sp := range d.Speakers {
			if sp.Role == "" || (i > 0 && d.Speakers[i-1].Name >= sp.Name) {
				t.Errorf("document %s: speaker %+v without a role or out of order", d.Name, sp)
			}
		}
		docs[d.GUID] = d
	}
	for i, c := range snap.Codings {
		d, ok := docs[c.DocGUID]
		if !ok || !codes[c.CodeGUID] || !coders[c.Coder] {
			t.Fatalf("coding %d refers to an unknown document, code or coder: %+v", i, c)
		}
		if c.Start < 0 || c.End > len([]rune(d.Text)) || c.Start >= c.End {
			t.Errorf("coding %d span %d:%d outside %s", i, c.Start, c.End, d.Name)
		}
		if i > 0 {
			p := snap.Codings[i-1]
			if p.DocGUID == c.DocGUID && p.Start > c.Start {
				t.Errorf("codings %d and %d out of order", i-1, i)
			}
		}
	}
	again, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(snap, again) {
		t.Error("two snapshots of an unchanged project differ")
	}
}
