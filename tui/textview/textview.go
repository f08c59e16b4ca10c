// Package textview lays out and renders long plain text for a terminal:
// it wraps the text once per width into rows that know which code points
// they cover, answers where a code point is on screen, finds words and
// sentences, and renders one row at a time with styles chosen per code
// point, so that the cost of drawing a screen does not depend on the
// length of the text.
package textview

import (
	"sort"
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/clipperhouse/displaywidth"

	"github.com/qcode-dev/qcode/transcripts"
)

// Row is one screen row of wrapped text: the code points [Start, End) of
// the text, on source line Line (1-based). Cont marks a row that
// continues a source line wrapped above it.
type Row struct {
	Start, End int32
	Line       int32
	Cont       bool
}

// Text is a plain text held as code points, wrapped to a width. It is not
// safe for concurrent use.
type Text struct {
	runes []rune
	width int
	rows  []Row
}

// New returns the text s wrapped to width. A control character other
// than tab and newline (stored by an older qcode) is shown as U+FFFD, one
// for one, so that the terminal never acts on it.
func New(s string, width int) *Text {
	t := &Text{runes: []rune(s)}
	for i, r := range t.runes {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
			t.runes[i] = '\uFFFD'
		}
	}
	t.wrap(width)
	return t
}

// Len is the number of code points.
func (t *Text) Len() int { return len(t.runes) }

// Runes returns the text's code points; callers must not change them.
func (t *Text) Runes() []rune { return t.runes }

// Width is the width the text is wrapped to.
func (t *Text) Width() int { return t.width }

// Rows is the number of screen rows.
func (t *Text) Rows() int { return len(t.rows) }

// Row returns row i.
func (t *Text) Row(i int) Row { return t.rows[i] }

// SetWidth wraps the text again when the width changed.
func (t *Text) SetWidth(w int) {
	if w != t.width {
		t.wrap(w)
	}
}

// RuneWidth is the number of cells r takes, by the same tables the rest
// of the workbench measures strings with (charmbracelet/x/ansi measures
// through displaywidth): RuneWidth(r) == ansi.StringWidth(string(r)) for
// every printable r. Latin and Cyrillic letters, which make up nearly
// every transcript, take the fast path.
func RuneWidth(r rune) int {
	switch {
	case r == '\t':
		return 1
	case r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0xad: // controls, soft hyphen
		return 0
	case r < 0x300, r >= 0x400 && r < 0x483, r >= 0x48a && r < 0x530:
		return 1
	}
	return displaywidth.Rune(r)
}

func (t *Text) wrap(width int) {
	if width < 4 {
		width = 4
	}
	t.width = width
	// Most rows are about width code points long; reserving that many
	// saves the appends from growing the slice again and again.
	rows := t.rows[:0]
	if cap(rows) < len(t.runes)/width+16 {
		rows = make([]Row, 0, len(t.runes)/width+len(t.runes)/(width*4)+16)
	}
	rs := t.runes
	line := int32(1)
	start := 0
	cont := false
	col := 0
	brk := -1 // code point after the last space on this row
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\n' {
			rows = append(rows, Row{int32(start), int32(i), line, cont})
			line++
			start, col, brk, cont = i+1, 0, -1, false
			continue
		}
		w := 1
		if r >= 0x300 || r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0xad {
			w = RuneWidth(r)
		}
		if col+w > width && i > start && r != ' ' {
			end := i
			if brk > start {
				end = brk
			}
			rows = append(rows, Row{int32(start), int32(end), line, cont})
			start, cont, brk = end, true, -1
			col = 0
			for j := start; j < i; j++ {
				col += RuneWidth(rs[j])
			}
		}
		col += w
		if r == ' ' {
			brk = i + 1
		}
	}
	rows = append(rows, Row{int32(start), int32(len(rs)), line, cont})
	t.rows = rows
}

// RowOf returns the row holding code point cp. A position at the end of a
// row that is continued below belongs to the next row.
func (t *Text) RowOf(cp int) int {
	i := sort.Search(len(t.rows), func(i int) bool { return int(t.rows[i].End) >= cp })
	if i >= len(t.rows) {
		return len(t.rows) - 1
	}
	if int(t.rows[i].End) == cp && i+1 < len(t.rows) && t.rows[i+1].Cont {
		return i + 1
	}
	return i
}

// Column returns the screen column of cp within its row.
func (t *Text) Column(cp int) int {
	r := t.rows[t.RowOf(cp)]
	c := 0
	for j := int(r.Start); j < cp && j < int(r.End); j++ {
		c += RuneWidth(t.runes[j])
	}
	return c
}

// AtColumn returns the code point at screen column col of row i (the
// row's end when col is past it).
func (t *Text) AtColumn(i, col int) int {
	r := t.rows[i]
	c := 0
	for j := int(r.Start); j < int(r.End); j++ {
		w := RuneWidth(t.runes[j])
		if c+w > col {
			return j
		}
		c += w
	}
	end := int(r.End)
	// The last position of a wrapped row is the first of the next.
	if i+1 < len(t.rows) && t.rows[i+1].Cont && end > int(r.Start) {
		end--
	}
	return end
}

// IsWord reports whether r belongs to a word.
func IsWord(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// WordForward returns the start of the next word after cp.
func (t *Text) WordForward(cp int) int {
	rs, n := t.runes, len(t.runes)
	i := cp
	for i < n && IsWord(rs[i]) {
		i++
	}
	for i < n && !IsWord(rs[i]) {
		i++
	}
	if i >= n {
		return max(n-1, 0)
	}
	return i
}

// WordBackward returns the start of the word before cp.
func (t *Text) WordBackward(cp int) int {
	rs := t.runes
	i := cp - 1
	for i > 0 && !IsWord(rs[i]) {
		i--
	}
	for i > 0 && IsWord(rs[i-1]) {
		i--
	}
	return max(i, 0)
}

// WordEnd returns the end of the word holding cp, or cp+1 when cp is not
// in a word.
func (t *Text) WordEnd(cp int) int {
	rs, n := t.runes, len(t.runes)
	if cp >= n {
		return n
	}
	if !IsWord(rs[cp]) {
		return cp + 1
	}
	i := cp
	for i < n && IsWord(rs[i]) {
		i++
	}
	return i
}

// WordStart returns the start of the word holding cp, or cp.
func (t *Text) WordStart(cp int) int {
	rs := t.runes
	if cp >= len(rs) || !IsWord(rs[cp]) {
		return cp
	}
	for cp > 0 && IsWord(rs[cp-1]) {
		cp--
	}
	return cp
}

// Sentence returns the sentence around cp as [start, end), by the one
// sentence rule (transcripts.SentenceAt): it never crosses a turn, a
// blank line or a speaker label, and holds no surrounding white space.
// turns are the text's turns, sorted; nil reads the text as one turn.
func (t *Text) Sentence(cp int, turns transcripts.TurnList) (int, int) {
	return transcripts.SentenceAt(t.runes, turns, cp)
}

// NextSentence returns the start of the sentence after the one at cp,
// or cp when there is none.
func (t *Text) NextSentence(cp int, turns transcripts.TurnList) int {
	rs := t.runes
	s0, e := t.Sentence(cp, turns)
	for p := e; p < len(rs); p++ {
		if unicode.IsSpace(rs[p]) {
			continue
		}
		// The first word after the sentence, or a label whose turn's
		// first sentence is the next one.
		if s, e2 := transcripts.SentenceAt(rs, turns, p); s > s0 && e2 > s {
			return s
		}
	}
	return cp
}

// PrevSentence returns the start of the sentence at cp, or of the one
// before when cp is already at a start.
func (t *Text) PrevSentence(cp int, turns transcripts.TurnList) int {
	rs := t.runes
	s, _ := t.Sentence(cp, turns)
	if s < cp {
		return s
	}
	for i := min(s, len(rs)) - 1; i >= 0; i-- {
		if unicode.IsSpace(rs[i]) {
			continue
		}
		if s2, e2 := transcripts.SentenceAt(rs, turns, i); s2 < s && e2 > s2 {
			return s2
		}
	}
	return s
}

// Styler chooses a style class for each code point of a row.
type Styler interface {
	// Classes fills class[k] for the code point start+k; class has one
	// more slot, for the cell just after the row's end (where a cursor
	// at a line's end is drawn).
	Classes(start, end int, class []uint8)
}

// RenderRow draws row i as exactly width cells: runs of code points of
// the same class are rendered with styles[class]; the padding uses
// styles[0]. buf is scratch space the caller may reuse.
func (t *Text) RenderRow(i int, st Styler, styles []lipgloss.Style, buf *[]uint8) string {
	r := t.rows[i]
	s, e := int(r.Start), int(r.End)
	n := e - s + 1
	if cap(*buf) < n {
		*buf = make([]uint8, n)
	}
	class := (*buf)[:n]
	for k := range class {
		class[k] = 0
	}
	st.Classes(s, e, class)
	var b strings.Builder
	b.Grow((e-s)*2 + 32)
	used := 0
	k := 0
	for k < e-s {
		c := class[k]
		j := k
		for j < e-s && class[j] == c {
			j++
		}
		// A row may end in spaces past the width (wrapping keeps them on
		// the row they follow); they are not drawn.
		cut := s + k
		for _, r := range t.runes[s+k : s+j] {
			rw := RuneWidth(r)
			if used+rw > t.width {
				break
			}
			used += rw
			cut++
		}
		seg := strings.ReplaceAll(string(t.runes[s+k:cut]), "\t", " ")
		if c == 0 {
			b.WriteString(seg)
		} else {
			b.WriteString(styles[c].Render(seg))
		}
		k = j
	}
	if used < t.width {
		if c := class[e-s]; c != 0 {
			b.WriteString(styles[c].Render(" "))
			used++
		}
		if used < t.width {
			b.WriteString(strings.Repeat(" ", t.width-used))
		}
	}
	return b.String()
}
