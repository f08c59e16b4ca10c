package coding_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// FuzzMerge merges a one-document snapshot with any text and any span:
// the merge is refused with ErrInvalid and changes nothing, or it stores
// the text as given, the coding inside it, and a second merge adds
// nothing.
func FuzzMerge(f *testing.F) {
	f.Add("Interviewer: Why?\nRespondent: Because.\n", "R01", 19, 38)
	f.Add("Р: они придут за нами\n", "R02", 3, 21)
	f.Add("Cafe\u0301 au lait", "R03", 0, 4)
	f.Add("\xff\xfe bad bytes", "R04", 0, 3)
	f.Add("   ", "R05", 0, 1)
	f.Add("short", "R06", 2, 200)
	f.Add("short", "", 0, 1)
	f.Add("a\r\nb", "R07", 1, 2)
	f.Add("zero", "R08", 2, 2)
	f.Add("escape", "../../outside", 0, 3)
	f.Add("dots", "..", 0, 3)
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(f.TempDir(), "fuzz.qcode"), coding.Options{Coder: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	n := 0
	f.Fuzz(func(t *testing.T, text, name string, start, end int) {
		n++
		snap := &coding.Snapshot{
			GUID: "00000000-0000-4000-8000-000000000001", Name: "fuzz",
			Coders: []coding.SnapshotCoder{{GUID: "00000000-0000-4000-8000-000000000002", Name: "tamar"}},
			Codes:  []coding.SnapshotCode{{GUID: "00000000-0000-4000-8000-000000000003", Name: "Theme"}},
			Documents: []coding.SnapshotDocument{{GUID: fmt.Sprintf("00000000-0000-4000-9000-%012d", n),
				Name: name, Version: 1, Text: text}},
			Codings: []coding.SnapshotCoding{{GUID: fmt.Sprintf("00000000-0000-4000-a000-%012d", n),
				DocGUID: fmt.Sprintf("00000000-0000-4000-9000-%012d", n), CodeGUID: "00000000-0000-4000-8000-000000000003",
				Start: start, End: end, Coder: "tamar"}},
		}
		gen, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sum, _, err := s.Merge(ctx, snap, coding.MergeOptions{NewVersions: true})
		if err != nil {
			if !errors.Is(err, coding.ErrInvalid) {
				t.Fatalf("Merge(%q, %d:%d) = %v; want ErrInvalid or success", text, start, end, err)
			}
			if g, _ := s.Generation(ctx); g != gen {
				t.Fatalf("a refused merge changed the project (generation %d -> %d)", gen, g)
			}
			return
		}
		if !utf8.ValidString(text) || strings.ContainsRune(text, '\r') || start < 0 || end <= start || end > utf8.RuneCountInString(text) {
			t.Fatalf("Merge accepted text %q with span %d:%d", text, start, end)
		}
		docs, err := s.Documents(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if strings.ContainsAny(d.Source, "/\\") || strings.HasPrefix(d.Source, ".") {
				t.Fatalf("document %q written to sources/ as %q", d.Name, d.Source)
			}
		}
		codings, err := s.Codings(ctx, coding.CodingFilter{Coder: "tamar"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codings {
			d, err := s.Document(ctx, fmt.Sprint(c.DocID), true)
			if err != nil {
				t.Fatal(err)
			}
			if c.End > utf8.RuneCountInString(d.Text) {
				t.Fatalf("coding %d:%d outside %s (%d code points)", c.Start, c.End, d.Name, utf8.RuneCountInString(d.Text))
			}
		}
		again, _, err := s.Merge(ctx, snap, coding.MergeOptions{NewVersions: true})
		if err != nil || again.Added() {
			t.Fatalf("second merge = %+v, %v (first %+v); want nothing added", again, err, sum)
		}
	})
}
