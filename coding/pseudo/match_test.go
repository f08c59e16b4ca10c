package pseudo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func entry(id, real, pseudonym string) Entry {
	return Entry{ID: id, Real: real, Pseudonym: pseudonym, Kind: Person}
}

// found renders the matches of text as "text=id" pairs.
func found(text string, ms []Match) []string {
	r := []rune(text)
	var out []string
	for _, m := range ms {
		out = append(out, string(r[m.Start:m.End])+"="+m.Entry.ID)
	}
	return out
}

func TestFind(t *testing.T) {
	anna := entry("k1", "Анна", "[P1]")
	annaFull := entry("k2", "Анна Петрова", "[P2]")
	sasha := entry("k3", "Sasha", "[P3]")
	petrov := entry("k4", "Петров", "[P4]")
	sergey := entry("k5", "Сергей", "[P5]")
	mir := entry("k6", "Мир", "[P6]")
	pavel := entry("k7", "Павел", "[P7]")
	maria := entry("k8", "Мария", "[P8]")
	tolstoy := entry("k9", "Толстой", "[P9]")
	annaK := entry("k10", "Anna K. Petrova", "[P10]")
	annaEn := entry("k11", "Anna", "[P11]")
	tbilisi := Entry{ID: "k12", Real: "Тбилиси", Pseudonym: "[город]", Kind: Place}
	olga := entry("k13", "Ольга", "[P13]")
	igor := entry("k14", "Игорь", "[P14]")
	mail := Entry{ID: "k15", Real: "anna.p@mail.ru", Pseudonym: "[e-mail]", Kind: Other}
	semyon := entry("k16", "Семён", "[P16]")
	petr := entry("k17", "Пётр", "[P17]")
	onlyB := Entry{ID: "k18", Real: "Ольга", Pseudonym: "[B]", Kind: Person, Doc: "b"}

	tests := []struct {
		name    string
		entries []Entry
		doc     string
		text    string
		want    []string
	}{
		{"every case form of Анна", []Entry{anna}, "a",
			"Анна, Анны, Анне, Анну, Анной, Анною; АННА и анна.",
			[]string{"Анна=k1", "Анны=k1", "Анне=k1", "Анну=k1", "Анной=k1", "Анною=k1", "АННА=k1", "анна=k1"}},
		{"Анна not inside Ганна, not Аня, not Аннушка", []Entry{anna}, "a",
			"Ганна, Ганне, Аня, Ане, Аннушка, Анн-Мари", []string{"Анн=k1"}},
		{"Sasha not in Sashimi; Sasha's", []Entry{sasha}, "a",
			"Sashimi with Sasha's sister, SASHA, sasha2", []string{"Sasha=k3", "SASHA=k3"}},
		{"Anna's with either apostrophe", []Entry{annaEn}, "a",
			"Anna's and Anna’s, not Annas nor Joanna", []string{"Anna=k11", "Anna=k11"}},
		{"longest entry wins", []Entry{anna, annaFull}, "a",
			"Анна Петрова пришла. Анну Петрову видели, Анна одна, Петрова нет.",
			[]string{"Анна Петрова=k2", "Анну Петрову=k2", "Анна=k1"}},
		{"whitespace between words may be any", []Entry{annaFull}, "a",
			"Анной\n  Петровой и Анна\tПетрова", []string{"Анной\n  Петровой=k2", "Анна\tПетрова=k2"}},
		{"separators in an entry must be there", []Entry{annaK}, "a",
			"Anna K. Petrova, Anna K.  Petrova, Anna K Petrova", []string{"Anna K. Petrova=k10", "Anna K.  Petrova=k10"}},
		{"surname forms, not Пётр", []Entry{petrov}, "a",
			"Петров, Петрова, Петрову, Петровым, Петрове, Петровых; Петр, Петровский",
			[]string{"Петров=k4", "Петрова=k4", "Петрову=k4", "Петровым=k4", "Петрове=k4", "Петровых=k4"}},
		{"Пётр with ё, not Петров", []Entry{petr}, "a",
			"Петр, Пётр, Петра, Петром, Петрову", []string{"Петр=k17", "Пётр=k17", "Петра=k17", "Петром=k17"}},
		{"й names", []Entry{sergey}, "a",
			"Сергей, Сергея, Сергею, Сергеем, Сергее; Серега", []string{"Сергей=k5", "Сергея=k5", "Сергею=k5", "Сергеем=k5", "Сергее=k5"}},
		{"short values match their exact form only", []Entry{mir}, "a",
			"Мир, мир, мира, миру, Мирон", []string{"Мир=k6", "мир=k6"}},
		{"two letters: exact form only", []Entry{entry("k21", "Ян", "[Y]")}, "a",
			"Ян, Яна, Яну, ян", []string{"Ян=k21", "ян=k21"}},
		{"short names in а and я take their case forms", []Entry{entry("k19", "Оля", "[O]"), entry("k20", "Ира", "[I]")}, "a",
			"Оля, Оли, Оле, Олю, Олей; Ира, Иры, Ире, Иру, Ирой; Олег, Олимп, Ирак",
			[]string{"Оля=k19", "Оли=k19", "Оле=k19", "Олю=k19", "Олей=k19", "Ира=k20", "Иры=k20", "Ире=k20", "Иру=k20", "Ирой=k20"}},
		{"fleeting vowel", []Entry{pavel}, "a",
			"Павел, Павла, Павлу, Павлом; Павлик", []string{"Павел=k7", "Павла=k7", "Павлу=k7", "Павлом=k7"}},
		{"ия names", []Entry{maria}, "a",
			"Мария, Марии, Марию, Марией; Марина", []string{"Мария=k8", "Марии=k8", "Марию=k8", "Марией=k8"}},
		{"adjective surnames", []Entry{tolstoy}, "a",
			"Толстой, Толстого, Толстому, Толстым; толстяк", []string{"Толстой=k9", "Толстого=k9", "Толстому=k9", "Толстым=k9"}},
		{"indeclinable place", []Entry{tbilisi}, "a",
			"в Тбилиси, из ТБИЛИСИ", []string{"Тбилиси=k12", "ТБИЛИСИ=k12"}},
		{"г names", []Entry{olga}, "a",
			"Ольга, Ольги, Ольгой, Ольге, Ольгу", []string{"Ольга=k13", "Ольги=k13", "Ольгой=k13", "Ольге=k13", "Ольгу=k13"}},
		{"ь names", []Entry{igor}, "a",
			"Игорь, Игоря, Игорем, Игорю; Игорный", []string{"Игорь=k14", "Игоря=k14", "Игорем=k14", "Игорю=k14"}},
		{"e-mail", []Entry{mail}, "a",
			"write to anna.p@mail.ru or anna@mail.ru", []string{"anna.p@mail.ru=k15"}},
		{"ё and е alike, stress marks ignored", []Entry{semyon, anna}, "a",
			"Семен, Семёну, А́нна", []string{"Семен=k16", "Семёну=k16", "А́нна=k1"}},
		{"an entry limited to another document", []Entry{onlyB}, "a", "Ольга", nil},
		{"an entry limited to this document", []Entry{onlyB}, "b", "Ольга", []string{"Ольга=k18"}},
		{"nothing in an empty text", []Entry{anna}, "a", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMatcher(tc.entries)
			got := found(tc.text, m.Find(tc.doc, tc.text))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Find(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestReplaceAndShift(t *testing.T) {
	m := NewMatcher([]Entry{entry("k1", "Анна", "[Participant 3]"), entry("k2", "Анна Петрова", "[P]"), {ID: "k3", Real: "Тбилиси", Pseudonym: "[город]", Kind: Place}})
	text := "Я — Анна Петрова, живу в Тбилиси. Анну знают."
	got, ms := m.Replace("d", text)
	want := "Я — [P], живу в [город]. [Participant 3] знают."
	if got != want {
		t.Fatalf("Replace = %q, want %q", got, want)
	}
	if len(ms) != 3 {
		t.Fatalf("matches = %d, want 3", len(ms))
	}
	tests := []struct {
		pos   int
		start bool
		want  int
	}{
		{0, true, 0},
		{4, true, 4},    // the start of "Анна Петрова"
		{4, false, 4},   // a position at a match's start is before it
		{6, true, 4},    // inside: the pseudonym's start
		{6, false, 7},   // inside: the pseudonym's end
		{16, true, 7},   // the match's end: after the pseudonym
		{17, true, 8},   // ", "
		{25, false, 16}, // "Тбилиси" starts at 25
		{32, true, 23},
		{len([]rune(text)), true, len([]rune(want))},
	}
	sh := NewShifter(ms)
	for _, tc := range tests {
		if g := Shift(ms, tc.pos, tc.start); g != tc.want {
			t.Errorf("Shift(%d, %v) = %d, want %d", tc.pos, tc.start, g, tc.want)
		}
		if g := sh.Shift(tc.pos, tc.start); g != tc.want {
			t.Errorf("Shifter.Shift(%d, %v) = %d, want %d", tc.pos, tc.start, g, tc.want)
		}
	}
}

func TestMatcherEmpty(t *testing.T) {
	for _, es := range [][]Entry{nil, {entry("k1", "!!!", "[x]")}} {
		m := NewMatcher(es)
		if !m.Empty() {
			t.Errorf("NewMatcher(%v).Empty() = false", es)
		}
		if got := m.Find("", "Анна !!!"); got != nil {
			t.Errorf("Find = %v, want none", got)
		}
	}
	if NewMatcher([]Entry{entry("k1", "Анна", "[x]")}).Empty() {
		t.Error("a matcher with an entry is empty")
	}
}

// checkMatches checks what every result of Find must be.
func checkMatches(t *testing.T, m *Matcher, text string) {
	t.Helper()
	ms := m.Find("d", text)
	n := utf8.RuneCountInString(text)
	prev := 0
	for i, x := range ms {
		if x.Start < prev || x.End <= x.Start || x.End > n {
			t.Fatalf("match %d %+v out of order or range (text of %d, previous end %d)", i, x, n, prev)
		}
		prev = x.End
	}
	got, ms2 := m.Replace("d", text)
	if !reflect.DeepEqual(ms, ms2) {
		t.Fatalf("Replace found other matches than Find")
	}
	if !utf8.ValidString(text) {
		return
	}
	// The text between matches is kept, and Shift maps each match to its
	// pseudonym in the replaced text.
	r, g := []rune(text), []rune(got)
	if want := n + len(g) - n; len(g) != want {
		t.Fatal("length")
	}
	sh := NewShifter(ms)
	last := 0
	for _, x := range ms {
		s, e := Shift(ms, x.Start, true), Shift(ms, x.End, false)
		if s != sh.Shift(x.Start, true) || e != sh.Shift(x.End, false) {
			t.Fatalf("Shift and Shifter differ at %+v", x)
		}
		if s < 0 || e > len(g) || string(g[s:e]) != x.Entry.Pseudonym {
			t.Fatalf("replaced text at Shift(%d..%d) = [%d:%d] is not %q: %q", x.Start, x.End, s, e, x.Entry.Pseudonym, got)
		}
		if ls := Shift(ms, last, true); string(g[ls:s]) != string(r[last:x.Start]) {
			t.Fatalf("text between matches changed: %q vs %q", string(g[ls:s]), string(r[last:x.Start]))
		}
		last = x.End
	}
	if ls := Shift(ms, last, true); string(g[ls:]) != string(r[last:]) {
		t.Fatalf("tail changed: %q vs %q", string(g[ls:]), string(r[last:]))
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Анна Петрова и Анну", "Sasha's Sashimi", "Ганна, Анною\n Петровой", "a\xffАнна", "Анна-Анна Анна  Петрова", "Павла и Павел", ""} {
		f.Add(s)
	}
	m := NewMatcher([]Entry{
		entry("k1", "Анна", "[P1]"), entry("k2", "Анна Петрова", "[Person two]"), entry("k3", "Sasha", "[S]"),
		entry("k4", "Павел", "[]x]"), entry("k5", "Мир", "[мир]"), entry("k6", "Петрова", ""),
		entry("k7", "a", "[a long pseudonym]"),
	})
	f.Fuzz(func(t *testing.T, text string) {
		checkMatches(t, m, text)
	})
}

// TestFindMany checks the invariants on a generated text with many entries.
func TestFindMany(t *testing.T) {
	var es []Entry
	for i := 0; i < 200; i++ {
		es = append(es, entry(fmt.Sprintf("k%d", i), fmt.Sprintf("%s %s", firstNames[i%len(firstNames)], surnames[i%len(surnames)]), fmt.Sprintf("[P%d]", i)))
	}
	es = append(es, entry("single", "Анна", "[A]"))
	text := corpus(20000, 1)
	m := NewMatcher(es)
	checkMatches(t, m, text)
	if len(m.Find("d", text)) == 0 {
		t.Fatal("nothing found in the generated corpus")
	}
	if strings.Contains(func() string { s, _ := m.Replace("d", text); return s }(), "Анна ") {
		t.Error("Анна left in the replaced text")
	}
}

// benchEntries makes n entries: full names of firstNames and surnames,
// the single names, and made-up Cyrillic and Latin names for the rest.
func benchEntries(n int) []Entry {
	var es []Entry
	for _, f := range firstNames {
		for _, s := range surnames {
			es = append(es, entry(fmt.Sprintf("k%d", len(es)), f+" "+s, fmt.Sprintf("[P%d]", len(es))))
		}
	}
	for _, f := range append(append([]string{}, firstNames...), surnames...) {
		es = append(es, entry(fmt.Sprintf("k%d", len(es)), f, fmt.Sprintf("[P%d]", len(es))))
	}
	syl := []string{"ра", "ми", "ло", "ве", "ны", "ка", "зу", "те", "бо", "ша"}
	latin := []string{"ka", "lo", "mi", "ra", "ve", "no", "su", "ti", "be", "sha"}
	for i := 0; len(es) < n; i++ {
		name := syl[i%10] + syl[i/10%10] + syl[i/100%10] + "н"
		if i%2 == 1 {
			name = strings.ToUpper(latin[i%10][:1]) + latin[i%10][1:] + latin[i/10%10] + latin[i/100%10] + "n"
		}
		es = append(es, entry(fmt.Sprintf("k%d", len(es)), name, fmt.Sprintf("[P%d]", len(es))))
	}
	return es
}

// BenchmarkReplace replaces 500 entries in a generated corpus of 1M
// words (what 'pseudo apply' does to every document).
func BenchmarkReplace(b *testing.B) {
	text := corpus(1_000_000, 3)
	es := benchEntries(500)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := NewMatcher(es)
		out, ms := m.Replace("d", text)
		if len(ms) == 0 || len(out) == 0 {
			b.Fatal("nothing replaced")
		}
	}
}
