package transcripts

import (
	"sort"
	"strings"
	"unicode"
)

// The one sentence rule of qcode. The reader's "select sentence", the
// index's --scope sentence and the analysis's "within sentence" all ask
// these functions, so they cut a text the same way:
//
//   - A sentence never crosses a turn boundary or a blank line. A turn's
//     label (the span [Start, Body)) belongs to no sentence.
//   - A single line break inside a turn is white space like any other:
//     transcripts are often hard-wrapped (plain text at 72 columns,
//     Markdown, a subtitle cue over two lines), and a speaker's sentence
//     goes on across the wrapped line.
//   - A sentence ends after ! or ? (and any closing quote or bracket)
//     followed by white space or the end of its stretch of speech.
//   - After a full stop or an ellipsis (... or …) it ends too, unless
//     the next word starts with a lower-case letter ("Well... no"), the
//     full stop closes an abbreviation that stands before a word (Dr.,
//     e.g., т. е., г. Москва), or it follows an initial before a
//     capitalised word (A. S. Pushkin, А. С. Пушкин). A full stop inside
//     a word or number (3.5, example.com) ends nothing.
//
// Each test looks only a few code points around a position, so the
// sentence around a cursor costs as much as that sentence, whatever the
// length of the text.

// TurnList gives the sentence functions a document's turns, sorted by
// start and disjoint, in code points: a turn is [start, end), and its
// speech runs from body on.
type TurnList interface {
	Len() int
	Bounds(i int) (start, body, end int)
}

// TurnSpan is a turn as the sentence functions see it.
type TurnSpan struct{ Start, Body, End int }

// TurnSpans is a TurnList of plain spans.
type TurnSpans []TurnSpan

// Len is the number of turns.
func (ts TurnSpans) Len() int { return len(ts) }

// Bounds returns turn i's start, body and end.
func (ts TurnSpans) Bounds(i int) (start, body, end int) {
	return ts[i].Start, ts[i].Body, ts[i].End
}

// TurnSpansOf returns the spans of parsed turns.
func TurnSpansOf(turns []Turn) TurnSpans {
	out := make(TurnSpans, len(turns))
	for i, t := range turns {
		out[i] = TurnSpan{t.Start, t.Body, t.End}
	}
	return out
}

// EachSentence calls fn with every sentence of text, in order, as
// [start, end) in code points: trimmed of white space, never empty,
// never crossing a turn, a blank line or a turn's label. Every character
// that is not white space and not in a label is in exactly one sentence.
// turns may be nil: the text is then one stretch of speech.
func EachSentence(text []rune, turns TurnList, fn func(start, end int)) {
	n := len(text)
	pos := 0
	nt := 0
	if turns != nil {
		nt = turns.Len()
	}
	for i := 0; i < nt; i++ {
		start, body, end := clampTurn(turns, i, n)
		start, body, end = max(start, pos), max(body, pos), max(end, pos)
		if start > pos {
			sentencesIn(text, pos, start, fn)
		}
		sentencesIn(text, body, end, fn)
		pos = end
	}
	sentencesIn(text, pos, n, fn)
}

// Sentences returns EachSentence's sentences as [start, end) pairs.
func Sentences(text []rune, turns TurnList) [][2]int {
	var out [][2]int
	EachSentence(text, turns, func(s, e int) { out = append(out, [2]int{s, e}) })
	return out
}

// SentenceAt returns the sentence that holds code point cp, as EachSentence
// would give it. A cp in a turn's label stands for the turn's first word;
// a cp in white space stands for the next sentence of its stretch of
// speech, or the previous one when none follows. It returns an empty span
// at cp when its stretch holds no sentence.
func SentenceAt(text []rune, turns TurnList, cp int) (start, end int) {
	n := len(text)
	if n == 0 {
		return 0, 0
	}
	cp = min(max(cp, 0), n-1)
	lo, hi := 0, n
	nt := 0
	if turns != nil {
		nt = turns.Len()
	}
	// The last turn starting at or before cp.
	i := sort.Search(nt, func(i int) bool { s, _, _ := clampTurn(turns, i, n); return s > cp }) - 1
	switch {
	case i >= 0 && cp < turnEnd(turns, i, n):
		_, body, end := clampTurn(turns, i, n)
		lo, hi = body, end
		cp = max(cp, body)
	case i >= 0:
		lo = turnEnd(turns, i, n)
		if i+1 < nt {
			hi, _, _ = clampTurn(turns, i+1, n)
		}
	case nt > 0:
		hi, _, _ = clampTurn(turns, 0, n)
	}
	hi = max(hi, lo)
	if cp >= hi {
		return hi, hi
	}
	// From white space, go to the next word of the stretch, else back to
	// the last one.
	p := cp
	for p < hi && unicode.IsSpace(text[p]) {
		p++
	}
	if p >= hi {
		p = cp
		for p > lo && unicode.IsSpace(text[p]) {
			p--
		}
		if unicode.IsSpace(text[p]) {
			return cp, cp
		}
	}
	// Back to the last boundary at or before p, then on to the first
	// after it.
	b := p
	for b > lo && !boundary(text, lo, hi, b) {
		b--
	}
	s := b
	for s < p && unicode.IsSpace(text[s]) {
		s++
	}
	e := p + 1
	for e < hi && !boundary(text, lo, hi, e) {
		e++
	}
	for e > s && unicode.IsSpace(text[e-1]) {
		e--
	}
	return s, e
}

func clampTurn(turns TurnList, i, n int) (start, body, end int) {
	start, body, end = turns.Bounds(i)
	start = min(max(start, 0), n)
	end = min(max(end, start), n)
	body = min(max(body, start), end)
	return start, body, end
}

func turnEnd(turns TurnList, i, n int) int {
	_, _, e := clampTurn(turns, i, n)
	return e
}

// sentencesIn calls fn with the sentences of the stretch [lo, hi).
func sentencesIn(text []rune, lo, hi int, fn func(start, end int)) {
	p := lo
	for p < hi {
		for p < hi && unicode.IsSpace(text[p]) {
			p++
		}
		if p >= hi {
			return
		}
		s := p
		e := p + 1
		for e < hi && !boundary(text, lo, hi, e) {
			e++
		}
		p = e
		for e > s && unicode.IsSpace(text[e-1]) {
			e--
		}
		fn(s, e)
	}
}

// boundary reports whether a sentence of the stretch [lo, hi) ends at k
// (lo < k < hi): k is white space, and either a blank line starts there
// or the text before it closes a sentence.
func boundary(text []rune, lo, hi, k int) bool {
	r := text[k]
	if !unicode.IsSpace(r) {
		return false
	}
	if r == '\n' && blankAfter(text, k, hi) {
		return true
	}
	return endsBefore(text, lo, hi, k)
}

// blankAfter reports whether the line after the line break at k holds
// only white space (and another line break follows it).
func blankAfter(text []rune, k, hi int) bool {
	for j := k + 1; j < hi; j++ {
		switch r := text[j]; {
		case r == '\n':
			return true
		case !unicode.IsSpace(r):
			return false
		}
	}
	return false
}

// isTerminal is punctuation that can end a sentence.
func isTerminal(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

// isCloser is punctuation that stays with the sentence it follows.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '»', '”', '’', ')', ']', '}', '›':
		return true
	}
	return false
}

// isOpener is punctuation that may stand before a sentence's first word.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '«', '“', '„', '‘', '(', '[', '{', '‹', '—', '–', '-', '¿', '¡':
		return true
	}
	return false
}

// endsBefore reports whether the punctuation just before the white space
// at k closes a sentence.
func endsBefore(text []rune, lo, hi, k int) bool {
	j := k
	for j > lo && isCloser(text[j-1]) {
		j--
	}
	t := j
	for t > lo && isTerminal(text[t-1]) {
		t--
	}
	if t == j {
		return false
	}
	run := text[t:j]
	for _, r := range run {
		if r == '!' || r == '?' {
			return true
		}
	}
	if len(run) == 1 && run[0] == '.' {
		switch abbreviation(text, lo, t) {
		case abbrPrefix:
			return false
		case abbrInitial:
			if nextIsUpper(text, k, hi) {
				return false
			}
		}
	}
	return !nextIsLower(text, k, hi)
}

// nextLetter returns the first letter or digit after k, past white space
// and opening punctuation, or 0 at the end of the stretch.
func nextLetter(text []rune, k, hi int) rune {
	for j := k; j < hi; j++ {
		r := text[j]
		if unicode.IsSpace(r) || isOpener(r) {
			continue
		}
		return r
	}
	return 0
}

func nextIsLower(text []rune, k, hi int) bool { return unicode.IsLower(nextLetter(text, k, hi)) }
func nextIsUpper(text []rune, k, hi int) bool { return unicode.IsUpper(nextLetter(text, k, hi)) }

type abbrKind uint8

const (
	abbrNone    abbrKind = iota
	abbrPrefix           // stands before a word: never ends a sentence
	abbrInitial          // a capital letter alone: an initial before a name
)

// maxAbbr bounds how far back a word before a full stop is read.
const maxAbbr = 12

// prefixes are abbreviations that stand before a word or number, lower
// case, without their final full stop; inner full stops are kept ("e.g")
// and an abbreviation written with a space ("т. е.") is read as one
// ("т.е"). Abbreviations that may end a sentence ("etc.", "и т.д.",
// "2022 г.") are not listed: the next word's case decides for them.
var prefixes = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "prof": true, "st": true,
	"mt": true, "vs": true, "e.g": true, "i.e": true, "cf": true, "approx": true,
	"т.е": true, "т.к": true, "т.н": true, "т.ч": true, "напр": true, "см": true,
	"ул": true, "им": true, "проф": true, "акад": true, "тов": true, "гр": true,
	"ср": true, "стр": true, "рис": true, "св": true, "пр": true, "ст": true,
	"д-р": true, "г-н": true, "г-жа": true, "пос": true, "обл": true, "р-н": true,
}

// abbreviation classifies the word that ends just before the full stop
// at t.
func abbreviation(text []rune, lo, t int) abbrKind {
	w := t
	for w > lo && t-w < maxAbbr && (unicode.IsLetter(text[w-1]) || text[w-1] == '.' || text[w-1] == '-') {
		w--
	}
	if w == t || w > lo && (unicode.IsLetter(text[w-1]) || text[w-1] == '.' || text[w-1] == '-') {
		return abbrNone // no word, or one too long to be an abbreviation
	}
	word := strings.ToLower(string(text[w:t]))
	single := t-w == 1 && unicode.IsLetter(text[w])
	// "т. е.": a lone letter after a lone letter and a full stop.
	if single && w-3 >= lo && text[w-1] == ' ' && text[w-2] == '.' && unicode.IsLetter(text[w-3]) &&
		(w-3 == lo || !unicode.IsLetter(text[w-4]) && text[w-4] != '.') {
		if prefixes[strings.ToLower(string(text[w-3]))+"."+word] {
			return abbrPrefix
		}
	}
	if prefixes[word] {
		return abbrPrefix
	}
	// "г." is a year after a number ("в 2022 г.") and may end a
	// sentence; before a name ("г. Москва") it is a city.
	if word == "г" || word == "гг" {
		d := w
		for d > lo && unicode.IsSpace(text[d-1]) {
			d--
		}
		if d > lo && unicode.IsDigit(text[d-1]) {
			return abbrNone
		}
		return abbrPrefix
	}
	if single && unicode.IsUpper(text[w]) && text[w] != 'I' && text[w] != 'Я' {
		return abbrInitial
	}
	return abbrNone
}
