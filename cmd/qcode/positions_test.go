package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// nfdInterview is a Russian transcript as a Mac may save it: "й" and "Й"
// decomposed (и + U+0306), a stress mark that has no precomposed form
// (о + U+0301 stays two code points in NFC), and emoji of several code
// points (a waving hand with a skin tone, the Georgian flag) before the
// passages the tests code.
const nfdInterview = "Интервьюер: Откуда вы? \U0001F642\n" +
	"\n" +
	"Респондент: Из \u0418\u0306ошкар-Олы. \U0001F44B\U0001F3FD\U0001F1EC\U0001F1EA До\u0301ма все говорят по-русски. " +
	"Там мо\u0438\u0306 дом, и мо\u0438\u0306 кот остался у мамы.\n"

// TestPositions checks that a coding addresses code points of the stored
// NFC text, whatever the bytes of the file: the offsets qcode reports are
// the ones a script computes with []rune over 'show --json' text.
func TestPositions(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	in := t.TempDir()
	mustQC(t, dir, "import", writeFile(t, in, "R05.txt", nfdInterview))
	mustQC(t, dir, "code", "add", "Home")
	mustQC(t, dir, "code", "add", "Language")
	mustQC(t, dir, "code", "add", "Pets")

	s := show(t, dir, "R05")
	if want := norm.NFC.String(nfdInterview); s.Text != want {
		t.Fatalf("show R05 --json text = %q, want the file's text in NFC %q", s.Text, want)
	}
	if strings.ContainsRune(s.Text, '\u0306') || !strings.Contains(s.Text, "мой") || !strings.Contains(s.Text, "Йошкар") {
		t.Errorf("stored text %q still holds a decomposed й", s.Text)
	}
	if s.Document.Lang != "ru" || s.Document.Length != len([]rune(s.Text)) {
		t.Errorf("document = lang %q, length %d; want ru, %d code points", s.Document.Lang, s.Document.Length, len([]rune(s.Text)))
	}

	tests := []struct {
		name string
		code string
		args []string // how to tag; the passage is want
		want string
	}{
		{"match after emoji", "Home", []string{"--match", "Там мой дом"}, "Там мой дом"},
		{"match over a combining mark", "Language", []string{"--match", "До\u0301ма все говорят по-русски."}, "До\u0301ма все говорят по-русски."},
		{"span after emoji", "Pets", nil, "мой кот остался у мамы"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := runeSpan(t, s.Text, tt.want)
			args := tt.args
			if args == nil {
				args = []string{"--span", spanArg(start, end)}
			}
			mustQC(t, dir, append([]string{"tag", "R05", tt.code}, args...)...)
			qs := quotes(t, dir, tt.code)
			if len(qs) != 1 {
				t.Fatalf("quotes %s = %+v, want one", tt.code, qs)
			}
			if q := qs[0]; q.Text != tt.want || q.Start != start || q.End != end {
				t.Errorf("quotes %s = %q at %d:%d, want %q at %d:%d", tt.code, q.Text, q.Start, q.End, tt.want, start, end)
			}
			if q := qs[0]; q.Speaker != "Респондент" || q.Line != 3 {
				t.Errorf("quotes %s: speaker %q, line %d; want Респондент, line 3", tt.code, q.Speaker, q.Line)
			}
		})
	}

	t.Run("match all", func(t *testing.T) {
		mustQC(t, dir, "code", "add", "Possessive")
		mustQC(t, dir, "tag", "R05", "Possessive", "--match", "мой", "--all")
		var got [][2]int
		for _, q := range quotes(t, dir, "Possessive") {
			if q.Text != "мой" {
				t.Errorf("quote text %q, want мой", q.Text)
			}
			got = append(got, [2]int{q.Start, q.End})
		}
		r := []rune(s.Text)
		var want [][2]int
		for i := 0; i+3 <= len(r); i++ {
			if string(r[i:i+3]) == "мой" {
				want = append(want, [2]int{i, i + 3})
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tag --match мой --all coded %v, want %v", got, want)
		}
	})

	// What a user types may be decomposed too (macOS input, text copied
	// from the original file); it names the same characters.
	t.Run("match given in NFD", func(t *testing.T) {
		mustQC(t, dir, "code", "add", "Cat")
		needle := "мо\u0438\u0306 кот"
		start, end := runeSpan(t, s.Text, norm.NFC.String(needle))
		_, errOut, err := qc(t, dir, "tag", "R05", "Cat", "--match", needle)
		if err != nil {
			t.Fatalf("run(tag --match %+q) = %v, want the NFC text %q matched; stderr: %s", needle, err, norm.NFC.String(needle), errOut)
		}
		if qs := quotes(t, dir, "Cat"); len(qs) != 1 || qs[0].Start != start || qs[0].End != end {
			t.Errorf("quotes Cat = %+v, want %d:%d", qs, start, end)
		}
	})

	// With its marks taken out, each numbered line of 'show --plain' is
	// the line of the text: marks go between code points, never inside
	// one.
	t.Run("show marks", func(t *testing.T) {
		out := mustQC(t, dir, "show", "R05", "--plain")
		if !strings.Contains(out, "⟦") {
			t.Errorf("show R05 --plain printed\n%s\nwant the codings marked", out)
		}
		marks := regexp.MustCompile(`⟦\d+ | \d+⟧`)
		lines := strings.Split(strings.TrimSuffix(s.Text, "\n"), "\n")
		seen := 0
		for _, l := range strings.Split(out, "\n") {
			num, text, ok := strings.Cut(l, " │ ")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if !ok || err != nil {
				continue
			}
			seen++
			if n < 1 || n > len(lines) {
				t.Errorf("show R05 --plain numbers a line %d; the text has %d", n, len(lines))
				continue
			}
			if got := marks.ReplaceAllString(text, ""); got != lines[n-1] {
				t.Errorf("show R05 --plain line %d without marks = %q, want %q", n, got, lines[n-1])
			}
		}
		if want := len(lines) - strings.Count(s.Text, "\n\n"); seen < want {
			t.Errorf("show R05 --plain printed %d numbered lines, want at least %d:\n%s", seen, want, out)
		}
	})
}

// TestReimport checks that importing the same file again changes nothing,
// and that a changed file becomes a new version that the old one's
// codings follow.
func TestReimport(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	orig := testdata(t, "good", "R01.md")
	mustQC(t, dir, "import", orig)
	mustQC(t, dir, "tag", "R01", "Fear of repression", "--match", "they will come for us first", "--create")
	mustQC(t, dir, "tag", "R01", "Donations", "--match", "We collect donations for political prisoners", "--create")
	mustQC(t, dir, "tag", "R01", "Political talk", "--match", "every call ended in shouting", "--create")
	mustQC(t, dir, "attr", "set", "R01", "recontact=true")
	v1 := show(t, dir, "R01")
	q1 := quotes(t, dir, "Fear of repression", "Donations", "Political talk")

	t.Run("same file", func(t *testing.T) {
		out, errOut, err := qc(t, dir, "import", orig)
		if err != nil {
			t.Fatalf("run(import %s) again = %v, want nil", orig, err)
		}
		if !strings.Contains(out, "1 unchanged") || !strings.Contains(errOut, "unchanged") || !strings.Contains(errOut, "R01") {
			t.Errorf("import again printed %q / %q, want it to say R01 is unchanged", out, errOut)
		}
		// The same bytes under another name are the same interview.
		copyPath := filepath.Join(t.TempDir(), "R01-copy.md")
		data, err := os.ReadFile(orig)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copyPath, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var res importJSON
		qcJSON(t, dir, &res, "import", copyPath, "--json")
		if len(res.Files) != 1 || res.Files[0].Status != "unchanged" || res.Files[0].Document != "R01" {
			t.Errorf("import of a renamed copy --json = %+v, want unchanged, already R01", res)
		}
		if ds := docs(t, dir, "--all"); len(ds) != 1 {
			t.Errorf("docs --all --json lists %d documents, want 1: %+v", len(ds), ds)
		}
		if got := show(t, dir, "R01"); !reflect.DeepEqual(got, v1) {
			t.Errorf("show R01 --json changed after importing the same file")
		}
	})

	t.Run("changed file", func(t *testing.T) {
		data, err := os.ReadFile(orig)
		if err != nil {
			t.Fatal(err)
		}
		// The transcriber added a line at the top and fixed a word: every
		// offset after it shifts.
		changed := strings.Replace(string(data), "Interviewer: Thank you", "Interviewer: [Recording starts.]\n\nInterviewer: Thank you", 1)
		changed = strings.Replace(changed, "every call ended in shouting", "every call ended in a shouting match", 1)
		// The corrected copy is saved in another folder: it is a new
		// version because the transcriber says so.
		p := writeFile(t, t.TempDir(), "R01.md", changed)
		var res importJSON
		qcJSON(t, dir, &res, "import", p, "--new-version", "--json")
		if len(res.Files) != 1 || res.Files[0].Status != "new version" || res.Files[0].Document != "R01" || res.Files[0].Version != 2 {
			t.Fatalf("import of a changed R01.md --json = %+v, want R01 version 2, \"new version\"", res)
		}

		// The codings follow their text into version 2: two moved, and
		// the one whose words were corrected is marked changed.
		if c := res.Files[0].Carry; c == nil || c.Moved != 2 || c.Changed != 1 || c.Orphaned != 0 {
			t.Errorf("carry report = %+v, want 2 moved, 1 changed, 0 orphaned", c)
		}
		ds := docs(t, dir)
		if len(ds) != 1 || ds[0].Name != "R01" || ds[0].Version != 2 || !ds[0].Latest || ds[0].Codings != 3 {
			t.Errorf("docs --json = %+v, want only R01 version 2 (latest, 3 codings)", ds)
		}
		all := docs(t, dir, "--all")
		if len(all) != 2 || all[0].Version != 1 || all[0].Latest || all[1].Version != 2 || all[0].Codings != 0 {
			t.Errorf("docs --all --json = %+v, want R01 version 1 (no codings left, not latest) and version 2", all)
		}
		for _, key := range []string{"gender", "age", "occupation", "recontact"} {
			a1, ok1 := all[0].attr(key)
			a2, ok2 := all[1].attr(key)
			if !ok1 || !ok2 || a1 != a2 {
				t.Errorf("attribute %s: version 1 %+v, version 2 %+v; want it carried over", key, a1, a2)
			}
		}

		old := show(t, dir, "R01@1")
		if old.Text != v1.Text || len(old.Codings) != 0 || !reflect.DeepEqual(old.Turns, v1.Turns) {
			t.Errorf("show R01@1 --json after a new version: %d codings, same text %v; want the old text and turns, no codings", len(old.Codings), old.Text == v1.Text)
		}
		cur := show(t, dir, "R01")
		if cur.Document.Version != 2 || !strings.HasPrefix(cur.Text, "Interviewer: [Recording starts.]") || len(cur.Codings) != 3 {
			t.Errorf("show R01 --json = version %d, %d codings, text %.40q; want version 2, 3 codings, the new text", cur.Document.Version, len(cur.Codings), cur.Text)
		}
		q2 := quotes(t, dir, "Fear of repression", "Donations", "Political talk")
		if len(q2) != len(q1) {
			t.Fatalf("quotes after a new version = %+v, want %d", q2, len(q1))
		}
		for i, q := range q2 {
			start, end := runeSpan(t, cur.Text, q.Text)
			if q.Version != 2 || q.Start != start || q.End != end {
				t.Errorf("quote %+v, want version 2 at %d:%d", q, start, end)
			}
			if i != 2 && q.Text != q1[i].Text {
				t.Errorf("quote %d reads %q, want %q as before", i, q.Text, q1[i].Text)
			}
		}
		if q2[2].Text != "every call ended in a shouting" {
			t.Errorf("the corrected quote reads %q, want the new wording inside its mapped ends", q2[2].Text)
		}
		// In a paper, a quote is cited at its place in the current text.
		if md, _, err := qc(t, dir, "quotes", "Donations"); err != nil || !strings.Contains(md, "(R01, line ") {
			t.Errorf("quotes Donations (md) = %q, %v; want the place cited as R01", md, err)
		}
		// An id cited before still finds the passage, and says it moved.
		var place struct {
			Text    string `json:"text"`
			Carried string `json:"carried"`
		}
		qcJSON(t, dir, &place, "show", q1[0].ID, "--json")
		if place.Text != q1[0].Text || !strings.Contains(place.Carried, "moved from R01@1") {
			t.Errorf("show %s --json = %+v, want the passage, moved from R01@1", q1[0].ID, place)
		}
		// Coding the latest version uses its own offsets.
		mustQC(t, dir, "tag", "R01", "Donations", "--match", "[Recording starts.]")
		start, end := runeSpan(t, cur.Text, "[Recording starts.]")
		found := false
		for _, c := range show(t, dir, "R01").Codings {
			found = found || (c.Start == start && c.End == end)
		}
		if !found {
			t.Errorf("tag on version 2 made no coding at %d:%d", start, end)
		}

		src, err := os.ReadDir(filepath.Join(dir, "sources"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range src {
			names = append(names, e.Name())
		}
		if want := []string{"R01.md", "R01.v2.md"}; !slices.Equal(names, want) {
			t.Errorf("sources/ = %q, want %q", names, want)
		}
	})
}
