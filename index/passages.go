package index

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// passage is the unit the index holds: one paragraph of a speaker's turn
// (or of text outside any turn), without the speaker label.
type passage struct {
	Start, End int // code points of the document text
	Speaker    string
	Turn       int
	Text       string
}

// maxPassage caps a passage's length in code points; longer paragraphs
// are cut at a sentence or word boundary, so hits stay local.
const maxPassage = 2000

// splitPassages cuts a document into passages: at each turn's start
// (skipping its label) and at blank lines. Whitespace-only stretches are
// left out.
func splitPassages(text string, turns []coding.Turn) []passage {
	out, _ := splitPassagesCtx(context.Background(), text, turns)
	return out
}

// checkEvery is how many code points passage building walks between two
// looks at its context: a few milliseconds of work.
const checkEvery = 1 << 16

// splitPassagesCtx is splitPassages that stops when ctx is done.
func splitPassagesCtx(ctx context.Context, text string, turns []coding.Turn) ([]passage, error) {
	var out []passage
	emit := func(start, end int, text string, speaker string, turn int) {
		// Trim spaces and newlines, keeping offsets right.
		lead := len(text) - len(strings.TrimLeft(text, " \t\n"))
		start += utf8.RuneCountInString(text[:lead])
		text = text[lead:]
		trail := len(text) - len(strings.TrimRight(text, " \t\n"))
		end -= utf8.RuneCountInString(text[len(text)-trail:])
		text = text[:len(text)-trail]
		for text != "" {
			n := utf8.RuneCountInString(text)
			if n <= maxPassage {
				out = append(out, passage{Start: start, End: end, Speaker: speaker, Turn: turn, Text: text})
				return
			}
			b := cutPoint(text, maxPassage)
			head := strings.TrimRight(text[:b], " \t\n")
			hn := utf8.RuneCountInString(head)
			out = append(out, passage{Start: start, End: start + hn, Speaker: speaker, Turn: turn, Text: head})
			rest := text[b:]
			restLead := len(rest) - len(strings.TrimLeft(rest, " \t\n"))
			start += utf8.RuneCountInString(text[:b+restLead])
			text = rest[restLead:]
		}
	}
	// Walk the text once, tracking code points, and emit a passage at
	// every turn start and every blank line.
	ti := 0
	speaker, turnN := "", 0
	segStart, segByte := 0, 0
	cp := 0
	flush := func(endCP, endByte int) {
		if endByte > segByte {
			emit(segStart, endCP, text[segByte:endByte], speaker, turnN)
		}
	}
	for bi := 0; bi <= len(text); {
		if cp%checkEvery == 0 && cp > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if ti < len(turns) && turns[ti].Start == cp {
			flush(cp, bi)
			t := turns[ti]
			speaker, turnN = t.Speaker, t.N
			// Skip the label: advance to the body.
			for cp < t.Body && bi < len(text) {
				_, n := utf8.DecodeRuneInString(text[bi:])
				bi += n
				cp++
			}
			segStart, segByte = cp, bi
			ti++
			continue
		}
		if ti < len(turns) && turns[ti].Start < cp {
			ti++ // a turn inside a skipped label; cannot happen with ordered turns
			continue
		}
		if bi == len(text) {
			flush(cp, bi)
			break
		}
		if text[bi] == '\n' && strings.HasPrefix(text[bi+1:], "\n") {
			flush(cp, bi)
			segStart, segByte = cp, bi
		}
		// Text after the end of a turn and before the next one belongs
		// to no speaker.
		if ti > 0 && turns[ti-1].End == cp && speaker != "" {
			flush(cp, bi)
			speaker, turnN = "", 0
			segStart, segByte = cp, bi
		}
		_, n := utf8.DecodeRuneInString(text[bi:])
		bi += n
		cp++
	}
	return out, nil
}

// cutPoint returns a byte offset at most max code points into s, at the
// end of a sentence if one ends in the second half, else after a space.
func cutPoint(s string, max int) int {
	b := len(s)
	n := 0
	for i := range s {
		if n == max {
			b = i
			break
		}
		n++
	}
	head := s[:b]
	for _, sep := range []string{". ", "? ", "! ", "… ", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > len(head)/2 {
			return i + len(sep)
		}
	}
	return b
}
