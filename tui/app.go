package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
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

// Model is the workbench: the stack of layers (three panes at the
// bottom, screens and boxes over them) and a status bar. It routes
// messages; each case lives in its own method.
type Model struct {
	ctx   context.Context
	store *coding.Store
	opt   Options
	st    *styles
	cs    *codeStyles
	keys  *globalKeys

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
	attrs    *Attributes
	status   *StatusBar

	focus int
	w, h  int

	// layers are the screens and overlays, top first (see layer.go);
	// helpScreen is the help over them.
	layers     []layer
	helpScreen *helpLayer

	project string
	gen     int64
	seqs    struct{ project, doc, codings, focus, turns, orphans int }
	loaded  bool
	opening bool
	pending int // changes sent to the store and not yet answered
	// reloading is set while a reload is on its way (its refresh has
	// seq reloadSeq); another asked for meanwhile waits for it
	// (reloadAgain) rather than running beside it.
	reloading   bool
	reloadSeq   int
	reloadAgain bool
	recent      []int64

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
	// bg is the work the workbench runs beside the user (the index
	// build), stopped and awaited by Close.
	bg *background
}

// background is the work started for the session that outlives a
// keystroke: Close cancels its context and waits for it.
type background struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
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
		picker: NewPicker(st, cs), dialog: NewDialog(st), search: NewSearch(st, opt.Tick), retrieve: NewRetrieve(st), analysis: NewAnalysis(st, cs), disagree: NewDisagree(st, cs), speakers: NewSpeakers(st), attrs: NewAttributes(st),
		status: NewStatusBar(st), focus: paneReader, w: 80, h: 24, ix: &searchIndex{},
		helpScreen: &helpLayer{},
	}
	m.layers = m.newStack()
	bctx, cancel := context.WithCancel(ctx)
	m.bg = &background{ctx: bctx, cancel: cancel}
	if opt.NoBlink {
		m.picker.NoBlink()
		m.search.NoBlink()
		m.dialog.NoBlink()
	}
	m.layout()
	m.seqs.project = 1
	m.status.Busy("indexing")
	return m
}

// Close stops the work running beside the user (an index build stops
// within a second, keeping what it finished), waits for it, and releases
// what the workbench keeps open for the session (the search index); Run
// calls it when the user quits.
func (m Model) Close() {
	m.bg.cancel()
	m.bg.wg.Wait()
	m.ix.close()
}

// Init loads the project, starts polling and brings the index up to date.
func (m Model) Init() tea.Cmd {
	return tea.Batch(refreshCmd(m.ctx, m.store, m.seqs.project, m.coderView), tickCmd(m.opt.Tick), indexCmd(m.bg, m.store))
}

func (m *Model) refresh() tea.Cmd {
	m.seqs.project++
	return refreshCmd(m.ctx, m.store, m.seqs.project, m.coderView)
}

// reload asks for everything shown that may have changed: after a
// change made elsewhere (the poll saw the generation move) or a write
// that changes more than codings. One reload runs at a time; one asked
// for meanwhile runs when it lands.
func (m *Model) reload() tea.Cmd {
	if m.reloading {
		m.reloadAgain = true
		return nil
	}
	cmds := []tea.Cmd{m.refresh()}
	m.reloading, m.reloadSeq = true, m.seqs.project
	if m.reader.HasDoc() {
		m.seqs.codings++
		cmds = append(cmds, codingsCmd(m.ctx, m.store, m.seqs.codings, m.reader.Doc().ID), m.loadTurns(), m.loadOrphans())
	}
	if id, ok := m.codebook.SelectedID(); ok {
		cmds = append(cmds, m.loadFocus(id))
	}
	for _, l := range m.layers {
		if r, ok := l.(reloader); ok && l.active() {
			cmds = append(cmds, r.reload(m))
		}
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
	return openDocCmd(m.ctx, m.store, m.seqs.doc, ref, m.reader.Width(), at, sel)
}

// Update routes a message: keys and the mouse to the layer on top, the
// answers to the root's own requests to one method each, and the rest
// to the layer whose answer it is.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
	case tea.KeyMsg:
		cmd = m.onKeys(msg)
	case tea.MouseMsg:
		cmd = m.top().update(&m, msg)
	case projectMsg:
		cmd = m.onProject(msg)
	case docMsg:
		cmd = m.onDoc(msg)
	case codingsMsg:
		m.onCodings(msg)
	case focusMsg:
		m.onFocus(msg)
	case tickMsg:
		cmd = genCmd(m.ctx, m.store)
	case genMsg:
		cmd = m.onPoll(msg)
	case writeMsg:
		m.pending++
		cmd = writeCmd(m.ctx, m.store, msg.w)
	case doneMsg:
		cmd = m.onDone(msg)
	case pickedMsg:
		cmd = m.onPicked(msg)
	case indexProgressMsg:
		m.status.Busy(fmt.Sprintf("indexing %d/%d", msg.done, msg.total))
		cmd = waitIndex(msg.ch)
	case indexDoneMsg:
		m.onIndexed(msg)
	case jumpMsg:
		cmd = m.onJump(msg)
	case pseudoKeyMsg:
		cmd = m.onPseudoKey(msg)
	case turnsMsg, sayMsg:
		cmd = m.onTurnsMsg(msg)
	case editorDoneMsg:
		cmd = m.onEditorDone(msg)
	case editedMsg:
		cmd = m.onEdited(msg)
	case orphansMsg:
		m.onOrphans(msg)
	case quitMsg:
		m.quitting = true
		cmd = tea.Quit
	default:
		// The answers to a layer's own requests go to it; cursor
		// blinks and the like to the inputs open.
		cmd = m.toLayers(msg)
	}
	m.updateStatus()
	return m, cmd
}

type quitMsg struct{}

func (m *Model) onCodings(msg codingsMsg) {
	if msg.seq != m.seqs.codings || msg.docID != m.reader.Doc().ID {
		return
	}
	if msg.err != nil {
		m.status.Fail(msg.err)
		return
	}
	m.reader.SetCodings(msg.codings)
}

func (m *Model) onFocus(msg focusMsg) {
	if msg.seq != m.seqs.focus {
		return
	}
	if msg.err != nil {
		m.status.Fail(fmt.Errorf("codings of the code: %w", msg.err))
	}
	m.focusCodings = msg.codings
	m.reader.SetFocusCode(msg.codeID, msg.codings)
}

// onPoll reloads when the store's generation moved: a change made
// elsewhere (the workbench's own writes move m.gen themselves).
func (m *Model) onPoll(msg genMsg) tea.Cmd {
	cmd := tickCmd(m.opt.Tick)
	if msg.err == nil && msg.gen != m.gen && m.loaded {
		m.gen = msg.gen
		cmd = tea.Batch(cmd, m.reload())
	}
	return cmd
}

func (m *Model) onIndexed(msg indexDoneMsg) {
	m.status.Busy("")
	if msg.err != nil {
		m.status.Fail(fmt.Errorf("search index: %w", msg.err))
	} else if msg.status.Rebuilt && m.status.Message() == "" {
		// Only when nothing else has been said: the user's own last
		// action matters more than the index.
		m.status.Say("search index built")
	}
}

// onJump shows a passage (a search hit, a disagreement) selected in
// the transcript.
func (m *Model) onJump(msg jumpMsg) tea.Cmd {
	m.search.Close()
	m.focusPane(paneReader)
	cmd := m.openDoc(docRef(msg.docID), msg.start, coding.Span{Start: msg.start, End: msg.end})
	if msg.allCoders && m.coderView != "" {
		m.coderView = ""
		m.reader.SetCoderView("", m.letters)
		m.reader.Refocus(m.focusCodings)
		cmd = tea.Batch(cmd, m.refresh())
	}
	return cmd
}

// toLayers gives a message Update does not know to the layer whose
// answer it is (see receiver), or else to every layer shown: a text box
// takes its own cursor's blinks, the others ignore them.
func (m *Model) toLayers(msg tea.Msg) tea.Cmd {
	for _, l := range m.layers {
		if r, ok := l.(receiver); ok {
			if cmd, mine := r.receive(m, msg); mine {
				return cmd
			}
		}
	}
	var cmds []tea.Cmd
	for _, l := range m.layers {
		if l.active() {
			cmds = append(cmds, l.update(m, msg))
		}
	}
	return tea.Batch(cmds...)
}

// updateStatus tells the status bar what is shown: the document by the
// name shown (a pseudonym in the pseudonymised view), whose codings.
func (m *Model) updateStatus() {
	doc := ""
	if m.reader.HasDoc() {
		doc = m.reader.Title()
	}
	m.status.Info(m.project, doc, m.store.Coder(), m.reader.Position())
	m.status.SetNames(m.docs.Names())
	var view []string
	if m.reader.Pseudonymised() {
		view = append(view, "pseudonymised view")
	}
	switch {
	case m.coderView != "":
		view = append(view, "showing "+m.coderView)
	case len(m.coders) > 1:
		view = append(view, "showing all coders")
	}
	m.status.SetView(strings.Join(view, " · "))
}

// layout gives each pane and layer its share of the screen.
func (m *Model) layout() {
	for _, l := range m.layers {
		l.resize(m.w, m.h)
	}
	m.status.SetSize(m.w, 1)
	m.setFocusFlags()
}

func (m *Model) setFocusFlags() {
	m.docs.SetFocused(m.focus == paneDocs)
	m.reader.SetFocused(m.focus == paneReader)
	m.codebook.SetFocused(m.focus == paneCodes)
}

func (m *Model) focusPane(p int) {
	if m.docs.Width() == 0 && p == paneDocs {
		p = paneReader
	}
	m.focus = p
	m.setFocusFlags()
}

func (m *Model) onProject(msg projectMsg) tea.Cmd {
	var again tea.Cmd
	if m.reloading && msg.seq >= m.reloadSeq {
		m.reloading = false
		if m.reloadAgain {
			m.reloadAgain = false
			again = m.reload()
		}
	}
	if msg.seq != m.seqs.project {
		return again
	}
	if msg.err != nil {
		m.status.Fail(msg.err)
		return again
	}
	return tea.Batch(m.showProject(msg), again)
}

// showProject shows the documents and the codebook read by a refresh.
func (m *Model) showProject(msg projectMsg) tea.Cmd {
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
	m.reader.Refocus(m.focusCodings)
	return nil
}

// onDone shows what a write did. Codings made or removed go straight
// into the transcript; the codebook's counts (and a code the write made)
// come with a refresh. Other writes reload what is shown.
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
	if msg.after == msg.before+1 && m.gen == msg.before {
		// Only this write changed the store: the poll need not read
		// everything again for it.
		m.gen = msg.after
	}
	if msg.tagged == nil && msg.removed == nil {
		return m.reload()
	}
	if m.reader.HasDoc() {
		m.reader.ChangeCodings(msg.tagged, msg.removed)
	}
	if id, ok := m.codebook.SelectedID(); ok {
		m.focusCodings = changeCodings(m.focusCodings, msg.tagged, msg.removed, func(c coding.Coding) bool { return c.CodeID == id })
		m.reader.Refocus(m.focusCodings)
	}
	return m.refresh()
}

// write sends w to the store.
func (m *Model) write(w write) tea.Cmd {
	return func() tea.Msg { return writeMsg{w} }
}

// onKeys splits runes typed faster than the terminal is read (they
// arrive as one message) into keys of their own, unless a text box takes
// them as text.
func (m *Model) onKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || m.typing() {
		return m.onKey(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

// onKey gives a key to the layer on top; ctrl+c quits from anywhere.
func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.ForceQuit) {
		m.quitting = true
		return tea.Quit
	}
	return m.top().update(m, msg)
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
		return m.write(tagWrite(doc, msg.path, sp, msg.create))
	case pickHits:
		hits := m.pendingHits
		m.pendingHits = nil
		m.noteRecent(msg.path)
		return m.write(tagHitsWrite(msg.path, msg.create, hits))
	case pickMove:
		from, to := m.pendingCode.Path, msg.path
		if to == "(top level)" {
			to = ""
		}
		return m.write(moveCodeWrite(from, to))
	case pickMerge:
		from, into := m.pendingCode, msg.path
		n, _ := m.subtreeCount(from)
		m.dialog.Confirm(fmt.Sprintf("Merge %s into %s? %d codings are affected. (u undoes)", from.Path, into, n),
			m.write(mergeCodeWrite(from.Path, into)))
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
	return m.write(inVivoWrite(doc, name, sp))
}

func (m *Model) removeCoding() tea.Cmd {
	cs := m.reader.CodingsAt()
	remove := func(c coding.Coding) tea.Cmd { return m.write(untagWrite(c)) }
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
	return m.dialog.AskMemo("Memo on "+label, func(text string) tea.Cmd {
		return m.write(memoWrite(kind, ref, text, label))
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
		m.reader.GoTo(c.Start, sp)
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

// View draws the layers from the top one down, and the status bar.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	mp := &m // one copy of the model for the layers to read
	screen := append(mp.draw(0), m.status.View(), helpLine(m.st, m.w, mp.shortHelp()))
	return strings.Join(screen, "\n")
}

// keyMap is what every pane offers for help.
type keyMap interface {
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// shortHelp is the help line: the keys of the layer with the keyboard.
func (m *Model) shortHelp() []key.Binding {
	short := m.top().helpKeys(m).ShortHelp()
	return append(append(short, m.keys.Help), m.keys.Next, m.keys.Quit)
}

// The stack of layers (see layer.go).

// newStack orders the workbench's layers, top first.
func (m *Model) newStack() []layer {
	return []layer{
		m.helpScreen,
		m.dialog,
		m.picker,
		m.search,
		m.retrieve,
		m.analysis,
		m.disagree,
		m.speakers,
		m.attrs,
		basePanes{m.docs, m.reader, m.codebook},
	}
}

// top is the layer with the keyboard.
func (m *Model) top() layer { return m.layerBelow(-1) }

// layerBelow is the first layer shown under position i of the stack
// (-1: the top one).
func (m *Model) layerBelow(i int) layer {
	for j := i + 1; j < len(m.layers); j++ {
		if m.layers[j].active() {
			return m.layers[j]
		}
	}
	return m.layers[len(m.layers)-1]
}

// draw draws the stack from position i down.
func (m *Model) draw(i int) []string {
	for j := i; j < len(m.layers); j++ {
		if l := m.layers[j]; l.active() {
			return l.view(m, func() []string { return m.draw(j + 1) })
		}
	}
	return nil
}

// typing reports whether a text box shown takes typed keys as text.
func (m *Model) typing() bool {
	for _, l := range m.layers {
		if t, ok := l.(typer); ok && l.active() && t.typing() {
			return true
		}
	}
	return false
}

// The panes under every layer.

// panes draws the three panes side by side, mid in the middle.
func (m *Model) panes(mid []string) []string {
	ch := screenRows(m.h)
	var left []string
	if m.docs.Width() > 0 {
		left = m.docs.Lines()
	}
	right := m.codebook.Lines()
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

// paneMouse gives a mouse event to the pane under it; withReader false
// leaves the middle pane alone (a search or the quotes fill it).
func (m *Model) paneMouse(msg tea.MouseMsg, withReader bool) tea.Cmd {
	x := msg.X
	dw, rw := m.docs.Width(), m.reader.Width()
	if msg.Y >= m.h-statusRows {
		return nil
	}
	press := msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft
	switch {
	case dw > 0 && x < dw:
		if press {
			m.focusPane(paneDocs)
		}
		m.docs.Update(msg)
	case x >= m.w-m.codebook.Width():
		if press {
			m.focusPane(paneCodes)
		}
		msg.X -= m.w - m.codebook.Width()
		return m.moveInCodes(func() { m.codebook.Update(msg) })
	case withReader:
		off := 0
		if dw > 0 {
			off = dw + 1
		}
		if x-off >= rw {
			return nil
		}
		if press {
			m.focusPane(paneReader)
		}
		msg.X -= off
		m.reader.Update(msg)
	}
	return nil
}

// moveInCodes runs a move in the codes pane and loads the codings of
// the code it lands on.
func (m *Model) moveInCodes(move func()) tea.Cmd {
	before, _ := m.codebook.SelectedID()
	move()
	if after, ok := m.codebook.SelectedID(); ok && after != before {
		return m.loadFocus(after)
	}
	return nil
}

// One coder's codings or every coder's.

// cycleCoder moves the view from every coder's codings to the first
// coder's, the next coder's, and back to everyone's; the counts in the
// codes pane follow once the store has answered.
func (m *Model) cycleCoder() tea.Cmd {
	next := ""
	if i := slices.Index(m.coders, m.coderView); i+1 < len(m.coders) {
		next = m.coders[i+1]
	}
	m.coderView = next
	m.reader.SetCoderView(next, m.letters)
	m.reader.Refocus(m.focusCodings)
	return m.refresh()
}

// Turns and speakers.

// loadTurns reads the open document's turns again: their speakers change
// when a speaker is renamed or merged.
func (m *Model) loadTurns() tea.Cmd {
	m.seqs.turns++
	return turnsCmd(m.ctx, m.store, m.seqs.turns, m.reader.Doc().ID)
}

// onTurnsMsg takes the open document's turns read again, and the
// reports of a layer's own work (a figure saved).
func (m *Model) onTurnsMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case turnsMsg:
		if msg.seq != m.seqs.turns || msg.docID != m.reader.Doc().ID || !m.reader.HasDoc() {
			return nil
		}
		if msg.err != nil {
			m.status.Fail(msg.err)
			return nil
		}
		m.reader.SetTurns(msg.turns)
	case sayMsg:
		if msg.err != nil {
			m.status.Fail(msg.err)
		} else {
			m.status.Say(msg.text)
		}
	}
	return nil
}

// Editing a transcript in $EDITOR, and new versions.

// editDoc suspends the workbench and opens the document's text in the
// editor.
func (m *Model) editDoc() tea.Cmd {
	d := m.reader.Doc()
	if !d.Latest {
		m.status.Say(fmt.Sprintf("%s@%d is an earlier version: open %s to edit its text", oneLine(d.Name), d.Version, oneLine(d.Name)))
		return nil
	}
	fail := func(err error) tea.Cmd {
		m.status.Fail(fmt.Errorf("nothing changed: edit %s: %w", oneLine(d.Name), err))
		return nil
	}
	// MkdirTemp makes the folder 0700; the file is 0600.
	dir, err := os.MkdirTemp("", "qcode-edit-")
	if err != nil {
		return fail(err)
	}
	path := filepath.Join(dir, fileBase(d.Name)+".txt")
	if err := os.WriteFile(path, []byte(d.Text), 0o600); err != nil {
		os.RemoveAll(dir)
		return fail(err)
	}
	editor := editorCommand()
	// $EDITOR may hold arguments ("code --wait"): the shell splits them.
	c := exec.Command("/bin/sh", "-c", editor+` "$1"`, "qcode-edit", path)
	done := editorDoneMsg{editor: editor, dir: dir, path: path, docID: d.ID, name: d.Name, text: d.Text}
	m.status.Say("editing " + oneLine(d.Name) + " in " + editor)
	return tea.Exec(slowExec{c}, func(err error) tea.Msg {
		done.err = err
		return done
	})
}

// onEditorDone takes the text the editor saved and makes it the next
// version, unless the editor failed.
func (m *Model) onEditorDone(msg editorDoneMsg) tea.Cmd {
	name := oneLine(msg.name)
	if msg.err != nil {
		os.RemoveAll(msg.dir)
		var ee *exec.ExitError
		if errors.As(msg.err, &ee) {
			m.status.Fail(fmt.Errorf("nothing changed in %s: the editor exited with status %d (%s)", name, ee.ExitCode(), msg.editor))
		} else {
			m.status.Fail(fmt.Errorf("nothing changed in %s: the editor did not run: %v (%s)", name, msg.err, msg.editor))
		}
		return nil
	}
	m.pending++
	m.status.Busy("saving " + name)
	return editCmd(m.ctx, m.store, msg)
}

// onEdited says what the edit did; the reload shows the new version at
// the same place (onProject follows a document to its newest version).
func (m *Model) onEdited(msg editedMsg) tea.Cmd {
	m.pending = max(m.pending-1, 0)
	m.status.Busy("")
	name := oneLine(msg.name)
	switch {
	case msg.err != nil:
		m.status.Fail(fmt.Errorf("nothing changed in %s: %w", name, msg.err))
		return nil
	case msg.unchanged:
		m.status.Say("no change to " + name)
		return nil
	}
	c := msg.res.Carry
	m.status.Say(fmt.Sprintf("%s version %d: %s · u undoes", oneLine(c.Document), c.ToVersion, c.Summary()))
	return m.reload()
}

// loadOrphans counts the open document's orphans again.
func (m *Model) loadOrphans() tea.Cmd {
	m.seqs.orphans++
	return orphansCmd(m.ctx, m.store, m.seqs.orphans, m.reader.Doc().ID)
}

func (m *Model) onOrphans(msg orphansMsg) {
	if msg.seq != m.seqs.orphans || !m.reader.HasDoc() || msg.docID != m.reader.Doc().ID {
		return
	}
	switch {
	case errors.Is(msg.err, coding.ErrNotFound):
		// The version is gone (an edit undone); the one in its place
		// is being opened.
	case msg.err != nil:
		m.status.Fail(msg.err)
	default:
		m.reader.SetOrphans(msg.n)
	}
}

// followVersion opens the newest version d of the open document at the
// place the cursor is.
func (m *Model) followVersion(d coding.Document) tea.Cmd {
	pl := m.reader.Place()
	m.seqs.doc++
	m.opening = true
	open := openDocCmd(m.ctx, m.store, m.seqs.doc, docRef(d.ID), m.reader.Width(), -1, coding.Span{})
	return func() tea.Msg {
		msg, ok := open().(docMsg)
		if ok && msg.err == nil {
			msg.at = pl.at(msg.text.Runes())
			msg.keepRow, msg.row = true, pl.row
		}
		return msg
	}
}

// newerVersion finds the document that has taken the open one's place
// among docs (the newest versions): a new version made here or
// elsewhere, or the one before it again after an undo.
func (m *Model) newerVersion(docs []coding.Document) (coding.Document, bool) {
	if !m.reader.HasDoc() || m.opening {
		return coding.Document{}, false
	}
	cur := m.reader.Doc()
	if !cur.Latest {
		return coding.Document{}, false
	}
	for _, d := range docs {
		if d.Name == cur.Name && d.ID != cur.ID {
			return d, true
		}
	}
	return coding.Document{}, false
}

// The pseudonymised view.

// togglePseudo turns the pseudonymised view on (reading the key again,
// so that pairs added since count) or off.
func (m *Model) togglePseudo() tea.Cmd {
	if m.reader.Pseudonymised() {
		m.reader.setPseudonyms(nil)
		m.status.Say("real text shown")
		return tea.Batch(m.reload(), m.pseudoSearchAgain())
	}
	load := m.opt.Pseudonyms
	if load == nil {
		load = func(ctx context.Context) (*pseudo.Matcher, error) {
			return keyMatcher(ctx, m.store, os.Getenv("QCODE_KEY"))
		}
	}
	ctx := m.ctx
	return func() tea.Msg {
		pm, err := load(ctx)
		return pseudoKeyMsg{m: pm, err: err}
	}
}

// onPseudoKey turns the view on with the key read.
func (m *Model) onPseudoKey(msg pseudoKeyMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.status.Fail(fmt.Errorf("pseudonymised view: %w", msg.err))
		return nil
	case msg.m.Empty():
		m.status.Say("no pseudonyms yet: add pairs with 'qcode pseudo add REAL PSEUDONYM'")
		return nil
	}
	m.reader.setPseudonyms(msg.m)
	m.status.Say("pseudonyms shown; coding is off (P: real text)")
	return tea.Batch(m.reload(), m.pseudoSearchAgain())
}

// pseudoBlocks refuses, in the pseudonymised view, the transcript keys
// that take positions in the text (selecting, coding, editing).
func (m *Model) pseudoBlocks(msg tea.KeyMsg) bool {
	if !m.reader.Pseudonymised() {
		return false
	}
	k := m.reader.keys
	for _, b := range []key.Binding{k.Select, k.SelSentence, k.SelTurn, k.Code, k.InVivo, k.Edit} {
		if key.Matches(msg, b) {
			m.status.Say("coding is off in this view (P: real text)")
			return true
		}
	}
	return false
}

// pseudoDocs replaces the real values in the documents' names and
// attributes for the documents pane.
func (m *Model) pseudoDocs(docs []coding.Document) []coding.Document {
	pv := &m.reader.pv
	if !pv.on {
		return docs
	}
	out := make([]coding.Document, len(docs))
	for i, d := range docs {
		name := d.Name
		d.Name = pv.replace(name, name)
		attrs := make([]coding.Attribute, len(d.Attributes))
		for j, a := range d.Attributes {
			a.Value = pv.replace(name, a.Value)
			attrs[j] = a
		}
		d.Attributes = attrs
		out[i] = d
	}
	return out
}

// pseudoHits replaces the real values in search hits: fragments (their
// highlights moved), speakers and document names. The hits' positions
// stay those of the stored text, where a jump goes.
func (m *Model) pseudoHits(msg searchMsg) searchMsg {
	pv := &m.reader.pv
	if !pv.on {
		return msg
	}
	hits := make([]index.Hit, len(msg.res.Hits))
	for i, h := range msg.res.Hits {
		doc := h.Document
		frag, ms := pv.m.Replace(doc, h.Fragment)
		hl := make([]coding.Span, len(h.Highlights))
		for j, sp := range h.Highlights {
			hl[j] = coding.Span{Start: pseudo.Shift(ms, sp.Start, true), End: pseudo.Shift(ms, sp.End, false)}
		}
		h.Fragment, h.Highlights = frag, hl
		h.Speaker = pv.replace(doc, h.Speaker)
		h.Document = pv.replace(doc, doc)
		hits[i] = h
	}
	msg.res.Hits = hits
	return msg
}

// pseudoQuotes replaces the real values in retrieved quotes: text,
// context, speaker, attribution and document. Their positions stay
// those of the stored text.
func (m *Model) pseudoQuotes(msg quotesMsg) quotesMsg {
	pv := &m.reader.pv
	if !pv.on {
		return msg
	}
	qs := make([]coding.Quote, len(msg.quotes))
	for i, q := range msg.quotes {
		doc := q.Document
		for _, f := range []*string{&q.Text, &q.Before, &q.After, &q.Speaker, &q.Attribution, &q.Memo} {
			*f = pv.replace(doc, *f)
		}
		q.Document = pv.replace(doc, doc)
		if pv.names == nil {
			pv.names = map[string]string{}
		}
		pv.names[q.Document] = doc
		qs[i] = q
	}
	msg.quotes = qs
	return msg
}

// pseudoSearchAgain runs the open search again, so that its hits are
// shown in the view just turned on or off.
func (m *Model) pseudoSearchAgain() tea.Cmd {
	if !m.search.Visible() || strings.TrimSpace(m.search.Typed()) == "" {
		return nil
	}
	return searchCmd(m.ctx, m.store, m.ix, m.search.Seq(), m.search.Query())
}
