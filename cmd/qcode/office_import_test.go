package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A focus group saved by LibreOffice as .docx, its speakers' names in
// bold at the start of each paragraph and without a colon, is imported
// with its speakers; deriving its turns again reads the original kept in
// sources/ for the bold, so the speakers, their turns and the codings made
// before stay as they were.
func TestOfficeImportBoldRedetect(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "transcripts", "testdata", "shapes", "focus_group_bold.docx"))
	if err != nil {
		t.Fatal(err)
	}
	dir := newProject(t)
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "FG.docx"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	mustQC(t, dir, "import", filepath.Join(src, "FG.docx"))

	want := map[string]int{"Moderator": 3, "Anna": 2, "Boris": 2, "Chen": 2, "Dilnoza": 1}
	wantOrder := []string{"Moderator", "Anna", "Boris", "Chen", "Moderator", "Anna", "Boris", "Dilnoza", "Moderator", "Chen"}
	speakerTurns := func(when string) {
		t.Helper()
		got := map[string]int{}
		for _, s := range speakersOf(t, dir, "FG") {
			got[s.Name] = s.Turns
		}
		if len(got) != len(want) {
			t.Errorf("%s: speakers FG = %v, want %v", when, got, want)
		}
		for name, n := range want {
			if got[name] != n {
				t.Errorf("%s: speakers FG = %v, want %v", when, got, want)
				break
			}
		}
	}
	turnOrder := func() []string {
		t.Helper()
		var v struct {
			Turns []turnJSONOut `json:"turns"`
		}
		qcJSON(t, dir, &v, "turns", "FG", "--json")
		var out []string
		for _, x := range v.Turns {
			out = append(out, x.Speaker)
		}
		return out
	}
	speakerTurns("after import")
	if got := turnOrder(); !slices.Equal(got, wantOrder) {
		t.Errorf("after import: turns by %q, want %q", got, wantOrder)
	}

	mustQC(t, dir, "tag", "FG", "Home", "--create", "--match", "The smell of the kitchen")
	mustQC(t, dir, "tag", "FG", "Documents", "--create", "--match", "Documents have a smell")
	before := map[string]quoteJSON{}
	for _, code := range []string{"Home", "Documents"} {
		qs := quotes(t, dir, code)
		if len(qs) != 1 {
			t.Fatalf("quotes %s = %+v, want one", code, qs)
		}
		before[code] = qs[0]
	}
	if before["Home"].Speaker != "Anna" || before["Documents"].Speaker != "Boris" {
		t.Errorf("quotes said by %q and %q, want Anna and Boris", before["Home"].Speaker, before["Documents"].Speaker)
	}

	var res struct {
		Before   int `json:"turns_before"`
		After    int `json:"turns_after"`
		Speakers []struct {
			Name  string `json:"name"`
			Turns int    `json:"turns"`
		} `json:"speakers"`
	}
	qcJSON(t, dir, &res, "turns", "FG", "--redetect", "--json")
	if res.Before != 10 || res.After != 10 || len(res.Speakers) != len(want) {
		t.Errorf("turns FG --redetect = %+v, want 10 turns before and after, by %d speakers", res, len(want))
	}
	speakerTurns("after --redetect")
	if got := turnOrder(); !slices.Equal(got, wantOrder) {
		t.Errorf("after --redetect: turns by %q, want %q", got, wantOrder)
	}
	for code, b := range before {
		qs := quotes(t, dir, code)
		if len(qs) != 1 || qs[0].Start != b.Start || qs[0].End != b.End || qs[0].Speaker != b.Speaker || qs[0].Text != b.Text {
			t.Errorf("after --redetect quotes %s = %+v, want the span %d:%d said by %s", code, qs, b.Start, b.End, b.Speaker)
		}
	}

	// The names are labels only for their bold, which the stored text
	// lacks: without the original in sources/ no speaker is found.
	entries, err := os.ReadDir(filepath.Join(dir, "sources"))
	if err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".docx") {
			if err := os.Remove(filepath.Join(dir, "sources", e.Name())); err != nil {
				t.Fatal(err)
			}
			removed++
		}
	}
	if removed != 1 {
		t.Fatalf("sources/ holds %d .docx files, want the one imported", removed)
	}
	var bare struct {
		After    int `json:"turns_after"`
		Speakers []struct {
			Name string `json:"name"`
		} `json:"speakers"`
	}
	qcJSON(t, dir, &bare, "turns", "FG", "--redetect", "--dry-run", "--json")
	if len(bare.Speakers) != 0 {
		t.Errorf("turns FG --redetect without the original = %+v, want no speakers", bare)
	}
}
