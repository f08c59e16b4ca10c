package main

import (
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// runeSpan returns the code-point span of the one occurrence of sub in
// text, counted independently of the code under test.
func runeSpan(t *testing.T, text, sub string) (start, end int) {
	t.Helper()
	if n := strings.Count(text, sub); n != 1 {
		t.Fatalf("%q occurs %d times in the text, want once", sub, n)
	}
	i := strings.Index(text, sub)
	start = len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

// runes returns the code points [start, end) of text, failing the test
// (rather than panicking) when the span is not inside it.
func runes(t *testing.T, text string, start, end int) string {
	t.Helper()
	r := []rune(text)
	if start < 0 || end > len(r) || start > end {
		t.Fatalf("span %d:%d is not inside a text of %d code points", start, end, len(r))
	}
	return string(r[start:end])
}

func spanArg(start, end int) string { return strconv.Itoa(start) + ":" + strconv.Itoa(end) }

// TestResearcherPath walks the way a researcher uses qcode from the shell:
// create a project, import interviews, build a codebook, code passages,
// pull the quotes, and change their mind (untag, undo, redo, rm, merge,
// move). Each step checks the state through the --json listings.
func TestResearcherPath(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "tbilisi.qcode")

	step := func(name string, fn func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, fn) {
			t.FailNow()
		}
	}

	step("init", func(t *testing.T) {
		out := mustQC(t, "", "init", dir)
		if !strings.Contains(out, "Created project") {
			t.Errorf("run(init) printed %q, want it to say the project was created", out)
		}
		if _, _, err := qc(t, "", "init", dir); err == nil {
			t.Errorf("run(init %s) again = nil, want an error: the folder is not empty", dir)
		}
	})

	step("import", func(t *testing.T) {
		out := mustQC(t, dir, "import", testdata(t, "good"))
		if !strings.HasPrefix(out, "imported 3;") {
			t.Errorf("run(import good) printed %q, want \"imported 3; ...\"", out)
		}
		// Interviews with people who fear reprisals: nothing in the
		// project may be readable by group or others.
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if perm := info.Mode().Perm(); perm&0o077 != 0 {
				t.Errorf("%s has mode %v, want no access for group and others", p, perm)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadDir(filepath.Join(dir, "sources"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range src {
			names = append(names, e.Name())
		}
		if want := []string{"R01.md", "R02.txt", "R03.txt"}; !slices.Equal(names, want) {
			t.Errorf("sources/ holds %q, want %q", names, want)
		}
	})

	step("docs", func(t *testing.T) {
		ds := docs(t, dir)
		type row struct {
			name, format, lang string
			version            int
			latest             bool
		}
		var got []row
		for _, d := range ds {
			got = append(got, row{d.Name, d.Format, d.Lang, d.Version, d.Latest})
			if d.GUID == "" || d.Length == 0 || d.Words == 0 || d.Turns == 0 {
				t.Errorf("document %s: guid %q, length %d, words %d, turns %d; want all set", d.Name, d.GUID, d.Length, d.Words, d.Turns)
			}
		}
		want := []row{{"R01", "md", "en", 1, true}, {"R02", "txt", "en", 1, true}, {"R03", "txt", "ru", 1, true}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("docs --json = %+v, want %+v", got, want)
		}
		wantAttrs := []attrJSON{
			{"gender", "text", "female"},
			{"age", "integer", "30"},
			{"occupation", "text", "NGO activist"},
			{"wave", "text", "February"},
			{"interview_date", "date", "2022-11-14"},
		}
		for _, w := range wantAttrs {
			if a, ok := ds[0].attr(w.Key); !ok || a != w {
				t.Errorf("R01 attribute %s = %+v, want %+v", w.Key, a, w)
			}
		}
		if n := len(ds[1].Attributes); n != 0 {
			t.Errorf("R02 has %d attributes, want none: %+v", n, ds[1].Attributes)
		}
		// Output for machines is deterministic.
		a := mustQC(t, dir, "docs", "--json")
		b := mustQC(t, dir, "docs", "--json")
		if a != b {
			t.Errorf("docs --json differs between two runs:\n%s\n---\n%s", a, b)
		}
		text := mustQC(t, dir, "docs")
		if !strings.Contains(text, "female, 30, NGO activist") {
			t.Errorf("docs printed\n%s\nwant R01's participant cited as \"female, 30, NGO activist\"", text)
		}
	})

	step("codebook", func(t *testing.T) {
		if out := mustQC(t, dir, "codes"); !strings.Contains(out, "codebook is empty") {
			t.Errorf("run(codes) on a new project printed %q, want it to say the codebook is empty", out)
		}
		if cs := codes(t, dir); len(cs) != 0 {
			t.Errorf("codes --json = %+v, want none", cs)
		}
		for _, args := range [][]string{
			{"code", "add", "Reasons for leaving", "--desc", "Why the participant left Russia, in their own account."},
			{"code", "add", "Political persecution", "--parent", "Reasons for leaving", "--color", "#e15759", "--desc", "Searches, arrests, fines, threats."},
			{"code", "add", "Reasons for leaving/Mobilization", "--desc", "Leaving to avoid the September 2022 mobilization."},
			{"code", "add", "Fear of repression", "--color", "#B07AA1"},
			{"code", "add", "Donations"},
			{"code", "add", "Contact with relatives"},
			{"code", "add", "Political talk with relatives"},
			{"code", "add", "Language learning"},
		} {
			mustQC(t, dir, args...)
		}
		cs := codes(t, dir)
		want := []string{
			"Contact with relatives", "Donations", "Fear of repression", "Language learning",
			"Political talk with relatives", "Reasons for leaving",
			"Reasons for leaving/Mobilization", "Reasons for leaving/Political persecution",
		}
		if got := codePaths(cs); !slices.Equal(got, want) {
			t.Fatalf("codes --json paths = %q, want %q", got, want)
		}
		parent := codeByPath(t, cs, "Reasons for leaving")
		pp := codeByPath(t, cs, "Reasons for leaving/Political persecution")
		if pp.ParentID != parent.ID || pp.Depth != 1 || pp.Name != "Political persecution" ||
			pp.Color != "#E15759" || pp.Description != "Searches, arrests, fines, threats." {
			t.Errorf("Political persecution = %+v, want under %d, depth 1, colour #E15759, with its description", pp, parent.ID)
		}
		if parent.Description != "Why the participant left Russia, in their own account." || parent.Depth != 0 || parent.ParentID != 0 {
			t.Errorf("Reasons for leaving = %+v, want a top-level code with its description", parent)
		}
		for _, c := range cs {
			if len(c.Color) != 7 || c.Color[0] != '#' {
				t.Errorf("code %s has colour %q, want #RRGGBB", c.Path, c.Color)
			}
		}
		tree := mustQC(t, dir, "codes")
		for _, w := range []string{"├─ Mobilization", "└─ Political persecution"} {
			if !strings.Contains(tree, w) {
				t.Errorf("run(codes) printed\n%s\nwant a line with %q", tree, w)
			}
		}
		mustQC(t, dir, "code", "set", "Donations", "--color", "#59a14f", "--desc", "Giving money to refugees, media, legal aid.")
		if d := codeByPath(t, codes(t, dir), "Donations"); d.Color != "#59A14F" || d.Description != "Giving money to refugees, media, legal aid." {
			t.Errorf("after code set: %+v, want the new colour and description", d)
		}
		msg, _, _ := wantErr(t, dir, "code", "add", "reasons for leaving")
		if !strings.Contains(msg, "already exists") {
			t.Errorf("adding a code twice: error %q, want it to say it already exists", msg)
		}
	})

	r01 := show(t, dir, "R01")
	r02 := show(t, dir, "R02")
	r03 := show(t, dir, "R03")
	fearStart, fearEnd := runeSpan(t, r01.Text, "they will come for us first")

	step("tag", func(t *testing.T) {
		out := mustQC(t, dir, "tag", "R01", "Fear of repression", "--match", "they will come for us first")
		if !strings.Contains(out, "Coded 1 passage") {
			t.Errorf("run(tag --match) printed %q, want \"Coded 1 passage...\"", out)
		}
		mustQC(t, dir, "tag", "R03", "Fear of repression", "--match", "Было очень страшно")
		mustQC(t, dir, "tag", "R01", "Political persecution", "--match", "the police searched our office")
		mustQC(t, dir, "tag", "R02", "Mobilization", "--turn", "4", "--memo", "brother's call-up")
		s, e := runeSpan(t, r01.Text, "We collect donations for political prisoners")
		var tagged struct {
			Codings []codingJSON `json:"codings"`
		}
		qcJSON(t, dir, &tagged, "tag", "R01", "Donations", "--span", spanArg(s, e), "--json")
		if len(tagged.Codings) != 1 || tagged.Codings[0].Start != s || tagged.Codings[0].End != e ||
			tagged.Codings[0].Code != "Donations" || tagged.Codings[0].Coder != defaultCoder {
			t.Errorf("tag --span %d:%d --json = %+v, want one coding of Donations at %d:%d by %s", s, e, tagged.Codings, s, e, defaultCoder)
		}
		mustQC(t, dir, "tag", "R03", "Language learning", "--match", "хожу на курсы два раза в неделю")
		mustQC(t, dir, "tag", "R01", "Contact with relatives", "--match", "With my mother, yes, carefully.")
		mustQC(t, dir, "tag", "R01", "Political talk with relatives", "--match", "With my father we stopped.")
	})

	step("show", func(t *testing.T) {
		got := show(t, dir, "R01")
		if got.Text != r01.Text || !strings.HasPrefix(got.Text, "Interviewer: Thank you for agreeing to talk.") {
			t.Errorf("show R01 --json text starts %q, want the transcript after the front matter", got.Text[:min(60, len(got.Text))])
		}
		if len(got.Turns) != 6 {
			t.Fatalf("show R01 --json has %d turns, want 6", len(got.Turns))
		}
		for i, tn := range got.Turns {
			want := []string{"Interviewer", "Respondent"}[i%2]
			if tn.N != i+1 || tn.Speaker != want {
				t.Errorf("R01 turn %d = %+v, want n %d by %s", i, tn, i+1, want)
			}
			label := runes(t, got.Text, tn.Start, tn.Body)
			if label != want+": " {
				t.Errorf("R01 turn %d: text before the body is %q, want %q", tn.N, label, want+": ")
			}
			if tn.TimeMS != nil || tn.Time != "" {
				t.Errorf("R01 turn %d has time %q, want none", tn.N, tn.Time)
			}
		}
		wantCodings := map[string]string{
			"Fear of repression":                        "they will come for us first",
			"Reasons for leaving/Political persecution": "the police searched our office",
			"Donations":                     "We collect donations for political prisoners",
			"Contact with relatives":        "With my mother, yes, carefully.",
			"Political talk with relatives": "With my father we stopped.",
		}
		if len(got.Codings) != len(wantCodings) {
			t.Errorf("show R01 --json has %d codings, want %d: %+v", len(got.Codings), len(wantCodings), got.Codings)
		}
		for i, c := range got.Codings {
			if i > 0 && c.Start < got.Codings[i-1].Start {
				t.Errorf("show R01 --json codings are not in text order: %+v", got.Codings)
			}
			want, ok := wantCodings[c.Code]
			if !ok {
				t.Errorf("unexpected coding %+v", c)
				continue
			}
			if text := runes(t, got.Text, c.Start, c.End); text != want || c.Coder != defaultCoder || c.Document != "R01" {
				t.Errorf("coding %+v covers %q by %s, want %q by %s", c, text, c.Coder, want, defaultCoder)
			}
		}

		got2 := show(t, dir, "R02")
		wantTimes := []int64{5000, 12000, 62000, 69000, 150000, 154000}
		if len(got2.Turns) != len(wantTimes) {
			t.Fatalf("show R02 --json has %d turns, want %d", len(got2.Turns), len(wantTimes))
		}
		for i, tn := range got2.Turns {
			if tn.TimeMS == nil || *tn.TimeMS != wantTimes[i] {
				t.Errorf("R02 turn %d time_ms = %v, want %d", tn.N, tn.TimeMS, wantTimes[i])
			}
			// The timestamp and label stay in the text; the turn spans them.
			head := runes(t, got2.Text, tn.Start, tn.Body)
			if want := "[" + tn.Time + "] " + tn.Speaker + ": "; head != want {
				t.Errorf("R02 turn %d: text before the body is %q, want %q", tn.N, head, want)
			}
		}
		if got2.Turns[3].Time != "00:01:09" || got2.Turns[3].Speaker != "R" {
			t.Errorf("R02 turn 4 = %+v, want R at 00:01:09", got2.Turns[3])
		}
		if len(got2.Codings) != 1 {
			t.Fatalf("show R02 --json codings = %+v, want the turn coded with Mobilization", got2.Codings)
		}
		c, tn := got2.Codings[0], got2.Turns[3]
		if c.Start != tn.Body || c.End != tn.End || c.Code != "Reasons for leaving/Mobilization" {
			t.Errorf("tag --turn 4 made %+v, want Reasons for leaving/Mobilization at %d:%d (the speech of turn 4)", c, tn.Body, tn.End)
		}

		plain := mustQC(t, dir, "show", "R01", "--plain")
		if !strings.Contains(plain, "⟦") || !strings.Contains(plain, "(female, 30, NGO activist)") || strings.Contains(plain, "\x1b[") {
			t.Errorf("show R01 --plain printed\n%s\nwant marks, the attribution and no escape codes", plain)
		}
	})

	step("quotes", func(t *testing.T) {
		qs := quotes(t, dir, "Reasons for leaving")
		if len(qs) != 2 {
			t.Fatalf("quotes \"Reasons for leaving\" = %+v, want the codings of its two sub-codes", qs)
		}
		q1, q2 := qs[0], qs[1]
		if q1.Document != "R01" || q1.Code != "Reasons for leaving/Political persecution" || q1.Text != "the police searched our office" ||
			q1.Speaker != "Respondent" || q1.Turn != 2 || q1.Attribution != "female, 30, NGO activist" || q1.Coder != defaultCoder || q1.Version != 1 {
			t.Errorf("first quote = %+v", q1)
		}
		wantText := runes(t, r02.Text, r02.Turns[3].Body, r02.Turns[3].End)
		if q2.Document != "R02" || q2.Text != wantText || q2.Time != "00:01:09" || q2.Speaker != "R" ||
			q2.Memo != "brother's call-up" || q2.Attribution != "" || q2.Line != 7 {
			t.Errorf("second quote = %+v, want R02 turn 4 at 00:01:09, line 7, with its memo", q2)
		}

		// One code: no heading, unless asked for.
		fearID := coding.QuoteID(r01.Document.GUID, fearStart, fearEnd)
		md := mustQC(t, dir, "quotes", "Fear of repression", "--format", "md")
		for _, w := range []string{
			"> they will come for us first\n\n— female, 30, NGO activist (R01, line 3; " + fearID + ")\n",
			"> Было очень страшно\n\n— R03, line 3; Q-",
		} {
			if !strings.Contains(md, w) {
				t.Errorf("quotes --format md printed\n%s\nwant %q", md, w)
			}
		}
		if strings.Contains(md, "## ") {
			t.Errorf("quotes of one code printed a heading:\n%s", md)
		}
		if md := mustQC(t, dir, "quotes", "Fear of repression", "--group"); !strings.HasPrefix(md, "## Fear of repression\n") {
			t.Errorf("quotes --group printed\n%s\nwant the code's heading first", md)
		}

		out := mustQC(t, dir, "quotes", "Fear of repression", "--format", "csv")
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("quotes --format csv: %v\n%s", err, out)
		}
		wantHead := []string{"id", "code", "document", "version", "start", "end", "line", "time", "speaker", "attribution", "text", "coder", "memo"}
		if len(recs) != 3 || !slices.Equal(recs[0], wantHead) {
			t.Fatalf("quotes --format csv = %q, want a header %q and two rows", recs, wantHead)
		}
		wantRow := []string{fearID, "Fear of repression", "R01", "1", strconv.Itoa(fearStart), strconv.Itoa(fearEnd), "3", "", "Respondent",
			"female, 30, NGO activist", "they will come for us first", defaultCoder, ""}
		if !slices.Equal(recs[1], wantRow) {
			t.Errorf("csv row = %q, want %q", recs[1], wantRow)
		}
		if recs[2][2] != "R03" || recs[2][10] != "Было очень страшно" || recs[2][8] != "Р" {
			t.Errorf("csv row = %q, want R03's quote by Р", recs[2])
		}
		if again := mustQC(t, dir, "quotes", "Fear of repression", "--format", "csv"); again != out {
			t.Errorf("quotes --format csv differs between two runs")
		}
		if msg, _, _ := wantErr(t, dir, "quotes", "Donations", "--format", "odt"); !strings.Contains(msg, `"odt"`) || !strings.Contains(msg, "docx") {
			t.Errorf("quotes --format odt: error %q, want it to name the format and those there are", msg)
		}
	})

	fearQuotes := func(t *testing.T) []string {
		t.Helper()
		var got []string
		for _, q := range quotes(t, dir, "Fear of repression") {
			got = append(got, q.Document+" "+q.Text)
		}
		return got
	}
	bothFears := []string{"R01 they will come for us first", "R03 Было очень страшно"}
	onlyR03 := []string{"R03 Было очень страшно"}

	step("untag, undo, redo", func(t *testing.T) {
		before := show(t, dir, "R01").Codings
		out := mustQC(t, dir, "untag", "R01", "Fear of repression", "--span", spanArg(fearStart, fearEnd))
		if !strings.Contains(out, "Removed 1 coding") {
			t.Errorf("run(untag) printed %q, want \"Removed 1 coding...\"", out)
		}
		if got := fearQuotes(t); !slices.Equal(got, onlyR03) {
			t.Errorf("after untag: quotes = %q, want %q", got, onlyR03)
		}
		if h := history(t, dir); len(h) == 0 || !strings.HasPrefix(h[0].Label, "untag R01") || h[0].Coder != defaultCoder {
			t.Errorf("after untag: history[0] = %+v, want the untag by %s", h, defaultCoder)
		}
		// Someone else's undo does not touch ana's work.
		if _, _, err := qcAs(t, dir, "pavel", "undo"); err == nil {
			t.Errorf("run(undo) as pavel, who did nothing = nil, want an error")
		}

		out = mustQC(t, dir, "undo")
		if !strings.Contains(out, "Undone: untag R01") {
			t.Errorf("run(undo) printed %q, want it to name the untag", out)
		}
		after := show(t, dir, "R01").Codings
		if !reflect.DeepEqual(after, before) {
			t.Errorf("after undo: codings of R01 = %+v, want them restored as they were: %+v", after, before)
		}
		mustQC(t, dir, "redo")
		if got := fearQuotes(t); !slices.Equal(got, onlyR03) {
			t.Errorf("after redo: quotes = %q, want %q", got, onlyR03)
		}
		mustQC(t, dir, "undo")
		if got := fearQuotes(t); !slices.Equal(got, bothFears) {
			t.Errorf("after undo again: quotes = %q, want %q", got, bothFears)
		}

		// Untagging a coding takes its memo along; undo brings both back.
		mob := quotes(t, dir, "Mobilization")
		if len(mob) != 1 {
			t.Fatalf("quotes Mobilization = %+v, want one", mob)
		}
		mustQC(t, dir, "untag", "--id", strconv.FormatInt(mob[0].CodingID, 10))
		if qs := quotes(t, dir, "Mobilization"); len(qs) != 0 {
			t.Errorf("after untag --id: quotes Mobilization = %+v, want none", qs)
		}
		mustQC(t, dir, "undo")
		if qs := quotes(t, dir, "Mobilization"); !reflect.DeepEqual(qs, mob) {
			t.Errorf("after undo: quotes Mobilization = %+v, want %+v (with its memo)", qs, mob)
		}

		// Two undos in a row go back two steps; redo brings back the
		// older one first.
		n0 := len(show(t, dir, "R03").Codings)
		mustQC(t, dir, "tag", "R03", "Donations", "--match", "Алфавит выучила за месяц")
		mustQC(t, dir, "tag", "R03", "Donations", "--match", "грамматика даётся тяжело")
		mustQC(t, dir, "undo")
		mustQC(t, dir, "undo")
		if n := len(show(t, dir, "R03").Codings); n != n0 {
			t.Errorf("after two undos: R03 has %d codings, want %d", n, n0)
		}
		mustQC(t, dir, "redo")
		cs := show(t, dir, "R03").Codings
		var texts []string
		var id int64
		for _, c := range cs {
			if c.Code == "Donations" {
				texts = append(texts, runes(t, r03.Text, c.Start, c.End))
				id = c.ID
			}
		}
		if !slices.Equal(texts, []string{"Алфавит выучила за месяц"}) {
			t.Fatalf("after redo: Donations in R03 = %q, want the first tag back", texts)
		}
		// A new action ends the redo chain.
		mustQC(t, dir, "untag", "--id", strconv.FormatInt(id, 10))
		if msg, _, _ := wantErr(t, dir, "redo"); !strings.Contains(msg, "nothing to redo") {
			t.Errorf("redo after a new action: error %q, want \"nothing to redo\"", msg)
		}
		if n := len(show(t, dir, "R03").Codings); n != n0 {
			t.Errorf("after untag --id: R03 has %d codings, want %d", n, n0)
		}
	})

	step("memo", func(t *testing.T) {
		out := mustQC(t, dir, "memo", "add", "--code", "Donations", "Mostly small monthly sums; a few one-off large ones.")
		if !strings.Contains(out, "memo on code Donations") {
			t.Errorf("run(memo add --code) printed %q", out)
		}
		var ms struct {
			Memos []memoJSON `json:"memos"`
		}
		qcJSON(t, dir, &ms, "memo", "--code", "Donations", "--json")
		don := codeByPath(t, codes(t, dir), "Donations")
		if len(ms.Memos) != 1 || ms.Memos[0].Target != "code" || ms.Memos[0].TargetID != don.ID ||
			ms.Memos[0].Text != "Mostly small monthly sums; a few one-off large ones." || ms.Memos[0].Coder != defaultCoder {
			t.Errorf("memo --code Donations --json = %+v, want the memo on code %d by %s", ms.Memos, don.ID, defaultCoder)
		}
		qcJSON(t, dir, &ms, "memo", "--code", "Fear of repression", "--json")
		if len(ms.Memos) != 0 {
			t.Errorf("memo --code \"Fear of repression\" --json = %+v, want none", ms.Memos)
		}
	})

	step("attr", func(t *testing.T) {
		mustQC(t, dir, "attr", "set", "R02", "age=31", "wave=September", "gender=male", "occupation=backend developer")
		mustQC(t, dir, "attr", "set", "R02", "interviewed:date=2022-10-03", "recontact:boolean=yes", "height=1.82")
		var al struct {
			Document   string     `json:"document"`
			Attributes []attrJSON `json:"attributes"`
		}
		qcJSON(t, dir, &al, "attr", "list", "R02", "--json")
		want := []attrJSON{
			{"age", "integer", "31"},
			{"wave", "text", "September"},
			{"gender", "text", "male"},
			{"occupation", "text", "backend developer"},
			{"interviewed", "date", "2022-10-03"},
			{"recontact", "boolean", "true"},
			{"height", "float", "1.82"},
		}
		if al.Document != "R02" || !reflect.DeepEqual(al.Attributes, want) {
			t.Errorf("attr list R02 --json = %+v, want %+v", al, want)
		}
		if msg, _, _ := wantErr(t, dir, "attr", "set", "R02", "age:integer=thirty"); !strings.Contains(msg, "thirty") {
			t.Errorf("attr set age:integer=thirty: error %q, want it to quote the value", msg)
		}
		mustQC(t, dir, "attr", "set", "R02", "height=")
		qcJSON(t, dir, &al, "attr", "list", "R02", "--json")
		if len(al.Attributes) != len(want)-1 {
			t.Errorf("after attr set height=: %+v, want height removed", al.Attributes)
		}
		mustQC(t, dir, "undo")
		qcJSON(t, dir, &al, "attr", "list", "R02", "--json")
		if !reflect.DeepEqual(al.Attributes, want) {
			t.Errorf("after undo: attr list R02 --json = %+v, want %+v", al.Attributes, want)
		}
		qs := quotes(t, dir, "Mobilization")
		if len(qs) != 1 || qs[0].Attribution != "male, 31, backend developer" {
			t.Errorf("quotes Mobilization = %+v, want the attribution \"male, 31, backend developer\"", qs)
		}
	})

	step("code rm", func(t *testing.T) {
		cs := codes(t, dir)
		fear := codeByPath(t, cs, "Fear of repression")
		msg, stdout, _ := wantErr(t, dir, "code", "rm", "Fear of repression")
		if !strings.Contains(msg, "2 coding") || !strings.Contains(msg, "--force") {
			t.Errorf("code rm of a code with 2 codings: error %q, want it to say \"2 codings\" and suggest --force", msg)
		}
		if stdout != "" {
			t.Errorf("code rm refused but printed %q", stdout)
		}
		if got := codes(t, dir); !reflect.DeepEqual(got, cs) {
			t.Errorf("a refused code rm changed the codebook")
		}
		msg, _, _ = wantErr(t, dir, "code", "rm", "Reasons for leaving")
		if !strings.Contains(msg, "2 sub-code") {
			t.Errorf("code rm of a parent: error %q, want it to count its 2 sub-codes", msg)
		}

		mustQC(t, dir, "code", "rm", "Fear of repression", "--force")
		if got := codePaths(codes(t, dir)); slices.Contains(got, "Fear of repression") {
			t.Errorf("after code rm --force: codes = %q, want Fear of repression gone", got)
		}
		for _, c := range append(show(t, dir, "R01").Codings, show(t, dir, "R03").Codings...) {
			if c.CodeID == fear.ID {
				t.Errorf("after code rm --force: coding %+v is left", c)
			}
		}
		mustQC(t, dir, "undo")
		if got := codeByPath(t, codes(t, dir), "Fear of repression"); got != fear {
			t.Errorf("after undo of code rm: %+v, want %+v", got, fear)
		}
		if got := fearQuotes(t); !slices.Equal(got, bothFears) {
			t.Errorf("after undo of code rm: quotes = %q, want %q", got, bothFears)
		}
	})

	step("code merge", func(t *testing.T) {
		mustQC(t, dir, "code", "merge", "Contact with relatives", "Political talk with relatives")
		cs := codes(t, dir)
		if slices.Contains(codePaths(cs), "Contact with relatives") {
			t.Errorf("after merge: codes = %q, want Contact with relatives gone", codePaths(cs))
		}
		if c := codeByPath(t, cs, "Political talk with relatives"); c.Codings != 2 || c.Documents != 1 {
			t.Errorf("after merge: %+v, want 2 codings in 1 document", c)
		}
		var texts []string
		for _, q := range quotes(t, dir, "Political talk with relatives") {
			texts = append(texts, q.Text)
		}
		if want := []string{"With my mother, yes, carefully.", "With my father we stopped."}; !slices.Equal(texts, want) {
			t.Errorf("after merge: quotes = %q, want %q", texts, want)
		}
		if msg, _, _ := wantErr(t, dir, "code", "merge", "Reasons for leaving", "Reasons for leaving/Mobilization"); !strings.Contains(msg, "Reasons for leaving") {
			t.Errorf("merging a code into its sub-code: error %q", msg)
		}
	})

	step("code move", func(t *testing.T) {
		before := codeByPath(t, codes(t, dir), "Reasons for leaving/Mobilization")
		mustQC(t, dir, "code", "move", "Reasons for leaving/Mobilization", "--root")
		after := codeByPath(t, codes(t, dir), "Mobilization")
		if after.ID != before.ID || after.Depth != 0 || after.ParentID != 0 || after.Codings != 1 {
			t.Errorf("after move --root: %+v, want code %d at the top level with its coding", after, before.ID)
		}
		if qs := quotes(t, dir, "Mobilization"); len(qs) != 1 || qs[0].Code != "Mobilization" {
			t.Errorf("after move --root: quotes = %+v, want the coding under its new path", qs)
		}
		if qs := quotes(t, dir, "Reasons for leaving"); len(qs) != 1 {
			t.Errorf("after move --root: quotes \"Reasons for leaving\" = %+v, want only Political persecution's", qs)
		}
		mustQC(t, dir, "code", "move", "Mobilization", "Reasons for leaving")
		if got := codeByPath(t, codes(t, dir), "Reasons for leaving/Mobilization"); got.ID != before.ID {
			t.Errorf("after moving back: %+v, want code %d", got, before.ID)
		}
		if msg, _, _ := wantErr(t, dir, "code", "move", "Reasons for leaving", "Reasons for leaving/Mobilization"); !strings.Contains(msg, "under itself") {
			t.Errorf("moving a code under its sub-code: error %q, want \"under itself\"", msg)
		}
		mustQC(t, dir, "code", "rename", "Reasons for leaving/Mobilization", "Avoiding mobilization")
		if qs := quotes(t, dir, "Reasons for leaving/Avoiding mobilization"); len(qs) != 1 {
			t.Errorf("after rename: quotes = %+v, want the coding under the new name", qs)
		}
		mustQC(t, dir, "undo")
		if got := codeByPath(t, codes(t, dir), "Reasons for leaving/Mobilization"); got.ID != before.ID {
			t.Errorf("after undo of rename: %+v, want code %d named Mobilization again", got, before.ID)
		}
		if msg, _, _ := wantErr(t, dir, "code", "move", "Donations"); !strings.Contains(msg, "--root") {
			t.Errorf("move without a parent: error %q, want it to mention --root", msg)
		}
	})

	step("config cite", func(t *testing.T) {
		if out := mustQC(t, dir, "config", "cite"); out != "{gender}, {age}, {occupation}\n" {
			t.Errorf("run(config cite) printed %q, want the default template", out)
		}
		mustQC(t, dir, "config", "cite", "{gender}, {age}, {occupation}, {wave} wave")
		if out := mustQC(t, dir, "config", "cite"); out != "{gender}, {age}, {occupation}, {wave} wave\n" {
			t.Errorf("run(config cite) printed %q, want the new template", out)
		}
		var got []string
		for _, q := range quotes(t, dir, "Reasons for leaving") {
			got = append(got, q.Attribution)
		}
		want := []string{"female, 30, NGO activist, February wave", "male, 31, backend developer, September wave"}
		if !slices.Equal(got, want) {
			t.Errorf("attributions = %q, want %q", got, want)
		}
		// A one-off template on the command line wins over the project's.
		qs := quotes(t, dir, "Mobilization", "--cite", "{age}-year-old {occupation}")
		if len(qs) != 1 || qs[0].Attribution != "31-year-old backend developer" {
			t.Errorf("quotes --cite = %+v, want \"31-year-old backend developer\"", qs)
		}
		if msg, _, _ := wantErr(t, dir, "config", "cite", "gender and age"); !strings.Contains(msg, "{") {
			t.Errorf("config cite without braces: error %q, want it to show the syntax", msg)
		}
	})
}
