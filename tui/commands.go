package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
	"github.com/qcode-dev/qcode/index"
	"github.com/qcode-dev/qcode/tui/textview"
)

// Everything here runs off the update loop: each function captures the
// values it needs and returns a tea.Cmd whose Msg carries the result. No
// command touches the model.

// pollEvery is how often the workbench asks the store whether another
// process changed it.
const pollEvery = 500 * time.Millisecond

func docRef(id int64) string { return fmt.Sprintf("#%d", id) }

func refreshCmd(ctx context.Context, s *coding.Store, seq int, coder string) tea.Cmd {
	return func() tea.Msg {
		m := projectMsg{seq: seq, coder: coder}
		// Read the generation first: a change landing while we read is
		// then seen by the next poll and read again.
		if m.gen, m.err = s.Generation(ctx); m.err != nil {
			return m
		}
		if m.name, m.err = s.ProjectName(ctx); m.err != nil {
			return m
		}
		if m.docs, m.err = s.Documents(ctx, false); m.err != nil {
			return m
		}
		if m.codes, m.err = s.Codes(ctx); m.err != nil {
			return m
		}
		if m.coders, m.err = s.Coders(ctx); m.err != nil || coder == "" {
			return m
		}
		cs, err := s.Codings(ctx, coding.CodingFilter{Coder: coder})
		if err != nil {
			m.err = fmt.Errorf("codings of %s: %w", coder, err)
			return m
		}
		m.codeCounts, m.docCounts = map[int64]int{}, map[int64]int{}
		for _, c := range cs {
			m.codeCounts[c.CodeID]++
			m.docCounts[c.DocID]++
		}
		return m
	}
}

// openDocCmd reads a document and wraps its text for a pane w wide.
func openDocCmd(ctx context.Context, s *coding.Store, seq int, ref string, w, at int, sel coding.Span) tea.Cmd {
	return func() tea.Msg {
		m := docMsg{seq: seq, at: at, sel: sel}
		if m.doc, m.err = s.Document(ctx, ref, true); m.err != nil {
			return m
		}
		// Read the turns and codings while the text is wrapped: on a
		// long transcript both take a good part of the opening time.
		var terr, cerr, oerr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); m.turns, terr = s.Turns(ctx, m.doc.ID) }()
		go func() {
			defer wg.Done()
			m.codings, cerr = s.Codings(ctx, coding.CodingFilter{DocID: m.doc.ID})
		}()
		if m.doc.Version > 1 {
			// Codings left on earlier versions, to re-code.
			wg.Add(1)
			go func() {
				defer wg.Done()
				var list []coding.Orphan
				list, oerr = s.Orphans(ctx, docRef(m.doc.ID))
				m.orphans = len(list)
			}()
		}
		m.lines = strings.Count(m.doc.Text, "\n") + 1
		m.text = textview.New(m.doc.Text, textWidth(w, m.lines))
		wg.Wait()
		m.err = errors.Join(terr, cerr, oerr)
		return m
	}
}

func codingsCmd(ctx context.Context, s *coding.Store, seq int, docID int64) tea.Cmd {
	return func() tea.Msg {
		cs, err := s.Codings(ctx, coding.CodingFilter{DocID: docID})
		return codingsMsg{seq: seq, docID: docID, codings: cs, err: err}
	}
}

func focusCmd(ctx context.Context, s *coding.Store, seq int, codeID int64) tea.Cmd {
	return func() tea.Msg {
		if codeID == 0 {
			return focusMsg{seq: seq}
		}
		cs, err := s.Codings(ctx, coding.CodingFilter{CodeIDs: []int64{codeID}})
		return focusMsg{seq: seq, codeID: codeID, codings: cs, err: err}
	}
}

func tickCmd(tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) tea.Cmd {
	return tick(pollEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

func genCmd(ctx context.Context, s *coding.Store) tea.Cmd {
	return func() tea.Msg {
		g, err := s.Generation(ctx)
		return genMsg{gen: g, err: err}
	}
}

// indexWait is how long the workbench waits for another process's hold
// on the index before giving up (the next search tries again).
const indexWait = 300 * time.Millisecond

// searchTries is how many times a search waits indexWait for a busy index
// (about 15 s in all: a first build of a large project).
const searchTries = 50

// indexCmd brings the search index up to date in the background,
// reporting progress; the index is closed as soon as it is done so that
// commands in other terminals can use it.
func indexCmd(bg *background, s *coding.Store) tea.Cmd {
	ctx := bg.ctx
	ch := make(chan indexEvent, 1)
	bg.wg.Add(1)
	go func() {
		defer bg.wg.Done()
		opt := index.Options{Wait: indexWait, Progress: func(done, total int) {
			select {
			case ch <- indexEvent{done: done, total: total}:
			default:
			}
		}}
		ix, st, err := index.Open(ctx, s, opt)
		if err == nil {
			ix.Close()
		}
		// Once the workbench has quit nobody reads the channel: the
		// cancelled context lets the goroutine end.
		select {
		case ch <- indexEvent{finished: true, status: st, err: err}:
		case <-ctx.Done():
		}
		close(ch)
	}()
	return waitIndex(ch)
}

func waitIndex(ch <-chan indexEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		if ev.finished {
			return indexDoneMsg{status: ev.status, err: ev.err}
		}
		return indexProgressMsg{done: ev.done, total: ev.total, ch: ch}
	}
}

// searchIndex is the workbench's one open search index, kept for the
// whole session: each search catches up with the store by its generation
// (one read when nothing changed) rather than opening the index again.
// Searches take turns on it.
type searchIndex struct {
	mu sync.Mutex
	ix *index.Index
}

// search runs q on the open index, opening it first when needed. While
// the index is being built (here in the background, or by another
// process) opening it may find it busy; it keeps trying for a while
// rather than leave the user with no results.
func (si *searchIndex) search(ctx context.Context, s *coding.Store, q index.Query) (index.Result, error) {
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.ix == nil {
		var err error
		for try := 0; try < searchTries; try++ {
			si.ix, _, err = index.Open(ctx, s, index.Options{Wait: indexWait})
			if !errors.Is(err, index.ErrBusy) || ctx.Err() != nil {
				break
			}
		}
		if err != nil {
			si.ix = nil
			if errors.Is(err, index.ErrBusy) {
				err = fmt.Errorf("the search index is busy in another qcode; try again")
			}
			return index.Result{}, err
		}
	}
	return si.ix.Search(ctx, q)
}

// close releases the index at the end of the session.
func (si *searchIndex) close() {
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.ix != nil {
		si.ix.Close()
		si.ix = nil
	}
}

// searchCmd runs one search on the session's index.
func searchCmd(ctx context.Context, s *coding.Store, si *searchIndex, seq int, q index.Query) tea.Cmd {
	return func() tea.Msg {
		res, err := si.search(ctx, s, q)
		return searchMsg{seq: seq, res: res, err: err}
	}
}

func quotesCmd(ctx context.Context, s *coding.Store, seq int, code, coder string) tea.Cmd {
	return func() tea.Msg {
		qs, err := s.Quotes(ctx, []string{code}, coding.QuoteOptions{Coder: coder, Context: 1})
		if err != nil {
			return quotesMsg{seq: seq, code: code, err: err}
		}
		coders, err := s.Coders(ctx)
		return quotesMsg{seq: seq, code: code, quotes: qs, coders: coders, err: err}
	}
}

// analysisCmd runs one query of the analysis screen.
func analysisCmd(ctx context.Context, s *coding.Store, r analysisReq) tea.Cmd {
	return func() tea.Msg {
		m := analysisMsg{seq: r.seq, tab: r.tab}
		switch r.tab {
		case tabFreq:
			m.stats, m.err = s.Stats(ctx, r.stats)
			if m.err == nil && m.stats == nil {
				m.stats = []coding.CodeStats{}
			}
		case tabMatrix:
			m.table, m.err = s.Matrix(ctx, r.matrix)
		case tabCooc:
			m.table, m.err = s.Cooc(ctx, r.cooc)
		}
		return m
	}
}

// cellQuotesCmd reads the quotes behind a bar or cell of the analysis
// screen.
func cellQuotesCmd(ctx context.Context, s *coding.Store, seq int, c analysisCellMsg, coder string) tea.Cmd {
	return func() tea.Msg {
		var qs []coding.Quote
		var err error
		if c.table != nil {
			qs, err = s.CellQuotes(ctx, c.table, c.row, c.col, coding.QuoteOptions{Context: 1})
		} else {
			qs, err = s.Quotes(ctx, []string{c.code}, coding.QuoteOptions{Coder: coder, Context: 1, NoSubcodes: !c.subcodes})
		}
		if err != nil {
			return quotesMsg{seq: seq, code: c.title, err: err}
		}
		coders, err := s.Coders(ctx)
		return quotesMsg{seq: seq, code: c.title, quotes: qs, coders: coders, err: err}
	}
}

// disagreeCmd compares the coders' codings (see agree.Compute).
func disagreeCmd(ctx context.Context, s *coding.Store, seq int, opt agree.Options) tea.Cmd {
	return func() tea.Msg {
		r, err := agree.Compute(ctx, s, opt)
		return disagreeMsg{seq: seq, report: r, err: err}
	}
}

// orphansCmd counts the codings left on earlier versions of a document.
func orphansCmd(ctx context.Context, s *coding.Store, seq int, docID int64) tea.Cmd {
	return func() tea.Msg {
		list, err := s.Orphans(ctx, docRef(docID))
		return orphansMsg{seq: seq, docID: docID, n: len(list), err: err}
	}
}

func speakersCmd(ctx context.Context, st *coding.Store, seq int, ref string) tea.Cmd {
	return func() tea.Msg {
		sp, err := st.Speakers(ctx, ref)
		if sp == nil && err == nil {
			sp = []coding.Speaker{}
		}
		return speakersMsg{seq: seq, speakers: sp, err: err}
	}
}

func turnsCmd(ctx context.Context, st *coding.Store, seq int, docID int64) tea.Cmd {
	return func() tea.Msg {
		ts, err := st.Turns(ctx, docID)
		return turnsMsg{seq: seq, docID: docID, turns: ts, err: err}
	}
}

// firstTurnCmd finds the first turn of speaker name in document docID and
// asks to show it.
func firstTurnCmd(ctx context.Context, st *coding.Store, docID int64, name string) tea.Cmd {
	return func() tea.Msg {
		ts, err := st.Turns(ctx, docID)
		if err != nil {
			return sayMsg{err: err}
		}
		for _, t := range ts {
			if t.Speaker == name {
				return jumpMsg{docID: docID, start: t.Start, end: t.Start}
			}
		}
		return sayMsg{text: oneLine(name) + " has no turns"}
	}
}
