package index

import (
	"context"
	"fmt"

	"github.com/qcode-dev/qcode/coding"
)

// HitSpan is one span that a search's hits give to code.
type HitSpan struct {
	DocID int64
	// Document is the document's name as the hits give it.
	Document string
	coding.Span
	// Text is the span's text.
	Text string
}

// SpansOf turns search hits into the spans to code at a scope (ScopeMatch,
// ScopeSentence or ScopeTurn; see Spans), in the order the hits give
// them, each span of a document once. It reads each document's text and
// turns from the store once.
func SpansOf(ctx context.Context, s *coding.Store, hits []Hit, scope string) ([]HitSpan, error) {
	var out []HitSpan
	type docState struct {
		d    *docSpans
		seen map[coding.Span]bool
	}
	docs := map[int64]*docState{}
	for _, h := range hits {
		st, ok := docs[h.DocID]
		if !ok {
			text, err := s.DocumentText(ctx, h.DocID)
			if err != nil {
				return nil, fmt.Errorf("spans of %s: %w", h.Document, err)
			}
			turns, err := s.Turns(ctx, h.DocID)
			if err != nil {
				return nil, fmt.Errorf("spans of %s: %w", h.Document, err)
			}
			st = &docState{d: newDocSpans(text, turns), seen: map[coding.Span]bool{}}
			docs[h.DocID] = st
		}
		for _, sp := range st.d.spans(h, scope) {
			if st.seen[sp] {
				continue
			}
			st.seen[sp] = true
			out = append(out, HitSpan{DocID: h.DocID, Document: h.Document, Span: sp, Text: string(st.d.slice(sp))})
		}
	}
	return out, nil
}

// ByDocument groups spans by document for coding.Store.TagBatch: the
// documents in the order the spans first name them, each document's
// spans in their order.
func ByDocument(spans []HitSpan) []coding.DocSpans {
	var out []coding.DocSpans
	pos := map[int64]int{}
	for _, sp := range spans {
		i, ok := pos[sp.DocID]
		if !ok {
			i = len(out)
			pos[sp.DocID] = i
			out = append(out, coding.DocSpans{DocID: sp.DocID})
		}
		out[i].Spans = append(out[i].Spans, sp.Span)
	}
	return out
}

// slice returns the code points of sp.
func (d *docSpans) slice(sp coding.Span) []rune {
	if d.runes == nil {
		d.runes = []rune(d.text)
	}
	s, e := min(max(sp.Start, 0), len(d.runes)), min(max(sp.End, 0), len(d.runes))
	return d.runes[s:max(s, e)]
}
