package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

// docVersionCmds are 'doc replace', 'doc edit' and 'doc orphans'.
func (a *app) docVersionCmds() []*cobra.Command {
	return []*cobra.Command{a.docReplaceCmd(), a.docEditCmd(), a.docOrphansCmd()}
}

const carryHelp = `The old text is aligned with the new one character by character, and
every coding, memo on the document and time is carried across: a
coding whose text is the same moves with it; one with an edit inside it
keeps its ends and is marked changed (old → new text shown); one whose
text is gone stays on the old version as an orphan ('qcode doc orphans
DOC' lists them to re-code). The old version stays, read-only, as
NAME@N. It is one change: 'qcode undo' reverts all of it.`

func (a *app) docReplaceCmd() *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "replace DOC FILE",
		Short: "Make FILE the next version of a document; codings follow the text (undoable)",
		Long: `Replace makes FILE (any transcript format) the next version of DOC,
whatever FILE is called.

` + carryHelp + `

--dry-run shows the report and changes nothing.`,
		Example: `  qcode doc replace R07 corrected/R07.docx --dry-run
  qcode doc replace R07 corrected/R07.docx`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readCapped(args[1])
			if err != nil {
				return fmt.Errorf("replace %s: %w", args[0], err)
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				res, err := s.ReplaceDocument(a.ctx, args[0], coding.ImportFile{Path: args[1], Data: data}, dryRun)
				if err != nil {
					return err
				}
				return a.printVersion(res, asJSON)
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show what would be carried, change nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func (a *app) docEditCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "edit DOC",
		Short: "Edit a document's text in $EDITOR; saving makes a new version (undoable)",
		Long: `Edit writes the document's text to a private temporary file, opens it in
$EDITOR (else vi), and when the editor exits makes the saved text the
next version. Nothing happens when the text is unchanged; the temporary
file is removed either way.

` + carryHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				d, err := s.Document(a.ctx, args[0], true)
				if err != nil {
					return err
				}
				if !d.Latest {
					return fmt.Errorf("edit %s: %w: %s@%d is not the latest version; edit %s", args[0], coding.ErrInvalid, d.Name, d.Version, d.Name)
				}
				text, err := a.editText(d.Name, d.Text)
				if err != nil {
					return fmt.Errorf("edit %s: %w", d.Name, err)
				}
				res, err := s.EditDocument(a.ctx, args[0], text, false)
				if err != nil {
					return err
				}
				return a.printVersion(res, asJSON)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// editText lets the user edit text in $EDITOR through a private temporary
// file, removed afterwards, and returns what was saved.
func (a *app) editText(name, text string) (string, error) {
	dir, err := os.MkdirTemp("", "qcode-edit-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	base := strings.Map(func(r rune) rune {
		if r == '/' || r == os.PathSeparator || r < ' ' {
			return '_'
		}
		return r
	}, name)
	path := filepath.Join(dir, base+".txt")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return "", err
	}
	editor := strings.TrimSpace(a.getenv("VISUAL"))
	if editor == "" {
		editor = strings.TrimSpace(a.getenv("EDITOR"))
	}
	if editor == "" {
		editor = "vi"
	}
	// $EDITOR may hold arguments ("code --wait"): the shell splits them.
	c := exec.CommandContext(a.ctx, "/bin/sh", "-c", editor+` "$1"`, "qcode-edit", path)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, unwrap(a.stderr)
	if f, ok := a.stdin.(*os.File); ok {
		c.Stdin = f
	}
	if f, ok := unwrap(a.stdout).(*os.File); ok {
		c.Stdout = f
	}
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("editor %s: %w; the text is unchanged", editor, err)
	}
	data, err := readCapped(path)
	if err != nil {
		return "", err
	}
	return string(data), nil
}

// printVersion prints what a replacement or edit did: the counts, then
// each changed coding with its old and new text, then each orphan.
func (a *app) printVersion(res coding.ImportResult, asJSON bool) error {
	if asJSON {
		out := struct {
			Status   string              `json:"status"`
			Document string              `json:"document"`
			Version  int                 `json:"version"`
			Carry    *coding.CarryReport `json:"carry,omitempty"`
		}{res.Status, res.Document.Name, res.Document.Version, res.Carry}
		return a.printJSON(out)
	}
	if res.Status == coding.Unchanged || res.Carry == nil {
		fmt.Fprintf(a.stdout, "Nothing changed: the text of %s is the same.\n", printable(res.Document.Name))
		return nil
	}
	writeCarry(a.stdout, res.Carry)
	return nil
}

// carryLine is the one-line account of a new version: "R01 (version 2):
// 14 codings moved, 2 changed, 1 orphaned (qcode doc orphans R01)".
func carryLine(c *coding.CarryReport) string {
	line := fmt.Sprintf("%s (version %d): %s", printable(c.Document), c.ToVersion, c.Summary())
	if c.Orphaned > 0 {
		line += fmt.Sprintf(" (qcode doc orphans %s)", printable(quoteArg(c.Document)))
	}
	return line
}

// quoteArg quotes a name for a shell command line when it needs it.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t'\"$`\\!*?[]()&;|<>") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

func writeCarry(w io.Writer, c *coding.CarryReport) {
	var b strings.Builder
	if c.DryRun {
		b.WriteString("Dry run, nothing changed: ")
	}
	b.WriteString(carryLine(c) + "\n")
	if c.Memos > 0 {
		fmt.Fprintf(&b, "  %s on the document moved to version %d\n", plural(c.Memos, "memo", "memos"), c.ToVersion)
	}
	if c.Aligned == coding.AlignLines {
		b.WriteString("  (a long text: aligned line by line, then character by character within changed lines)\n")
	}
	for _, s := range c.ChangedSpans {
		fmt.Fprintf(&b, "changed #%d %s (%s) %s → %s:\n  - %s\n  + %s\n", s.CodingID, printable(s.Code), printable(s.Coder),
			s.From, s.To, printable(clip(s.OldText)), printable(clip(s.NewText)))
	}
	for _, s := range c.Orphans {
		fmt.Fprintf(&b, "orphaned #%d %s (%s) %s@%d %s: %s", s.CodingID, printable(s.Code), printable(s.Coder),
			printable(c.Document), c.FromVersion, s.From, printable(clip(s.OldText)))
		if s.Note != "" {
			fmt.Fprintf(&b, " (%s)", printable(s.Note))
		}
		b.WriteString("\n")
	}
	io.WriteString(w, b.String())
}

// clip shortens a long passage for a report line, keeping both ends.
func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	rs := []rune(s)
	if len(rs) <= 200 {
		return s
	}
	return string(rs[:120]) + " … " + string(rs[len(rs)-60:])
}

func (a *app) docOrphansCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "orphans DOC",
		Short: "List the codings left on earlier versions of a document, with their text",
		Long: `Orphans lists the codings that stayed on an earlier version of DOC
because a later version no longer has their text, with that text, so
they can be coded again on the current version.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				os, err := s.Orphans(a.ctx, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(os)
				}
				if len(os) == 0 {
					fmt.Fprintf(a.stdout, "No orphaned codings on earlier versions of %s.\n", printable(args[0]))
					return nil
				}
				var b strings.Builder
				for _, o := range os {
					fmt.Fprintf(&b, "#%d %s (%s) %s@%d %d:%d: %s", o.ID, printable(o.Code), printable(o.Coder),
						printable(o.Document), o.Version, o.Start, o.End, printable(clip(o.Text)))
					if o.Note != "" {
						fmt.Fprintf(&b, " (%s)", printable(o.Note))
					}
					b.WriteString("\n")
				}
				io.WriteString(a.stdout, b.String())
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the orphans as JSON")
	return cmd
}
