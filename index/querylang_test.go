package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// qlCorpus is a small English and Russian project for the query
// language's tests: each passage is a turn, named DOC:TURN.
func qlCorpus(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "q.qcode"), coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	files := []struct{ name, lang, wave, text string }{
		{"en.txt", "en", "February", "Q: How did you leave?\n" +
			"Anna K. Petrova: We smelled smoke near the border.\n" +
			"Q: What did you fear most?\n" +
			"Anna K. Petrova: The police. I feared the police would stop us at the border, fear and police everywhere.\n" +
			"Boris: Police came first; many days later, after a long and boring wait in the queue, fear came.\n" +
			"Boris: I didn’t donate, my wife did. The mobilisation scared her.\n" +
			"Q: And the smell?\n" +
			"Boris: Smoke or no smoke, we left.\n" +
			"Boris: We're gone for good.\n"},
		{"ru.txt", "ru", "September", "И: Как вы уехали?\n" +
			"Катя: Я боялась полиции, страх был всегда.\n" +
			"И: А мобилизация?\n" +
			"Катя: После объявления мобилизации брат уехал через Верхний Ларс.\n" +
			"Олег: Ещё я помню дым и запах гари.\n" +
			"Олег: Полицейские и страх, страх и полиция.\n"},
	}
	for _, f := range files {
		if _, err := s.Import(ctx, coding.ImportFile{Path: f.name, Data: []byte(f.text), Lang: f.lang,
			Attributes: []coding.Attribute{{Key: "wave", Type: coding.TypeText, Value: f.wave}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Fear on en:4 and ru:2, its sub-code Fear/Police on en:5,
	// Mobilization on ru:4.
	for _, c := range []struct {
		doc  string
		turn int
		code string
	}{{"en", 4, "Fear"}, {"ru", 2, "Fear"}, {"en", 5, "Fear/Police"}, {"ru", 4, "Mobilization"}} {
		d, err := s.Document(ctx, c.doc, false)
		if err != nil {
			t.Fatal(err)
		}
		turns, err := s.Turns(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		tn := turns[c.turn-1]
		if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: c.doc, Code: c.code, Create: true,
			Spans: []coding.Span{{Start: tn.Body, End: tn.End}}}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// passages names the hits DOC:TURN, sorted.
func passages(res Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s:%d", h.Document, h.Turn))
	}
	sort.Strings(out)
	return out
}

func TestQueryLanguageFinds(t *testing.T) {
	s := qlCorpus(t)
	ix := openIndex(t, s)
	tests := []struct {
		query string
		want  []string
	}{
		// Operators; two words mean both; lower-case or/and are words.
		{"smoke OR smell", []string{"en:2", "en:7", "en:8"}},
		{"smoke AND smell", []string{"en:2"}},
		{"smoke smell", []string{"en:2"}},
		{"+smoke +smell", []string{"en:2"}},
		{"smoke or smell", []string{}},
		{"smoke or", []string{"en:8"}},
		{"fear -police", []string{"en:3"}},
		{"fear NOT police", []string{"en:3"}},
		{"NOT police fear", []string{"en:3"}},
		{"(smoke OR smell) AND NOT border", []string{"en:7", "en:8"}},
		{"smoke OR smell border", []string{"en:2", "en:8"}},
		{"(smoke OR smell) border", []string{"en:2"}},
		{"smell OR NOT police", []string{"en:1", "en:2", "en:3", "en:6", "en:7", "en:8", "en:9", "ru:1", "ru:2", "ru:3", "ru:4", "ru:5", "ru:6"}},
		{"NOT (NOT police)", []string{"en:4", "en:5"}},
		{"NOT (police OR smoke) speaker:Boris", []string{"en:6", "en:9"}},
		{"-police -полиция -smoke -smell -страх", []string{"en:1", "en:3", "en:6", "en:9", "ru:1", "ru:3", "ru:4", "ru:5"}},
		// Phrases, proximity.
		{`"fear police"`, []string{}},
		{`"fear and police"`, []string{"en:4"}},
		{`"fear police"~3`, []string{"en:4"}},
		{`"police fear"~3`, []string{"en:4"}},
		{"fear NEAR/3 police", []string{"en:4"}},
		{"fear NEAR/20 police", []string{"en:4", "en:5"}},
		{"fear police", []string{"en:4", "en:5"}},
		{"страх NEAR/2 полиция", []string{"ru:2", "ru:6"}},
		{`"верхний ларс"`, []string{"ru:4"}},
		{`"через верхнем ларсе"`, []string{"ru:4"}},
		{`«Верхний Ларс»`, []string{"ru:4"}},
		{`“upper lars” OR «верхний ларс»`, []string{"ru:4"}},
		// Russian operators, stemming, ё.
		{"мобилизация", []string{"ru:3", "ru:4"}},
		{"мобилизация ИЛИ дым", []string{"ru:3", "ru:4", "ru:5"}},
		{"мобилизация И брат", []string{"ru:4"}},
		{"мобилизация НЕ брат", []string{"ru:3"}},
		{"мобилизация и брат", []string{}},
		{"ещё", []string{"ru:5"}},
		{"еще", []string{"ru:5"}},
		{"ЕЩЁ дым", []string{"ru:5"}},
		// Apostrophes both ways, patterns, fuzzy.
		{"didn't", []string{"en:6"}},
		{"didn’t", []string{"en:6"}},
		{`"didn't donate"`, []string{"en:6"}},
		{"we’re", []string{"en:9"}},
		{"we're", []string{"en:9"}},
		{"mobilization~1", []string{"en:6"}},
		{"mobili*", []string{"en:6"}},
		{"мобилиз*", []string{"ru:3", "ru:4"}},
		{"м*лизац*", []string{"ru:3", "ru:4"}},
		{"полиц* OR smok*", []string{"en:2", "en:8", "ru:2", "ru:6"}},
		// Filters.
		{`speaker:"Anna K. Petrova" fear`, []string{"en:4"}},
		{`speaker:"anna k. petrova"`, []string{"en:2", "en:4"}},
		{"speaker:Boris police", []string{"en:5"}},
		{"speaker:Boris OR speaker:Катя", []string{"en:5", "en:6", "en:8", "en:9", "ru:2", "ru:4"}},
		{"code:Fear", []string{"en:4", "en:5", "ru:2"}},
		{"code:Fear/Police", []string{"en:5"}},
		{`code:"Fear/Police"`, []string{"en:5"}},
		{"-code:Fear fear", []string{"en:3"}},
		{"notcode:Fear fear", []string{"en:3"}},
		{"is:uncoded страх", []string{"ru:6"}},
		{"is:coded", []string{"en:4", "en:5", "ru:2", "ru:4"}},
		{"doc:ru страх", []string{"ru:2", "ru:6"}},
		{"doc:en OR мобилизация", []string{"en:1", "en:2", "en:3", "en:4", "en:5", "en:6", "en:7", "en:8", "en:9", "ru:3", "ru:4"}},
		{"attr:wave=September страх", []string{"ru:2", "ru:6"}},
		{"attr:wave=February страх", []string{}},
		{`attr:wave="September" страх`, []string{"ru:2", "ru:6"}},
		{"coder:anna code:Fear", []string{"en:4", "en:5", "ru:2"}},
		{"coder:pavel code:Fear", []string{}},
		{"coder:anna", []string{"en:4", "en:5", "ru:2", "ru:4"}},
		{"lang:ru страх", []string{"ru:2", "ru:6"}},
		{"code:Fear OR мобилизация", []string{"en:4", "en:5", "ru:2", "ru:3", "ru:4"}},
		{"sort:rank fear", []string{"en:3", "en:4", "en:5"}},
	}
	for _, tc := range tests {
		res := find(t, ix, Query{Text: tc.query})
		if got := passages(res); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("search %s = %v, want %v", tc.query, got, tc.want)
		}
		if res.Total != uint64(len(res.Hits)) {
			t.Errorf("search %s: total %d, %d hits", tc.query, res.Total, len(res.Hits))
		}
	}
}

func TestParseUnderstands(t *testing.T) {
	tests := []struct{ query, want string }{
		{"smoke smell", "text:smoke AND text:smell"},
		{"smoke OR smell", "text:smoke OR text:smell"},
		{"smoke or smell", "text:smoke AND text:or AND text:smell"},
		{`(smoke OR smell) speaker:"Anna K. Petrova" -code:Fear`, `(text:smoke OR text:smell) AND speaker:"Anna K. Petrova" AND NOT code:Fear/*`},
		{"a OR b c", "text:a OR (text:b AND text:c)"},
		{"a OR b OR (c OR d)", "text:a OR text:b OR text:c OR text:d"},
		{"NOT a b", "NOT text:a AND text:b"},
		{"-(a OR b) c", "NOT (text:a OR text:b) AND text:c"},
		{"+a +b", "text:a AND text:b"},
		{`"fear police"~5`, `text:"fear police"~5`},
		{`"fear   police"`, `text:"fear police"`},
		{"fear NEAR/5 police", "text:fear NEAR/5 text:police"},
		{"fear NEAR/5 police OR x", "(text:fear NEAR/5 text:police) OR text:x"},
		{"mobiliz* mobilisation~1 word~", "raw:mobiliz* AND raw:mobilisation~1 AND raw:word~1"},
		{"мобилизация ИЛИ дым И брат НЕ сестра", "text:мобилизация OR (text:дым AND text:брат AND NOT text:сестра)"},
		{"notcode:Fear is:uncoded doc:R01 attr:wave=September coder:anna lang:ru sort:rank",
			"NOT code:Fear/* AND is:uncoded AND doc:R01 AND attr:wave=September AND coder:anna AND lang:ru AND sort:rank"},
		{`attr:"wave = late September"`, `attr:"wave=late September"`},
		{`code:"Fear of repression"`, `code:"Fear of repression/*"`},
		{"Speaker:Boris", "speaker:Boris"},
		{"fear — police", "text:fear AND text:police"},
		{"fear - police", "text:fear AND text:police"},
		{"10:30", `text:"10:30"`},
		{`«верхний ларс»`, `text:"верхний ларс"`},
		{"", "(every passage)"},
		{"   ", "(every passage)"},
	}
	for _, tc := range tests {
		e, err := Parse(tc.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.query, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.query, got, tc.want)
		}
		// The canonical form reads back as itself.
		if e != nil {
			again, err := Parse(strings.NewReplacer("text:", "", "raw:", "", "/*", "").Replace(e.String()))
			if err != nil || again.String() != e.String() {
				t.Errorf("Parse(String(%q)) = %v, %v; want %s", tc.query, again, err, e.String())
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		pos   int
		want  string
	}{
		{"fear (police OR smoke", 6, "a parenthesis opened at 6 is never closed"},
		{"fear police)", 12, "a parenthesis closed at 12 was never opened"},
		{"OR smoke", 1, "OR at 1 has nothing before it"},
		{"smoke OR", 7, "OR at 7 has nothing after it"},
		{"smoke AND", 7, "AND at 7 has nothing after it"},
		{"AND smoke", 1, "AND at 1 has nothing before it"},
		{"smoke NOT", 7, "NOT at 7 has nothing after it"},
		{"NEAR/5 police", 1, "NEAR/5 needs a word on each side"},
		{"fear NEAR/5", 6, "NEAR/5 needs a word on each side"},
		{`fear NEAR/5 "the police"`, 6, "NEAR/5 needs a word on each side"},
		{"fear NEAR police", 6, "NEAR needs a distance"},
		{"a NEAR/2 b NEAR/2 c", 12, "NEAR joins two words"},
		{`"unclosed`, 1, "a quotation mark opened at 1 is not closed"},
		{`fear "unclosed`, 6, "quotation mark"},
		{"speaker:", 1, "has no value"},
		{`speaker:""`, 1, "has no value"},
		{"fear speaker: x", 6, "has no value"},
		{"foo:bar", 1, "foo: is not a field"},
		{"is:maybe", 1, "is: takes uncoded or coded"},
		{"sort:date", 1, "sort: takes rank"},
		{"attr:wave", 1, "attr: wants KEY=VALUE"},
		{"smoke OR sort:rank", 10, "applies to the whole query"},
		{"NOT coder:anna", 5, "applies to the whole query"},
		{"word~3", 1, "1 or 2 edits"},
		{"* fear", 1, "* needs letters"},
		{"()", 1, "nothing inside"},
		{`""`, 1, "nothing inside"},
		{`"a b"~`, 6, "needs a number"},
		{`"a b"c`, 6, "put a space after the closing quotation mark"},
		{"-+x", 1, "- must stand right before"},
		{"мобилизация ИЛИ", 13, "ИЛИ at 13 has nothing after it"},
		{"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x", 102, "nests more than"},
		{strings.Repeat("x", MaxQueryLength+1), 0, "the limit is"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.query)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrQuery) {
			t.Errorf("Parse(%.30q) = %v, want a QueryError", tc.query, err)
			continue
		}
		if qe.Pos != tc.pos || !strings.Contains(qe.Reason, tc.want) {
			t.Errorf("Parse(%.30q) = at %d %q; want at %d %q", tc.query, qe.Pos, qe.Reason, tc.pos, tc.want)
		}
		if tc.pos > 0 && !strings.Contains(err.Error(), fmt.Sprintf("column %d", tc.pos)) {
			t.Errorf("Parse(%.30q): %q does not name the column", tc.query, err)
		}
	}
}

// TestNearKeepsOnlyNearMatches checks that proximity hits highlight the
// words that are near each other, not every occurrence, and that totals
// count only passages where they are near.
func TestNearKeepsOnlyNearMatches(t *testing.T) {
	s := newProject(t, map[string]string{"a.txt": "Q: Well?\nA: Fear came first, then a long and boring wait in a queue, and then the police and fear.\n" +
		"Q: And?\nA: Fear, and after a long long time and a queue and a wait, police.\n"})
	ix := openIndex(t, s)
	text, err := s.DocumentText(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"fear NEAR/3 police", `"fear police"~3`, `"police fear"~3`} {
		res := find(t, ix, Query{Text: q})
		if res.Total != 1 || len(res.Hits) != 1 {
			t.Fatalf("%s: %d hits, total %d; want 1", q, len(res.Hits), res.Total)
		}
		var got []string
		for _, m := range res.Hits[0].Matches {
			got = append(got, coding.Slice(text, m.Start, m.End))
		}
		if !reflect.DeepEqual(got, []string{"police", "fear"}) {
			t.Errorf("%s matched %q, want only the near police and fear", q, got)
		}
		h := res.Hits[0]
		if hl := h.Highlights; len(hl) != 2 || string([]rune(h.Fragment)[hl[0].Start:hl[0].End]) != "police" {
			t.Errorf("%s: highlights %v in %q", q, hl, h.Fragment)
		}
	}
	all := find(t, ix, Query{Text: "fear NEAR/30 police", Limit: 1})
	if all.Total != 2 || len(all.Hits) != 1 {
		t.Errorf("NEAR/30 with limit 1: %d hits of %d, want 1 of 2", len(all.Hits), all.Total)
	}
}

func TestExplain(t *testing.T) {
	e, err := Parse(`мобилизация "fear police"~5 mobiliz* speaker:Boris`)
	if err != nil {
		t.Fatal(err)
	}
	got := e.Explain()
	for _, want := range []string{
		`text:мобилизация AND text:"fear police"~5 AND raw:mobiliz* AND speaker:Boris`,
		"мобилизация: the word in any form (searched as мобилизац)",
		"within 5 words of each other",
		"not stemmed",
		"passages of that speaker",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain() = %s\nwant it to say %q", got, want)
		}
	}
}

func TestBadFilterValues(t *testing.T) {
	s := qlCorpus(t)
	ix := openIndex(t, s)
	for _, q := range []string{"code:Nonexistent", "doc:nosuchdoc fear", "coder:anna fear", "fear"} {
		_, err := ix.Search(context.Background(), Query{Text: q, Coder: "pavel"})
		if q == "fear" {
			if err != nil {
				t.Errorf("%s with Coder pavel: %v", q, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("search %s: no error", q)
		}
	}
}

// BenchmarkQueryLanguage reports the cost of parsing, and of a
// proximity search against the plain AND of the same words, on the
// golden corpus.
func BenchmarkQueryLanguage(b *testing.B) {
	b.Run("parse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Parse(`(smoke OR smell) speaker:"Anna K. Petrova" -code:Fear "fear police"~5 mobiliz*`); err != nil {
				b.Fatal(err)
			}
		}
	})
	s := goldenCorpus(b)
	ix, _, err := Open(context.Background(), s, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"fear police", `"fear police"~5`, "fear NEAR/5 police", "fear OR police", "мобилизация -брат"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ix.Search(context.Background(), Query{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
