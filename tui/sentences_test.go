package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
)

// sentenceDoc holds the sentence rule's tricky cases in one transcript:
// labels, a question, an ellipsis before a capital and before a small
// letter, abbreviations, initials, a decimal, a line break inside a
// turn, a blank line, a closing quote and a text without a full stop.
const sentenceDoc = "Interviewer: Where did you go? Tell me about it.\n" +
	"Respondent: We went to Tbilisi, i.e. Georgia… Dr. Smith helped us.\n" +
	"Then 3.5 years\n" +
	"later we were still there. Я читала А. С. Пушкина. Ну... я не знаю!\n" +
	"\n" +
	"Nobody knows «why.» The end\n" +
	"Interviewer: Ok.\n"

// sentenceWant are its sentences, and a word of each to search for.
var sentenceWant = []struct{ text, word string }{
	{"Where did you go?", "where"},
	{"Tell me about it.", "tell"},
	{"We went to Tbilisi, i.e. Georgia…", "tbilisi"},
	{"Dr. Smith helped us.", "smith"},
	{"Then 3.5 years\nlater we were still there.", "later"},
	{"Я читала А. С. Пушкина.", "пушкина"},
	{"Ну... я не знаю!", "знаю"},
	{"Nobody knows «why.»", "nobody"},
	{"The end", "end"},
	{"Ok.", "ok"},
}

// TestOneSentenceRule runs the three users of sentences on one
// transcript: "select sentence" in the workbench, autocode's sentence
// scope and co-occurrence within a sentence. Each must find exactly the
// sentences above.
func TestOneSentenceRule(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "s.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(ctx, coding.ImportFile{Path: "R1.txt", Data: []byte(sentenceDoc)}); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents(ctx, false)
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents = %v, %v", docs, err)
	}
	text, err := s.DocumentText(ctx, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(text)
	want := make([]coding.Span, len(sentenceWant))
	for i, w := range sentenceWant {
		b := strings.Index(text, w.text)
		if b < 0 {
			t.Fatalf("%q is not in the stored text", w.text)
		}
		start := len([]rune(text[:b]))
		want[i] = coding.Span{Start: start, End: start + len([]rune(w.text))}
	}
	show := func(sp coding.Span) string { return string(runes[sp.Start:sp.End]) }

	// The analysis's units.
	turns, err := s.Turns(ctx, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := coding.SentenceSpans(text, turns); !equalSpans(got, want) {
		t.Errorf("coding.SentenceSpans = %q, want %q", showAll(runes, got), showAll(runes, want))
	}

	// The workbench: s with the cursor inside each sentence, and on the
	// first speaker label.
	d := newDriver(t, s, 120, 40)
	if d.m.reader.Doc().ID != docs[0].ID {
		t.Fatalf("the workbench opened %q", d.m.reader.Doc().Name)
	}
	for i, sp := range want {
		for _, at := range []int{sp.Start, (sp.Start + sp.End) / 2, sp.End - 1} {
			d.m.reader.ClearSelection()
			d.m.reader.cursor = at
			d.keys("s")
			if got, ok := d.m.reader.Selection(); !ok || got != sp {
				t.Errorf("s at %d selects %q, want sentence %d %q", at, show(got), i+1, show(sp))
			}
		}
	}
	d.m.reader.ClearSelection()
	d.m.reader.cursor = 3 // in "Interviewer:"
	d.keys("s")
	if got, ok := d.m.reader.Selection(); !ok || got != want[0] {
		t.Errorf("s on the label selects %q, want %q", show(got), show(want[0]))
	}

	// Autocode: the sentence around a hit is the sentence.
	ix, _, err := index.Open(ctx, s, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for i, w := range sentenceWant {
		res, err := ix.Search(ctx, index.Query{Text: w.word})
		if err != nil {
			t.Fatal(err)
		}
		spans, err := index.SpansOf(ctx, s, res.Hits, index.ScopeSentence)
		if err != nil {
			t.Fatal(err)
		}
		if len(spans) != 1 || spans[0].Span != want[i] || spans[0].Text != w.text {
			var got []string
			for _, sp := range spans {
				got = append(got, sp.Text)
			}
			t.Errorf("autocode %q by sentence codes %q, want %q", w.word, got, w.text)
		}
	}

	// The workbench's "code the marked hits" codes the same sentences.
	res, err := ix.Search(ctx, index.Query{Text: "later OR пушкина"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %d hits, %v", len(res.Hits), err)
	}
	d.send(codeHitsMsg{hits: res.Hits})
	d.typeText("Hits")
	d.keys("enter")
	code, err := s.Code(ctx, "Hits")
	if err != nil {
		t.Fatalf("coding the hits made no code: %v\n%s", err, d.view())
	}
	cs, err := s.Codings(ctx, coding.CodingFilter{CodeIDs: []int64{code.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var coded []coding.Span
	for _, c := range cs {
		coded = append(coded, coding.Span{Start: c.Start, End: c.End})
	}
	if w := []coding.Span{want[4], want[5]}; !equalSpans(coded, w) {
		t.Errorf("coding the hits coded %q, want %q", showAll(runes, coded), showAll(runes, w))
	}

	// Co-occurrence: the first and last words of each sentence meet in
	// it; the last word of one sentence and the first word of the next
	// never do (Odd ends sentences 1, 3, 5…; Even starts 2, 4, 6…).
	var first, last, odd, even []coding.Span
	for i, sp := range want {
		f, l := wordsAtEdges(runes, sp)
		first, last = append(first, f), append(last, l)
		if i%2 == 0 {
			odd = append(odd, l)
		} else {
			even = append(even, f)
		}
	}
	for _, c := range []struct {
		code  string
		spans []coding.Span
	}{{"First", first}, {"Last", last}, {"Odd", odd}, {"Even", even}} {
		if _, _, _, err := s.TagBatch(ctx, c.code, []coding.DocSpans{{DocID: docs[0].ID, Spans: c.spans}}, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	tab, err := s.Cooc(ctx, coding.CoocOptions{Within: coding.WithinSentence, Codes: []string{"First", "Last", "Odd", "Even"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Cells[0][1]; got != float64(len(want)) {
		t.Errorf("cooc First×Last within sentence = %v, want %d (one per sentence)", got, len(want))
	}
	if got := tab.Cells[2][3]; got != 0 {
		t.Errorf("cooc Odd×Even within sentence = %v, want 0 (a sentence's end and the next one's start)", got)
	}
	// Within a turn they do meet: the test tells the units apart.
	byTurn, err := s.Cooc(ctx, coding.CoocOptions{Within: coding.WithinTurn, Codes: []string{"Odd", "Even"}})
	if err != nil {
		t.Fatal(err)
	}
	if byTurn.Cells[0][1] == 0 {
		t.Errorf("cooc Odd×Even within turn = 0; the transcript's turns should hold several sentences")
	}
}

// wordsAtEdges returns the first and last words of sp.
func wordsAtEdges(rs []rune, sp coding.Span) (coding.Span, coding.Span) {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	s := sp.Start
	for !isWord(rs[s]) {
		s++
	}
	e := s
	for e < sp.End && isWord(rs[e]) {
		e++
	}
	le := sp.End
	for !isWord(rs[le-1]) {
		le--
	}
	ls := le
	for ls > sp.Start && isWord(rs[ls-1]) {
		ls--
	}
	return coding.Span{Start: s, End: e}, coding.Span{Start: ls, End: le}
}

func equalSpans(a, b []coding.Span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func showAll(rs []rune, sps []coding.Span) []string {
	var out []string
	for _, sp := range sps {
		out = append(out, string(rs[sp.Start:sp.End]))
	}
	return out
}
