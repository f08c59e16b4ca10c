package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// speakerKeys drive the speakers view.
type speakerKeys struct {
	Down, Up, Top, Bottom, PageDown, PageUp key.Binding
	Jump, Rename, Merge, Case, All, Close   key.Binding
	Interviewer, Participant, Other         key.Binding
}

func newSpeakerKeys() speakerKeys {
	return speakerKeys{
		Down:        kb([]string{"j", "down"}, "j/↓", "next speaker"),
		Up:          kb([]string{"k", "up"}, "k/↑", "previous speaker"),
		Top:         kb([]string{"g", "home"}, "g", "first"),
		Bottom:      kb([]string{"G", "end"}, "G", "last"),
		PageDown:    kb([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "page down"),
		PageUp:      kb([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		Jump:        kb([]string{"enter"}, "enter", "first turn"),
		Rename:      kb([]string{"r"}, "r", "rename"),
		Merge:       kb([]string{"m"}, "m", "merge into…"),
		Case:        kb([]string{"c"}, "c", "case"),
		All:         kb([]string{"a"}, "a", "every document"),
		Close:       kb([]string{"esc", "q", "S"}, "esc", "back"),
		Interviewer: kb([]string{"1"}, "1", "interviewer"),
		Participant: kb([]string{"2"}, "2", "participant"),
		Other:       kb([]string{"3", "o"}, "3/o", "other"),
	}
}

// speakersMsg answers a load of the speakers view.
type speakersMsg struct {
	seq      int
	speakers []coding.Speaker
	err      error
}

// turnsMsg answers a reload of the open document's turns (a speaker
// renamed or merged, turns re-derived).
type turnsMsg struct {
	seq   int
	docID int64
	turns []coding.Turn
	err   error
}

// sayMsg puts a sentence, or an error, in the status bar.
type sayMsg struct {
	text string
	err  error
}

// Speakers is the speakers view: who speaks in the open document (or in
// every document), with role, case, turns, words and share of words.
// It only lists and moves; renaming, merging, roles and cases are the
// app's, which reads Selected.
type Speakers struct {
	st   *styles
	keys speakerKeys
	open bool
	w, h int

	// all lists every current document's speakers instead of doc's.
	all     bool
	doc     int64
	docName string

	seq  int
	busy bool
	err  error
	list []coding.Speaker
	// words totals the listed speakers' words per document.
	words map[int64]int
	sel   int
	top   int
	// wantID and want (document, name) say which speaker to select when
	// the list next arrives: the same row, or the one it was renamed to
	// or merged into.
	wantID  int64
	wantDoc int64
	want    string
}

// NewSpeakers returns a closed speakers view.
func NewSpeakers(st *styles) *Speakers { return &Speakers{st: st, keys: newSpeakerKeys()} }

// Open shows the speakers of the document id (named name); the list
// arrives by SetSpeakers after Request's load.
func (s *Speakers) Open(id int64, name string) {
	if id != s.doc {
		// Every document's list starts at this document's speakers.
		s.sel, s.top, s.wantDoc = 0, 0, id
		if !s.all {
			s.list = nil
		}
	}
	s.open, s.doc, s.docName = true, id, name
}

// Close hides the view.
func (s *Speakers) Close() { s.open = false }

// Visible reports whether the view is open.
func (s *Speakers) Visible() bool { return s.open }

// All reports whether every document's speakers are listed.
func (s *Speakers) All() bool { return s.all }

// Ref is the document reference to list: the open document, or "" for
// every document.
func (s *Speakers) Ref() string {
	if s.all || s.doc == 0 {
		return ""
	}
	return docRef(s.doc)
}

// SetSize sets the view's size.
func (s *Speakers) SetSize(w, h int) { s.w, s.h = w, h; s.scroll() }

// Request numbers a load of the list.
func (s *Speakers) Request() int {
	s.seq++
	s.busy = true
	return s.seq
}

// SetSpeakers shows the answer to load seq, unless a newer one was made.
func (s *Speakers) SetSpeakers(m speakersMsg) {
	if m.seq != s.seq {
		return
	}
	s.busy, s.err = false, m.err
	if m.err != nil {
		return
	}
	var id int64
	if cur, ok := s.Selected(); ok {
		id = cur.ID
	}
	s.list = m.speakers
	s.words = map[int64]int{}
	for _, sp := range s.list {
		s.words[sp.DocID] += sp.Words
	}
	s.sel = s.find(id)
	s.wantID, s.wantDoc, s.want = 0, 0, ""
	s.scroll()
}

// find is the row to select in a new list: the wanted speaker, else the
// one selected before (id), else the same row.
func (s *Speakers) find(id int64) int {
	if s.wantDoc != 0 {
		for i, sp := range s.list {
			if sp.DocID == s.wantDoc && (sp.Name == s.want || s.want == "") {
				return i
			}
		}
	}
	for _, want := range []int64{s.wantID, id} {
		for i, sp := range s.list {
			if want != 0 && sp.ID == want {
				return i
			}
		}
	}
	return min(s.sel, max(len(s.list)-1, 0))
}

// Expect selects the speaker name of document doc once the list is read
// again (after a rename or merge).
func (s *Speakers) Expect(doc int64, name string) { s.wantDoc, s.want = doc, name }

// Selected is the highlighted speaker.
func (s *Speakers) Selected() (coding.Speaker, bool) {
	if s.sel < len(s.list) {
		return s.list[s.sel], true
	}
	return coding.Speaker{}, false
}

// Others lists the speakers of sp's document other than sp.
func (s *Speakers) Others(sp coding.Speaker) []coding.Speaker {
	var out []coding.Speaker
	for _, o := range s.list {
		if o.DocID == sp.DocID && o.ID != sp.ID {
			out = append(out, o)
		}
	}
	return out
}

// Has reports whether a listed speaker of document doc (any document
// when doc is 0) is called name.
func (s *Speakers) Has(doc int64, name string) int {
	n := 0
	for _, o := range s.list {
		if (doc == 0 || o.DocID == doc) && o.Name == name {
			n++
		}
	}
	return n
}

// Update moves in the list, toggles every document and closes. It
// reports whether the list must be loaded again.
func (s *Speakers) Update(km tea.KeyMsg) (reload bool) {
	k := s.keys
	rows := s.rows()
	switch {
	case key.Matches(km, k.Close):
		s.Close()
	case key.Matches(km, k.Down):
		s.sel = min(s.sel+1, max(len(s.list)-1, 0))
	case key.Matches(km, k.Up):
		s.sel = max(s.sel-1, 0)
	case key.Matches(km, k.Top):
		s.sel = 0
	case key.Matches(km, k.Bottom):
		s.sel = max(len(s.list)-1, 0)
	case key.Matches(km, k.PageDown):
		s.sel = min(s.sel+rows, max(len(s.list)-1, 0))
		s.top = min(s.top+rows, max(len(s.list)-rows, 0))
	case key.Matches(km, k.PageUp):
		s.sel = max(s.sel-rows, 0)
		s.top = max(s.top-rows, 0)
	case key.Matches(km, k.All):
		s.all = !s.all
		if cur, ok := s.Selected(); ok {
			s.wantID = cur.ID
		}
		return true
	}
	s.scroll()
	return false
}

// rows is how many speakers fit: the title, the column heads and the
// line about the selected speaker take three lines.
func (s *Speakers) rows() int { return max(s.h-3, 1) }

func (s *Speakers) scroll() { s.top = keepVisible(s.sel, s.top, s.rows()) }

// speakerCols are the widths of the view's columns at width w.
type speakerCols struct{ doc, name, role, cse int }

const (
	colTurns = 7
	colWords = 8
	colShare = 7
)

func (s *Speakers) cols() speakerCols {
	c := speakerCols{role: 13}
	room := max(s.w-2-c.role-colTurns-colWords-colShare, 12)
	if s.all {
		c.doc = max(room*3/10, 6)
		room -= c.doc
	}
	c.name = max(room*11/20, 6)
	c.cse = max(room-c.name, 4)
	return c
}

// cell fits text into a column of n cells with a space after it.
func cell(text string, n int) string {
	return fit(ansi.Truncate(text, n-1, "…"), n)
}

func rcell(text string, n int) string {
	text = ansi.Truncate(text, n, "…")
	return strings.Repeat(" ", max(n-ansi.StringWidth(text), 0)) + text
}

// Lines renders the view as h lines of w cells; only the rows on screen
// are drawn.
func (s *Speakers) Lines() []string {
	st := s.st
	out := make([]string, 0, s.h)
	title := "Speakers · " + oneLine(s.docName)
	right := "a: every document"
	if s.all {
		title = "Speakers · every document"
		right = "a: this document"
	}
	if s.list != nil || s.err == nil {
		title += fmt.Sprintf(" · %d", len(s.list))
	}
	if s.busy {
		right = "⟳ " + right
	}
	title = ansi.Truncate(title, max(s.w-ansi.StringWidth(right)-2, 8), "…")
	pad := strings.Repeat(" ", max(s.w-ansi.StringWidth(title)-ansi.StringWidth(right), 1))
	out = append(out, fit(st.paneTitleFocused.Render(title)+st.muted.Render(pad+right), s.w))
	c := s.cols()
	head := "  "
	if s.all {
		head += cell("Document", c.doc)
	}
	head += cell("Speaker", c.name) + cell("Role", c.role) + cell("Case", c.cse) +
		rcell("Turns", colTurns) + rcell("Words", colWords) + rcell("Share", colShare)
	out = append(out, fit(st.muted.Render(head), s.w))
	switch {
	case s.err != nil:
		out = append(out, fit(st.errText.Render(ansi.Truncate("error: "+s.err.Error(), s.w, "…")), s.w))
	case s.list == nil && s.busy:
		out = append(out, fit(st.muted.Render("  reading the speakers…"), s.w))
	case len(s.list) == 0:
		out = append(out, fit(st.muted.Render("  no speakers: no turn of this transcript starts with a label (qcode turns DOC --redetect)"), s.w))
	}
	for i := s.top; i < len(s.list) && i < s.top+s.rows(); i++ {
		sp := s.list[i]
		line := "  "
		if i == s.sel {
			line = "▸ "
		}
		if s.all {
			line += cell(oneLine(sp.Document), c.doc)
		}
		cse := "—"
		if sp.Case != "" {
			cse = oneLine(sp.Case)
		}
		share := "–"
		if t := s.words[sp.DocID]; t > 0 {
			share = fmt.Sprintf("%d%%", (sp.Words*100+t/2)/t)
		}
		line += cell(oneLine(sp.Name), c.name) + cell(sp.Role, c.role) + cell(cse, c.cse) +
			rcell(fmt.Sprint(sp.Turns), colTurns) + rcell(fmt.Sprint(sp.Words), colWords) + rcell(share, colShare)
		line = fit(line, s.w)
		if i == s.sel {
			line = st.itemSel.Render(line)
		}
		out = append(out, line)
	}
	for len(out) < s.h-1 {
		out = append(out, strings.Repeat(" ", s.w))
	}
	return append(out[:s.h-1], fit(st.muted.Render(ansi.Truncate(s.about(), s.w, "…")), s.w))
}

// about describes the selected speaker's case and its attributes, as
// the store holds them.
func (s *Speakers) about() string {
	sp, ok := s.Selected()
	switch {
	case !ok:
		return ""
	case sp.Case == "":
		return "  " + oneLine(sp.Name) + " has no case · c ties them to one"
	}
	parts := make([]string, 0, len(sp.Attributes))
	for _, a := range sp.Attributes {
		parts = append(parts, oneLine(a.Key)+"="+oneLine(a.Value))
	}
	line := "  case " + oneLine(sp.Case)
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, " · ")
	} else {
		line += ": no attributes yet (qcode speakers set DOC NAME --attr k=v)"
	}
	return line
}

// ShortHelp lists the view's main keys.
func (s *Speakers) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Rename, k.Merge, k.Interviewer, k.Participant, k.Other, k.Case, k.Jump, k.All, k.Close}
}

// FullHelp lists every key of the view.
func (s *Speakers) FullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{
		{k.Down, k.Up, k.Top, k.Bottom, k.PageDown, k.PageUp},
		{k.Rename, k.Merge, k.Interviewer, k.Participant, k.Other, k.Case},
		{k.Jump, k.All, k.Close},
	}
}

func (s *Speakers) active() bool { return s.Visible() }

func (s *Speakers) update(m *Model, msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyMsg); ok {
		return s.key(m, km)
	}
	return nil
}

func (s *Speakers) view(*Model, func() []string) []string { return s.Lines() }

func (s *Speakers) resize(w, h int) { s.SetSize(w, bodyHeight(h)) }

// helpKeys: the view has the keyboard; undo and redo work here too.
func (s *Speakers) helpKeys(m *Model) keyMap {
	return layerKeys{own: s, g: m.keys, extra: undoHelp}
}

func undoHelp(g *globalKeys) []key.Binding { return []key.Binding{g.Undo, g.Redo, g.Help, g.ForceQuit} }

func (s *Speakers) name(*Model) string { return "speakers" }

// key handles a key while the speakers view is open.
func (s *Speakers) key(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, m.keys.Help):
		m.helpScreen.open = true
		return nil
	case key.Matches(msg, m.keys.Undo):
		return m.write(undoWrite())
	case key.Matches(msg, m.keys.Redo):
		return m.write(redoWrite())
	}
	sp, ok := s.Selected()
	if !ok {
		if s.Update(msg) {
			return s.reload(m)
		}
		return nil
	}
	ref := docRef(sp.DocID)
	where := " in " + oneLine(sp.Document)
	switch {
	case key.Matches(msg, k.Jump):
		if sp.Turns == 0 {
			m.status.Say(oneLine(sp.Name) + " has no turns" + where)
			return nil
		}
		s.Close()
		return firstTurnCmd(m.ctx, m.store, sp.DocID, sp.Name)
	case key.Matches(msg, k.Interviewer):
		return s.setRole(m, sp, coding.RoleInterviewer)
	case key.Matches(msg, k.Participant):
		return s.setRole(m, sp, coding.RoleParticipant)
	case key.Matches(msg, k.Other):
		return s.setRole(m, sp, coding.RoleOther)
	case key.Matches(msg, k.Rename):
		all := s.All()
		title := "Rename speaker " + oneLine(sp.Name) + where + " to (an existing name merges)"
		if all {
			title = "Rename speaker " + oneLine(sp.Name) + " in every document to (an existing name merges)"
		}
		return m.dialog.AskText(title, sp.Name, func(to string) tea.Cmd {
			if to == sp.Name {
				return nil
			}
			rref, doc := ref, sp.DocID
			if all {
				rref, doc = "", 0
			}
			merges := s.Has(doc, to)
			s.Expect(sp.DocID, to)
			return m.write(renameSpeakerWrite(sp, rref, to, all, merges))
		})
	case key.Matches(msg, k.Merge):
		others := s.Others(sp)
		if len(others) == 0 {
			m.status.Say(oneLine(sp.Name) + " is the only speaker" + where)
			return nil
		}
		opts := make([]string, len(others))
		for i, o := range others {
			opts[i] = fmt.Sprintf("%s · %s · %d turns", oneLine(o.Name), o.Role, o.Turns)
		}
		m.dialog.Choose("Merge "+oneLine(sp.Name)+where+" into…", opts, func(i int) tea.Cmd {
			into := others[i]
			s.Expect(into.DocID, into.Name)
			return m.write(mergeSpeakersWrite(sp, into))
		})
		return nil
	case key.Matches(msg, k.Case):
		value := sp.Case
		if value == "" {
			value = sp.Name
		}
		return m.dialog.AskText("Tie "+oneLine(sp.Name)+where+" to the case (a new name makes one; - unties)", value, func(v string) tea.Cmd {
			return m.write(speakerCaseWrite(sp, v))
		})
	}
	if s.Update(msg) {
		return s.reload(m)
	}
	return nil
}

// nTurns counts turns in words.
func nTurns(n int) string {
	if n == 1 {
		return "1 turn"
	}
	return fmt.Sprintf("%d turns", n)
}

// openFor shows the speakers of the open document.
func (s *Speakers) openFor(m *Model) tea.Cmd {
	d := m.reader.Doc()
	if !m.reader.HasDoc() {
		m.status.Say("open a transcript first")
		return nil
	}
	s.Open(d.ID, d.Name)
	return s.reload(m)
}

// reload reads the speakers again.
func (s *Speakers) reload(m *Model) tea.Cmd {
	return speakersCmd(m.ctx, m.store, s.Request(), s.Ref())
}

func (s *Speakers) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	if msg, ok := msg.(speakersMsg); ok {
		s.SetSpeakers(msg)
		return nil, true
	}
	return nil, false
}

// setRole gives the selected speaker a role.
func (s *Speakers) setRole(m *Model, sp coding.Speaker, role string) tea.Cmd {
	where := " in " + oneLine(sp.Document)
	if sp.Role == role {
		m.status.Say(fmt.Sprintf("%s is already the %s%s", oneLine(sp.Name), role, where))
		return nil
	}
	return m.write(speakerRoleWrite(sp, role))
}
