package tui

import (
	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
	"github.com/qcode-dev/qcode/tui/textview"
)

// Messages carry the results of commands back to Update. Those answering
// a request that may be overtaken carry the sequence number of their
// request; Update drops them when a newer request was made since.

// projectMsg answers a refresh: the documents, the codebook and the
// store's generation when they were read.
type projectMsg struct {
	seq   int
	name  string
	docs  []coding.Document
	codes []coding.Code
	gen   int64
	// coders lists everyone who has coded; when the workbench shows one
	// coder's codings, coder names them and codeCounts and docCounts
	// count them per code and per document.
	coders     []string
	coder      string
	codeCounts map[int64]int
	docCounts  map[int64]int
	err        error
}

// docMsg answers opening a document: its text already wrapped.
type docMsg struct {
	seq     int
	doc     coding.Document
	turns   []coding.Turn
	codings []coding.Coding
	text    *textview.Text
	lines   int
	// at, when >= 0, is where to put the cursor; sel selects a span.
	at  int
	sel coding.Span
	// keepRow puts the cursor's row row rows below the top of the pane
	// (the place kept when a new version replaces the text) instead of
	// in the middle.
	keepRow bool
	row     int
	// orphans counts the codings left on earlier versions.
	orphans int
	err     error
}

// codingsMsg answers a reload of the open document's codings.
type codingsMsg struct {
	seq     int
	docID   int64
	codings []coding.Coding
	err     error
}

// focusMsg answers loading every coding of the focused code.
type focusMsg struct {
	seq     int
	codeID  int64
	codings []coding.Coding
	err     error
}

// tickMsg asks to poll the store's generation.
type tickMsg struct{}

// genMsg answers a poll.
type genMsg struct {
	gen int64
	err error
}

// indexProgressMsg reports indexing progress; next waits for more.
type indexProgressMsg struct {
	done, total int
	ch          <-chan indexEvent
}

// indexDoneMsg reports the end of an index update.
type indexDoneMsg struct {
	status index.Status
	err    error
}

type indexEvent struct {
	done, total int
	finished    bool
	status      index.Status
	err         error
}

// searchDebounceMsg fires after a pause in typing.
type searchDebounceMsg struct{ seq int }

// searchMsg answers a search.
type searchMsg struct {
	seq int
	res index.Result
	err error
}

// quotesMsg answers a retrieval.
type quotesMsg struct {
	seq    int
	code   string
	quotes []coding.Quote
	coders []string
	err    error
}

// exportMsg reports a finished export.
type exportMsg struct {
	path string
	n    int
	err  error
}
