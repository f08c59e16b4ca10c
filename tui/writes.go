package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
)

// Every change the workbench makes to the store is a named write here,
// beside the reads in commands.go. A write is one undoable action of the
// store; it runs off the update loop (writeCmd) and answers with a
// doneMsg saying what to tell the user and, for codings made or removed,
// what changed, so that the view follows without reading everything
// again.

// write is one change to the store.
type write struct {
	run func(ctx context.Context, s *coding.Store) (done, error)
	// clearSel drops the transcript's selection once the write is done.
	clearSel bool
}

// done is what a write did.
type done struct {
	what    string
	tagged  []coding.Coding // codings made
	removed []int64         // ids of codings removed
}

// writeMsg carries a write to Update. Dialogs answer with it, so that a
// callback prepared earlier never touches an old copy of the model:
// Update counts the write as pending and runs it.
type writeMsg struct{ w write }

// doneMsg reports a finished write.
type doneMsg struct {
	done
	err      error
	clearSel bool
	// before and after are the store's generation around the write;
	// after is before+1 when nothing else changed the store meanwhile.
	before, after int64
}

// writeCmd runs w, noting the store's generation around it.
func writeCmd(ctx context.Context, s *coding.Store, w write) tea.Cmd {
	return func() tea.Msg {
		before, _ := s.Generation(ctx)
		d, err := w.run(ctx, s)
		after, _ := s.Generation(ctx)
		return doneMsg{done: d, err: err, clearSel: w.clearSel, before: before, after: after}
	}
}

func say(what string, err error) (done, error) { return done{what: what}, err }

// tagWrite codes span of doc with the code at path (made when create).
func tagWrite(doc, path string, sp coding.Span, create bool) write {
	return write{clearSel: true, run: func(ctx context.Context, s *coding.Store) (done, error) {
		cs, op, err := s.Tag(ctx, coding.TagRequest{Doc: doc, Code: path, Spans: []coding.Span{sp}, Create: create})
		if err != nil {
			return done{}, err
		}
		return done{what: op.Label, tagged: cs}, nil
	}}
}

// inVivoWrite codes span of doc with a code named by its words.
func inVivoWrite(doc, name string, sp coding.Span) write {
	return write{clearSel: true, run: func(ctx context.Context, s *coding.Store) (done, error) {
		cs, _, err := s.Tag(ctx, coding.TagRequest{Doc: doc, Code: name, Spans: []coding.Span{sp}, Create: true})
		return done{what: "in-vivo code «" + name + "»", tagged: cs}, err
	}}
}

// untagWrite removes one coding.
func untagWrite(c coding.Coding) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, _, err := s.Untag(ctx, coding.UntagRequest{IDs: []int64{c.ID}})
		return done{what: fmt.Sprintf("removed %s from %d:%d", c.Code, c.Start, c.End), removed: []int64{c.ID}}, err
	}}
}

// tagHitsWrite codes the sentences around the marked hits with one code.
func tagHitsWrite(code string, create bool, hits []index.Hit) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		spans, err := index.SpansOf(ctx, s, hits, index.ScopeSentence)
		if err != nil {
			return done{}, err
		}
		items := index.ByDocument(spans)
		made, skipped, _, err := s.TagBatch(ctx, code, items, create, "code search hits")
		if err != nil {
			return done{}, err
		}
		msg := fmt.Sprintf("coded %d passages with %s", made, code)
		if skipped > 0 {
			msg += fmt.Sprintf(" (%d already were)", skipped)
		}
		return done{what: msg}, nil
	}}
}

// editCmd reads what the editor saved, removes the temporary folder and
// makes the text the next version of the document.
func editCmd(ctx context.Context, s *coding.Store, e editorDoneMsg) tea.Cmd {
	return func() tea.Msg {
		data, err := os.ReadFile(e.path)
		os.RemoveAll(e.dir)
		out := editedMsg{name: e.name}
		switch {
		case err != nil:
			out.err = err
			return out
		case string(data) == e.text:
			out.unchanged = true
			return out
		case strings.TrimSpace(string(data)) == "":
			out.err = errors.New("the saved text is empty")
			return out
		}
		// The document by name, so that the error names it; but only the
		// version the user edited.
		d, err := s.Document(ctx, e.name, false)
		if err != nil {
			out.err = err
			return out
		}
		if d.ID != e.docID {
			out.err = fmt.Errorf("%s has a newer version (%d) since the editor opened; edit that one", oneLine(d.Name), d.Version)
			return out
		}
		out.res, out.err = s.EditDocument(ctx, e.name, string(data), false)
		out.unchanged = out.err == nil && (out.res.Status == coding.Unchanged || out.res.Carry == nil)
		return out
	}
}

// addCodeWrite makes the code at path (Parent/Child makes it under Parent).
func addCodeWrite(path string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		c, _, err := s.AddCode(ctx, coding.NewCode{Path: path})
		return say("added code "+c.Path, err)
	}}
}

// renameCodeWrite renames the code at path.
func renameCodeWrite(path, to string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, err := s.RenameCode(ctx, path, to)
		return say(fmt.Sprintf("renamed %s to %s", path, to), err)
	}}
}

// moveCodeWrite puts the code at from under the code at to ("": the top).
func moveCodeWrite(from, to string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		op, err := s.MoveCode(ctx, from, to)
		return say(op.Label, err)
	}}
}

// mergeCodeWrite merges the code at from into the code at into.
func mergeCodeWrite(from, into string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		op, err := s.MergeCode(ctx, from, into)
		return say(op.Label, err)
	}}
}

// deleteCodeWrite deletes the code at path with its sub-codes and codings.
func deleteCodeWrite(path string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, err := s.DeleteCode(ctx, path, true)
		return say("deleted code "+path, err)
	}}
}

// memoWrite writes a memo on a target (see coding.AddMemo); label names
// the target for the user.
func memoWrite(kind, ref, text, label string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, _, err := s.AddMemo(ctx, kind, ref, text)
		return say("memo written on "+label, err)
	}}
}

// undoWrite undoes the last action.
func undoWrite() write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		op, err := s.Undo(ctx)
		return say("undone: "+op.Label, err)
	}}
}

// redoWrite redoes the last undone action.
func redoWrite() write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		op, err := s.Redo(ctx)
		return say("redone: "+op.Label, err)
	}}
}

// renameSpeakerWrite renames a speaker in the document ref ("" every
// document); merges counts the turns of a speaker already so named.
func renameSpeakerWrite(sp coding.Speaker, ref, to string, all bool, merges int) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, n, err := s.RenameSpeaker(ctx, ref, sp.Name, to)
		scope := oneLine(sp.Document)
		if all {
			scope = "every document"
		}
		switch {
		case merges > 0 && all:
			return say(fmt.Sprintf("renamed %s to %s, merged where %s spoke (%s, %s; u undoes)", sp.Name, to, to, scope, nTurns(n)), err)
		case merges > 0:
			return say(fmt.Sprintf("merged %s into %s, a name in use (%s, %s; u undoes)", sp.Name, to, scope, nTurns(n)), err)
		}
		return say(fmt.Sprintf("renamed %s to %s (%s, %s)", sp.Name, to, scope, nTurns(n)), err)
	}}
}

// mergeSpeakersWrite merges speaker sp into into, in sp's document.
func mergeSpeakersWrite(sp, into coding.Speaker) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, n, err := s.MergeSpeakers(ctx, docRef(sp.DocID), sp.Name, into.Name)
		return say(fmt.Sprintf("merged %s into %s (%s, %s; u undoes)", sp.Name, into.Name, oneLine(sp.Document), nTurns(n)), err)
	}}
}

// speakerCaseWrite ties speaker sp to the case named v ("-" unties).
func speakerCaseWrite(sp coding.Speaker, v string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, err := s.SetSpeaker(ctx, docRef(sp.DocID), sp.Name, coding.SpeakerChange{Case: v})
		if v == "-" {
			return say(fmt.Sprintf("%s has no case now (%s)", sp.Name, oneLine(sp.Document)), err)
		}
		return say(fmt.Sprintf("%s tied to the case %s (%s)", sp.Name, v, oneLine(sp.Document)), err)
	}}
}

// speakerRoleWrite gives speaker sp a role.
func speakerRoleWrite(sp coding.Speaker, role string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		_, err := s.SetSpeaker(ctx, docRef(sp.DocID), sp.Name, coding.SpeakerChange{Role: role})
		return say(fmt.Sprintf("%s is the %s now (%s)", sp.Name, role, oneLine(sp.Document)), err)
	}}
}
