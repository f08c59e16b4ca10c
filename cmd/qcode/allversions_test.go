package main

// Only the current version of each document counts in the commands that
// count, analyse or export codings; --all-versions takes in what is left
// on earlier versions. The project is a wave of five interviews, R01 in
// two versions, each coded (see versionsSnapshot).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// versionsSnapshot is a wave of five interviews, R01 to R05 (attribute
// wave=1, each its own participant), with R01 in two versions. Version 1
// keeps codings (as orphaned ones stay on an old version): Fear by ana
// and boris at 0:10, Hope by ana at 5:15, a memo on ana's Fear and one on
// the version. Version 2 is coded Hope by ana (0:10) and boris (0:5); R02
// Fear by both (0:10); R03 to R05 Hope by ana (0:5). A project memo too.
func versionsSnapshot(t *testing.T) *coding.Snapshot {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "coding", "testdata", "versions.snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap coding.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	return &snap
}

// mergeVersions merges versionsSnapshot into the project s.
func mergeVersions(t *testing.T, s *coding.Store) {
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

// versionsProjectDir makes a project holding versionsSnapshot.
func versionsProjectDir(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	s, err := coding.Open(context.Background(), dir, coding.Options{Coder: "lead"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mergeVersions(t, s)
	return dir
}

func TestAllVersionsCommands(t *testing.T) {
	dir := versionsProjectDir(t)
	for _, tt := range []struct {
		flags                        []string
		docs, codings                int
		cols                         []string
		waveDocs                     int
		fearHope                     float64
		compared                     []string
		fearQuotes, fearR01          int
		anaCodings, anaDocs          int
		fearCodebook, fearCodebookIn int
		exported                     []string
	}{
		{flags: nil, docs: 5, codings: 7, cols: []string{"R01", "R02", "R03", "R04", "R05"}, waveDocs: 5, fearHope: 0,
			compared: []string{"R01@2", "R02@1"}, fearQuotes: 2, fearR01: 0, anaCodings: 5, anaDocs: 5,
			fearCodebook: 2, fearCodebookIn: 1, exported: []string{"R01", "R02", "R03", "R04", "R05"}},
		{flags: []string{"--all-versions"}, docs: 6, codings: 10, cols: []string{"R01@1", "R01", "R02", "R03", "R04", "R05"}, waveDocs: 6, fearHope: 2,
			compared: []string{"R01@1", "R01@2", "R02@1"}, fearQuotes: 4, fearR01: 2, anaCodings: 7, anaDocs: 6,
			fearCodebook: 4, fearCodebookIn: 2, exported: []string{"R01", "R01 (version 1)", "R02", "R03", "R04", "R05"}},
	} {
		t.Run(fmt.Sprintf("%v", tt.flags), func(t *testing.T) {
			run := func(v any, args ...string) {
				t.Helper()
				qcJSON(t, dir, v, append(args, tt.flags...)...)
			}
			var stats struct {
				Total struct{ Codings, Documents, Participants int } `json:"total"`
			}
			run(&stats, "stats", "--json")
			if stats.Total.Codings != tt.codings || stats.Total.Documents != tt.docs || stats.Total.Participants != 5 {
				t.Errorf("stats --json total = %+v, want %d codings, %d documents, 5 participants", stats.Total, tt.codings, tt.docs)
			}

			var m struct {
				Cols    []string  `json:"cols"`
				ColDocs [][]int64 `json:"col_doc_ids"`
				Cells   [][]float64
			}
			run(&m, "matrix", "--json")
			if !slices.Equal(m.Cols, tt.cols) {
				t.Errorf("matrix cols %q, want %q", m.Cols, tt.cols)
			}
			// The wave has five documents, not six.
			run(&m, "matrix", "--cols", "attr:wave", "--measure", "documents", "--json")
			if len(m.ColDocs) != 1 || len(m.ColDocs[0]) != tt.waveDocs {
				t.Errorf("matrix --cols attr:wave: documents %v, want %d in wave 1", m.ColDocs, tt.waveDocs)
			}

			var c struct{ Cells [][]float64 }
			run(&c, "cooc", "--json")
			if len(c.Cells) != 2 || c.Cells[0][1] != tt.fearHope {
				t.Errorf("cooc Fear × Hope = %v, want %v", c.Cells, tt.fearHope)
			}

			var ag struct {
				Documents []struct {
					Name    string
					Version int
				}
				LeftOut     []struct{ Name string } `json:"left_out"`
				AllVersions bool                    `json:"all_versions"`
			}
			run(&ag, "agree", "--json")
			var compared []string
			for _, d := range ag.Documents {
				compared = append(compared, fmt.Sprintf("%s@%d", d.Name, d.Version))
			}
			if !slices.Equal(compared, tt.compared) || len(ag.LeftOut) != 3 || ag.AllVersions != (tt.flags != nil) {
				t.Errorf("agree compared %q (left out %v, all versions %v), want %q", compared, ag.LeftOut, ag.AllVersions, tt.compared)
			}

			var q quotesJSON
			run(&q, "quotes", "Fear", "--format", "json")
			if len(q.Quotes) != tt.fearQuotes {
				t.Errorf("quotes Fear = %d, want %d", len(q.Quotes), tt.fearQuotes)
			}
			run(&q, "quotes", "Fear", "--doc", "R01", "--format", "json")
			if len(q.Quotes) != tt.fearR01 {
				t.Errorf("quotes Fear --doc R01 = %d, want %d", len(q.Quotes), tt.fearR01)
			}
			// Naming the old version always reaches it.
			run(&q, "quotes", "Fear", "--doc", "R01@1", "--format", "json")
			if len(q.Quotes) != 2 || q.Quotes[0].Version != 1 {
				t.Errorf("quotes Fear --doc R01@1 = %+v, want ana's and boris's on version 1", q.Quotes)
			}

			var coders struct {
				Coders []struct {
					Name               string
					Codings, Documents int
				}
			}
			run(&coders, "coders", "--json")
			if len(coders.Coders) < 2 || coders.Coders[0].Name != "ana" || coders.Coders[0].Codings != tt.anaCodings || coders.Coders[0].Documents != tt.anaDocs {
				t.Errorf("coders --json = %+v, want ana with %d codings in %d documents", coders.Coders, tt.anaCodings, tt.anaDocs)
			}

			var cb struct {
				Codes []struct {
					Path               string
					Codings, Documents int
					Examples           []struct{ Document string }
				}
			}
			run(&cb, "export", "codebook", "--format", "json", "--examples", "9")
			if len(cb.Codes) != 2 || cb.Codes[0].Codings != tt.fearCodebook || cb.Codes[0].Documents != tt.fearCodebookIn || len(cb.Codes[0].Examples) != tt.fearCodebook {
				t.Errorf("export codebook: %+v, want Fear with %d codings (and examples) in %d documents", cb.Codes, tt.fearCodebook, tt.fearCodebookIn)
			}

			// The .qdpx holds the current versions only, and comes back
			// as a project with those.
			qdpx := filepath.Join(t.TempDir(), "wave.qdpx")
			var sum exportSummary
			run(&sum, "export", "project", "-o", qdpx, "--json")
			if sum.Documents != tt.docs || sum.Codings != tt.codings {
				t.Errorf("export project: %+v, want %d documents, %d codings", sum, tt.docs, tt.codings)
			}
			back := filepath.Join(t.TempDir(), "back.qcode")
			mustQC(t, "", "import-project", qdpx, back)
			var names []string
			for _, d := range docs(t, back, "--all") {
				names = append(names, d.Name)
			}
			if !slices.Equal(names, tt.exported) {
				t.Errorf("the exported project's documents: %q, want %q", names, tt.exported)
			}
			var again struct {
				Total struct{ Codings, Documents int } `json:"total"`
			}
			qcJSON(t, back, &again, "stats", "--json")
			if again.Total.Codings != tt.codings {
				t.Errorf("stats of the exported project: %+v, want %d codings", again.Total, tt.codings)
			}
		})
	}
	// The old version is still there to read.
	if old := show(t, dir, "R01@1"); len(old.Codings) != 3 {
		t.Errorf("show R01@1: %d codings, want 3", len(old.Codings))
	}
	if out := mustQC(t, dir, "matrix"); strings.Contains(out, "R01@1") {
		t.Errorf("matrix shows the old version without --all-versions:\n%s", out)
	}
	if msg, _, _ := wantErr(t, dir, "agree", "--data", "x.csv", "--all-versions"); !strings.Contains(msg, "--all-versions") {
		t.Errorf("agree --data --all-versions: %q", msg)
	}
}
