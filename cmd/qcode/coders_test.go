package main

import (
	"path/filepath"
	"strings"
	"testing"
)

type coderStatsJSON struct {
	Name      string  `json:"name"`
	Codings   int     `json:"codings"`
	Documents int     `json:"documents"`
	Codes     int     `json:"codes"`
	First     *string `json:"first_coding"`
	Last      *string `json:"last_coding"`
}

// buildDemo builds the demo project in a temp dir: 65 codings on 7
// documents, 33 by nino (16 codes) and 32 by pavel (14 codes), counted
// from coding/demo/codings_*.yaml.
func buildDemo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	return dir
}

// TestCoders lists the demo's coders with their counts.
func TestCoders(t *testing.T) {
	t.Parallel()
	dir := buildDemo(t)
	var v struct {
		Coders []coderStatsJSON `json:"coders"`
	}
	qcJSON(t, dir, &v, "coders", "--json")
	// The demo's project memo is written under nino, who codes nothing
	// beyond her codings; "ana" is not listed: reading adds no coder.
	if len(v.Coders) != 2 {
		t.Fatalf("coders = %+v, want nino and pavel", v.Coders)
	}
	for i, want := range []coderStatsJSON{
		{Name: "nino", Codings: 33, Documents: 7, Codes: 16},
		{Name: "pavel", Codings: 32, Documents: 7, Codes: 14},
	} {
		got := v.Coders[i]
		if got.Name != want.Name || got.Codings != want.Codings || got.Documents != want.Documents || got.Codes != want.Codes {
			t.Errorf("coder %d = %+v, want %+v", i, got, want)
		}
		if got.First == nil || got.Last == nil || *got.First > *got.Last || !strings.HasPrefix(*got.First, "2022-12-01T") {
			t.Errorf("coder %s: first %v, last %v; want two times on the demo's clock, in order", got.Name, got.First, got.Last)
		}
	}
	out := mustQC(t, dir, "coders")
	for _, want := range []string{"CODER", "nino", "33", "pavel", "32"} {
		if !strings.Contains(out, want) {
			t.Errorf("coders table lacks %q:\n%s", want, out)
		}
	}
	// Same project, same bytes.
	if again := mustQC(t, dir, "coders", "--json"); again != mustQC(t, dir, "coders", "--json") {
		t.Error("coders --json differs between two runs")
	}
}

// TestCoderFilter checks that --coder, given on the command line, limits
// read commands to that coder's codings, and that $QCODE_CODER does not.
func TestCoderFilter(t *testing.T) {
	t.Parallel()
	dir := buildDemo(t)

	// show: R01 has 10 codings, 5 of them nino's.
	if n := len(show(t, dir, "R01").Codings); n != 10 {
		t.Errorf("show R01 (QCODE_CODER=%s, no --coder) has %d codings, want all 10", defaultCoder, n)
	}
	var s showOut
	qcJSON(t, dir, &s, "--coder", "nino", "show", "R01", "--json")
	if len(s.Codings) != 5 {
		t.Errorf("show R01 --coder nino has %d codings, want 5", len(s.Codings))
	}
	for _, c := range s.Codings {
		if c.Coder != "nino" {
			t.Errorf("show --coder nino lists a coding by %s", c.Coder)
		}
	}
	// The old flag still works.
	qcJSON(t, dir, &s, "show", "R01", "--only-coder", "pavel", "--json")
	if len(s.Codings) != 5 || s.Codings[0].Coder != "pavel" {
		t.Errorf("show --only-coder pavel = %d codings, want pavel's 5", len(s.Codings))
	}

	// codes: Donations is coded 4 times, all by pavel.
	var cs codesJSON
	qcJSON(t, dir, &cs, "--coder", "nino", "codes", "--json")
	total := 0
	for _, c := range cs.Codes {
		total += c.Codings
	}
	if total != 33 || codeByPath(t, cs.Codes, "Donations").Codings != 0 {
		t.Errorf("codes --coder nino: %d codings, Donations %d; want 33 and 0", total, codeByPath(t, cs.Codes, "Donations").Codings)
	}
	qcJSON(t, dir, &cs, "--coder", "pavel", "codes", "--json")
	if d := codeByPath(t, cs.Codes, "Donations"); d.Codings != 4 {
		t.Errorf("codes --coder pavel: Donations %d, want 4", d.Codings)
	}

	// docs: coding counts per document for one coder add up to theirs.
	var ds docsJSON
	qcJSON(t, dir, &ds, "--coder", "pavel", "docs", "--json")
	total = 0
	for _, d := range ds.Documents {
		total += d.Codings
	}
	if total != 32 {
		t.Errorf("docs --coder pavel counts %d codings, want 32", total)
	}

	// history: only that coder's actions.
	var h historyJSON
	qcJSON(t, dir, &h, "--coder", "pavel", "history", "--limit", "100", "--json")
	if len(h.History) != 32 {
		t.Errorf("history --coder pavel = %d actions, want pavel's 32 tags", len(h.History))
	}
	for _, o := range h.History {
		if o.Coder != "pavel" {
			t.Errorf("history --coder pavel lists an action by %s", o.Coder)
		}
	}

	// search: --coder and the hidden --coder-filter agree.
	a := mustQC(t, dir, "--coder", "pavel", "search", "--code", "Donations", "--json")
	b := mustQC(t, dir, "search", "--code", "Donations", "--coder-filter", "pavel", "--json")
	if a != b || !strings.Contains(a, "Donations") {
		t.Errorf("search --coder pavel and --coder-filter pavel differ or find nothing:\n%s\n%s", a, b)
	}
	// Pavel coded all four Donations passages; nino coded one of them
	// (in R06) with another code, which does not count: with a code
	// filter, --coder means that coder's codings of the code.
	for coder, want := range map[string]int{"pavel": 4, "nino": 0} {
		var res struct {
			Hits []struct {
				Document string `json:"document"`
			} `json:"hits"`
		}
		qcJSON(t, dir, &res, "--coder", coder, "search", "--code", "Donations", "--json")
		if len(res.Hits) != want {
			t.Errorf("search --coder %s --code Donations = %d hits, want %d", coder, len(res.Hits), want)
		}
	}

	// memo: the demo's memos on codings are 4 by nino and 5 by pavel,
	// and nino wrote the project memo.
	for coder, want := range map[string]int{"nino": 5, "pavel": 5} {
		var ms struct {
			Memos []memoJSON `json:"memos"`
		}
		qcJSON(t, dir, &ms, "--coder", coder, "memo", "--json")
		if len(ms.Memos) != want {
			t.Errorf("memo --coder %s = %d memos, want %d", coder, len(ms.Memos), want)
		}
	}

	// A name that is not a coder is an error naming the coders.
	for _, args := range [][]string{{"codes"}, {"docs"}, {"show", "R01"}, {"history"}, {"search", "x"}, {"memo"}} {
		msg, _, _ := wantErr(t, dir, append([]string{"--coder", "nobody"}, args...)...)
		if !strings.Contains(msg, "nobody") || !strings.Contains(msg, "nino, pavel") {
			t.Errorf("run(--coder nobody %s) = %q, want the coders listed", args[0], msg)
		}
	}
}
