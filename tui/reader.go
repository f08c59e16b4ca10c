package tui

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/tui/textview"
)

// Reader is the transcript pane: the wrapped text with line numbers, a
// gutter of coding stripes, a cursor and a selection. It only moves and
// selects; coding actions are the app's, which reads Selection and
// CodingsAt.
type Reader struct {
	st   *styles
	cs   *codeStyles
	keys readerKeys

	doc     coding.Document
	turns   []coding.Turn
	codings []coding.Coding // those shown: every coder's, or one coder's
	all     []coding.Coding // every coder's codings of the document
	codes   map[int64]coding.Code
	text    *textview.Text
	lines   int
	// orphans counts the codings left on earlier versions of the
	// document: the title says so, so that they are re-coded.
	orphans int

	w, h    int
	focused bool

	cursor, top, wantCol int
	selecting            bool
	anchor               int
	drag                 int // code point where a mouse press landed, or -1

	focusCode  int64
	focusSpans []coding.Span

	cols  []int64 // code ids in gutter column order
	colOf map[int64]int

	// coder, when set, shows only that coder's codings. letters names
	// each coder by one character in the gutter; docCoders numbers the
	// coders of the open document, and multi is set when more than one
	// of them is shown, so stripes say who coded what.
	coder     string
	letters   map[string]rune
	docCoders map[string]int
	multi     bool

	// pv is the pseudonymised view (see pseudo.go).
	pv pseudoView

	// version changes whenever something drawn on every row changes
	// (codings, focus, codes, size), invalidating the row cache.
	version int
	cache   map[int]cachedRow
	buf     []uint8
}

type rowKey struct {
	width, version int
	cur            int
	selLo, selHi   int
}

type cachedRow struct {
	key rowKey
	s   string
}

// NewReader returns an empty transcript pane.
func NewReader(st *styles, cs *codeStyles) *Reader {
	r := &Reader{st: st, cs: cs, keys: newReaderKeys(), drag: -1, cache: map[int]cachedRow{}, colOf: map[int64]int{}, docCoders: map[string]int{}}
	r.enableKeys()
	return r
}

// enableKeys leaves in help only the keys that do something now: none
// before a document is open.
func (r *Reader) enableKeys() {
	k := &r.keys
	enable(r.text != nil, &k.Down, &k.Up, &k.Left, &k.Right, &k.WordFwd, &k.WordBack, &k.SentFwd, &k.SentBack, &k.TurnFwd, &k.TurnBack,
		&k.Top, &k.Bottom, &k.PageDown, &k.PageUp, &k.Select, &k.SelSentence, &k.SelTurn, &k.Clear,
		&k.Code, &k.InVivo, &k.Remove, &k.Memo, &k.NextSpan, &k.PrevSpan, &k.Edit)
}

// maxBars is how many stripe columns the gutter reserves at width w.
func maxBars(w int) int { return min(max(w/14, 2), 8) }

// textWidth is the width left for text in a pane w wide showing a
// document of lines lines.
func textWidth(w, lines int) int {
	return max(w-gutterWidth(w, lines), 8)
}

func gutterWidth(w, lines int) int {
	return len(strconv.Itoa(max(lines, 1))) + 1 + maxBars(w) + 1
}

// HasDoc reports whether a document is open.
func (r *Reader) HasDoc() bool { return r.text != nil }

// Doc is the open document.
// In the pseudonymised view it is the stored document, not the one shown.
func (r *Reader) Doc() coding.Document { return r.RealDoc() }

// Text is the open document's laid-out text (nil before one opens).
func (r *Reader) Text() *textview.Text { return r.text }

// Cursor is the cursor's code point (of the stored text, also in the
// pseudonymised view).
func (r *Reader) Cursor() int { return r.pv.realPos(r.cursor) }

// SetSize sets the pane's size, rewrapping the text when its width
// changed.
func (r *Reader) SetSize(w, h int) {
	if w == r.w && h == r.h {
		return
	}
	r.w, r.h = w, h
	if r.text != nil {
		r.text.SetWidth(textWidth(w, r.lineCount()))
	}
	r.invalidate()
	r.scroll()
}

// SetFocused marks the pane focused or not.
func (r *Reader) SetFocused(f bool) {
	if f != r.focused {
		r.focused = f
		r.invalidate()
	}
}

func (r *Reader) invalidate() {
	r.version++
	if len(r.cache) > 0 {
		clear(r.cache)
	}
}

func (r *Reader) lineCount() int { return r.lines }

// SetDoc shows a document. When it is the same document, the cursor and
// scroll stay where they were.
func (r *Reader) SetDoc(m docMsg) {
	m = r.pv.view(m, textWidth(r.w, m.lines))
	same := r.text != nil && r.doc.ID == m.doc.ID
	r.doc, r.turns, r.text, r.lines, r.orphans = m.doc, m.turns, m.text, m.lines, m.orphans
	r.enableKeys()
	r.text.SetWidth(textWidth(r.w, r.lineCount()))
	if !same {
		r.cursor, r.top, r.selecting, r.wantCol = 0, 0, false, 0
		if len(r.turns) > 0 {
			r.cursor = r.turns[0].Body
		}
	}
	r.SetCodings(m.codings)
	if m.at >= 0 {
		r.cursor = min(m.at, max(r.text.Len()-1, 0))
		r.selecting = false
		if m.sel.End > m.sel.Start {
			r.Select(m.sel)
		}
		if m.keepRow {
			r.top = r.text.RowOf(r.cursor) - m.row
		} else {
			r.centre()
		}
	}
	r.clamp()
	r.scroll()
}

// Title is the open document's name as shown (a pseudonym in the
// pseudonymised view).
func (r *Reader) Title() string { return r.doc.Name }

// Width is the pane's width.
func (r *Reader) Width() int { return r.w }

// Refocus shows the focused code's codings again, all of them given.
func (r *Reader) Refocus(all []coding.Coding) { r.SetFocusCode(r.focusCode, all) }

// GoTo puts the cursor at at in the open document and selects sel.
func (r *Reader) GoTo(at int, sel coding.Span) {
	r.SetDoc(docMsg{doc: r.doc, turns: r.turns, codings: r.codings, text: r.text, lines: r.lines, at: at, sel: sel})
}

// SetTurns replaces the open document's turns (a speaker renamed).
func (r *Reader) SetTurns(turns []coding.Turn) {
	r.turns = turns
	r.invalidate()
}

// SetOrphans sets how many codings are left on earlier versions.
func (r *Reader) SetOrphans(n int) { r.orphans = n }

// SetCodings replaces the open document's codings (every coder's).
func (r *Reader) SetCodings(cs []coding.Coding) {
	r.all = r.pv.codings(r.doc.ID, cs)
	r.applyCoder()
}

// ChangeCodings adds the codings a write made in the open document and
// drops those it removed, as a reload would show them.
func (r *Reader) ChangeCodings(tagged []coding.Coding, removed []int64) {
	id := r.RealDoc().ID
	r.SetCodings(changeCodings(r.pv.realCodings, tagged, removed, func(c coding.Coding) bool { return c.DocID == id }))
}

// changeCodings is cs, in the store's order (document, start, end, id),
// without the ids in removed and with the codings in tagged that keep
// takes, each put in its place.
func changeCodings(cs, tagged []coding.Coding, removed []int64, keep func(coding.Coding) bool) []coding.Coding {
	out := make([]coding.Coding, 0, len(cs)+len(tagged))
	for _, c := range cs {
		if !slices.Contains(removed, c.ID) {
			out = append(out, c)
		}
	}
	for _, c := range tagged {
		if keep(c) {
			i, _ := slices.BinarySearchFunc(out, c, storeOrder)
			out = slices.Insert(out, i, c)
		}
	}
	return out
}

// storeOrder orders codings as the store lists them.
func storeOrder(a, b coding.Coding) int {
	return cmp.Or(strings.Compare(a.Document, b.Document), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.ID, b.ID))
}

// SetCoderView shows only coder's codings, or every coder's when coder
// is "". letters gives each coder the character that marks their
// stripes when several coders' codings are shown.
func (r *Reader) SetCoderView(coder string, letters map[string]rune) {
	r.coder, r.letters = coder, letters
	r.applyCoder()
}

// CoderView is the coder whose codings are shown, or "" for all.
func (r *Reader) CoderView() string { return r.coder }

// Codings are the codings shown in the open document.
func (r *Reader) Codings() []coding.Coding { return r.codings }

func (r *Reader) applyCoder() {
	if r.coder == "" {
		r.codings = r.all
	} else {
		r.codings = make([]coding.Coding, 0, len(r.all))
		for _, c := range r.all {
			if c.Coder == r.coder {
				r.codings = append(r.codings, c)
			}
		}
	}
	clear(r.docCoders)
	for _, c := range r.codings {
		if _, ok := r.docCoders[c.Coder]; !ok {
			r.docCoders[c.Coder] = min(len(r.docCoders), 63)
		}
	}
	r.multi = len(r.docCoders) > 1
	r.layoutCols()
	r.invalidate()
}

// letter is the character standing for coder in the gutter.
func (r *Reader) letter(coder string) string {
	if l, ok := r.letters[coder]; ok {
		return string(l)
	}
	return "?"
}

// SetCodes tells the pane the codebook (names, colours, order).
func (r *Reader) SetCodes(codes []coding.Code) {
	r.codes = make(map[int64]coding.Code, len(codes))
	for _, c := range codes {
		r.codes[c.ID] = c
		r.cs.add(c.Color)
	}
	r.layoutCols()
	r.invalidate()
}

// SetFocusCode highlights the spans of one code in the open document.
func (r *Reader) SetFocusCode(id int64, all []coding.Coding) {
	r.focusCode = id
	r.focusSpans = r.focusSpans[:0]
	for _, c := range all {
		if c.DocID == r.doc.ID && c.CodeID == id && (r.coder == "" || c.Coder == r.coder) {
			r.focusSpans = append(r.focusSpans, r.pv.span(c.DocID, coding.Span{Start: c.Start, End: c.End}))
		}
	}
	r.invalidate()
}

// layoutCols gives each code with a coding on screen a gutter column,
// the focused code first, then in codebook order, so the stripes that
// matter get the few columns there are. A change of columns redraws
// every row.
func (r *Reader) layoutCols() {
	if r.text == nil {
		return
	}
	lo := int(r.text.Row(min(r.top, r.text.Rows()-1)).Start)
	hi := int(r.text.Row(min(r.top+r.textRows(), r.text.Rows())-1).End) + 1
	var cols []int64
	seen := map[int64]bool{}
	for _, c := range r.codings {
		if c.Start >= hi {
			break
		}
		if c.End > lo && !seen[c.CodeID] {
			seen[c.CodeID] = true
			cols = append(cols, c.CodeID)
		}
	}
	key := func(id int64) string {
		if id == r.focusCode {
			return ""
		}
		return r.codes[id].Path
	}
	sort.Slice(cols, func(i, j int) bool { return key(cols[i]) < key(cols[j]) })
	if slices.Equal(cols, r.cols) {
		return
	}
	r.cols = cols
	clear(r.colOf)
	for i, id := range r.cols {
		r.colOf[id] = i
	}
	r.invalidate()
}

// Selection returns the selected span, snapped to whole words.
func (r *Reader) Selection() (coding.Span, bool) {
	if !r.selecting || r.text == nil || r.text.Len() == 0 {
		return coding.Span{}, false
	}
	lo, hi := min(r.anchor, r.cursor), max(r.anchor, r.cursor)
	lo = r.text.WordStart(lo)
	hi = r.text.WordEnd(hi)
	rs := r.text.Runes()
	for lo < hi && unicode.IsSpace(rs[lo]) {
		lo++
	}
	for hi > lo && unicode.IsSpace(rs[hi-1]) {
		hi--
	}
	if hi <= lo {
		return coding.Span{}, false
	}
	return coding.Span{Start: lo, End: hi}, true
}

// Select selects span, with the cursor on its last character.
func (r *Reader) Select(sp coding.Span) {
	if r.text == nil || sp.End <= sp.Start {
		return
	}
	r.selecting = true
	r.anchor = sp.Start
	r.cursor = max(min(sp.End-1, r.text.Len()-1), 0)
	r.scroll()
}

// ClearSelection ends the selection.
func (r *Reader) ClearSelection() { r.selecting = false }

// Selecting reports whether a selection is open.
func (r *Reader) Selecting() bool { return r.selecting }

// SelectedText returns the text of the selection.
func (r *Reader) SelectedText() string {
	sp, ok := r.Selection()
	if !ok {
		return ""
	}
	return string(r.text.Runes()[sp.Start:sp.End])
}

// CodingsAt lists the codings covering the cursor, or the selection when
// there is one.
func (r *Reader) CodingsAt() []coding.Coding {
	lo, hi := r.cursor, r.cursor+1
	if sp, ok := r.Selection(); ok {
		lo, hi = sp.Start, sp.End
	}
	var out []coding.Coding
	for _, c := range r.codings {
		if c.Start < hi && c.End > lo {
			out = append(out, c)
		}
	}
	return out
}

// turnList gives the document's turns to the sentence rule.
type turnList []coding.Turn

func (ts turnList) Len() int { return len(ts) }

func (ts turnList) Bounds(i int) (start, body, end int) {
	return ts[i].Start, ts[i].Body, ts[i].End
}

// turnAt is the index of the turn holding cp, or -1.
func (r *Reader) turnAt(cp int) int {
	i := sort.Search(len(r.turns), func(i int) bool { return r.turns[i].Start > cp }) - 1
	if i < 0 || cp >= r.turns[i].End {
		return -1
	}
	return i
}

// Update moves the cursor and the selection.
func (r *Reader) Update(msg tea.Msg) (*Reader, tea.Cmd) {
	if r.text == nil {
		return r, nil
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		r.key(msg)
	case tea.MouseMsg:
		r.mouse(msg)
	}
	return r, nil
}

func (r *Reader) key(msg tea.KeyMsg) {
	t, k := r.text, r.keys
	n := t.Len()
	vertical := false
	switch {
	case key.Matches(msg, k.Down):
		r.lineMove(1)
		vertical = true
	case key.Matches(msg, k.Up):
		r.lineMove(-1)
		vertical = true
	case key.Matches(msg, k.PageDown):
		r.lineMove(r.textRows() - 1)
		r.top = min(r.top+r.textRows()-1, max(t.Rows()-r.textRows(), 0))
		vertical = true
	case key.Matches(msg, k.PageUp):
		r.lineMove(-(r.textRows() - 1))
		r.top = max(r.top-r.textRows()+1, 0)
		vertical = true
	case key.Matches(msg, k.Left):
		r.cursor--
	case key.Matches(msg, k.Right):
		r.cursor++
	case key.Matches(msg, k.WordFwd):
		r.cursor = t.WordForward(r.cursor)
	case key.Matches(msg, k.WordBack):
		r.cursor = t.WordBackward(r.cursor)
	case key.Matches(msg, k.SentFwd):
		r.cursor = r.bodyClamp(t.NextSentence(r.cursor, turnList(r.turns)))
	case key.Matches(msg, k.SentBack):
		r.cursor = r.bodyClamp(t.PrevSentence(r.cursor, turnList(r.turns)))
	case key.Matches(msg, k.TurnFwd):
		if i := r.nextTurn(r.cursor); i >= 0 {
			r.cursor = r.turns[i].Body
		}
	case key.Matches(msg, k.TurnBack):
		if i := r.prevTurn(r.cursor); i >= 0 {
			r.cursor = r.turns[i].Body
		}
	case key.Matches(msg, k.Top):
		r.cursor = 0
	case key.Matches(msg, k.Bottom):
		r.cursor = n
	case key.Matches(msg, k.Select):
		if r.selecting {
			r.selecting = false
		} else {
			r.selecting, r.anchor = true, r.cursor
		}
	case key.Matches(msg, k.SelSentence):
		s, e := t.Sentence(r.cursor, turnList(r.turns))
		s = r.bodyClamp(s)
		r.Select(coding.Span{Start: s, End: e})
	case key.Matches(msg, k.SelTurn):
		if i := r.turnAt(r.cursor); i >= 0 {
			s, e := r.turns[i].Body, r.turns[i].End
			rs := t.Runes()
			for e > s && unicode.IsSpace(rs[e-1]) {
				e--
			}
			r.Select(coding.Span{Start: s, End: e})
		}
	case key.Matches(msg, k.Clear):
		r.selecting = false
	default:
		return
	}
	r.clamp()
	if !vertical {
		r.wantCol = t.Column(r.cursor)
	}
	r.scroll()
}

// bodyClamp keeps a sentence start out of the speaker label before it.
func (r *Reader) bodyClamp(cp int) int {
	if i := r.turnAt(cp); i >= 0 && cp < r.turns[i].Body {
		return r.turns[i].Body
	}
	return cp
}

func (r *Reader) nextTurn(cp int) int {
	i := sort.Search(len(r.turns), func(i int) bool { return r.turns[i].Body > cp })
	if i >= len(r.turns) {
		return -1
	}
	return i
}

func (r *Reader) prevTurn(cp int) int {
	i := sort.Search(len(r.turns), func(i int) bool { return r.turns[i].Body >= cp }) - 1
	if i < 0 {
		return -1
	}
	return i
}

func (r *Reader) lineMove(d int) {
	row := r.text.RowOf(r.cursor) + d
	row = min(max(row, 0), r.text.Rows()-1)
	r.cursor = r.text.AtColumn(row, r.wantCol)
}

func (r *Reader) clamp() {
	n := r.text.Len()
	r.cursor = min(max(r.cursor, 0), max(n-1, 0))
	if n > 0 && r.text.Runes()[r.cursor] == '\n' && r.cursor > 0 && r.text.Runes()[r.cursor-1] != '\n' {
		// Rest on the last character of a line, not on its break.
		r.cursor--
	}
}

// textRows is the number of rows the text gets: the pane less its title
// and the line naming the codes at the cursor.
func (r *Reader) textRows() int { return max(r.h-2, 1) }

// scroll keeps the cursor on screen with a margin.
func (r *Reader) scroll() {
	if r.text == nil {
		return
	}
	row, rows := r.text.RowOf(r.cursor), r.textRows()
	margin := min(2, rows/4)
	if row < r.top+margin {
		r.top = max(row-margin, 0)
	}
	if row >= r.top+rows-margin {
		r.top = row - rows + margin + 1
	}
	r.top = min(max(r.top, 0), max(r.text.Rows()-rows, 0))
}

// centre scrolls the cursor's row to the middle of the pane.
func (r *Reader) centre() {
	row := r.text.RowOf(r.cursor)
	r.top = min(max(row-r.textRows()/2, 0), max(r.text.Rows()-r.textRows(), 0))
}

// mouse places the cursor, selects by dragging and scrolls by the wheel.
// Coordinates are relative to the pane.
func (r *Reader) mouse(m tea.MouseMsg) {
	switch m.Button {
	case tea.MouseButtonWheelDown:
		r.top = min(r.top+3, max(r.text.Rows()-r.textRows(), 0))
		r.keepCursorInView()
		return
	case tea.MouseButtonWheelUp:
		r.top = max(r.top-3, 0)
		r.keepCursorInView()
		return
	}
	cp, ok := r.pointAt(m.X, m.Y)
	switch m.Action {
	case tea.MouseActionPress:
		if m.Button != tea.MouseButtonLeft || !ok {
			return
		}
		r.cursor, r.drag, r.selecting = cp, cp, false
	case tea.MouseActionMotion:
		if r.drag < 0 || !ok || r.pv.on {
			return
		}
		r.selecting, r.anchor, r.cursor = true, r.drag, cp
	case tea.MouseActionRelease:
		r.drag = -1
	}
	r.clamp()
	r.wantCol = r.text.Column(r.cursor)
}

func (r *Reader) pointAt(x, y int) (int, bool) {
	row := r.top + y - 1
	if y < 1 || row < 0 || row >= r.text.Rows() || y > r.textRows() {
		return 0, false
	}
	col := max(x-gutterWidth(r.w, r.lineCount()), 0)
	return r.text.AtColumn(row, col), true
}

func (r *Reader) keepCursorInView() {
	row := r.text.RowOf(r.cursor)
	if row < r.top {
		r.cursor = r.text.AtColumn(r.top, r.wantCol)
	} else if row >= r.top+r.textRows() {
		r.cursor = r.text.AtColumn(r.top+r.textRows()-1, r.wantCol)
	}
	r.clamp()
}

// Position describes the cursor for the status bar.
func (r *Reader) Position() string {
	if r.text == nil {
		return ""
	}
	row := r.text.Row(r.text.RowOf(r.cursor))
	s := fmt.Sprintf("line %d/%d · %d", row.Line, r.lineCount(), r.cursor)
	if sp, ok := r.Selection(); ok {
		s += fmt.Sprintf(" · selected %d:%d", sp.Start, sp.End)
	}
	return s
}

// Classes implements textview.Styler: speaker labels, timestamps, the
// focused code's spans, the selection and the cursor.
func (r *Reader) Classes(start, end int, class []uint8) {
	rs := r.text.Runes()
	i := sort.Search(len(r.turns), func(i int) bool { return r.turns[i].End > start })
	for ; i < len(r.turns) && r.turns[i].Start < end; i++ {
		tn := r.turns[i]
		inTime := false
		for cp := max(tn.Start, start); cp < min(tn.Body, end); cp++ {
			c := uint8(clsSpeaker)
			if rs[cp] == '[' {
				inTime = true
			}
			if inTime {
				c = clsTime
			}
			if rs[cp] == ']' {
				inTime = false
			}
			class[cp-start] = c
		}
	}
	j := sort.Search(len(r.focusSpans), func(j int) bool { return r.focusSpans[j].End > start })
	for ; j < len(r.focusSpans); j++ {
		sp := r.focusSpans[j]
		if sp.Start >= end {
			continue
		}
		for cp := max(sp.Start, start); cp < min(sp.End, end); cp++ {
			class[cp-start] |= hlBit
		}
	}
	if sp, ok := r.Selection(); ok {
		for cp := max(sp.Start, start); cp < min(sp.End, end); cp++ {
			class[cp-start] |= selBit
		}
	}
	if r.cursor >= start && r.cursor <= end && r.text.RowOf(r.cursor) == r.text.RowOf(start) {
		if r.cursor < end || end == len(rs) || rs[end] == '\n' || r.cursor == start {
			class[r.cursor-start] = clsCursor
		}
	}
}

// rowKeyOf is what row i's drawing depends on besides the version.
func (r *Reader) rowKeyOf(i, curRow int, sel coding.Span, hasSel bool) rowKey {
	row := r.text.Row(i)
	k := rowKey{width: r.w, version: r.version, cur: -1, selLo: -1, selHi: -1}
	if i == curRow {
		k.cur = r.cursor
	}
	if hasSel {
		lo, hi := max(sel.Start, int(row.Start)), min(sel.End, int(row.End))
		if lo < hi {
			k.selLo, k.selHi = lo, hi
		}
	}
	return k
}

// Lines renders the pane as exactly h lines of exactly w cells.
func (r *Reader) Lines() []string {
	out := make([]string, 0, r.h)
	st := r.st
	title := "no document open — pick one on the left"
	ts := st.paneTitle
	if r.focused {
		ts = st.paneTitleFocused
	}
	var left string
	legend := r.legend()
	if r.text == nil {
		left = ts.Render(title)
	} else {
		// The orphans come before the attributes, which may not fit.
		left = ts.Render(r.doc.Name)
		if n := r.orphans; n > 0 {
			var note string
			note, legend = r.orphanTitle(legend)
			left += ts.Render(" · ") + st.errText.Render(note)
		}
		if a := attrLine(r.doc.Attributes); a != "" {
			left += ts.Render(" · " + a)
		}
	}
	out = append(out, r.titleLine(ansi.Truncate(left, r.w, "…"), legend))
	if r.text == nil {
		for len(out) < r.h {
			out = append(out, strings.Repeat(" ", r.w))
		}
		return out
	}
	rows := r.textRows()
	r.layoutCols()
	curRow := r.text.RowOf(r.cursor)
	sel, hasSel := r.Selection()
	if len(r.cache) > 4*rows+64 {
		clear(r.cache)
	}
	numW := len(strconv.Itoa(max(r.lineCount(), 1)))
	for y := 0; y < rows; y++ {
		i := r.top + y
		if i >= r.text.Rows() {
			out = append(out, strings.Repeat(" ", r.w))
			continue
		}
		k := r.rowKeyOf(i, curRow, sel, hasSel)
		if c, ok := r.cache[i]; ok && c.key == k {
			out = append(out, c.s)
			continue
		}
		s := r.renderRow(i, curRow, numW)
		r.cache[i] = cachedRow{key: k, s: s}
		out = append(out, s)
	}
	out = append(out, r.codesLine())
	return out
}

// orphanTitle is the note on orphaned codings for the title, as long as
// fits whole: beside the legend, else without it, in words, else short.
func (r *Reader) orphanTitle(legend string) (note, leg string) {
	long, short := orphanNote(r.orphans, r.doc.Name, false), orphanNote(r.orphans, r.doc.Name, true)
	used := ansi.StringWidth(r.doc.Name) + 3
	lw := ansi.StringWidth(legend) + 2
	switch {
	case legend != "" && used+ansi.StringWidth(long)+lw <= r.w:
		return long, legend
	case legend != "" && used+ansi.StringWidth(short)+lw <= r.w:
		return short, legend
	case used+ansi.StringWidth(long) <= r.w:
		return long, ""
	}
	return short, ""
}

// legend says whose codings are shown: one coder's, or every coder's
// letter when the stripes carry letters.
func (r *Reader) legend() string {
	if r.text == nil {
		return ""
	}
	if r.coder != "" {
		return "only " + r.coder
	}
	if !r.multi {
		return ""
	}
	names := make([]string, 0, len(r.docCoders))
	for c := range r.docCoders {
		names = append(names, c)
	}
	sort.Strings(names)
	for i, c := range names {
		names[i] = r.letter(c) + " " + c
	}
	return strings.Join(names, " · ")
}

// titleLine puts right at the end of the title line, when both fit.
func (r *Reader) titleLine(left, right string) string {
	rw := ansi.StringWidth(right)
	if right == "" || rw+12 > r.w {
		return fit(left, r.w)
	}
	left = ansi.Truncate(left, r.w-rw-2, "…")
	return fit(left+strings.Repeat(" ", r.w-rw-ansi.StringWidth(left))+r.st.muted.Render(right), r.w)
}

func (r *Reader) renderRow(i, curRow, numW int) string {
	row := r.text.Row(i)
	var b strings.Builder
	num := strings.Repeat(" ", numW)
	if !row.Cont {
		num = fmt.Sprintf("%*d", numW, row.Line)
	}
	if i == curRow {
		b.WriteString(r.st.lineNoCursor.Render(num))
	} else {
		b.WriteString(r.st.lineNo.Render(num))
	}
	b.WriteByte(' ')
	b.WriteString(r.stripes(int(row.Start), int(row.End)))
	b.WriteByte(' ')
	b.WriteString(r.text.RenderRow(i, r, r.st.reader[:], &r.buf))
	return b.String()
}

// stripes draws the gutter of row [s, e): a bar per code column whose
// codings cover the row; a + when codes beyond the last column do. When
// several coders' codings are shown, a column covered by one coder only
// shows that coder's letter instead of the bar, so disagreements stand
// out without colour.
func (r *Reader) stripes(s, e int) string {
	bars := maxBars(r.w)
	var hit [8]int64
	var any [8]bool
	var who [8]uint64
	var by [8]string
	over := false
	if e == s {
		e = s + 1
	}
	for _, c := range r.codings {
		if c.Start >= e {
			break
		}
		if c.End <= s {
			continue
		}
		col := r.colOf[c.CodeID]
		if col >= bars-1 && len(r.cols) > bars {
			over = true
			continue
		}
		any[col], hit[col] = true, c.CodeID
		if r.multi {
			who[col] |= 1 << r.docCoders[c.Coder]
			by[col] = c.Coder
		}
	}
	var b strings.Builder
	for k := 0; k < bars; k++ {
		switch {
		case k == bars-1 && over:
			b.WriteString(r.st.muted.Render("+"))
		case any[k]:
			c := r.codes[hit[k]]
			glyph := "┃"
			switch {
			case r.multi && bits.OnesCount64(who[k]) == 1:
				glyph = r.letter(by[k])
			case hit[k] == r.focusCode:
				glyph = "█"
			}
			b.WriteString(r.cs.get(c.Color).Render(glyph))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// codesLine names the codes on the cursor's row, each with its colour.
func (r *Reader) codesLine() string {
	row := r.text.Row(r.text.RowOf(r.cursor))
	s, e := int(row.Start), max(int(row.End), int(row.Start)+1)
	var parts []string
	var ids []int64
	who := map[int64][]string{}
	for _, c := range r.codings {
		if c.Start >= e {
			break
		}
		if c.End <= s {
			continue
		}
		if _, ok := who[c.CodeID]; !ok {
			ids = append(ids, c.CodeID)
		}
		if !slices.Contains(who[c.CodeID], c.Coder) {
			who[c.CodeID] = append(who[c.CodeID], c.Coder)
		}
	}
	for _, id := range ids {
		code := r.codes[id]
		name := code.Path
		if name == "" {
			name = r.codingName(id)
		}
		part := r.cs.get(code.Color).Render("┃") + " " + name
		if r.multi {
			ls := make([]string, len(who[id]))
			for i, c := range who[id] {
				ls[i] = r.letter(c)
			}
			sort.Strings(ls)
			part += " (" + strings.Join(ls, " ") + ")"
		}
		parts = append(parts, part)
	}
	line := r.st.muted.Render("no codes on this line")
	if len(parts) > 0 {
		line = strings.Join(parts, "  ")
	}
	if who := r.saidBy(); who != "" {
		line = r.st.reader[clsSpeaker].Render("said by "+who) + "  " + line
	}
	return fit(line, r.w)
}

// saidBy names the speaker of the turn at the cursor when its label in
// the text does not (the speaker was renamed or merged since the text
// was written), or "".
func (r *Reader) saidBy() string {
	i := r.turnAt(r.cursor)
	if i < 0 || r.turns[i].Speaker == "" {
		return ""
	}
	t := r.turns[i]
	rs := r.text.Runes()
	if hasWord(string(rs[min(t.Start, len(rs)):min(t.Body, len(rs))]), t.Speaker) {
		return ""
	}
	return oneLine(t.Speaker)
}

// hasWord reports whether name occurs in s as whole words: not inside
// a longer word ("Int" is not in "Interviewer:").
func hasWord(s, name string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], name)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(name):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = i + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func (r *Reader) codingName(codeID int64) string {
	for _, c := range r.codings {
		if c.CodeID == codeID {
			return c.Code
		}
	}
	return ""
}

// attrLine is a short attribution from a document's attributes.
func attrLine(attrs []coding.Attribute) string {
	var parts []string
	for _, k := range []string{"gender", "age", "occupation"} {
		for _, a := range attrs {
			if a.Key == k && a.Value != "" {
				parts = append(parts, a.Value)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// ShortHelp lists the main keys of the pane.
func (r *Reader) ShortHelp() []key.Binding {
	k := r.keys
	return []key.Binding{k.Down, k.WordFwd, k.SentFwd, k.TurnFwd, k.Select, k.SelSentence, k.Code, k.InVivo, k.Remove, k.Memo}
}

// FullHelp lists every key of the pane, by group.
func (r *Reader) FullHelp() [][]key.Binding {
	k := r.keys
	return [][]key.Binding{
		{k.Down, k.Up, k.Left, k.Right, k.WordFwd, k.WordBack},
		{k.SentFwd, k.SentBack, k.TurnFwd, k.TurnBack, k.Top, k.Bottom, k.PageDown, k.PageUp},
		{k.Select, k.SelSentence, k.SelTurn, k.Clear, k.Code, k.InVivo},
		{k.Remove, k.Memo, k.NextSpan, k.PrevSpan, k.Edit},
	}
}
