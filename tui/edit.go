package tui

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

// Editing in place: E in the transcript hands the terminal to $VISUAL
// (else $EDITOR, else vi) on the open document's text, written to a
// private temporary file; what is saved becomes the next version, its
// codings carried across as 'qcode doc edit' carries them (one undoable
// action). The transcript then shows the new version at the same line.

// editorDoneMsg says the editor has exited (err when it failed or did
// not run).
type editorDoneMsg struct {
	err       error
	editor    string
	dir, path string
	docID     int64
	name      string
	text      string // the text written out
}

// editedMsg answers making the edited text the next version.
type editedMsg struct {
	name      string
	unchanged bool
	res       coding.ImportResult
	err       error
}

// orphansMsg answers a count of the open document's orphaned codings.
type orphansMsg struct {
	seq   int
	docID int64
	n     int
	err   error
}

// editorCommand is the editor the user asked for.
func editorCommand() string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(os.Getenv(v)); e != "" {
			return e
		}
	}
	return "vi"
}

// fileBase makes a document name a file name.
func fileBase(name string) string {
	base := strings.Map(func(r rune) rune {
		if r == '/' || r == os.PathSeparator || r < ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
	if base == "" || base == "." || base == ".." {
		base = "document"
	}
	return base
}

// slowExec runs a command for tea.Exec, taking at least minExec even
// when the command returns at once (an $EDITOR that does not exist):
// bubbletea stops its renderer in a goroutine when it hands the terminal
// over, and a command that returns before that goroutine has run leaves
// the screen frozen.
type slowExec struct{ *exec.Cmd }

// minExec is the least time slowExec takes.
const minExec = 300 * time.Millisecond

func (c slowExec) Run() error {
	start := time.Now()
	err := c.Cmd.Run()
	if d := time.Since(start); d < minExec {
		time.Sleep(minExec - d)
	}
	return err
}

func (c slowExec) SetStdin(r io.Reader)  { c.Cmd.Stdin = r }
func (c slowExec) SetStdout(w io.Writer) { c.Cmd.Stdout = w }
func (c slowExec) SetStderr(w io.Writer) { c.Cmd.Stderr = w }

// orphanNote tells of n codings on earlier versions and how to list
// them ("3 orphaned codings · qcode doc orphans R01", or short "3
// orphaned · …").
func orphanNote(n int, name string, short bool) string {
	s := fmt.Sprintf("%d orphaned codings", n)
	switch {
	case short:
		s = fmt.Sprintf("%d orphaned", n)
	case n == 1:
		s = "1 orphaned coding"
	}
	return s + " · qcode doc orphans " + shellWord(oneLine(name))
}

// shellWord quotes s for a shell command line when it needs it.
func shellWord(s string) string {
	if s == "" || strings.ContainsAny(s, " \t'\"$`\\!*?[]()&;|<>{}~#") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// place is where the cursor is: its line and column in the text, and
// its row on the screen.
type place struct{ line, col, row int }

// Place is where the cursor is, to find the same place in a new version.
func (r *Reader) Place() place {
	if r.text == nil {
		return place{}
	}
	rs := r.text.Runes()
	line, start := 0, 0
	for i := 0; i < r.cursor && i < len(rs); i++ {
		if rs[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return place{line: line, col: r.cursor - start, row: r.text.RowOf(r.cursor) - r.top}
}

// at finds the place in a text: the same line (the last when the text
// is shorter) and column (the line's end when it is shorter).
func (p place) at(rs []rune) int {
	line, i := 0, 0
	for line < p.line {
		j := i
		for j < len(rs) && rs[j] != '\n' {
			j++
		}
		if j >= len(rs) {
			break
		}
		i, line = j+1, line+1
	}
	for c := 0; c < p.col && i < len(rs) && rs[i] != '\n'; c++ {
		i++
	}
	return i
}
