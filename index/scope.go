package index

import (
	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts"
)

// Scopes of autocoding: what around a match gets coded.
const (
	ScopeMatch    = "match"
	ScopeSentence = "sentence"
	ScopeTurn     = "turn"
)

// Spans returns the spans a hit contributes at the given scope: each
// match, the sentence around each match (by the one sentence rule,
// transcripts.SentenceAt), or the passage's whole turn. Duplicates are
// removed; the order is by start.
func Spans(text string, turns []coding.Turn, h Hit, scope string) []coding.Span {
	return newDocSpans(text, turns).spans(h, scope)
}

// docSpans holds what the scopes read of one document.
type docSpans struct {
	text  string
	runes []rune // decoded on first use by the sentence scope
	turns []coding.Turn
}

func newDocSpans(text string, turns []coding.Turn) *docSpans {
	return &docSpans{text: text, turns: turns}
}

// spans is Spans for one document.
func (d *docSpans) spans(h Hit, scope string) []coding.Span {
	var out []coding.Span
	add := func(sp coding.Span) {
		for _, x := range out {
			if x == sp {
				return
			}
		}
		out = append(out, sp)
	}
	matches := h.Matches
	if len(matches) == 0 {
		matches = []coding.Span{h.Passage}
	}
	switch scope {
	case ScopeTurn:
		if h.Turn > 0 && h.Turn <= len(d.turns) {
			t := d.turns[h.Turn-1]
			add(coding.Span{Start: t.Body, End: t.End})
		} else {
			add(h.Passage)
		}
	case ScopeSentence:
		if d.runes == nil {
			d.runes = []rune(d.text)
		}
		for _, m := range matches {
			add(sentenceAround(d.runes, d.turns, m))
		}
	default:
		for _, m := range matches {
			add(m)
		}
	}
	return out
}

// sentenceAround widens m to the sentences that hold its first and last
// code points.
func sentenceAround(runes []rune, turns []coding.Turn, m coding.Span) coding.Span {
	tl := turnList(turns)
	s, e := transcripts.SentenceAt(runes, tl, m.Start)
	if m.End-1 > m.Start {
		if _, e2 := transcripts.SentenceAt(runes, tl, m.End-1); e2 > e {
			e = e2
		}
	}
	if s >= e { // a match in no sentence (white space, a label): itself
		return m
	}
	return coding.Span{Start: min(s, m.Start), End: max(e, m.End)}
}

// turnList gives the store's turns to the sentence rule.
type turnList []coding.Turn

func (ts turnList) Len() int { return len(ts) }

func (ts turnList) Bounds(i int) (start, body, end int) {
	return ts[i].Start, ts[i].Body, ts[i].End
}
