package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
	"github.com/qcode-dev/qcode/index"
)

// Options tune the workbench.
type Options struct {
	// NoColor drops colours (NO_COLOR); bold, reverse and underline stay.
	NoColor bool
	// Input and Output replace the terminal (tests).
	Input  io.Reader
	Output io.Writer
	// NoMouse leaves the mouse to the terminal.
	NoMouse bool
	// NoBlink keeps the text cursor still (tests, and users who ask).
	NoBlink bool
	// Pseudonyms reads the project's pseudonym key for the pseudonymised
	// view (P); nil reads it through pseudo.KeyFor with $QCODE_KEY.
	Pseudonyms func(ctx context.Context) (*pseudo.Matcher, error)
	// Tick schedules a message after a delay; default tea.Tick. Tests
	// replace it to drive polling and debouncing by hand.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Run opens the workbench on the project and returns when the user quits.
func Run(ctx context.Context, s *coding.Store, opt Options) error {
	if os.Getenv("NO_COLOR") != "" {
		opt.NoColor = true
	}
	if opt.NoColor {
		// lipgloss drops every attribute under NO_COLOR; keep bold and
		// reverse (the cursor and selection need them), drop colours in
		// the theme instead.
		lipgloss.SetColorProfile(termenv.ANSI)
	}
	// Ask the terminal for its background before the program owns the
	// input, so adaptive colours pick the light or dark variant.
	lipgloss.SetHasDarkBackground(lipgloss.HasDarkBackground())
	m := New(ctx, s, opt)
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx)}
	if !opt.NoMouse {
		popts = append(popts, tea.WithMouseCellMotion())
	}
	if opt.Input != nil {
		popts = append(popts, tea.WithInput(opt.Input))
	}
	if opt.Output != nil {
		popts = append(popts, tea.WithOutput(opt.Output))
	}
	_, err := tea.NewProgram(m, popts...).Run()
	m.Close()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// Focusable panes.
const (
	paneDocs = iota
	paneReader
	paneCodes
	paneCount
)

// Model is the workbench: three panes, a status bar, and the dialogs over
// them. It routes messages; each case lives in its own method.
type Model struct {
	ctx   context.Context
	store *coding.Store
	opt   Options
	st    *styles
	cs    *codeStyles
	keys  globalKeys

	docs     *DocList
	reader   *Reader
	codebook *Codebook
	picker   *Picker
	dialog   *Dialog
	search   *Search
	retrieve *Retrieve
	analysis *Analysis
	disagree *Disagree
	speakers *Speakers
	status   *StatusBar

	focus int
	help  bool
	w, h  int

	project string
	gen     int64
	seqs    struct{ project, doc, codings, focus, turns, orphans int }
	loaded  bool
	opening bool
	pending int // changes sent to the store and not yet answered
	recent  []int64

	focusCodings []coding.Coding
	quitting     bool
	// coders are everyone who has coded, letters their gutter marks;
	// coderView, when set, shows only that coder's codings.
	coders    []string
	letters   map[string]rune
	coderView string
	// fromAnalysis is set while the quotes of an analysis cell are
	// shown: closing them goes back to the analysis screen.
	fromAnalysis bool
	// pendingHits and pendingCode wait for the picker's answer.
	pendingHits []index.Hit
	pendingCode coding.Code
	// ix is the search index, open for the whole session.
	ix *searchIndex
}

// New returns the workbench model for the store.
func New(ctx context.Context, s *coding.Store, opt Options) Model {
	if opt.Tick == nil {
		opt.Tick = tea.Tick
	}
	st := newStyles(Theme{Color: !opt.NoColor})
	cs := newCodeStyles(!opt.NoColor)
	m := Model{
		ctx: ctx, store: s, opt: opt, st: st, cs: cs, keys: newGlobalKeys(),
		docs: NewDocList(st), reader: NewReader(st, cs), codebook: NewCodebook(st, cs),
		picker: NewPicker(st, cs), dialog: NewDialog(st), search: NewSearch(st, opt.Tick), retrieve: NewRetrieve(st), analysis: NewAnalysis(st, cs), disagree: NewDisagree(st, cs), speakers: NewSpeakers(st),
		status: NewStatusBar(st), focus: paneReader, w: 80, h: 24, ix: &searchIndex{},
	}
	if opt.NoBlink {
		for _, in := range []*textinput.Model{&m.picker.input, &m.dialog.input, &m.search.input} {
			in.Cursor.SetMode(cursor.CursorStatic)
		}
	}
	m.layout()
	m.seqs.project = 1
	m.status.Busy("indexing")
	return m
}

// Close releases what the workbench keeps open for the session (the
// search index); Run calls it when the user quits.
func (m Model) Close() { m.ix.close() }

// Init loads the project, starts polling and brings the index up to date.
func (m Model) Init() tea.Cmd {
	return tea.Batch(refreshCmd(m.ctx, m.store, m.seqs.project, m.coderView), tickCmd(m.opt.Tick), indexCmd(m.ctx, m.store))
}

func (m *Model) refresh() tea.Cmd {
	m.seqs.project++
	return refreshCmd(m.ctx, m.store, m.seqs.project, m.coderView)
}

// reload asks for everything shown that may have changed.
func (m *Model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.refresh()}
	if m.reader.HasDoc() {
		m.seqs.codings++
		cmds = append(cmds, codingsCmd(m.ctx, m.store, m.seqs.codings, m.reader.Doc().ID), m.loadTurns(), m.loadOrphans())
	}
	if id, ok := m.codebook.SelectedID(); ok {
		cmds = append(cmds, m.loadFocus(id))
	}
	if m.analysis.Visible() {
		cmds = append(cmds, m.runAnalysis())
	}
	if m.disagree.Visible() {
		cmds = append(cmds, m.runDisagree())
	}
	if m.speakers.Visible() {
		cmds = append(cmds, m.loadSpeakers())
	}
	if m.retrieve.Visible() && !m.retrieve.Cell() {
		cmds = append(cmds, quotesCmd(m.ctx, m.store, m.retrieve.Again(), m.retrieve.Code(), m.retrieve.Coder()))
	}
	return tea.Batch(cmds...)
}

func (m *Model) loadFocus(id int64) tea.Cmd {
	m.seqs.focus++
	return focusCmd(m.ctx, m.store, m.seqs.focus, id)
}

func (m *Model) openDoc(ref string, at int, sel coding.Span) tea.Cmd {
	m.seqs.doc++
	m.opening = true
	return openDocCmd(m.ctx, m.store, m.seqs.doc, ref, m.reader.w, at, sel)
}

// Update routes a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
	case tea.KeyMsg:
		cmd = m.onKeys(msg)
	case tea.MouseMsg:
		cmd = m.onMouse(msg)
	case projectMsg:
		cmd = m.onProject(msg)
	case docMsg:
		cmd = m.onDoc(msg)
	case codingsMsg:
		if msg.seq == m.seqs.codings && msg.docID == m.reader.Doc().ID {
			if msg.err != nil {
				m.status.Fail(msg.err)
			} else {
				m.reader.SetCodings(msg.codings)
			}
		}
	case focusMsg:
		if msg.seq == m.seqs.focus {
			m.focusCodings = msg.codings
			m.reader.SetFocusCode(msg.codeID, msg.codings)
		}
	case tickMsg:
		cmd = genCmd(m.ctx, m.store)
	case genMsg:
		cmd = tickCmd(m.opt.Tick)
		if msg.err == nil && msg.gen != m.gen && m.loaded {
			m.gen = msg.gen
			cmd = tea.Batch(cmd, m.reload())
		}
	case actMsg:
		cmd = m.onAct(msg)
	case doneMsg:
		cmd = m.onDone(msg)
	case pickedMsg:
		cmd = m.onPicked(msg)
	case indexProgressMsg:
		m.status.Busy(fmt.Sprintf("indexing %d/%d", msg.done, msg.total))
		cmd = waitIndex(msg.ch)
	case indexDoneMsg:
		m.status.Busy("")
		if msg.err != nil {
			m.status.Fail(fmt.Errorf("search index: %w", msg.err))
		} else if msg.status.Rebuilt && m.status.Message() == "" {
			// Only when nothing else has been said: the user's own
			// last action matters more than the index.
			m.status.Say("search index built")
		}
	case searchDebounceMsg:
		if msg.seq == m.search.Seq() {
			cmd = searchCmd(m.ctx, m.store, m.ix, msg.seq, m.search.Query())
		}
	case searchMsg:
		m.search.SetResult(m.pseudoHits(msg))
	case jumpMsg:
		m.search.Close()
		m.focusPane(paneReader)
		cmd = m.openDoc(docRef(msg.docID), msg.start, coding.Span{Start: msg.start, End: msg.end})
		if msg.allCoders && m.coderView != "" {
			m.coderView = ""
			m.reader.SetCoderView("", m.letters)
			m.reader.SetFocusCode(m.reader.focusCode, m.focusCodings)
			cmd = tea.Batch(cmd, m.refresh())
		}
	case jumpQuoteMsg:
		msg.doc = m.reader.pv.realName(msg.doc)
		m.retrieve.Close()
		m.fromAnalysis = false
		m.focusPane(paneReader)
		cmd = m.openDoc(fmt.Sprintf("%s@%d", msg.doc, msg.version), msg.start, coding.Span{Start: msg.start, End: msg.end})
	case codeHitsMsg:
		hits := msg.hits
		cmd = m.picker.Open(pickHits, fmt.Sprintf("Code %d passages (their sentences) with…", len(hits)), m.codebook.Codes(), m.recent, true)
		m.pendingHits = hits
	case quotesMsg:
		m.retrieve.SetQuotes(m.pseudoQuotes(msg))
	case pseudoKeyMsg:
		cmd = m.onPseudoKey(msg)
	case analysisAskMsg:
		cmd = m.runAnalysis()
	case analysisMsg:
		m.analysis.SetResult(msg)
	case analysisCellMsg:
		cmd = m.openCell(msg)
	case disagreeAskMsg:
		cmd = m.runDisagree()
	case disagreeMsg:
		m.disagree.SetReport(msg)
	case speakersMsg, turnsMsg, sayMsg:
		cmd = m.onSpeakersMsg(msg)
	case editorDoneMsg:
		cmd = m.onEditorDone(msg)
	case editedMsg:
		cmd = m.onEdited(msg)
	case orphansMsg:
		m.onOrphans(msg)
	case exportQuotesMsg:
		cmd = m.exportQuotes(msg)
	case exportMsg:
		if msg.err != nil {
			m.status.Fail(msg.err)
		} else {
			m.status.Say(fmt.Sprintf("exported %d quotes to %s", msg.n, msg.path))
		}
	case filterQuotesMsg:
		cmd = m.dialog.AskText("Filter quotes by attribute (e.g. female, or wave=February), empty for all", m.retrieve.filter, func(v string) tea.Cmd {
			return func() tea.Msg { return setFilterMsg{v} }
		})
	case setFilterMsg:
		m.retrieve.SetFilter(msg.text)
	case coderQuotesMsg:
		cmd = quotesCmd(m.ctx, m.store, m.retrieve.Again(), m.retrieve.Code(), msg.coder)
	case quitMsg:
		m.quitting = true
		cmd = tea.Quit
	default:
		// Cursor blinks and the like go to whichever input is open.
		cmd = m.toInputs(msg)
	}
	m.updateStatus()
	return m, cmd
}

type setFilterMsg struct{ text string }

type quitMsg struct{}

func (m *Model) toInputs(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.dialog.Visible():
		m.dialog.input, cmd = m.dialog.input.Update(msg)
	case m.picker.Visible():
		m.picker.input, cmd = m.picker.input.Update(msg)
	case m.search.Visible():
		m.search.input, cmd = m.search.input.Update(msg)
	}
	return cmd
}

func (m *Model) updateStatus() {
	doc := ""
	if m.reader.HasDoc() {
		doc = m.reader.Doc().Name
	}
	m.status.Info(m.project, doc, m.store.Coder(), m.reader.Position())
	switch {
	case m.coderView != "":
		m.status.SetView("showing " + m.coderView)
	case len(m.coders) > 1:
		m.status.SetView("showing all coders")
	default:
		m.status.SetView("")
	}
	m.pseudoStatus()
}

// layout gives each pane its share of the screen.
func (m *Model) layout() {
	ch := max(m.h-2, 3)
	dw := min(max(m.w/6, 14), 30)
	cw := min(max(m.w/5, 18), 36)
	if m.w < 70 {
		dw = 0
	}
	rw := max(m.w-dw-cw-2, 10)
	if dw == 0 {
		rw = max(m.w-cw-1, 10)
	}
	m.docs.SetSize(dw, ch)
	m.reader.SetSize(rw, ch)
	m.codebook.SetSize(cw, ch)
	m.search.SetSize(rw, ch)
	m.retrieve.SetSize(rw, ch)
	m.analysis.SetSize(m.w, ch)
	m.disagree.SetSize(m.w, ch)
	m.speakers.SetSize(m.w, ch)
	m.picker.SetSize(m.w, m.h)
	m.dialog.SetSize(m.w, m.h)
	m.status.SetSize(m.w, 1)
	m.setFocusFlags()
}

func (m *Model) setFocusFlags() {
	m.docs.SetFocused(m.focus == paneDocs)
	m.reader.SetFocused(m.focus == paneReader)
	m.codebook.SetFocused(m.focus == paneCodes)
}

func (m *Model) focusPane(p int) {
	if m.docs.w == 0 && p == paneDocs {
		p = paneReader
	}
	m.focus = p
	m.setFocusFlags()
}

func (m *Model) onProject(msg projectMsg) tea.Cmd {
	if msg.seq != m.seqs.project {
		return nil
	}
	if msg.err != nil {
		m.status.Fail(msg.err)
		return nil
	}
	m.project, m.gen = msg.name, msg.gen
	m.docs.SetDocs(m.pseudoDocs(msg.docs))
	m.codebook.SetCodes(msg.codes)
	m.reader.SetCodes(msg.codes)
	m.coders, m.letters = msg.coders, coderLetters(msg.coders)
	m.reader.SetCoderView(m.coderView, m.letters)
	m.codebook.SetCounts(msg.coder, msg.codeCounts)
	m.docs.SetCounts(msg.docCounts)
	first := !m.loaded
	m.loaded = true
	if first && !m.reader.HasDoc() && len(msg.docs) > 0 {
		var cmds []tea.Cmd
		cmds = append(cmds, m.openDoc(docRef(msg.docs[0].ID), -1, coding.Span{}))
		if id, ok := m.codebook.SelectedID(); ok {
			cmds = append(cmds, m.loadFocus(id))
		}
		return tea.Batch(cmds...)
	}
	if first && len(msg.docs) == 0 {
		m.status.Say("no documents yet: import some with 'qcode import FILE'")
	}
	if d, ok := m.newerVersion(msg.docs); ok {
		return m.followVersion(d)
	}
	return nil
}

func (m *Model) onDoc(msg docMsg) tea.Cmd {
	if msg.seq != m.seqs.doc {
		return nil
	}
	m.opening = false
	if msg.err != nil {
		m.status.Fail(msg.err)
		return nil
	}
	m.reader.SetDoc(msg)
	m.docs.SetOpen(msg.doc.ID)
	m.reader.SetFocusCode(m.reader.focusCode, m.focusCodings)
	return nil
}

func (m *Model) onDone(msg doneMsg) tea.Cmd {
	m.pending = max(m.pending-1, 0)
	if msg.err != nil {
		m.status.Fail(msg.err)
		return nil
	}
	m.status.Say(msg.what)
	if msg.clearSel {
		m.reader.ClearSelection()
	}
	return m.reload()
}

// actMsg carries a change to send to the store. Dialogs answer with it,
// so that a callback prepared earlier never touches an old copy of the
// model: Update counts the change as pending and runs it.
type actMsg struct {
	fn       func(ctx context.Context, s *coding.Store) (string, error)
	clearSel bool
}

// act prepares one change to the store.
func (m *Model) act(fn func(ctx context.Context, s *coding.Store) (string, error), clearSel bool) tea.Cmd {
	return func() tea.Msg { return actMsg{fn: fn, clearSel: clearSel} }
}

func (m *Model) onAct(msg actMsg) tea.Cmd {
	m.pending++
	s := m.store
	return actCmd(m.ctx, func(ctx context.Context) (string, error) { return msg.fn(ctx, s) }, msg.clearSel)
}

// onKeys splits runes typed faster than the terminal is read (they
// arrive as one message) into keys of their own, unless a text box takes
// them as text.
func (m *Model) onKeys(msg tea.KeyMsg) tea.Cmd {
	typing := m.dialog.kind == dlgText || m.picker.Visible() || m.search.Visible()
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || typing {
		return m.onKey(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.ForceQuit) {
		m.quitting = true
		return tea.Quit
	}
	switch {
	case m.help:
		m.help = false
		return nil
	case m.dialog.Visible():
		_, cmd := m.dialog.Update(msg)
		return cmd
	case m.picker.Visible():
		_, cmd := m.picker.Update(msg)
		return cmd
	case m.search.Visible():
		_, cmd := m.search.Update(msg)
		return cmd
	case m.retrieve.Visible():
		if key.Matches(msg, m.keys.Help) {
			m.help = true
			return nil
		}
		_, cmd := m.retrieve.Update(msg)
		if !m.retrieve.Visible() && m.fromAnalysis {
			m.fromAnalysis = false
			m.analysis.Open()
		}
		return cmd
	case m.analysis.Visible():
		if key.Matches(msg, m.keys.Help) {
			m.help = true
			return nil
		}
		_, cmd := m.analysis.Update(msg)
		return cmd
	case m.disagree.Visible():
		if key.Matches(msg, m.keys.Help) {
			m.help = true
			return nil
		}
		_, cmd := m.disagree.Update(msg)
		return cmd
	case m.speakers.Visible():
		return m.speakersKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.help = true
		return nil
	case key.Matches(msg, m.keys.Next):
		m.focusPane((m.focus + 1) % paneCount)
		if m.docs.w == 0 && m.focus == paneDocs {
			m.focusPane(paneReader)
		}
		return nil
	case key.Matches(msg, m.keys.Prev):
		p := (m.focus + paneCount - 1) % paneCount
		if m.docs.w == 0 && p == paneDocs {
			p = paneCodes
		}
		m.focusPane(p)
		return nil
	case key.Matches(msg, m.keys.Search):
		return m.search.Open()
	case key.Matches(msg, m.keys.CoderView):
		return m.cycleCoder()
	case key.Matches(msg, m.keys.Analysis):
		m.analysis.Open()
		return m.runAnalysis()
	case key.Matches(msg, m.keys.Disagree):
		m.disagree.Open()
		return m.runDisagree()
	case key.Matches(msg, m.keys.Speakers):
		return m.openSpeakers()
	case key.Matches(msg, m.keys.Pseudo):
		return m.togglePseudo()
	case key.Matches(msg, m.keys.Undo):
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			op, err := s.Undo(ctx)
			return "undone: " + op.Label, err
		}, false)
	case key.Matches(msg, m.keys.Redo):
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			op, err := s.Redo(ctx)
			return "redone: " + op.Label, err
		}, false)
	}
	switch m.focus {
	case paneDocs:
		return m.docsKey(msg)
	case paneCodes:
		return m.codesKey(msg)
	}
	return m.readerKey(msg)
}

// unfinished says what quitting now would lose, or "".
func (m *Model) unfinished() string {
	switch {
	case m.pending > 0:
		return "a change is still being saved"
	case m.dialog.Pending():
		return "a memo or name is half typed"
	case m.reader.Selecting():
		return "a selection is not coded yet"
	}
	return ""
}

func (m *Model) quit() tea.Cmd {
	if why := m.unfinished(); why != "" {
		m.dialog.Confirm("Quit? "+strings.ToUpper(why[:1])+why[1:]+".", func() tea.Msg { return quitMsg{} })
		return nil
	}
	m.quitting = true
	return tea.Quit
}

func (m *Model) docsKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.docs.keys.Open):
		if d, ok := m.docs.Selected(); ok {
			m.focusPane(paneReader)
			if d.ID == m.reader.Doc().ID && m.reader.HasDoc() {
				return nil
			}
			return m.openDoc(docRef(d.ID), -1, coding.Span{})
		}
	case key.Matches(msg, m.docs.keys.Memo):
		if d, ok := m.docs.Selected(); ok {
			return m.askMemo(coding.TargetDocument, docRef(d.ID), "document "+d.Name)
		}
	default:
		m.docs.Update(msg)
	}
	return nil
}

func (m *Model) readerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.reader.keys
	if !m.reader.HasDoc() || m.pseudoBlocks(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Code):
		sp, ok := m.reader.Selection()
		if !ok {
			m.status.Say("select text first: v and a move, s a sentence, t a turn")
			return nil
		}
		return m.picker.Open(pickApply, "Code «"+excerpt(m.reader.SelectedText(), 40)+"» "+sp.String()+" with…", m.codebook.Codes(), m.recent, true)
	case key.Matches(msg, k.InVivo):
		return m.inVivo()
	case key.Matches(msg, k.Remove):
		return m.removeCoding()
	case key.Matches(msg, k.Memo):
		return m.memoAtCursor()
	case key.Matches(msg, k.NextSpan):
		return m.jumpSpan(1)
	case key.Matches(msg, k.PrevSpan):
		return m.jumpSpan(-1)
	case key.Matches(msg, k.Edit):
		return m.editDoc()
	}
	m.reader.Update(msg)
	return nil
}

func (m *Model) codesKey(msg tea.KeyMsg) tea.Cmd {
	k := m.codebook.keys
	code, has := m.codebook.Selected()
	switch {
	case key.Matches(msg, k.Add):
		return m.dialog.AskText("New code (Parent/Child makes it under Parent)", "", func(v string) tea.Cmd {
			return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
				c, _, err := s.AddCode(ctx, coding.NewCode{Path: v})
				return "added code " + c.Path, err
			}, false)
		})
	case !has:
	case key.Matches(msg, k.Rename):
		return m.dialog.AskText("Rename "+code.Path+" to", code.Name, func(v string) tea.Cmd {
			return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
				_, err := s.RenameCode(ctx, code.Path, v)
				return fmt.Sprintf("renamed %s to %s", code.Path, v), err
			}, false)
		})
	case key.Matches(msg, k.Move):
		top := coding.Code{ID: -1, Name: "(top level)", Path: "(top level)"}
		cands := append([]coding.Code{top}, m.codebook.Codes()...)
		m.pendingCode = code
		return m.picker.Open(pickMove, "Move "+code.Path+" under…", cands, nil, false)
	case key.Matches(msg, k.Merge):
		m.pendingCode = code
		return m.picker.Open(pickMerge, "Merge "+code.Path+" into…", m.codebook.Codes(), m.recent, false)
	case key.Matches(msg, k.Delete):
		n, subs := m.subtreeCount(code)
		q := fmt.Sprintf("Delete %s? %d codings are affected", code.Path, n)
		if subs > 0 {
			q += fmt.Sprintf(", and its %d sub-codes go too", subs)
		}
		q += ". (u undoes)"
		m.dialog.Confirm(q, m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			_, err := s.DeleteCode(ctx, code.Path, true)
			return "deleted code " + code.Path, err
		}, false))
		return nil
	case key.Matches(msg, k.Retrieve):
		seq := m.retrieve.Open(code.Path)
		if m.coderView != "" {
			m.retrieve.SetCoder(m.coderView)
		}
		return quotesCmd(m.ctx, m.store, seq, code.Path, m.retrieve.Coder())
	case key.Matches(msg, k.NextSpan):
		return m.jumpSpan(1)
	case key.Matches(msg, k.PrevSpan):
		return m.jumpSpan(-1)
	case key.Matches(msg, k.Memo):
		return m.askMemo(coding.TargetCode, code.Path, "code "+code.Path)
	}
	before, _ := m.codebook.SelectedID()
	m.codebook.Update(msg)
	if after, ok := m.codebook.SelectedID(); ok && after != before {
		return m.loadFocus(after)
	}
	return nil
}

// subtreeCount counts the codings of code and its sub-codes, and the
// sub-codes.
func (m *Model) subtreeCount(code coding.Code) (codings, subs int) {
	for _, c := range m.codebook.Codes() {
		if c.ID == code.ID || strings.HasPrefix(c.Path, code.Path+"/") {
			codings += c.Codings
			if c.ID != code.ID {
				subs++
			}
		}
	}
	return codings, subs
}

func (m *Model) onPicked(msg pickedMsg) tea.Cmd {
	switch msg.purpose {
	case pickApply:
		sp, ok := m.reader.Selection()
		if !ok {
			return nil
		}
		m.noteRecent(msg.path)
		doc := docRef(m.reader.Doc().ID)
		path, create := msg.path, msg.create
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			_, op, err := s.Tag(ctx, coding.TagRequest{Doc: doc, Code: path, Spans: []coding.Span{sp}, Create: create})
			if err != nil {
				return "", err
			}
			return op.Label, nil
		}, true)
	case pickHits:
		hits := m.pendingHits
		m.pendingHits = nil
		m.noteRecent(msg.path)
		m.pending++
		return tagHitsCmd(m.ctx, m.store, msg.path, msg.create, hits)
	case pickMove:
		from, to := m.pendingCode.Path, msg.path
		if to == "(top level)" {
			to = ""
		}
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			op, err := s.MoveCode(ctx, from, to)
			return op.Label, err
		}, false)
	case pickMerge:
		from, into := m.pendingCode, msg.path
		n, _ := m.subtreeCount(from)
		m.dialog.Confirm(fmt.Sprintf("Merge %s into %s? %d codings are affected. (u undoes)", from.Path, into, n),
			m.act(func(ctx context.Context, s *coding.Store) (string, error) {
				op, err := s.MergeCode(ctx, from.Path, into)
				return op.Label, err
			}, false))
	}
	return nil
}

// noteRecent puts the code named path first among the recent codes.
func (m *Model) noteRecent(path string) {
	for _, c := range m.codebook.Codes() {
		if c.Path == path {
			out := []int64{c.ID}
			for _, id := range m.recent {
				if id != c.ID && len(out) < 10 {
					out = append(out, id)
				}
			}
			m.recent = out
		}
	}
}

var nonName = regexp.MustCompile(`[^\p{L}\p{N}'’ -]+`)

// inVivo codes the selection with a code named by its words.
func (m *Model) inVivo() tea.Cmd {
	sp, ok := m.reader.Selection()
	if !ok {
		m.status.Say("select the words first: v and a move, or s")
		return nil
	}
	name := strings.Join(strings.Fields(nonName.ReplaceAllString(m.reader.SelectedText(), " ")), " ")
	if r := []rune(name); len(r) > 60 {
		name = strings.TrimSpace(string(r[:60]))
	}
	if name == "" {
		m.status.Say("the selection has no words to name a code by")
		return nil
	}
	doc := docRef(m.reader.Doc().ID)
	return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
		_, _, err := s.Tag(ctx, coding.TagRequest{Doc: doc, Code: name, Spans: []coding.Span{sp}, Create: true})
		return "in-vivo code «" + name + "»", err
	}, true)
}

func (m *Model) removeCoding() tea.Cmd {
	cs := m.reader.CodingsAt()
	remove := func(c coding.Coding) tea.Cmd {
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			_, _, err := s.Untag(ctx, coding.UntagRequest{IDs: []int64{c.ID}})
			return fmt.Sprintf("removed %s from %d:%d", c.Code, c.Start, c.End), err
		}, false)
	}
	switch len(cs) {
	case 0:
		m.status.Say("no coding here")
		return nil
	case 1:
		return remove(cs[0])
	}
	opts := make([]string, len(cs))
	for i, c := range cs {
		opts[i] = fmt.Sprintf("%s  %d:%d  by %s", c.Code, c.Start, c.End, c.Coder)
	}
	m.dialog.Choose("Remove which coding?", opts, func(i int) tea.Cmd { return remove(cs[i]) })
	return nil
}

func (m *Model) memoAtCursor() tea.Cmd {
	type target struct{ kind, ref, label string }
	var ts []target
	for _, c := range m.reader.CodingsAt() {
		ts = append(ts, target{coding.TargetCoding, fmt.Sprint(c.ID), fmt.Sprintf("the coding %s %d:%d", c.Code, c.Start, c.End)})
	}
	d := m.reader.Doc()
	ts = append(ts, target{coding.TargetDocument, docRef(d.ID), "the document " + d.Name})
	if c, ok := m.codebook.Selected(); ok {
		ts = append(ts, target{coding.TargetCode, c.Path, "the code " + c.Path})
	}
	opts := make([]string, len(ts))
	for i, t := range ts {
		opts[i] = "Memo on " + t.label
	}
	m.dialog.Choose("Write a memo on…", opts, func(i int) tea.Cmd {
		return m.askMemo(ts[i].kind, ts[i].ref, strings.TrimPrefix(ts[i].label, "the "))
	})
	return nil
}

func (m *Model) askMemo(kind, ref, label string) tea.Cmd {
	return m.dialog.AskText("Memo on "+label, "", func(text string) tea.Cmd {
		return m.act(func(ctx context.Context, s *coding.Store) (string, error) {
			_, _, err := s.AddMemo(ctx, kind, ref, text)
			return "memo written on " + label, err
		}, false)
	})
}

// jumpSpan moves to the next (dir 1) or previous (-1) span of the
// focused code, across documents in name order.
func (m *Model) jumpSpan(dir int) tea.Cmd {
	code, ok := m.codebook.Selected()
	var cs []coding.Coding
	for _, c := range m.focusCodings {
		if m.coderView == "" || c.Coder == m.coderView {
			cs = append(cs, c)
		}
	}
	if !ok || len(cs) == 0 {
		m.status.Say("choose a code with codings in the codes pane first")
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Document != cs[j].Document {
			return cs[i].Document < cs[j].Document
		}
		return cs[i].Start < cs[j].Start
	})
	cur, at := m.reader.Doc().Name, m.reader.Cursor()
	if sp, ok := m.reader.Selection(); ok {
		at = sp.Start
	}
	pick := -1
	if dir > 0 {
		for i, c := range cs {
			if c.Document > cur || c.Document == cur && c.Start > at {
				pick = i
				break
			}
		}
		if pick < 0 {
			pick = 0
		}
	} else {
		for i := len(cs) - 1; i >= 0; i-- {
			c := cs[i]
			if c.Document < cur || c.Document == cur && c.Start < at {
				pick = i
				break
			}
		}
		if pick < 0 {
			pick = len(cs) - 1
		}
	}
	c := cs[pick]
	m.status.Say(fmt.Sprintf("%s %d of %d", code.Path, pick+1, len(cs)))
	sp := coding.Span{Start: c.Start, End: c.End}
	if c.DocID == m.reader.Doc().ID {
		m.reader.SetDoc(docMsg{doc: m.reader.doc, turns: m.reader.turns, codings: m.reader.codings, text: m.reader.text, lines: m.reader.lines, at: c.Start, sel: sp})
		return nil
	}
	return m.openDoc(docRef(c.DocID), c.Start, sp)
}

// exportQuotes writes the shown quotes to exports/ in Markdown, as
// 'qcode quotes' writes them (coding/quotes).
func (m *Model) exportQuotes(msg exportQuotesMsg) tea.Cmd {
	dir := filepath.Join(m.store.Dir(), "exports")
	name := strings.NewReplacer("/", "-", " ", "_").Replace(msg.code)
	path := filepath.Join(dir, "quotes-"+name+".md")
	ctx, s := m.ctx, m.store
	return func() tea.Msg {
		tree, err := s.CodeTree(ctx)
		if err != nil {
			return exportMsg{err: err}
		}
		codes := map[string]bool{}
		for _, q := range msg.quotes {
			codes[q.Code] = true
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return exportMsg{err: err}
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return exportMsg{err: err}
		}
		err = quotefmt.Markdown(f, msg.quotes, quotefmt.Options{Codes: tree, Group: len(codes) > 1})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return exportMsg{path: path, n: len(msg.quotes), err: err}
	}
}

func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.help || m.dialog.Visible() || m.picker.Visible() || m.analysis.Visible() || m.disagree.Visible() || m.speakers.Visible() {
		return nil
	}
	x := msg.X
	dw, rw := m.docs.w, m.reader.w
	if msg.Y >= m.h-2 {
		return nil
	}
	switch {
	case dw > 0 && x < dw:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			m.focusPane(paneDocs)
		}
		m.docs.Update(msg)
	case x >= m.w-m.codebook.w:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			m.focusPane(paneCodes)
		}
		before, _ := m.codebook.SelectedID()
		msg.X -= m.w - m.codebook.w
		m.codebook.Update(msg)
		if after, ok := m.codebook.SelectedID(); ok && after != before {
			return m.loadFocus(after)
		}
	default:
		if m.search.Visible() || m.retrieve.Visible() {
			return nil
		}
		off := 0
		if dw > 0 {
			off = dw + 1
		}
		if x-off >= rw {
			return nil
		}
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			m.focusPane(paneReader)
		}
		msg.X -= off
		m.reader.Update(msg)
	}
	return nil
}

// View draws the screen.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	ch := max(m.h-2, 1)
	var screen []string
	if m.help {
		screen = helpScreen(m.st, m.w, ch, "Keys · "+m.focusName(), m.fullHelp())
	} else if m.analysis.Visible() {
		screen = m.analysis.Lines()
	} else if m.disagree.Visible() {
		screen = m.disagree.Lines()
	} else if m.speakers.Visible() {
		screen = m.speakers.Lines()
		if m.dialog.Visible() {
			screen = overlay(screen, m.dialog.Box(), m.w)
		}
	} else {
		screen = m.panes(ch)
		switch {
		case m.dialog.Visible():
			screen = overlay(screen, m.dialog.Box(), m.w)
		case m.picker.Visible():
			screen = overlay(screen, m.picker.Box(), m.w)
		}
	}
	screen = append(screen, m.status.View(), helpLine(m.st, m.w, m.shortHelp()))
	return strings.Join(screen, "\n")
}

func (m Model) panes(ch int) []string {
	var left, mid, right []string
	if m.docs.w > 0 {
		left = m.docs.Lines()
	}
	switch {
	case m.search.Visible():
		mid = m.search.Lines()
	case m.retrieve.Visible():
		mid = m.retrieve.Lines()
	default:
		mid = m.reader.Lines()
	}
	right = m.codebook.Lines()
	sep := m.st.sep.Render("│")
	out := make([]string, ch)
	var b strings.Builder
	for y := 0; y < ch; y++ {
		b.Reset()
		if left != nil {
			b.WriteString(left[y])
			b.WriteString(sep)
		}
		b.WriteString(mid[y])
		b.WriteString(sep)
		b.WriteString(right[y])
		out[y] = b.String()
	}
	return out
}

func (m Model) focusName() string {
	switch {
	case m.search.Visible():
		return "search"
	case m.retrieve.Visible():
		return "quotes"
	case m.analysis.Visible():
		return "analysis"
	case m.disagree.Visible():
		return "disagreements"
	case m.speakers.Visible():
		return "speakers"
	}
	return [...]string{"documents", "transcript", "codes"}[m.focus]
}

func (m Model) globalHelp() []key.Binding {
	k := m.keys
	return []key.Binding{k.Next, k.Prev, k.Search, k.CoderView, k.Analysis, k.Disagree, k.Speakers, k.Pseudo, k.Undo, k.Redo, k.Help, k.Quit, k.ForceQuit}
}

// keyMap is what every pane and overlay offers for help.
type keyMap interface {
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// activeKeys is the key map of whatever has the keyboard: an open
// overlay, else the focused pane.
func (m Model) activeKeys() keyMap {
	switch {
	case m.dialog.Visible():
		return m.dialog
	case m.picker.Visible():
		return m.picker
	case m.search.Visible():
		return m.search
	case m.retrieve.Visible():
		return m.retrieve
	case m.analysis.Visible():
		return m.analysis
	case m.disagree.Visible():
		return m.disagree
	case m.speakers.Visible():
		return m.speakers
	case m.focus == paneDocs:
		return m.docs
	case m.focus == paneCodes:
		return m.codebook
	}
	return m.reader
}

func (m Model) shortHelp() []key.Binding {
	return append(append(m.activeKeys().ShortHelp(), m.keys.Help), m.keys.Next, m.keys.Quit)
}

func (m Model) fullHelp() [][]key.Binding {
	local := m.activeKeys().FullHelp()
	if m.speakers.Visible() {
		return append(local, []key.Binding{m.keys.Undo, m.keys.Redo, m.keys.Help, m.keys.ForceQuit})
	}
	if m.retrieve.Visible() || m.analysis.Visible() || m.disagree.Visible() {
		// These views have the keyboard: the panes' keys do nothing.
		return append(local, []key.Binding{m.keys.Help, m.keys.ForceQuit})
	}
	// The global keys in two columns, so that all of them fit at 80×24.
	g := m.globalHelp()
	half := (len(g) + 1) / 2
	return append(local, g[:half], g[half:])
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n/2]) + "…" + string(r[len(r)-n/2:])
	}
	return s
}
