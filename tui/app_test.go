package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
)

// checkFrame fails unless the view is exactly h lines of exactly w cells.
func checkFrame(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, n, w, l)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (go test ./tui -run %s -update to accept):\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

func TestGoldenViews(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		s := demoStore(t, "ann")
		tag := func(name string) string { return name + "_" + itoa(size.w) + "x" + itoa(size.h) }
		d := newDriver(t, s, size.w, size.h)
		t.Run(tag("open"), func(t *testing.T) {
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("open"), d.view())
		})
		t.Run(tag("help"), func(t *testing.T) {
			d.keys("?")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("help"), d.view())
			d.keys("esc")
		})
		t.Run(tag("picker"), func(t *testing.T) {
			d.keys("}", "}", "}", "s", "c")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("picker"), d.view())
			d.keys("esc", "esc")
		})
		t.Run(tag("codes"), func(t *testing.T) {
			d.keys("tab", "j", "j", "j", "j", "j", "j", "j")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("codes"), d.view())
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestResizeKeepsFrame(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 80, 24)
	d.keys("}", "}", "}", "}", "w", "w")
	at := d.m.reader.Cursor()
	for _, sz := range [][2]int{{250, 70}, {60, 20}, {120, 40}, {80, 24}, {33, 12}} {
		d.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkFrame(t, d.view(), sz[0], sz[1])
		if d.m.reader.Cursor() != at {
			t.Fatalf("resize to %v moved the cursor from %d to %d", sz, at, d.m.reader.Cursor())
		}
	}
}

func TestCodeUndoRedo(t *testing.T) {
	s := demoStore(t, "ann")
	ctx := context.Background()
	d := newDriver(t, s, 120, 40)
	d.keys("}", "}", "}", "s")
	sp, ok := d.m.reader.Selection()
	if !ok {
		t.Fatal("s selected nothing")
	}
	d.keys("c")
	d.typeText("Hopes/Return home")
	d.keys("enter")
	code, err := s.Code(ctx, "Hopes/Return home")
	if err != nil {
		t.Fatalf("the new code was not made: %v", err)
	}
	cs, _ := s.Codings(ctx, coding.CodingFilter{CodeIDs: []int64{code.ID}})
	if len(cs) != 1 || cs[0].Start != sp.Start || cs[0].End != sp.End {
		t.Fatalf("codings of the new code = %+v, want one at %v", cs, sp)
	}
	d.wantView("┃ Hopes/Return home")
	d.keys("u")
	if cs, _ := s.Codings(ctx, coding.CodingFilter{CodeIDs: []int64{code.ID}}); len(cs) != 0 {
		t.Fatalf("after undo: %d codings, want 0", len(cs))
	}
	d.keys("u") // the code itself was made in the same action
	d.keys("ctrl+r")
	if cs, err := s.Codings(ctx, coding.CodingFilter{DocID: cs[0].DocID}); err != nil || !hasSpan(cs, "Hopes/Return home", sp) {
		t.Fatalf("after redo the coding is not back: %v %+v", err, cs)
	}
	d.wantView("┃ Hopes/Return home")
}

func hasSpan(cs []coding.Coding, code string, sp coding.Span) bool {
	for _, c := range cs {
		if c.Code == code && c.Start == sp.Start && c.End == sp.End {
			return true
		}
	}
	return false
}

func TestInVivoAndRemove(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("}", "}", "}", "w", "v", "w", "w")
	want := strings.Join(strings.Fields(strings.ReplaceAll(d.m.reader.SelectedText(), ",", " ")), " ")
	d.keys("i")
	if _, err := s.Code(context.Background(), want); err != nil {
		t.Fatalf("in-vivo code %q not made: %v (status %q)", want, err, d.m.status.Message())
	}
	d.keys("x")
	if c, _ := s.Code(context.Background(), want); c.Codings != 0 {
		t.Fatalf("x left %d codings on %q", c.Codings, want)
	}
}

func TestChangesElsewhereAppear(t *testing.T) {
	s := demoStore(t, "ann")
	ctx := context.Background()
	d := newDriver(t, s, 120, 40)
	d.keys("}", "}", "w", "w")
	at := d.m.reader.Cursor()
	// Another process: a second connection to the same project.
	other, err := coding.Open(ctx, s.Dir(), coding.Options{Coder: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	doc := d.m.reader.Doc()
	if _, _, err := other.Tag(ctx, coding.TagRequest{Doc: docRef(doc.ID), Code: "Seen elsewhere", Spans: []coding.Span{{Start: at, End: at + 5}}, Create: true}); err != nil {
		t.Fatal(err)
	}
	d.send(tickMsg{})
	d.wantView("Seen elsewhere")
	if d.m.reader.Cursor() != at {
		t.Fatalf("reload moved the cursor from %d to %d", at, d.m.reader.Cursor())
	}
}

func TestSearchJump(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("/")
	d.typeText("lawyer")
	d.send(searchDebounceMsg{seq: d.m.search.Seq()})
	if len(d.m.search.hits) == 0 {
		t.Fatalf("no hits for lawyer:\n%s", d.view())
	}
	d.wantView("lawyer")
	h := d.m.search.hits[0]
	d.keys("enter")
	if d.m.search.Visible() || d.m.reader.Doc().ID != h.DocID {
		t.Fatalf("enter did not jump to %s", h.Document)
	}
	if sp, ok := d.m.reader.Selection(); !ok || sp.Start != h.Start {
		t.Fatalf("selection after jump = %v %v, want start %d", sp, ok, h.Start)
	}
}

// TestSearchFilters types queries with filters into the workbench and
// checks that it finds what 'qcode search' finds (the same index parser),
// with its limit, and shows a bad query's column.
func TestSearchFilters(t *testing.T) {
	s := demoStore(t, "ann")
	ix, _, err := index.Open(context.Background(), s, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tc := range []struct {
		query string
		check func(h index.Hit) bool
	}{
		{`мобилизация code:"Fear of repression"`, func(h index.Hit) bool { return hasCode(h, "Fear of repression") }},
		{`мобилизация -code:"Fear of repression" is:uncoded`, func(h index.Hit) bool { return len(h.Codes) == 0 }},
		{"(the OR и) doc:R02", func(h index.Hit) bool { return h.Document == "R02" }},
		{"attr:wave=September", func(h index.Hit) bool { return h.Document == "R02" || h.Document == "R04" || h.Document == "R06" }},
		{"speaker:Katya sort:rank", func(h index.Hit) bool { return h.Speaker == "Katya" }},
	} {
		d := newDriver(t, s, 120, 40)
		d.keys("/")
		d.typeText(tc.query)
		d.send(searchDebounceMsg{seq: d.m.search.Seq()})
		if d.m.search.err != nil {
			t.Fatalf("%s: %v", tc.query, d.m.search.err)
		}
		want, err := ix.Search(context.Background(), index.Query{Text: tc.query, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		got := d.m.search.hits
		if len(got) == 0 || len(got) != len(want.Hits) || d.m.search.total != want.Total {
			t.Fatalf("workbench %s: %d hits of %d, search: %d of %d", tc.query, len(got), d.m.search.total, len(want.Hits), want.Total)
		}
		for i, h := range got {
			if h.DocID != want.Hits[i].DocID || h.Start != want.Hits[i].Start || !tc.check(h) {
				t.Errorf("workbench %s hit %d: %s %d %s %v", tc.query, i, h.Document, h.Start, h.Speaker, h.Codes)
			}
		}
	}
	if q := parseQuery("the"); q.Limit != 200 || q.Text != "the" {
		t.Errorf("parseQuery(the) = %+v, want the text and the workbench's limit of 200", q)
	}
	d := newDriver(t, s, 120, 40)
	d.keys("/")
	d.typeText("fear (police OR smoke")
	d.send(searchDebounceMsg{seq: d.m.search.Seq()})
	d.wantView("column 6: a parenthesis opened at 6 is never closed")
}

func hasCode(h index.Hit, code string) bool {
	for _, c := range h.Codes {
		if c == code || strings.HasPrefix(c, code+"/") {
			return true
		}
	}
	return false
}

// TestMouse clicks to place the cursor, drags to select and scrolls with
// the wheel, through the whole model.
func TestMouse(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	// The transcript pane starts after the documents pane and its border;
	// its row 0 is the title.
	x0, y0 := d.m.docs.w+1, 0
	press := func(x, y int, a tea.MouseAction, b tea.MouseButton) {
		d.send(tea.MouseMsg{X: x, Y: y, Action: a, Button: b})
	}
	// The first transcript row is "1  Interviewer: Thank you ..."; click
	// on its text a few cells in.
	press(x0+12, y0+1, tea.MouseActionPress, tea.MouseButtonLeft)
	press(x0+12, y0+1, tea.MouseActionRelease, tea.MouseButtonLeft)
	at := d.m.reader.Cursor()
	if at <= 0 {
		t.Fatalf("click did not move the cursor: at %d\n%s", at, d.view())
	}
	press(x0+12, y0+1, tea.MouseActionPress, tea.MouseButtonLeft)
	press(x0+30, y0+2, tea.MouseActionMotion, tea.MouseButtonLeft)
	press(x0+30, y0+2, tea.MouseActionRelease, tea.MouseButtonLeft)
	// A selection snaps out to whole words.
	sp, ok := d.m.reader.Selection()
	if !ok || sp.Start > at || at-sp.Start > 20 || sp.End <= at+10 {
		t.Fatalf("drag selected %v %v, want from the word at %d over a row and more", sp, ok, at)
	}
	top := d.m.reader.top
	press(x0+20, y0+5, tea.MouseActionPress, tea.MouseButtonWheelDown)
	if d.m.reader.top <= top {
		t.Fatalf("wheel down did not scroll: top %d -> %d", top, d.m.reader.top)
	}
}

func TestRetrieveJump(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("tab")
	for i := 0; i < 20; i++ {
		if c, _ := d.m.codebook.Selected(); c.Path == "Fear of repression" {
			break
		}
		d.keys("j")
	}
	d.keys("r")
	if len(d.m.retrieve.shown) == 0 {
		t.Fatalf("no quotes:\n%s", d.view())
	}
	// Each quote comes with a line of context from its speaker's turn.
	withContext := false
	for _, q := range d.m.retrieve.shown {
		if q.Before != "" || q.After != "" {
			withContext = true
			break
		}
	}
	if !withContext || !strings.Contains(d.view(), "[quote]") {
		t.Fatalf("the quotes show no context:\n%s", d.view())
	}
	q := d.m.retrieve.shown[1]
	d.keys("j", "enter")
	if d.m.retrieve.Visible() || d.m.reader.Doc().Name != q.Document {
		t.Fatalf("enter did not jump to %s:\n%s", q.Document, d.view())
	}
	if sp, ok := d.m.reader.Selection(); !ok || sp.Start != q.Start || sp.End != q.End {
		t.Fatalf("selection %v, want %d:%d", sp, q.Start, q.End)
	}
}

func TestQuitAsksOnlyWhenUnfinished(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 80, 24)
	d.keys("v", "w", "q")
	if !d.m.dialog.Visible() || d.m.quitting {
		t.Fatal("q with an open selection did not ask")
	}
	d.keys("n", "esc")
	if d.m.dialog.Visible() {
		t.Fatal("n did not close the question")
	}
	d.keys("q")
	if !d.m.quitting {
		t.Fatal("q with nothing unfinished did not quit")
	}
}

func TestDeleteConfirmSaysCount(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("tab")
	for i := 0; i < 20; i++ {
		if c, _ := d.m.codebook.Selected(); c.Path == "Fear of repression" {
			break
		}
		d.keys("j")
	}
	c, _ := d.m.codebook.Selected()
	d.keys("d")
	d.wantView("Delete Fear of repression? " + itoa(c.Codings) + " codings are affected")
	d.keys("y")
	if _, err := d.m.store.Code(context.Background(), "Fear of repression"); err == nil {
		t.Fatal("y did not delete the code")
	}
}
