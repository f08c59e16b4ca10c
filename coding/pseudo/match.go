package pseudo

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/russian"
	"golang.org/x/text/unicode/norm"
)

// Match is one occurrence of an entry's real value in a text; Start and End
// are code points (the unit of every position in qcode), End exclusive.
type Match struct {
	Start, End int
	Entry      Entry
}

// Matcher finds every entry of a key in a text. The rule:
//
//   - A word is a run of letters, digits and combining marks; anything
//     else separates words, so "Анна" is not found in "Ганна" nor "Sasha"
//     in "Sashimi", and "Anna's" holds "Anna".
//   - Words compare without case, with ё as е, combining marks (stress)
//     ignored.
//   - A Cyrillic word of four letters or more in an entry matches every
//     case form: a word of the text matches when it is one of the entry
//     word's bases followed by a Russian case ending (Анна: Анны, Анне,
//     Анну, Анной, Анною; Петров: Петрова, Петровым; Сергей: Сергея,
//     Сергеем; Толстой: Толстого), or when its Snowball stem is the entry
//     word's and it begins with the entry word's base. A base is the word
//     less its nominative ending (a final vowel, й or ь; a two-letter
//     adjective ending) or, for a fleeting vowel (Павел), less that
//     vowel (Павла). A word of three letters ending in а or я takes the
//     short endings (Оля: Оли, Оле, Олю, Олей); any other word of three
//     letters or fewer, and a word in another script, matches its exact
//     form only: "Мир" is not "мира".
//   - An entry of several words matches those words in order with any
//     whitespace between them; other separators (".", "-", "'", "@") must
//     be the entry's, whitespace around them aside.
//   - Where entries overlap, the one that starts first wins, and of
//     those the longest ("Анна Петрова" before "Анна").
//
// A Matcher is immutable and safe for concurrent use.
type Matcher struct {
	patterns []pattern
	// byKey finds the patterns whose first word may match a token, by
	// the token's folded form or one of its bases.
	byKey map[string][]int
	// byStem finds those that may match by Snowball stem; stemPrefix
	// holds the first three letters of their first words, so only
	// tokens that begin so are stemmed.
	byStem     map[string][]int
	stemPrefix map[string]bool
}

// pattern is one entry, split into words.
type pattern struct {
	entry Entry
	words []word
	gaps  []string // normalised separators between words
	runes int      // length of the real value, for ordering
}

// word is one word of an entry.
type word struct {
	form    string   // folded
	inflect bool     // a Russian word matched in every case form
	bases   []string // folded bases, when inflect
	stem    string   // Snowball stem, when inflect
	prefix  string   // the shortest base: a token matched by stem begins with it
}

// NewMatcher prepares entries for finding. An entry whose real value has
// no word in it is never found.
func NewMatcher(entries []Entry) *Matcher {
	m := &Matcher{byKey: map[string][]int{}, byStem: map[string][]int{}, stemPrefix: map[string]bool{}}
	for _, e := range entries {
		p, ok := compile(e)
		if !ok {
			continue
		}
		m.patterns = append(m.patterns, p)
	}
	// Deterministic order: more words, then longer, then id; Find keeps
	// the first of equally long matches.
	sort.SliceStable(m.patterns, func(i, j int) bool {
		a, b := m.patterns[i], m.patterns[j]
		if len(a.words) != len(b.words) {
			return len(a.words) > len(b.words)
		}
		if a.runes != b.runes {
			return a.runes > b.runes
		}
		return a.entry.ID < b.entry.ID
	})
	for i, p := range m.patterns {
		w := p.words[0]
		keys := []string{w.form}
		if w.inflect {
			keys = append(keys, w.bases...)
		}
		if w.stem != "" {
			m.byStem[w.stem] = appendOnce(m.byStem[w.stem], i)
			m.stemPrefix[firstRunes(w.prefix, 3)] = true
		}
		for _, k := range keys {
			m.byKey[k] = appendOnce(m.byKey[k], i)
		}
	}
	return m
}

func appendOnce(s []int, i int) []int {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

// Empty reports whether the matcher finds nothing.
func (m *Matcher) Empty() bool { return m == nil || len(m.patterns) == 0 }

// compile splits an entry into words.
func compile(e Entry) (pattern, bool) {
	real := norm.NFC.String(e.Real)
	toks := tokenize(real)
	if len(toks) == 0 {
		return pattern{}, false
	}
	p := pattern{entry: e, runes: utf8.RuneCountInString(real)}
	for i, t := range toks {
		p.words = append(p.words, newWord(fold(real[t.b:t.e])))
		if i > 0 {
			p.gaps = append(p.gaps, normGap(real[toks[i-1].e:t.b]))
		}
	}
	return p, true
}

// newWord prepares one folded word of an entry.
func newWord(f string) word {
	w := word{form: f}
	n := utf8.RuneCountInString(f)
	if n < 3 || !allCyrillic(f) {
		return w
	}
	if n == 3 {
		// Оля, Аня, Ира: a short name ending in а or я takes the
		// short endings; Мир, Лев keep their exact form.
		if r := []rune(f); r[2] == 'а' || r[2] == 'я' {
			w.inflect = true
			w.bases = []string{f, string(r[:2])}
		}
		return w
	}
	w.inflect = true
	w.bases = bases(f)
	w.stem = stem(f)
	w.prefix = w.bases[0]
	for _, b := range w.bases {
		if len(b) < len(w.prefix) {
			w.prefix = b
		}
	}
	return w
}

// bases are the folded word itself and the word less its nominative
// ending, each at least three letters long.
func bases(f string) []string {
	r := []rune(f)
	n := len(r)
	out := []string{f}
	add := func(b []rune) {
		if len(b) < 3 {
			return
		}
		s := string(b)
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	last := r[n-1]
	if strings.ContainsRune(nominativeEnds, last) {
		add(r[:n-1])
	}
	if n >= 5 {
		switch string(r[n-2:]) {
		case "ий", "ый", "ой", "ая", "яя", "ое", "ее":
			add(r[:n-2])
		}
	}
	// A fleeting vowel: Павел, Павла; Орел, Орла; Шевчук is not one.
	if n >= 4 && (r[n-2] == 'е' || r[n-2] == 'о') && strings.ContainsRune("лкцнр", last) && !isVowel(r[n-3]) {
		add(append(append([]rune{}, r[:n-2]...), last))
	}
	return out
}

// nominativeEnds are the final letters a nominative form loses before a
// case ending.
const nominativeEnds = "аяоеыиуюйь"

func isVowel(r rune) bool { return strings.ContainsRune("аеиоуыэюя", r) }

// endings are the Russian case endings of nouns, names and adjectives
// (folded: ё as е), longest first.
var endings = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Fields(`а я у ю е и ы о ь й
		ой ей ою ею ом ем ам ям ах ях ую юю ая яя ое ее ые ие ый ий ым им ых их ью ия ии ию
		ами ями ого его ому ему ыми ими ией ием`) {
		m[e] = true
	}
	return m
}()

// maxEnding is the longest ending, in letters.
const maxEnding = 3

func allCyrillic(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

func stem(f string) string {
	env := snowballstem.NewEnv(f)
	russian.Stem(env)
	return env.Current()
}

func firstRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// matches reports whether the folded token t is a form of w.
func (w *word) matches(t string) bool {
	if t == w.form {
		return true
	}
	if !w.inflect {
		return false
	}
	for _, b := range w.bases {
		if len(t) > len(b) && strings.HasPrefix(t, b) && endings[t[len(b):]] &&
			(utf8.RuneCountInString(b) >= 3 || shortEndings[t[len(b):]]) {
			return true
		}
	}
	return w.stem != "" && strings.HasPrefix(t, w.prefix) && allCyrillic(t) && stem(t) == w.stem
}

// shortEndings are the endings a base of two letters takes (Оля: Оли,
// Оле, Олю, Олей, Олею).
var shortEndings = map[string]bool{"а": true, "я": true, "и": true, "ы": true, "е": true, "у": true, "ю": true,
	"ой": true, "ей": true, "ою": true, "ею": true}

// token is a word of a text: byte offsets b, e and code points s, en.
type token struct {
	b, e  int
	s, en int
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenize splits s into words.
func tokenize(s string) []token {
	var out []token
	in := false
	var cur token
	cp := 0
	for i, r := range s {
		if isWordRune(r) {
			if !in {
				in = true
				cur = token{b: i, s: cp}
			}
		} else if in {
			in = false
			cur.e, cur.en = i, cp
			out = append(out, cur)
		}
		cp++
	}
	if in {
		cur.e, cur.en = len(s), cp
		out = append(out, cur)
	}
	return out
}

// fold lower-cases s, reads ё as е and drops combining marks.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r == 'ё' {
			r = 'е'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normGap normalises the separator between two words: whitespace runs
// are one space, trimmed next to other separators; apostrophes and
// hyphens of every kind are the ASCII ones.
func normGap(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´':
			r = '\''
		case r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—':
			r = '-'
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" && space {
		return " "
	}
	return out
}

// Find returns every occurrence of the matcher's entries in text, sorted
// by Start and not overlapping. Entries limited to a document other than
// doc are skipped.
func (m *Matcher) Find(doc, text string) []Match {
	if m.Empty() || text == "" {
		return nil
	}
	toks := tokenize(text)
	folded := make([]string, len(toks))
	foldAt := func(i int) string {
		if folded[i] == "" {
			folded[i] = fold(text[toks[i].b:toks[i].e])
		}
		return folded[i]
	}
	var out []Match
	var cand []int
	for i := 0; i < len(toks); i++ {
		t := foldAt(i)
		cand = m.candidates(t, cand[:0])
		best, bestEnd := -1, -1
		for _, pi := range cand {
			p := &m.patterns[pi]
			if p.entry.Doc != "" && p.entry.Doc != doc {
				continue
			}
			if !p.words[0].matches(t) || i+len(p.words) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(p.words); k++ {
				if normGap(text[toks[i+k-1].e:toks[i+k].b]) != p.gaps[k-1] || !p.words[k].matches(foldAt(i+k)) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			end := i + len(p.words) - 1
			if end > bestEnd || (end == bestEnd && pi < best) {
				best, bestEnd = pi, end
			}
		}
		if best < 0 {
			continue
		}
		out = append(out, Match{Start: toks[i].s, End: toks[bestEnd].en, Entry: m.patterns[best].entry})
		i = bestEnd
	}
	return out
}

// candidates appends the patterns whose first word may match the folded
// token t, each once, in pattern order.
func (m *Matcher) candidates(t string, out []int) []int {
	out = append(out, m.byKey[t]...)
	// t less each case ending it may end with.
	n := 0
	for j := len(t); j > 0 && n < maxEnding; n++ {
		_, size := utf8.DecodeLastRuneInString(t[:j])
		j -= size
		if endings[t[j:]] {
			out = append(out, m.byKey[t[:j]]...)
		}
	}
	if len(m.byStem) > 0 && m.stemPrefix[firstRunes(t, 3)] && allCyrillic(t) {
		out = append(out, m.byStem[stem(t)]...)
	}
	if len(out) > 1 {
		sort.Ints(out)
		k := 1
		for j := 1; j < len(out); j++ {
			if out[j] != out[k-1] {
				out[k] = out[j]
				k++
			}
		}
		out = out[:k]
	}
	return out
}

// Replace returns text with each match replaced by its entry's
// pseudonym, and the matches.
func (m *Matcher) Replace(doc, text string) (string, []Match) {
	ms := m.Find(doc, text)
	return ReplaceMatches(text, ms), ms
}

// ReplaceMatches returns text with each of the matches (sorted, not
// overlapping, as Find returns them) replaced by its entry's pseudonym.
func ReplaceMatches(text string, ms []Match) string {
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	cp, k := 0, 0
	for i := range text {
		for k < len(ms) && ms[k].End <= cp {
			k++ // an empty or out-of-order match: skip it
		}
		if k < len(ms) && cp >= ms[k].Start {
			if cp == ms[k].Start {
				b.WriteString(ms[k].Entry.Pseudonym)
			}
		} else {
			_, size := utf8.DecodeRuneInString(text[i:])
			b.WriteString(text[i : i+size])
		}
		cp++
	}
	return b.String()
}

// Shift maps a code-point position in the original text to the replaced
// text (positions inside a replaced match go to the start of its
// pseudonym when start is true, to its end otherwise).
func Shift(matches []Match, pos int, start bool) int {
	delta := 0
	for _, m := range matches {
		if pos <= m.Start {
			break
		}
		plen := utf8.RuneCountInString(m.Entry.Pseudonym)
		if pos < m.End {
			if start {
				return m.Start + delta
			}
			return m.Start + delta + plen
		}
		delta += plen - (m.End - m.Start)
	}
	return pos + delta
}

// Shifter is Shift for many positions over the same matches.
type Shifter struct {
	ms    []Match
	delta []int // delta[i]: the shift of positions at or after ms[i].End
	plen  []int
}

// NewShifter prepares Shift over matches (sorted, not overlapping).
func NewShifter(matches []Match) *Shifter {
	s := &Shifter{ms: matches, delta: make([]int, len(matches)), plen: make([]int, len(matches))}
	d := 0
	for i, m := range matches {
		s.plen[i] = utf8.RuneCountInString(m.Entry.Pseudonym)
		d += s.plen[i] - (m.End - m.Start)
		s.delta[i] = d
	}
	return s
}

// Shift is the package's Shift over the Shifter's matches.
func (s *Shifter) Shift(pos int, start bool) int {
	// The first match that ends after pos.
	i := sort.Search(len(s.ms), func(i int) bool { return s.ms[i].End > pos })
	before := 0
	if i > 0 {
		before = s.delta[i-1]
	}
	if i < len(s.ms) && pos > s.ms[i].Start {
		if start {
			return s.ms[i].Start + before
		}
		return s.ms[i].Start + before + s.plen[i]
	}
	return pos + before
}
