package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
)

// moveTo puts the analysis cursor on the row labelled row (a code's
// path) and the column labelled col.
func (d *driver) moveTo(row, col string) {
	d.t.Helper()
	a := d.m.analysis
	d.keys("g")
	for i := 0; i < 40 && (a.tab == tabFreq && a.stats[a.row].Code != row || a.tab != tabFreq && a.table.Rows[a.row] != row); i++ {
		d.keys("j")
	}
	for i := 0; col != "" && i < 40 && a.table.Cols[a.col] != col; i++ {
		d.keys("l")
	}
	if a.tab == tabFreq && a.stats[a.row].Code != row || a.tab != tabFreq && (a.table.Rows[a.row] != row || a.table.Cols[a.col] != col) {
		d.t.Fatalf("cannot reach %s × %s:\n%s", row, col, d.view())
	}
}

func TestAnalysisFrequencies(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("A")
	if !d.m.analysis.Visible() || d.m.analysis.tab != tabFreq {
		t.Fatalf("A did not open the frequencies:\n%s", d.view())
	}
	d.moveTo("Fear of repression", "")
	// Hand-counted from coding/demo/codings_*.yaml: nino 3 + pavel 6
	// codings, in R02 R03 R04 R05 R06.
	s := d.m.analysis.stats[d.m.analysis.row]
	if got := d.m.analysis.freqValue(s); got != 9 {
		t.Fatalf("Fear of repression bar = %d codings, want 9", got)
	}
	d.wantView("Fear of repression: 9 codings in 5 documents")
	// The longest bar: nine codings is the most of any code, so its bar
	// fills the width (120 less the labels, the number and margins).
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.Contains(l, "Fear of repression") && strings.HasSuffix(strings.TrimRight(l, " "), " 9") {
			if n := strings.Count(l, "█"); n < 60 {
				t.Fatalf("the longest bar has %d cells: %q", n, l)
			}
		}
	}
	d.keys("m")
	if got := d.m.analysis.freqValue(s); got != 5 {
		t.Fatalf("m: Fear of repression bar = %d documents, want 5", got)
	}
	// A parent code's own bar is empty; with sub-codes it counts them.
	d.moveTo("Reasons for leaving", "")
	d.keys("m", "m", "m") // back to codings
	if got := d.m.analysis.freqValue(d.m.analysis.stats[d.m.analysis.row]); got != 0 {
		t.Fatalf("Reasons for leaving own codings = %d, want 0", got)
	}
	d.keys("s")
	if got := d.m.analysis.freqValue(d.m.analysis.stats[d.m.analysis.row]); got != 17 {
		t.Fatalf("Reasons for leaving with sub-codes = %d, want 4+6+5+2 = 17", got)
	}
	// enter lists the code's quotes; esc comes back.
	d.moveTo("Fear of repression", "")
	d.keys("enter")
	if !d.m.retrieve.Visible() || len(d.m.retrieve.shown) != 9 {
		t.Fatalf("enter on the bar: %d quotes, want 9:\n%s", len(d.m.retrieve.shown), d.view())
	}
	d.keys("esc")
	if !d.m.analysis.Visible() {
		t.Fatalf("esc in the quotes did not go back to the analysis:\n%s", d.view())
	}
	d.keys("esc")
	if d.m.analysis.Visible() {
		t.Fatal("esc did not close the analysis")
	}
}

func TestAnalysisMatrixCell(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("A", "2")
	d.moveTo("Fear of repression", "R06")
	d.wantView("Fear of repression × R06 · codings: 3")
	d.keys("enter")
	qs := d.m.retrieve.shown
	if !d.m.retrieve.Visible() || len(qs) != 3 {
		t.Fatalf("enter on Fear of repression × R06: %d quotes, want 3:\n%s", len(qs), d.view())
	}
	for _, q := range qs {
		if q.Document != "R06" || q.Code != "Fear of repression" {
			t.Fatalf("a quote of %s in %s behind Fear of repression × R06", q.Code, q.Document)
		}
	}
	d.wantView("Quotes · Fear of repression × R06")
	// The coder key filters the cell's quotes here: pavel coded 2 of
	// them, nino 1 (hand-counted).
	d.keys("o")
	if d.m.retrieve.coder != "nino" || len(d.m.retrieve.shown) != 1 {
		t.Fatalf("o: coder %q with %d quotes, want nino's 1", d.m.retrieve.coder, len(d.m.retrieve.shown))
	}
	d.keys("o", "o")
	q := d.m.retrieve.shown[0]
	d.keys("enter")
	if d.m.retrieve.Visible() || d.m.analysis.Visible() || d.m.reader.Doc().Name != "R06" {
		t.Fatalf("enter did not jump to R06:\n%s", d.view())
	}
	if sp, ok := d.m.reader.Selection(); !ok || sp.Start != q.Start || sp.End != q.End {
		t.Fatalf("selection %v, want %d:%d", sp, q.Start, q.End)
	}
	// The totals: the row total is every coding of the code.
	d.keys("A")
	if d.m.analysis.tab != tabMatrix {
		t.Fatal("the analysis did not reopen on its last table")
	}
	d.moveTo("Fear of repression", "R07")
	d.keys("l")
	d.wantView("Fear of repression × all · codings: 9")
	d.keys("enter")
	if len(d.m.retrieve.shown) != 9 {
		t.Fatalf("the row total lists %d quotes, want 9", len(d.m.retrieve.shown))
	}
	d.keys("esc")
	// m cycles the measure: documents, participants, percent. In the
	// demo each participant has one document, so Fear of repression is
	// in 5 documents of 7 (71.4%).
	d.moveTo("Fear of repression", "R07")
	d.keys("l")
	for _, want := range []string{"documents: 5", "participants: 5", "percent: 71.4"} {
		d.keys("m")
		d.wantView("Fear of repression × all · " + want)
	}
	d.keys("m")
	// c makes the columns an attribute's values.
	d.keys("c")
	if d.m.analysis.table.ColKind != "attr:age" {
		t.Fatalf("c: columns %q, want attr:age", d.m.analysis.table.ColKind)
	}
	d.wantView("Codes × age")
}

func TestAnalysisCooc(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("A", "3")
	d.moveTo("Contact with those who stayed", "Donations")
	d.wantView("Contact with those who stayed × Donations · pairs: 1")
	d.keys("enter")
	// The one overlapping pair, in R06 (hand-checked in the YAML).
	qs := d.m.retrieve.shown
	if len(qs) != 2 || qs[0].Document != "R06" || qs[1].Document != "R06" {
		t.Fatalf("the pair's quotes = %+v, want two in R06", qs)
	}
	codes := map[string]bool{qs[0].Code: true, qs[1].Code: true}
	if !codes["Contact with those who stayed"] || !codes["Donations"] {
		t.Fatalf("the pair's quotes are of %v", codes)
	}
	d.keys("esc", "m")
	if d.m.analysis.table.Measure != coding.MeasureJaccard {
		t.Fatalf("m: measure %q, want jaccard", d.m.analysis.table.Measure)
	}
	d.keys("c")
	if d.m.analysis.within != 1 || d.m.analysis.table.Measure != coding.MeasureJaccard {
		t.Fatalf("c: within %s", coocWithin[d.m.analysis.within])
	}
	d.wantView("Jaccard within sentence")
}

// TestAnalysisStale drops an answer overtaken by a newer request.
func TestAnalysisStale(t *testing.T) {
	a := NewAnalysis(newStyles(Theme{}), newCodeStyles(false))
	a.SetSize(80, 20)
	old := a.Request()
	cur := a.Request()
	a.SetResult(analysisMsg{seq: old.seq, tab: tabFreq, stats: []coding.CodeStats{{Code: "old"}}})
	if a.stats != nil || !a.busy {
		t.Fatal("a stale answer was shown")
	}
	a.SetResult(analysisMsg{seq: cur.seq, tab: tabFreq, stats: []coding.CodeStats{{Code: "new"}}})
	if len(a.stats) != 1 || a.stats[0].Code != "new" || a.busy {
		t.Fatalf("the current answer was not shown: %+v", a.stats)
	}
}

func TestGoldenAnalysis(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		d := newDriver(t, demoStore(t, "ann"), size.w, size.h)
		tag := func(name string) string { return name + "_" + itoa(size.w) + "x" + itoa(size.h) }
		for _, step := range []struct {
			name string
			keys []string
		}{
			{"analysis_freq", []string{"A", "j", "j"}},
			{"analysis_matrix", []string{"2", "j", "j", "l", "l"}},
			{"analysis_matrix_scrolled", []string{"G", "l", "l", "l", "l", "l", "l"}},
			{"analysis_cooc", []string{"3", "j", "j", "j", "j", "j", "l", "l", "l", "l", "l", "l", "l", "l", "l"}},
			{"analysis_quotes", []string{"enter"}},
		} {
			d.keys(step.keys...)
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag(step.name), d.view())
		}
	}
}

// TestFlowAnalysis opens the analysis, moves to a cell, lists its quotes
// and jumps to one, through the program loop.
func TestFlowAnalysis(t *testing.T) {
	s := demoStore(t, "ann")
	tm := teatest.NewTestModel(t, testModel(t, context.Background(), s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	tm.Send(runes("A"))
	waitOut(t, tm, "[1 Frequencies]")
	tm.Send(runes("2"))
	waitOut(t, tm, "R07")
	for _, k := range []string{"j", "j", "j", "j", "j", "j", "j", "l", "l", "l", "l", "l"} {
		tm.Send(runes(k))
	}
	waitOut(t, tm, "Fear of repression × R06 · codings: 3")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "3 of 3 quotes")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "selected")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.analysis.Visible() || fm.retrieve.Visible() || fm.reader.Doc().Name != "R06" {
		t.Fatalf("enter did not jump to R06:\n%s", fm.View())
	}
	if _, ok := fm.reader.Selection(); !ok {
		t.Fatal("the quote is not selected in the transcript")
	}
}

// TestAnalysisKeysWhileComputing keeps the moves typed before a table
// arrives.
func TestAnalysisKeysWhileComputing(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("A")
	// Switch tables without running the query: its answer comes later.
	nm, cmd := d.m.Update(keyMsg("3"))
	d.m = nm.(Model)
	for _, k := range []string{"j", "j", "l"} {
		nm, _ = d.m.Update(keyMsg(k))
		d.m = nm.(Model)
	}
	d.run(cmd)
	if a := d.m.analysis; a.tab != tabCooc || a.row != 2 || a.col != 1 {
		t.Fatalf("after 3 j j l typed while computing: tab %d at %d,%d, want co-occurrence at 2,1", a.tab, a.row, a.col)
	}
}

// TestAnalysisEmptyProject shows every table of a project with no codes
// and no documents without failing.
func TestAnalysisEmptyProject(t *testing.T) {
	s, err := coding.Create(context.Background(), t.TempDir()+"/empty.qcode", coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := newDriver(t, s, 80, 24)
	for _, step := range []struct{ key, want string }{
		{"A", "no codes yet"},
		{"2", "nothing to show"},
		{"3", "nothing to show"},
	} {
		d.keys(step.key, "j", "l", "enter")
		if d.m.retrieve.Visible() {
			t.Fatalf("enter on an empty table opened quotes")
		}
		d.wantView(step.want)
		checkFrame(t, d.view(), 80, 24)
	}
}

// TestAnalysisFollowsCoderView counts only the coder the workbench shows.
func TestAnalysisFollowsCoderView(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("C", "A") // nino
	d.wantView("bars: codings · coder nino")
	d.moveTo("Fear of repression", "")
	// Hand-counted in coding/demo/codings_*.yaml: nino coded it 3 times.
	if got := d.m.analysis.freqValue(d.m.analysis.stats[d.m.analysis.row]); got != 3 {
		t.Fatalf("nino's Fear of repression = %d codings, want 3", got)
	}
	d.keys("enter")
	if len(d.m.retrieve.shown) != 3 {
		t.Fatalf("nino's bar lists %d quotes, want 3", len(d.m.retrieve.shown))
	}
	for _, q := range d.m.retrieve.shown {
		if q.Coder != "nino" {
			t.Fatalf("nino's bar lists a quote coded by %s", q.Coder)
		}
	}
}

// TestAnalysisHelp lists the screen's keys and not the panes', which do
// nothing there, and fits 80×24.
func TestAnalysisHelp(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 80, 24)
	d.keys("A", "?")
	d.wantView("Keys · analysis")
	d.wantView("enter quotes of the cell")
	d.wantView("press any key to close")
	if v := d.view(); strings.Contains(v, "next pane") || strings.Contains(v, "u undo") {
		t.Fatalf("the analysis help lists the panes' keys:\n%s", v)
	}
	checkFrame(t, d.view(), 80, 24)
	d.keys("x")
	if !d.m.analysis.Visible() || d.m.helpScreen.open {
		t.Fatal("a key did not close the help back to the analysis")
	}
}
