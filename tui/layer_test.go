package tui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// zoomStore is a project whose two documents differ only at the end of
// their names, as recordings of one day do.
func zoomStore(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "zoom.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, name := range []string{"zoom_GMT20240125-140312_Recording.txt", "zoom_GMT20240125-161544_Recording.txt"} {
		text := "Interviewer: Why did you leave?\nRespondent: Because of the war. I could not stay (" + name + ").\n"
		if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: []byte(text)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestShortenMiddle(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"R01", 10, "R01"},
		{"zoom_GMT20240125-140312", 23, "zoom_GMT20240125-140312"},
		{"zoom_GMT20240125-140312", 10, "zoo…140312"},
		{"zoom_GMT20240125-161544", 10, "zoo…161544"},
		{"интервью_москва_2024_первое", 12, "инт…4_первое"},
		{"ab", 1, "a"},
		{"abcdef", 2, "a…"},
	} {
		got := shortenMiddle(tc.in, tc.w)
		if got != tc.want {
			t.Errorf("shortenMiddle(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		if n := ansi.StringWidth(got); n > tc.w {
			t.Errorf("shortenMiddle(%q, %d) is %d cells wide", tc.in, tc.w, n)
		}
	}
}

func TestShortenDistinct(t *testing.T) {
	names := []string{"zoom_GMT20240125-140312_Recording", "zoom_GMT20240125-161544_Recording", "R01", "R02"}
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"R01", 10, "R01"},
		{"zoom_GMT20240125-140312_Recording", 10, "…140312_R…"},
		{"zoom_GMT20240125-161544_Recording", 10, "…161544_R…"},
		{"zoom_GMT20240125-140312_Recording", 20, "zoo…140312_Recording"},
		{"zoom_GMT20240125-140312_Recording", 33, "zoom_GMT20240125-140312_Recording"},
		{"interview with a stranger", 12, "int…stranger"},
	} {
		got := shortenDistinct(tc.in, tc.w, names)
		if got != tc.want {
			t.Errorf("shortenDistinct(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		if n := ansi.StringWidth(got); n > tc.w {
			t.Errorf("shortenDistinct(%q, %d) is %d cells wide", tc.in, tc.w, n)
		}
	}
}

// TestNamesKeepTheirEnds: at 80×24 two names that differ only at the
// end stay told apart in the documents pane.
func TestNamesKeepTheirEnds(t *testing.T) {
	d := newDriver(t, zoomStore(t), 80, 24)
	checkFrame(t, d.view(), 80, 24)
	d.wantView("…140312_R…")
	d.wantView("…161544_R…")
}

// TestStatusMessageBeforeDocName: when the message and the document's
// name do not both fit, the name is shortened, not the message.
func TestStatusMessageBeforeDocName(t *testing.T) {
	st := newStyles(Theme{})
	sb := NewStatusBar(st)
	sb.SetSize(80, 1)
	doc := "zoom_GMT20240125-140312_Recording"
	sb.Info("interviews", doc, "ann", "line 12/340 · 1022")
	sb.SetNames([]string{doc, "zoom_GMT20240125-161544_Recording"})
	msg := "coded 3 passages with Trust"
	sb.Say(msg)
	got := sb.View()
	if n := ansi.StringWidth(got); n != 80 {
		t.Fatalf("the bar is %d cells wide, want 80: %q", n, got)
	}
	if !strings.Contains(got, msg) {
		t.Fatalf("the message is cut: %q", got)
	}
	if !strings.Contains(got, "…140312_Rec") || strings.Contains(got, " "+doc+" ") {
		t.Fatalf("the document's name is not shortened to its distinct end: %q", got)
	}
	sb.Say("")
	if got := sb.View(); !strings.Contains(got, " "+doc+" ") {
		t.Fatalf("without a message the name is shortened: %q", got)
	}
}

// TestCodesTopBottom: g and G go to the first and last code.
func TestCodesTopBottom(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("tab", "G")
	codes := d.m.codebook.Codes()
	if c, _ := d.m.codebook.Selected(); c.ID != codes[len(codes)-1].ID {
		t.Fatalf("G selects %s, want the last code %s", c.Path, codes[len(codes)-1].Path)
	}
	d.keys("g")
	if c, _ := d.m.codebook.Selected(); c.ID != codes[0].ID {
		t.Fatalf("g selects %s, want the first code %s", c.Path, codes[0].Path)
	}
}

// TestMoveNeverOffersItself: > lists neither the code nor its sub-codes.
func TestMoveNeverOffersItself(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("tab")
	for {
		c, _ := d.m.codebook.Selected()
		if c.Path == "Discrimination" {
			break
		}
		before := c.ID
		d.keys("j")
		if c, _ := d.m.codebook.Selected(); c.ID == before {
			t.Fatal("no code Discrimination in the demo")
		}
	}
	d.keys(">")
	if !d.m.picker.Visible() {
		t.Fatal("> did not open the picker")
	}
	var offered []string
	for _, c := range d.m.picker.codes {
		offered = append(offered, c.Path)
		if c.Path == "Discrimination" || strings.HasPrefix(c.Path, "Discrimination/") {
			t.Fatalf("> offers %s to move Discrimination under", c.Path)
		}
	}
	if len(offered) < 2 || offered[0] != "(top level)" {
		t.Fatalf("> offers %v", offered)
	}
}

// TestPickerKeepsItsPlace: the picker's box neither moves nor changes
// height while the user types and the list narrows.
func TestPickerKeepsItsPlace(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("}", "}", "}", "s", "c")
	first := d.m.picker.Box()
	top := boxTop(t, d.view())
	for _, typed := range []string{"D", "i", "s", "c", "zzz"} {
		d.typeText(typed)
		if got := d.m.picker.Box(); len(got) != len(first) {
			t.Fatalf("after %q the box is %d lines high, was %d", typed, len(got), len(first))
		}
		if got := boxTop(t, d.view()); got != top {
			t.Fatalf("after %q the box starts on line %d, was %d", typed, got, top)
		}
	}
	d.wantView("+ new code «Disczzz»")
}

func boxTop(t *testing.T, view string) int {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "╭") {
			return i
		}
	}
	t.Fatalf("no box on screen:\n%s", view)
	return -1
}

// TestMemoHasLines: a memo written in the workbench keeps its lines;
// enter starts a new line and ctrl+s saves.
func TestMemoHasLines(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("tab", "tab", "m")
	d.wantView("Memo on document R01")
	d.typeText("First thought.")
	d.send(tea.KeyMsg{Type: tea.KeyEnter})
	d.typeText("Second line.")
	if !d.m.dialog.Visible() {
		t.Fatal("enter closed the memo")
	}
	d.wantView("Second line.")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlS})
	if d.m.dialog.Visible() {
		t.Fatal("ctrl+s did not save the memo")
	}
	d.wantView("memo written on document R01")
	memos, err := s.Memos(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range memos {
		if m.Text == "First thought.\nSecond line." {
			found = true
		}
	}
	if !found {
		t.Fatalf("no memo with two lines among %+v", memos)
	}
}

// TestTagUpdatesWithoutReload: coding a selection shows its stripe from
// the write's answer, without reading the document's codings again, and
// the poll after it does not reload either.
func TestTagUpdatesWithoutReload(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("}", "}", "}", "s", "c")
	codingsSeq, projectSeq := d.m.seqs.codings, d.m.seqs.project
	d.typeText("Hope for return")
	d.keys("enter")
	d.wantView("┃ Hope for return")
	if d.m.seqs.codings != codingsSeq {
		t.Fatal("a tag read the document's codings again")
	}
	found := false
	for _, c := range d.m.reader.Codings() {
		found = found || c.Code == "Hope for return"
	}
	if !found {
		t.Fatal("the new coding is not in the transcript pane")
	}
	if d.m.seqs.project != projectSeq+1 {
		t.Fatalf("the codebook was read %d times after a tag, want once", d.m.seqs.project-projectSeq)
	}
	before := d.m.seqs.codings
	d.send(tickMsg{})
	if d.m.seqs.codings != before {
		t.Fatal("the poll after the workbench's own tag reloaded")
	}
	// Removing it goes the same way.
	d.keys("x")
	if d.m.dialog.Visible() {
		d.keys("enter")
	}
	if d.m.seqs.codings != before {
		t.Fatal("removing a coding read the document's codings again")
	}
	for _, c := range d.m.reader.Codings() {
		if c.Code == "Hope for return" {
			t.Fatal("the removed coding is still shown")
		}
	}
}

// TestOneReloadAtATime: polls that see changes made elsewhere while a
// reload is on its way do not start another beside it; one more runs
// when it lands.
func TestOneReloadAtATime(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	m := d.m
	gen := m.gen
	cmd := m.reload()
	if cmd == nil || !m.reloading {
		t.Fatal("no reload started")
	}
	seq := m.seqs.project
	if m.reload() != nil || m.seqs.project != seq || !m.reloadAgain {
		t.Fatal("a second reload started while the first was on its way")
	}
	nm, _ := m.Update(genMsg{gen: gen + 5})
	m = nm.(Model)
	if m.seqs.project != seq {
		t.Fatal("a poll started a reload while one was on its way")
	}
	nm, again := m.Update(projectMsg{seq: seq, name: "demo", gen: gen + 5})
	m = nm.(Model)
	if m.reloading && m.seqs.project == seq || again == nil {
		t.Fatal("the reload asked for meanwhile did not run when the first landed")
	}
}

// TestFocusErrorShown: a failed read of the focused code's codings says
// so in the status bar.
func TestFocusErrorShown(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.send(focusMsg{seq: d.m.seqs.focus, err: errors.New("disk gone")})
	if msg := d.m.status.Message(); !strings.Contains(msg, "disk gone") {
		t.Fatalf("status says %q", msg)
	}
}

// TestHelpListsWhatWorks: the search's keys for hits appear in help
// once there are hits.
func TestHelpListsWhatWorks(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	d.keys("/")
	if strings.Contains(d.view(), "mark all") {
		t.Fatalf("help lists marking hits before there are any:\n%s", d.view())
	}
	d.typeText("work")
	d.send(searchDebounceMsg{seq: d.m.search.Seq()})
	if len(d.m.search.hits) == 0 {
		t.Fatal("no hits for work")
	}
	d.wantView("mark all")
}

// TestLayersOrder: the stack is drawn and driven from its top.
func TestLayersOrder(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 80, 24)
	if _, ok := d.m.top().(basePanes); !ok {
		t.Fatalf("the top layer is %T with nothing open", d.m.top())
	}
	d.keys("A")
	if d.m.top() != layer(d.m.analysis) {
		t.Fatalf("the top layer is %T with the analysis open", d.m.top())
	}
	d.keys("?")
	if d.m.top() != layer(d.m.helpScreen) {
		t.Fatalf("the top layer is %T with help open", d.m.top())
	}
	d.wantView("Keys · analysis")
	d.keys("esc")
	d.keys("esc")
	if _, ok := d.m.top().(basePanes); !ok {
		t.Fatalf("the top layer is %T after closing", d.m.top())
	}
}

// TestHelpEmptyProject: with no document and no code, help lists none
// of the keys that move in or act on them.
func TestHelpEmptyProject(t *testing.T) {
	s, err := coding.Create(context.Background(), filepath.Join(t.TempDir(), "empty.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	d := newDriver(t, s, 80, 24)
	for _, focus := range []string{"transcript", "codes", "documents"} {
		lines := strings.Split(d.view(), "\n")
		v := lines[len(lines)-1]
		for _, gone := range []string{"next line", "select", "rename", "delete", "open"} {
			if strings.Contains(v, gone) {
				t.Fatalf("the %s pane's help lists %q with nothing to act on:\n%s", focus, gone, v)
			}
		}
		d.keys("tab")
	}
	d.keys("tab")
	d.wantView("a add code")
}
