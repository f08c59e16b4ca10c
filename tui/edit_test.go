package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
)

// editorScript writes a shell script that stands in for the user's
// editor, and makes it $EDITOR. Before body runs, the script notes the
// file it was given and the permissions of it and its folder in
// dir/seen.
func editorScript(t *testing.T, body string) (seen string) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh to run the editor script with")
	}
	dir := t.TempDir()
	seen = filepath.Join(dir, "seen")
	script := filepath.Join(dir, "editor.sh")
	// The script returns at once, as a missing or failing $EDITOR does:
	// the workbench must not freeze (see slowExec).
	text := "#!/bin/sh\nls -ld \"$(dirname \"$1\")\" \"$1\" > " + shellWord(seen) + "\n" + body + "\n"
	if err := os.WriteFile(script, []byte(text), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", shellWord(script))
	return seen
}

// sedScript edits the file with sed, portably.
func sedScript(exprs ...string) string {
	var b strings.Builder
	b.WriteString("sed")
	for _, e := range exprs {
		b.WriteString(" -e " + shellWord(e))
	}
	b.WriteString(` "$1" > "$1.new" && mv "$1.new" "$1"`)
	return b.String()
}

// checkSeen checks that the editor was given a private file in a
// private folder, and that both are gone.
func checkSeen(t *testing.T, seen string) {
	t.Helper()
	data, err := os.ReadFile(seen)
	if err != nil {
		t.Fatalf("the editor did not run: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "drwx------") || !strings.HasPrefix(lines[1], "-rw-------") {
		t.Fatalf("the editor's file and folder are not private:\n%s", data)
	}
	f := strings.Fields(lines[1])
	path := f[len(f)-1]
	if !strings.HasSuffix(path, "R01.txt") {
		t.Errorf("the editor was given %s, want a file named R01.txt", path)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("the temporary folder %s is still there (%v)", filepath.Dir(path), err)
	}
}

// editStore is the demo project for an editing flow. Its cleanup waits
// for the workbench's background indexing (the new version is indexed
// too) before the folder is removed.
func editStore(t *testing.T) *coding.Store {
	t.Helper()
	s := demoStore(t, "ann")
	t.Cleanup(func() {
		ix, _, err := index.Open(context.Background(), s, index.Options{Wait: 10 * time.Second})
		if err == nil {
			ix.Close()
		}
	})
	return s
}

// waitAll waits until the output has shown every one of subs.
func waitAll(t *testing.T, tm *teatest.TestModel, subs ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range subs {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func codingsOf(t *testing.T, s *coding.Store, ref string) (coding.Document, []coding.Coding) {
	t.Helper()
	ctx := context.Background()
	d, err := s.Document(ctx, ref, true)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Codings(ctx, coding.CodingFilter{DocID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	return d, cs
}

// TestFlowEditInEditor presses E, lets a scripted editor change a word,
// a coded passage and delete another, and checks the new version, the
// carried codings, the status, the orphans in the title and the place;
// then u undoes it all.
func TestFlowEditInEditor(t *testing.T) {
	seen := editorScript(t, sedScript(
		"s/Yekaterinburg/Sverdlovsk/",
		"s/search warrant/court order/",
		"/reset to factory settings/d",
	))
	s := editStore(t)
	ctx := context.Background()
	before, codingsBefore := codingsOf(t, s, "R01")

	tm := teatest.NewTestModel(t, testModel(t, ctx, s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	for _, k := range []string{"}", "}", "}"} {
		tm.Send(runes(k))
	}
	waitOut(t, tm, "line 7/98")
	tm.Send(runes("E"))
	// The status, the new text and the orphan in the title, all at once:
	// the output is read as it comes.
	waitAll(t, tm, "R01 version 2: 7 codings moved, 2 changed, 1 orphaned · u undoes",
		"from Sverdlovsk originally", "R01 · 1 orphaned coding · qcode doc orphans R01")
	checkSeen(t, seen)

	after, codingsAfter := codingsOf(t, s, "R01")
	if after.Version != 2 || after.ID == before.ID {
		t.Fatalf("R01 is version %d (id %d), want a version 2", after.Version, after.ID)
	}
	if !strings.Contains(after.Text, "from Sverdlovsk originally") || strings.Contains(after.Text, "Yekaterinburg") ||
		!strings.Contains(after.Text, "with a court order") {
		t.Fatalf("the new version's text is not the edited text:\n%.900s", after.Text)
	}
	if len(codingsAfter) != len(codingsBefore)-1 {
		t.Fatalf("version 2 has %d codings, want %d (one orphaned)", len(codingsAfter), len(codingsBefore)-1)
	}
	rs := []rune(after.Text)
	var changed int
	for _, c := range codingsAfter {
		if got := string(rs[c.Start:c.End]); strings.Contains(got, "court order") {
			changed++
		}
	}
	if changed != 2 {
		t.Errorf("%d codings hold the changed words, want 2", changed)
	}
	orphans, err := s.Orphans(ctx, "R01")
	if err != nil || len(orphans) != 1 || orphans[0].Code != "Identity loss" {
		t.Fatalf("orphans = %+v, %v; want the Identity loss coding", orphans, err)
	}

	tm.Send(runes("u"))
	// Undone, and version 1 (98 lines) is back in the transcript.
	waitAll(t, tm, "undone: edit R01", "line 7/98")
	tm.Send(runes("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	undone, codingsUndone := codingsOf(t, s, "R01")
	if undone.ID != before.ID || undone.Text != before.Text || len(codingsUndone) != len(codingsBefore) {
		t.Fatalf("after undo R01 is version %d with %d codings, want version 1 with %d", undone.Version, len(codingsUndone), len(codingsBefore))
	}
	// The undo left the transcript at version 1 again, at the same line.
	if d := fm.reader.Doc(); d.ID != before.ID {
		t.Errorf("after undo the transcript shows version %d (id %d), want version 1", d.Version, d.ID)
	}
	if fm.reader.orphans != 0 {
		t.Errorf("after undo the title still counts %d orphans", fm.reader.orphans)
	}
	if !strings.HasPrefix(fm.reader.Position(), "line 7/") {
		t.Errorf("after undo the cursor is at %s, want line 7", fm.reader.Position())
	}
}

// TestFlowEditNothingChanges: an editor that fails, saves nothing new or
// saves an empty text changes nothing, and the status says why.
func TestFlowEditNothingChanges(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"exit 1", sedScript("s/Yekaterinburg/Sverdlovsk/") + "\nexit 1", "nothing changed in R01: the editor exited with status 1"},
		{"unchanged", "true", "no change to R01"},
		{"empty", `: > "$1"`, "nothing changed in R01: the saved text is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := editorScript(t, tc.body)
			want := tc.want
			s := editStore(t)
			ctx := context.Background()
			before, codingsBefore := codingsOf(t, s, "R01")
			tm := teatest.NewTestModel(t, testModel(t, ctx, s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
			waitOut(t, tm, "Respondent: Yes, yes")
			tm.Send(runes("E"))
			waitOut(t, tm, want)
			checkSeen(t, seen)
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
			after, codingsAfter := codingsOf(t, s, "R01")
			if after.ID != before.ID || after.Text != before.Text || len(codingsAfter) != len(codingsBefore) {
				t.Fatalf("R01 changed: version %d, %d codings", after.Version, len(codingsAfter))
			}
			if d := fm.reader.Doc(); d.ID != before.ID || fm.pending != 0 {
				t.Fatalf("the transcript shows id %d (want %d), %d changes pending", d.ID, before.ID, fm.pending)
			}
		})
	}
}

// TestFollowNewVersion: a new version made elsewhere (here, by the
// store directly, as 'qcode doc edit' in another terminal would) replaces
// the transcript at the same line and screen row, with its codings.
func TestFollowNewVersion(t *testing.T) {
	s := demoStore(t, "ann")
	ctx := context.Background()
	d := newDriver(t, s, 120, 40)
	d.keys("G", "k", "k", "k")
	before := d.m.reader.Place()
	pos := d.m.reader.Position()
	doc := d.m.reader.Doc()
	// A line inserted at the top: the same line number is now the line
	// before, as the user asked ("the same line").
	if _, err := s.EditDocument(ctx, "R01", "A note added at the top.\n"+doc.Text, false); err != nil {
		t.Fatal(err)
	}
	d.send(tickMsg{})
	got := d.m.reader.Doc()
	if got.Version != 2 {
		t.Fatalf("the transcript shows version %d, want 2", got.Version)
	}
	if p := d.m.reader.Place(); p.line != before.line || p.row != before.row {
		t.Fatalf("place %+v after the new version, want %+v (was %s, now %s)", p, before, pos, d.m.reader.Position())
	}
	if _, cs := codingsOf(t, s, "R01"); len(d.m.reader.Codings()) != len(cs) || len(cs) == 0 {
		t.Fatalf("the transcript shows %d codings of version 2, want %d", len(d.m.reader.Codings()), len(cs))
	}
	if sel, ok := d.m.docs.Selected(); !ok || sel.ID != got.ID {
		t.Fatalf("the documents pane selects %+v, want version 2", sel)
	}
	d.keys("g")
	d.wantView("A note added at the top.")
}

func TestPlaceAt(t *testing.T) {
	rs := []rune("ab\ncdef\n\nxyz")
	for _, tc := range []struct {
		p    place
		want int
	}{
		{place{0, 0, 0}, 0},
		{place{0, 5, 0}, 2},
		{place{1, 2, 0}, 5},
		{place{2, 3, 0}, 8},
		{place{3, 1, 0}, 10},
		{place{9, 1, 0}, 10},
		{place{9, 9, 0}, 12},
	} {
		if got := tc.p.at(rs); got != tc.want {
			t.Errorf("%+v.at = %d, want %d", tc.p, got, tc.want)
		}
	}
}

// TestOrphansInTitle: the title names the orphans and the command that
// lists them whole, at every size, dropping the coders' legend or words
// before the command.
func TestOrphansInTitle(t *testing.T) {
	for _, sz := range []struct {
		w, h int
		want string
	}{
		{80, 24, "R01 · 1 orphaned · qcode doc orphans R01"},
		{100, 30, "R01 · 1 orphaned · qcode doc orphans R01"},
		{120, 40, "R01 · 1 orphaned coding · qcode doc orphans R01 · femal"},
	} {
		s := demoStore(t, "ann")
		d := newDriver(t, s, sz.w, sz.h)
		d.wantView("R01 · female")
		text := strings.Replace(d.m.reader.Doc().Text, "Sometimes I feel like a phone that was reset to factory settings, all the contacts gone.", "", 1)
		if _, err := s.EditDocument(context.Background(), "R01", text, false); err != nil {
			t.Fatal(err)
		}
		d.send(tickMsg{})
		d.wantView(sz.want)
		if sz.w >= 100 {
			d.wantView("n nino · p pavel")
		}
		// Undone, the version and its orphan are gone.
		d.keys("u")
		d.wantView("undone: edit R01")
		if v := d.view(); strings.Contains(v, "orphaned") || d.m.reader.Doc().Version != 1 {
			t.Fatalf("after undo at %dx%d:\n%s", sz.w, sz.h, v)
		}
	}
}
