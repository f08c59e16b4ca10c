package index

import (
	"strings"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// Scopes of autocoding: what around a match gets coded.
const (
	ScopeMatch    = "match"
	ScopeSentence = "sentence"
	ScopeTurn     = "turn"
)

// Spans returns the spans a hit contributes at the given scope: each
// match, the sentence around each match, or the passage's whole turn.
// Duplicates are removed; the order is by start.
func Spans(text string, turns []coding.Turn, h Hit, scope string) []coding.Span {
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
		if h.Turn > 0 && h.Turn <= len(turns) {
			t := turns[h.Turn-1]
			add(coding.Span{Start: t.Body, End: t.End})
		} else {
			add(h.Passage)
		}
	case ScopeSentence:
		for _, m := range matches {
			add(sentenceAround(text, h.Passage, m))
		}
	default:
		for _, m := range matches {
			add(m)
		}
	}
	return out
}

// sentenceAround widens m to the sentence that holds it, within the
// passage: back to just after the previous . ! ? … (or the passage start),
// forward through the next one and any closing quote or bracket.
func sentenceAround(text string, passage, m coding.Span) coding.Span {
	runes := []rune(coding.Slice(text, passage.Start, passage.End))
	s, e := m.Start-passage.Start, m.End-passage.Start
	for s > 0 {
		r := runes[s-1]
		if isStop(r) && (s >= len(runes) || unicode.IsSpace(runes[s])) {
			break
		}
		if r == '\n' && s >= 2 && runes[s-2] == '\n' {
			break
		}
		s--
	}
	for s < len(runes) && unicode.IsSpace(runes[s]) {
		s++
	}
	for e < len(runes) {
		r := runes[e]
		e++
		if isStop(r) && (e >= len(runes) || unicode.IsSpace(runes[e]) || strings.ContainsRune("\"'»”)]", runes[e])) {
			for e < len(runes) && strings.ContainsRune("\"'»”)]", runes[e]) {
				e++
			}
			break
		}
	}
	for e > s && unicode.IsSpace(runes[e-1]) {
		e--
	}
	return coding.Span{Start: passage.Start + s, End: passage.Start + e}
}

func isStop(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }
