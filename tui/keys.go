package tui

import "github.com/charmbracelet/bubbles/key"

func kb(keys []string, k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
}

// enable turns bindings on or off, so that help lists only the keys
// that do something now (key.Matches skips a binding turned off).
func enable(on bool, bs ...*key.Binding) {
	for _, b := range bs {
		b.SetEnabled(on)
	}
}

// globalKeys work in every pane unless a dialog is open.
type globalKeys struct {
	Quit, ForceQuit, Help, Next, Prev, Search, Undo, Redo key.Binding
	CoderView, Analysis, Disagree, Speakers               key.Binding
	Pseudo, Attributes                                    key.Binding
}

func newGlobalKeys() *globalKeys {
	return &globalKeys{
		Quit:      kb([]string{"q"}, "q", "quit"),
		ForceQuit: kb([]string{"ctrl+c"}, "ctrl+c", "quit now"),
		Help:      kb([]string{"?"}, "?", "help"),
		Next:      kb([]string{"tab"}, "tab", "next pane"),
		Prev:      kb([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Search:    kb([]string{"/"}, "/", "search"),
		Undo:      kb([]string{"u"}, "u", "undo"),
		Redo:      kb([]string{"ctrl+r"}, "ctrl+r", "redo"),
		CoderView: kb([]string{"C"}, "C", "all coders / one coder"),
		Analysis:  kb([]string{"A"}, "A", "analysis"),
		Disagree:  kb([]string{"D"}, "D", "disagreements"),
		Speakers:  kb([]string{"S"}, "S", "speakers"),
		Pseudo:    kb([]string{"P"}, "P", "pseudonyms"),
		// T: the participants' table of attributes.
		Attributes: kb([]string{"T"}, "T", "attributes"),
	}
}

// all lists the global keys for help.
func (g *globalKeys) all() []key.Binding {
	return []key.Binding{g.Next, g.Prev, g.Search, g.CoderView, g.Analysis, g.Disagree, g.Speakers, g.Attributes, g.Pseudo, g.Undo, g.Redo, g.Help, g.Quit, g.ForceQuit}
}

// readerKeys move and code in the transcript.
type readerKeys struct {
	Down, Up, Left, Right, WordFwd, WordBack, SentFwd, SentBack, TurnFwd, TurnBack key.Binding
	Top, Bottom, PageDown, PageUp                                                  key.Binding
	Select, SelSentence, SelTurn, Clear                                            key.Binding
	Code, InVivo, Remove, Memo, NextSpan, PrevSpan, Edit                           key.Binding
}

func newReaderKeys() readerKeys {
	return readerKeys{
		Down:        kb([]string{"j", "down"}, "j/↓", "next line"),
		Up:          kb([]string{"k", "up"}, "k/↑", "previous line"),
		Left:        kb([]string{"h", "left"}, "h/←", "previous character"),
		Right:       kb([]string{"l", "right"}, "l/→", "next character"),
		WordFwd:     kb([]string{"w"}, "w", "next word"),
		WordBack:    kb([]string{"b"}, "b", "previous word"),
		SentFwd:     kb([]string{")"}, ")", "next sentence"),
		SentBack:    kb([]string{"("}, "(", "previous sentence"),
		TurnFwd:     kb([]string{"}"}, "}", "next turn"),
		TurnBack:    kb([]string{"{"}, "{", "previous turn"),
		Top:         kb([]string{"g", "home"}, "g", "top"),
		Bottom:      kb([]string{"G", "end"}, "G", "bottom"),
		PageDown:    kb([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "page down"),
		PageUp:      kb([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		Select:      kb([]string{"v"}, "v", "select"),
		SelSentence: kb([]string{"s"}, "s", "select sentence"),
		SelTurn:     kb([]string{"t"}, "t", "select turn"),
		Clear:       kb([]string{"esc"}, "esc", "clear selection"),
		Code:        kb([]string{"c"}, "c", "code selection"),
		InVivo:      kb([]string{"i"}, "i", "in-vivo code"),
		Remove:      kb([]string{"x"}, "x", "remove coding"),
		Memo:        kb([]string{"m"}, "m", "memo"),
		NextSpan:    kb([]string{"n"}, "n", "next span of code"),
		PrevSpan:    kb([]string{"N"}, "N", "previous span of code"),
		Edit:        kb([]string{"E"}, "E", "edit the text ($EDITOR)"),
	}
}

// listKeys move in the documents pane.
type docKeys struct {
	Down, Up, Open, Memo key.Binding
}

func newDocKeys() docKeys {
	return docKeys{
		Down: kb([]string{"j", "down"}, "j/↓", "down"),
		Up:   kb([]string{"k", "up"}, "k/↑", "up"),
		Open: kb([]string{"enter", "l", "right"}, "enter", "open"),
		Memo: kb([]string{"m"}, "m", "memo on document"),
	}
}

// codebookKeys act on the codes tree.
type codebookKeys struct {
	Down, Up, Top, Bottom, Toggle, Add, Rename, Move, Merge, Delete, Retrieve, NextSpan, PrevSpan, Memo key.Binding
}

func newCodebookKeys() codebookKeys {
	return codebookKeys{
		Down:     kb([]string{"j", "down"}, "j/↓", "down"),
		Up:       kb([]string{"k", "up"}, "k/↑", "up"),
		Top:      kb([]string{"g", "home"}, "g", "first code"),
		Bottom:   kb([]string{"G", "end"}, "G", "last code"),
		Toggle:   kb([]string{"enter", " "}, "enter", "expand/collapse"),
		Add:      kb([]string{"a"}, "a", "add code"),
		Rename:   kb([]string{"e"}, "e", "rename"),
		Move:     kb([]string{">"}, ">", "move under…"),
		Merge:    kb([]string{"M"}, "M", "merge into…"),
		Delete:   kb([]string{"d"}, "d", "delete"),
		Retrieve: kb([]string{"r"}, "r", "retrieve quotes"),
		NextSpan: kb([]string{"n"}, "n", "next span"),
		PrevSpan: kb([]string{"N"}, "N", "previous span"),
		Memo:     kb([]string{"m"}, "m", "memo on code"),
	}
}

// pickerKeys drive the code picker.
type pickerKeys struct {
	Apply, Cancel, Down, Up key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Apply:  kb([]string{"enter"}, "enter", "apply (a new name creates the code)"),
		Cancel: kb([]string{"esc"}, "esc", "cancel"),
		Down:   kb([]string{"down", "ctrl+n"}, "↓", "next"),
		Up:     kb([]string{"up", "ctrl+p"}, "↑", "previous"),
	}
}

// searchKeys drive the search view.
type searchKeys struct {
	Down, Up, Jump, Mark, MarkAll, Code, Query, Close key.Binding
}

func newSearchKeys() searchKeys {
	return searchKeys{
		Down:    kb([]string{"down", "ctrl+n"}, "↓", "next hit"),
		Up:      kb([]string{"up", "ctrl+p"}, "↑", "previous hit"),
		Jump:    kb([]string{"enter"}, "enter", "jump to passage"),
		Mark:    kb([]string{"ctrl+s"}, "ctrl+s", "mark hit"),
		MarkAll: kb([]string{"ctrl+a"}, "ctrl+a", "mark all"),
		Code:    kb([]string{"ctrl+o"}, "ctrl+o", "code marked hits"),
		Query:   kb([]string{"code:", "speaker:", "doc:", "attr:", "coder:"}, "code: speaker: doc: attr:k=v coder:", "filters"),
		Close:   kb([]string{"esc"}, "esc", "close"),
	}
}

// retrieveKeys drive the retrieval view.
type retrieveKeys struct {
	Down, Up, Jump, Export, Filter, Coder, Close key.Binding
}

func newRetrieveKeys() retrieveKeys {
	return retrieveKeys{
		Down:   kb([]string{"j", "down"}, "j/↓", "next quote"),
		Up:     kb([]string{"k", "up"}, "k/↑", "previous quote"),
		Jump:   kb([]string{"enter"}, "enter", "jump to source"),
		Export: kb([]string{"e"}, "e", "export quotes"),
		Filter: kb([]string{"f", "/"}, "f", "filter by attribute"),
		Coder:  kb([]string{"o"}, "o", "next coder"),
		Close:  kb([]string{"esc", "q"}, "esc", "close"),
	}
}

// analysisKeys drive the analysis screen.
type analysisKeys struct {
	NextTab, PrevTab, Tab1, Tab2, Tab3                   key.Binding
	Down, Up, Right, Left, PageDown, PageUp, Top, Bottom key.Binding
	Quotes, Measure, Columns, Subcodes, Close            key.Binding
}

func newAnalysisKeys() analysisKeys {
	return analysisKeys{
		NextTab:  kb([]string{"tab"}, "tab", "next table"),
		PrevTab:  kb([]string{"shift+tab"}, "shift+tab", "previous table"),
		Tab1:     kb([]string{"1"}, "1", "frequencies"),
		Tab2:     kb([]string{"2"}, "2", "codes × documents"),
		Tab3:     kb([]string{"3"}, "3", "co-occurrence"),
		Down:     kb([]string{"j", "down"}, "j/↓", "next row"),
		Up:       kb([]string{"k", "up"}, "k/↑", "previous row"),
		Right:    kb([]string{"l", "right"}, "l/→", "next column"),
		Left:     kb([]string{"h", "left"}, "h/←", "previous column"),
		PageDown: kb([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "page down"),
		PageUp:   kb([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		Top:      kb([]string{"g", "home"}, "g", "first cell"),
		Bottom:   kb([]string{"G", "end"}, "G", "last row"),
		Quotes:   kb([]string{"enter"}, "enter", "quotes of the cell"),
		Measure:  kb([]string{"m"}, "m", "measure"),
		Columns:  kb([]string{"c"}, "c", "columns / unit"),
		Subcodes: kb([]string{"s"}, "s", "with sub-codes"),
		Close:    kb([]string{"esc", "q"}, "esc", "close"),
	}
}

// disagreeKeys drive the disagreements view.
type disagreeKeys struct {
	Next, Prev, First, Last, Jump, Unit, Close key.Binding
}

func newDisagreeKeys() disagreeKeys {
	return disagreeKeys{
		Next:  kb([]string{"n", "j", "down", "right", "l"}, "n/j", "next disagreement"),
		Prev:  kb([]string{"N", "p", "k", "up", "left", "h"}, "N/k", "previous disagreement"),
		First: kb([]string{"g", "home"}, "g", "first"),
		Last:  kb([]string{"G", "end"}, "G", "last"),
		Jump:  kb([]string{"enter"}, "enter", "show in the transcript"),
		Unit:  kb([]string{"U"}, "U", "unit: char, segment, document"),
		Close: kb([]string{"esc", "q"}, "esc", "close"),
	}
}
