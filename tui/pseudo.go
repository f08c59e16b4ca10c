package tui

import (
	"context"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
	"github.com/qcode-dev/qcode/tui/textview"
)

// The pseudonymised view shows the transcript with every real value of
// the pseudonym key replaced by its pseudonym: the text is replaced once
// per document when the view is turned on (or a document opens while it
// is on), and every position drawn over it (coding stripes, turns, the
// focused code's spans, where the cursor goes) is moved to the replaced
// text with pseudo.Shift. Selecting and coding are off while it is on:
// a position chosen in the replaced text is not one of the stored text.
// Search hits and retrieved quotes are shown replaced too; their
// positions stay the stored text's, so jumping to one still lands right.

// pseudoView is the transcript pane's side of the view.
type pseudoView struct {
	on bool
	m  *pseudo.Matcher
	// real is the open document as the store has it, with its codings.
	real        docMsg
	realCodings []coding.Coding
	// docID and source say which document and text the view below was
	// made of; text is the laid-out replaced text, which tells the
	// reader's own state handed back to SetDoc (see jumpSpan) from a
	// document just read.
	docID  int64
	source *textview.Text
	text   *textview.Text
	doc    coding.Document
	turns  []coding.Turn
	shift  *pseudo.Shifter
	ms     []pseudo.Match
	// names are the real names of documents shown by their
	// pseudonymised names in retrieved quotes, for a jump to one.
	names map[string]string
}

// realName is the real name of a document shown as name.
func (pv *pseudoView) realName(name string) string {
	if real, ok := pv.names[name]; ok {
		return real
	}
	return name
}

// view turns a document to show into the view when it is on; the
// document as given is kept to turn the view off again.
func (pv *pseudoView) view(m docMsg, width int) docMsg {
	if pv.on && m.text != nil && m.text == pv.text && m.doc.ID == pv.docID {
		// The reader's own (replaced) state, with a real place to go.
		at, sel := m.at, m.sel
		m = pv.real
		m.codings, m.at, m.sel = pv.realCodings, at, sel
	}
	if m.text == nil {
		return m
	}
	pv.real = m
	pv.realCodings = m.codings
	if !pv.on {
		return m
	}
	if m.doc.ID != pv.docID || m.text != pv.source {
		real := m.doc.Text
		if real == "" {
			real = string(m.text.Runes())
		}
		out, ms := pv.m.Replace(m.doc.Name, real)
		pv.docID, pv.source, pv.ms, pv.shift = m.doc.ID, m.text, ms, pseudo.NewShifter(ms)
		pv.text = textview.New(out, width)
		d := m.doc
		d.Text = out
		d.Name = pv.replace(m.doc.Name, d.Name)
		d.Attributes = make([]coding.Attribute, len(m.doc.Attributes))
		for i, a := range m.doc.Attributes {
			a.Value = pv.replace(m.doc.Name, a.Value)
			d.Attributes[i] = a
		}
		pv.doc = d
		pv.turns = make([]coding.Turn, len(m.turns))
		for i, t := range m.turns {
			t.Speaker = pv.replace(m.doc.Name, t.Speaker)
			t.Start, t.Body, t.End = pv.shift.Shift(t.Start, true), pv.shift.Shift(t.Body, true), pv.shift.Shift(t.End, false)
			pv.turns[i] = t
		}
	}
	m.doc, m.turns, m.text = pv.doc, pv.turns, pv.text
	if m.at >= 0 {
		m.at = pv.shift.Shift(m.at, true)
	}
	if m.sel.End > m.sel.Start {
		m.sel = pv.span(m.doc.ID, m.sel)
	}
	return m
}

func (pv *pseudoView) replace(doc, s string) string {
	out, _ := pv.m.Replace(doc, s)
	return out
}

// codings moves the codings of document docID to the view, keeping the
// real ones to turn the view off again.
func (pv *pseudoView) codings(docID int64, cs []coding.Coding) []coding.Coding {
	if docID == pv.real.doc.ID {
		pv.realCodings = cs
	}
	if !pv.on || docID != pv.docID || pv.shift == nil {
		return cs
	}
	out := make([]coding.Coding, len(cs))
	for i, c := range cs {
		c.Start, c.End = pv.shift.Shift(c.Start, true), pv.shift.Shift(c.End, false)
		out[i] = c
	}
	return out
}

// span moves a span of document docID to the view.
func (pv *pseudoView) span(docID int64, sp coding.Span) coding.Span {
	if !pv.on || docID != pv.docID || pv.shift == nil {
		return sp
	}
	return coding.Span{Start: pv.shift.Shift(sp.Start, true), End: pv.shift.Shift(sp.End, false)}
}

// realPos maps a position of the view back to the stored text: a
// position inside a pseudonym goes to the start of the name it stands
// for.
func (pv *pseudoView) realPos(pos int) int {
	if !pv.on || pv.shift == nil {
		return pos
	}
	delta := 0
	for _, mt := range pv.ms {
		s := mt.Start + delta
		if pos < s {
			break
		}
		n := len([]rune(mt.Entry.Pseudonym))
		if pos < s+n {
			return mt.Start
		}
		delta += n - (mt.End - mt.Start)
	}
	return pos - delta
}

// Pseudonymised reports whether the transcript pane shows the
// pseudonymised view.
func (r *Reader) Pseudonymised() bool { return r.pv.on }

// RealDoc is the open document as stored, whatever the view.
func (r *Reader) RealDoc() coding.Document {
	if r.pv.on {
		return r.pv.real.doc
	}
	return r.doc
}

// setPseudonyms turns the view on with m, or off when m is nil, keeping
// the cursor on the same place of the text and its row on screen.
func (r *Reader) setPseudonyms(m *pseudo.Matcher) {
	if r.text == nil {
		r.pv.on, r.pv.m = m != nil, m
		return
	}
	real := r.pv.real
	real.codings = r.pv.realCodings
	if !r.pv.on {
		real = docMsg{doc: r.doc, turns: r.turns, codings: r.all, text: r.text, lines: r.lines, orphans: r.orphans}
	}
	real.at, real.sel = r.Cursor(), coding.Span{}
	real.keepRow, real.row = true, r.text.RowOf(r.cursor)-r.top
	r.selecting = false
	r.pv.on, r.pv.m = m != nil, m
	r.pv.docID, r.pv.source, r.pv.text = 0, nil, nil
	r.SetDoc(real)
}

// pseudoKeyMsg answers a request for the pseudonym key.
type pseudoKeyMsg struct {
	m   *pseudo.Matcher
	err error
}

// keyMatcher reads the project's pseudonym key in force, refusing a key
// that lacks entries the project has in force (another machine's): the
// view would show their real values.
func keyMatcher(ctx context.Context, s *coding.Store, keyFile string) (*pseudo.Matcher, error) {
	k, err := pseudo.InForce(ctx, s, keyFile)
	if err != nil {
		return nil, err
	}
	return pseudo.NewMatcher(k.Entries), nil
}
