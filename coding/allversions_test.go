package coding_test

// Only the current version of each document counts in counts, analyses
// and exports; AllVersions takes in what is left on earlier versions.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// versionsSnapshot reads testdata/versions.snapshot.json: a wave of five interviews, R01 to R05 (attribute
// wave=1, each its own participant), with R01 in two versions. Version 1
// keeps codings (as orphaned ones stay on an old version): Fear by ana
// and boris at 0:10, Hope by ana at 5:15, a memo on ana's Fear and one on
// the version. Version 2 is coded Hope by ana (0:10) and boris (0:5); R02
// Fear by both (0:10); R03 to R05 Hope by ana (0:5). A project memo too.
func versionsSnapshot(t *testing.T) *coding.Snapshot {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "versions.snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap coding.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	return &snap
}

// versionsProject merges versionsSnapshot into the project in dir.
func versionsProject(t *testing.T, s *coding.Store) {
	t.Helper()
	if _, _, err := s.Merge(context.Background(), versionsSnapshot(t), coding.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 6 || docs[0].Name != "R01" || docs[0].Version != 1 || docs[1].Version != 2 || !docs[1].Latest {
		t.Fatalf("documents after the merge: %+v; want R01@1, R01 (version 2), R02 to R05", docs)
	}
}

func TestAllVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "wave.qcode"), coding.Options{Coder: "lead"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	versionsProject(t, s)

	for _, tt := range []struct {
		all bool
		// Stats: all codes together, then Fear's and Hope's own.
		codings, docs, parts              int
		fearCodings, fearDocs, hopeDocs   int
		cols                              []string
		waveDocs                          int
		hopePercent                       float64
		fearHope                          float64
		cellQuotes                        int
		fearQuotes, fearR01, fearR01at1   int
		anaCodings, anaDocs, borisCodings int
		snapDocs, snapCodings, snapMemos  int
	}{
		{all: false, codings: 7, docs: 5, parts: 5, fearCodings: 2, fearDocs: 1, hopeDocs: 4,
			cols: []string{"R01", "R02", "R03", "R04", "R05"}, waveDocs: 5, hopePercent: 80, fearHope: 0, cellQuotes: 0,
			fearQuotes: 2, fearR01: 0, fearR01at1: 2, anaCodings: 5, anaDocs: 5, borisCodings: 2,
			snapDocs: 5, snapCodings: 7, snapMemos: 1},
		{all: true, codings: 10, docs: 6, parts: 5, fearCodings: 4, fearDocs: 2, hopeDocs: 5,
			cols: []string{"R01@1", "R01", "R02", "R03", "R04", "R05"}, waveDocs: 6, hopePercent: 100 * 5.0 / 6, fearHope: 2, cellQuotes: 3,
			fearQuotes: 4, fearR01: 2, fearR01at1: 2, anaCodings: 7, anaDocs: 6, borisCodings: 3,
			snapDocs: 6, snapCodings: 10, snapMemos: 3},
	} {
		t.Run(fmt.Sprintf("all versions %v", tt.all), func(t *testing.T) {
			st, total, err := s.StatsWithTotal(ctx, coding.StatsOptions{AllVersions: tt.all})
			if err != nil {
				t.Fatal(err)
			}
			if total.Codings != tt.codings || total.Documents != tt.docs || total.Participants != tt.parts {
				t.Errorf("stats total = %+v, want %d codings, %d documents, %d participants", total.Counts, tt.codings, tt.docs, tt.parts)
			}
			if st[0].Code != "Fear" || st[0].Own.Codings != tt.fearCodings || st[0].Own.Documents != tt.fearDocs || st[1].Own.Documents != tt.hopeDocs {
				t.Errorf("stats Fear %+v, Hope %+v; want Fear %d codings in %d documents, Hope in %d", st[0].Own, st[1].Own, tt.fearCodings, tt.fearDocs, tt.hopeDocs)
			}

			m, err := s.Matrix(ctx, coding.MatrixOptions{AllVersions: tt.all})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Cols, tt.cols) || m.AllVersions != tt.all {
				t.Errorf("matrix cols %q (all versions %v), want %q", m.Cols, m.AllVersions, tt.cols)
			}
			// The wave: five documents, not six.
			w, err := s.Matrix(ctx, coding.MatrixOptions{Cols: "attr:wave", Measure: coding.MeasurePercent, AllVersions: tt.all})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(w.Cols, []string{"1"}) || len(w.ColDocs[0]) != tt.waveDocs {
				t.Errorf("matrix by wave: cols %q, %d documents in wave 1; want 1 column of %d", w.Cols, len(w.ColDocs[0]), tt.waveDocs)
			} else if math.Abs(w.Cells[1][0]-tt.hopePercent) > 1e-9 {
				t.Errorf("matrix by wave: Hope in %.2f%% of wave 1, want %.2f%%", w.Cells[1][0], tt.hopePercent)
			}

			c, err := s.Cooc(ctx, coding.CoocOptions{AllVersions: tt.all})
			if err != nil {
				t.Fatal(err)
			}
			if c.Cells[0][1] != tt.fearHope {
				t.Errorf("cooc Fear × Hope = %v, want %v", c.Cells[0][1], tt.fearHope)
			}
			// A cell's quotes are those counted in it, whatever the
			// version.
			if qs, err := s.CellQuotes(ctx, c, 0, 1, coding.QuoteOptions{}); err != nil || len(qs) != tt.cellQuotes {
				t.Errorf("quotes of cooc Fear × Hope = %d, %v; want %d", len(qs), err, tt.cellQuotes)
			}

			quotes := func(opt coding.QuoteOptions) int {
				t.Helper()
				opt.AllVersions = tt.all
				qs, err := s.Quotes(ctx, []string{"Fear"}, opt)
				if err != nil {
					t.Fatalf("Quotes(%+v): %v", opt, err)
				}
				return len(qs)
			}
			if n := quotes(coding.QuoteOptions{}); n != tt.fearQuotes {
				t.Errorf("quotes Fear = %d, want %d", n, tt.fearQuotes)
			}
			if n := quotes(coding.QuoteOptions{Docs: []string{"R01"}}); n != tt.fearR01 {
				t.Errorf("quotes Fear --doc R01 = %d, want %d", n, tt.fearR01)
			}
			// Naming the old version always works.
			if n := quotes(coding.QuoteOptions{Docs: []string{"R01@1"}}); n != tt.fearR01at1 {
				t.Errorf("quotes Fear --doc R01@1 = %d, want %d", n, tt.fearR01at1)
			}

			cs, err := s.CoderStatsWith(ctx, coding.CoderStatsOptions{AllVersions: tt.all})
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]coding.CoderStats{}
			for _, c := range cs {
				by[c.Name] = c
			}
			if by["ana"].Codings != tt.anaCodings || by["ana"].Documents != tt.anaDocs || by["boris"].Codings != tt.borisCodings || by["ana"].Codes != 2 {
				t.Errorf("coders = %+v, want ana %d codings in %d documents, boris %d", cs, tt.anaCodings, tt.anaDocs, tt.borisCodings)
			}

			snap, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.all {
				snap = snap.Current()
			}
			if len(snap.Documents) != tt.snapDocs || len(snap.Codings) != tt.snapCodings || len(snap.Memos) != tt.snapMemos {
				t.Errorf("snapshot: %d documents, %d codings, %d memos; want %d, %d, %d",
					len(snap.Documents), len(snap.Codings), len(snap.Memos), tt.snapDocs, tt.snapCodings, tt.snapMemos)
			}

			codings, err := s.Codings(ctx, coding.CodingFilter{Current: !tt.all})
			if err != nil || len(codings) != tt.codings {
				t.Errorf("Codings(current %v) = %d, %v; want %d", !tt.all, len(codings), err, tt.codings)
			}
		})
	}
	// Current leaves the full snapshot alone: a merge still gets every
	// version.
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur := snap.Current(); len(cur.Documents) != 5 || len(snap.Documents) != 6 || len(snap.Codings) != 10 {
		t.Errorf("Current changed the snapshot: %d documents, %d codings", len(snap.Documents), len(snap.Codings))
	}
	if (*coding.Snapshot)(nil).Current() != nil {
		t.Error("nil snapshot's Current is not nil")
	}
}
