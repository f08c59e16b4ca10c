package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

func (a *app) attrCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attr",
		Short: "Participant and document attributes (gender, age, occupation, wave...)",
	}
	set := &cobra.Command{
		Use:   "set DOC KEY=VALUE...",
		Short: "Set attributes of a document; KEY= (empty) removes one",
		Long: `Set typed attributes on a document. The type is inferred from the value
(integer, float, date as YYYY-MM-DD, boolean as true/false, else text), or
given as KEY:TYPE=VALUE. All the attributes given are set as one action.`,
		Example: `  qcode attr set R07 gender=female age=30 occupation="NGO activist" wave=February
  qcode attr set R07 interviewed:date=2022-11-14 recontact:boolean=yes`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var attrs []coding.Attribute
			inferred := map[string]bool{}
			for _, kv := range args[1:] {
				k, v, ok := strings.Cut(kv, "=")
				if ok && strings.TrimSpace(v) == "" {
					attrs = append(attrs, coding.Attribute{Key: strings.TrimSpace(k)})
					continue
				}
				at, err := coding.ParseAttribute(kv)
				if err != nil {
					return err
				}
				inferred[at.Key] = !strings.Contains(k, ":")
				attrs = append(attrs, at)
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				d, err := s.Document(a.ctx, args[0], false)
				if err != nil {
					return err
				}
				types, err := s.AttributeTypes(a.ctx, d.ID)
				if err != nil {
					return err
				}
				op, err := s.SetAttributes(a.ctx, args[0], attrs)
				if err == nil {
					for _, at := range attrs {
						if inferred[at.Key] {
							a.warnAttrType(at, types[at.Key])
						}
					}
				}
				return a.done(op, err)
			})
		},
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list DOC",
		Short: "List a document's attributes with their types",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				d, err := s.Document(a.ctx, args[0], false)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(map[string]any{"document": d.Name, "attributes": d.Attributes})
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "KEY\tTYPE\tVALUE")
				for _, at := range d.Attributes {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", at.Key, at.Type, at.Value)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.AddCommand(set, list, a.attrTableCmd(), a.attrImportCmd())
	return cmd
}

// warnAttrType warns when the type inferred for at differs from the type
// the key has on other documents: REFI-QDA gives a variable one type, so
// the export would write the key as text for every document.
func (a *app) warnAttrType(at coding.Attribute, elsewhere map[string]int) {
	if len(elsewhere) == 0 || elsewhere[at.Type] > 0 {
		return
	}
	var types []string
	n := 0
	for t, c := range elsewhere {
		types = append(types, t)
		n += c
	}
	sort.Strings(types)
	fmt.Fprintf(a.stderr, "warning: %s is %s %s on %s; %q is %s, so a .qdpx export writes %s as text for every document. "+
		"Give %s %s, or write %s:%s=%s to mean %s.\n",
		at.Key, article(types[0]), strings.Join(types, " or "), plural(n, "other document", "other documents"), at.Value, at.Type, at.Key,
		article(types[0]), types[0], at.Key, at.Type, at.Value, at.Type)
}

// article is "a" or "an" before a type's name.
func article(typ string) string {
	if typ == coding.TypeInteger {
		return "an"
	}
	return "a"
}

func (a *app) attrTableCmd() *cobra.Command {
	var cases bool
	var format string
	cmd := &cobra.Command{
		Use:   "table",
		Short: "Every document's (or case's) attributes as a table: the participants table",
		Long: `Table prints the attributes of every document (its latest version), a row
each and a column per attribute key, as a table, CSV or JSON. With --cases
the rows are the project's cases (participants tied to speakers, see
'qcode speakers') and their attributes.

The CSV is a classification sheet: edit it in a spreadsheet and bring it
back with 'qcode attr import'. A column whose values share a type other
than text says so in its header (age:integer), so the types come back
as they were.`,
		Example: `  qcode attr table
  qcode attr table --format csv > participants.csv
  qcode attr table --cases --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			by := coding.ByDocument
			if cases {
				by = coding.ByCase
			}
			switch format {
			case "table", "csv", "json":
			default:
				return fmt.Errorf("attr table: unknown format %q (table, csv, json)", format)
			}
			return a.withStore(func(s *coding.Store) error {
				t, err := s.AttributeTable(a.ctx, by)
				if err != nil {
					return err
				}
				switch format {
				case "json":
					return a.printJSON(t)
				case "csv":
					return attrTableCSV(a.stdout, t)
				}
				if len(t.Rows) == 0 {
					if cases {
						fmt.Fprintln(a.stdout, "No cases yet: tie a speaker to one with 'qcode speakers set DOC NAME --case CASE'.")
					} else {
						fmt.Fprintln(a.stdout, "No documents yet: add some with 'qcode import FILES...'.")
					}
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				head := []string{strings.ToUpper(by)}
				for _, c := range t.Columns {
					head = append(head, c.Key)
				}
				fmt.Fprintln(tw, strings.Join(head, "\t"))
				for _, r := range t.Rows {
					cells := []string{printable(r.Name)}
					for _, v := range r.Values {
						cells = append(cells, orDash(oneLine(printable(v), 40)))
					}
					fmt.Fprintln(tw, strings.Join(cells, "\t"))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&cases, "cases", false, "a row per case instead of per document")
	cmd.Flags().StringVar(&format, "format", "table", "table, csv or json")
	return cmd
}

// attrTableCSV writes the table as a classification sheet that 'attr
// import' reads back.
func attrTableCSV(w io.Writer, t coding.AttrTable) error {
	cw := csv.NewWriter(w)
	head := []string{t.By}
	for _, c := range t.Columns {
		h := c.Key
		if c.Type != "" && c.Type != coding.TypeText {
			h += ":" + c.Type
		}
		head = append(head, h)
	}
	cw.Write(head)
	for _, r := range t.Rows {
		cw.Write(append([]string{r.Name}, r.Values...))
	}
	cw.Flush()
	return cw.Error()
}

func (a *app) attrImportCmd() *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE.csv [--dry-run]",
		Short: "Set attributes from a classification sheet (a CSV of participants)",
		Long: `Import reads a classification sheet, a CSV saved from a spreadsheet (UTF-8;
commas, semicolons or tabs), and sets its values as one action
('qcode undo' reverts it).

The first column says what each row is about, by its header:

  document     a document, by name (also: doc, name, file, interview)
  participant  every document whose participant attribute is this
               (also: respondent)
  case         a case, by name (see 'qcode attr table --cases')

Every other column is an attribute: its header is the key, or KEY:TYPE
to give the type (text, integer, float, date, boolean). Without one, a
column takes the type the key already has in the project, and each of
its values must be of it; a new key takes the narrowest type all its
values fit. Empty cells change nothing. A row that names nothing in the
project, a value of the wrong type or a malformed file is an error
naming the file and line, and nothing is changed. --dry-run lists what
would change.`,
		Example: `  qcode attr import participants.csv --dry-run
  qcode attr import participants.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("attr import: %w", err)
			}
			defer f.Close()
			if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
				return fmt.Errorf("attr import: %s is not a regular file", args[0])
			}
			sh, err := coding.ParseAttrSheet(f, args[0])
			if err != nil {
				return fmt.Errorf("attr import: %w", err)
			}
			return a.withStore(func(s *coding.Store) error {
				res, op, err := s.ImportAttributes(a.ctx, sh, dryRun)
				if err != nil {
					return fmt.Errorf("attr import: %w", err)
				}
				if asJSON {
					return a.printJSON(map[string]any{"dry_run": dryRun, "import": res})
				}
				what := "documents"
				if sh.By == coding.ByCase {
					what = "cases"
				}
				verb := "Set"
				if dryRun {
					verb = "Dry run, nothing changed: would set"
				}
				fmt.Fprintf(a.stdout, "%s %s on %s from %s (%s already so).\n", verb,
					plural(len(res.Changes), "value", "values"), plural(countChanged(res.Changes), what[:len(what)-1], what),
					printable(args[0]), plural(res.Unchanged, "value", "values"))
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				for _, c := range res.Changes {
					old := "(new)"
					if c.Old != "" {
						old = printable(c.Old)
						if c.OldType != c.Type {
							old += " (" + c.OldType + ")"
						}
					}
					fmt.Fprintf(tw, "  line %d\t%s\t%s\t%s → %s (%s)\n", c.Line, printable(c.Target), printable(c.Key), old, printable(c.New), c.Type)
				}
				tw.Flush()
				if op.ID != 0 {
					fmt.Fprintf(a.stdout, "Done: %s. ('qcode undo' reverts it.)\n", op.Label)
				}
				if !dryRun && op.ID != 0 {
					a.updateIndex(s)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would change, change nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what changed as JSON")
	return cmd
}

// countChanged counts the documents or cases changes are on.
func countChanged(cs []coding.AttrChange) int {
	seen := map[string]bool{}
	for _, c := range cs {
		seen[c.Target] = true
	}
	return len(seen)
}

func (a *app) memoCmd() *cobra.Command {
	var doc, code, codingID string
	var asJSON bool
	target := func() (string, string) {
		switch {
		case doc != "":
			return coding.TargetDocument, doc
		case code != "":
			return coding.TargetCode, code
		case codingID != "":
			return coding.TargetCoding, codingID
		}
		return coding.TargetProject, ""
	}
	cmd := &cobra.Command{
		Use:   "memo",
		Short: "Memos on the project, a document, a code or a coding",
		Long: `Memos hold analytic notes. Without a subcommand, memo lists them: all of
them, or those on the target given with --doc, --code or --coding; with
--coder NAME, only those NAME wrote.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				t, ref := target()
				if doc == "" && code == "" && codingID == "" {
					t = ""
				}
				memos, err := s.Memos(a.ctx, t, ref)
				if err != nil {
					return err
				}
				coder, err := a.coderFilter(s)
				if err != nil {
					return err
				}
				if coder != "" {
					mine := []coding.Memo{}
					for _, m := range memos {
						if m.Coder == coder {
							mine = append(mine, m)
						}
					}
					memos = mine
				}
				if asJSON {
					return a.printJSON(map[string]any{"memos": memos})
				}
				if len(memos) == 0 {
					fmt.Fprintln(a.stdout, "No memos.")
				}
				names, err := memoTargetNames(a, s, memos)
				if err != nil {
					return err
				}
				for _, m := range memos {
					on := names(m)
					fmt.Fprintf(a.stdout, "#%d on %s, by %s, %s\n  %s\n", m.ID, on, m.Coder,
						m.UpdatedAt.Format("2006-01-02 15:04"), strings.ReplaceAll(m.Text, "\n", "\n  "))
				}
				return nil
			})
		},
	}
	cmd.PersistentFlags().StringVar(&doc, "doc", "", "the document the memo is on")
	cmd.PersistentFlags().StringVar(&code, "code", "", "the code the memo is on")
	cmd.PersistentFlags().StringVar(&codingID, "coding", "", "the coding (id) the memo is on")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	add := &cobra.Command{
		Use:     "add TEXT",
		Short:   "Write a memo (on the project unless --doc, --code or --coding)",
		Example: `  qcode memo add --code "Identity loss" "Often voiced through work: 'who am I without my newsroom'"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				t, ref := target()
				m, op, err := s.AddMemo(a.ctx, t, ref, args[0])
				if err != nil {
					return err
				}
				a.warnCleaned(args[0])
				fmt.Fprintf(a.stdout, "Memo #%d written: %s.\n", m.ID, op.Label)
				return nil
			})
		},
	}
	edit := &cobra.Command{
		Use:   "edit ID TEXT",
		Short: "Replace a memo's text",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
			if err != nil {
				return fmt.Errorf("memo id %q is not a number", args[0])
			}
			return a.withStore(func(s *coding.Store) error {
				op, err := s.EditMemo(a.ctx, id, args[1])
				if err == nil {
					a.warnCleaned(args[1])
				}
				return a.done(op, err)
			})
		},
	}
	rm := &cobra.Command{
		Use:   "rm ID",
		Short: "Delete a memo",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
			if err != nil {
				return fmt.Errorf("memo id %q is not a number", args[0])
			}
			return a.withStore(func(s *coding.Store) error {
				op, err := s.DeleteMemo(a.ctx, id)
				return a.done(op, err)
			})
		},
	}
	cmd.AddCommand(add, edit, rm)
	return cmd
}

// memoTargetNames returns a function that names what a memo is on as a
// reader knows it: "the project", "document R07", "code Work/Loss",
// "coding 12 (Work/Loss in R07)".
func memoTargetNames(a *app, s *coding.Store, memos []coding.Memo) (func(coding.Memo) string, error) {
	codePaths := map[int64]string{}
	docNames := map[int64]string{}
	codingNames := map[int64]string{}
	var codingIDs []int64
	for _, m := range memos {
		switch m.Target {
		case coding.TargetCode:
			if len(codePaths) == 0 {
				codes, err := s.Codes(a.ctx)
				if err != nil {
					return nil, err
				}
				for _, c := range codes {
					codePaths[c.ID] = c.Path
				}
			}
		case coding.TargetDocument:
			if _, ok := docNames[m.TargetID]; !ok {
				name, err := s.DocumentName(a.ctx, m.TargetID)
				if err != nil && !errors.Is(err, coding.ErrNotFound) {
					return nil, err
				}
				docNames[m.TargetID] = name
			}
		case coding.TargetCoding:
			codingIDs = append(codingIDs, m.TargetID)
		}
	}
	if len(codingIDs) > 0 {
		cs, err := s.Codings(a.ctx, coding.CodingFilter{IDs: codingIDs})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			codingNames[c.ID] = fmt.Sprintf("%s in %s", c.Code, c.Document)
		}
	}
	return func(m coding.Memo) string {
		var name string
		switch m.Target {
		case coding.TargetProject:
			return "the project"
		case coding.TargetDocument:
			name = docNames[m.TargetID]
		case coding.TargetCode:
			name = codePaths[m.TargetID]
		case coding.TargetCoding:
			if n := codingNames[m.TargetID]; n != "" {
				return fmt.Sprintf("coding %d (%s)", m.TargetID, n)
			}
		}
		if name == "" {
			return fmt.Sprintf("%s %d", m.Target, m.TargetID)
		}
		return m.Target + " " + name
	}, nil
}

func (a *app) undoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "undo",
		Short: "Undo your last change (coding, codebook, attributes, memos)",
		Long: `Undo reverts your most recent change that is not yet undone; repeat to go
further back. The history is kept in the project, so it survives restarts.
Each coder undoes their own changes; an undo that would overwrite what
someone changed since is refused.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.Undo(a.ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Undone: %s. ('qcode redo' re-applies it.)\n", op.Label)
				return nil
			})
		},
	}
}

func (a *app) redoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "redo",
		Short: "Re-apply the change you last undid",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.Redo(a.ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Redone: %s.\n", op.Label)
				return nil
			})
		},
	}
}

func (a *app) historyCmd() *cobra.Command {
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List recent changes, newest first",
		Long: `History lists the recent changes to the project, newest first, with who
made them. With --coder NAME only that coder's changes are listed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				coder, err := a.coderFilter(s)
				if err != nil {
					return err
				}
				ops, err := s.HistoryBy(a.ctx, coder, limit)
				if err != nil {
					return err
				}
				if asJSON {
					if ops == nil {
						ops = []coding.Op{}
					}
					return a.printJSON(map[string]any{"history": ops})
				}
				for _, o := range ops {
					fmt.Fprintf(a.stdout, "%s  %-10s %s\n", strings.Replace(o.At, "T", " ", 1), o.Coder, o.Label)
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "how many")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Project settings",
	}
	cite := &cobra.Command{
		Use:   "cite [TEMPLATE]",
		Short: "Show or set how a quote's speaker is cited, e.g. '{gender}, {age}, {occupation}'",
		Long: `The citation template builds a quote's attribution from the attributes of
whoever says it: each {key} is replaced by that attribute's value. A key
the speaker lacks is left out together with its separator.

The attributes are the document's for its one participant, or those of the
case a speaker is tied to ('qcode speakers set DOC NAME --attr k=v'), as in
a focus group. {speaker} is the name the transcript labels them with,
{role} their role and {case} their case. A participant of a focus group
with no attributes is cited by name. The interviewer is cited with the
template of 'qcode config cite-interviewer'.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				if len(args) == 0 {
					v, err := s.Setting(a.ctx, "cite", coding.DefaultCite)
					if err != nil {
						return err
					}
					fmt.Fprintln(a.stdout, v)
					return nil
				}
				if !strings.Contains(args[0], "{") {
					return errors.New("config cite: the template names no attribute; write keys in braces, e.g. '{gender}, {age}'")
				}
				if err := s.SetSetting(a.ctx, "cite", args[0]); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Quotes will be cited as (%s).\n", args[0])
				return nil
			})
		},
	}
	citeInterviewer := &cobra.Command{
		Use:   "cite-interviewer [TEMPLATE]",
		Short: "Show or set how an interviewer's words are cited, e.g. '{role}' or 'interviewer {speaker}'",
		Long: `When a quoted passage is the interviewer's, it is cited with this template
instead of the participant's attributes. {speaker} is the label the
transcript uses (Nino, I, Q), {role} is "interviewer", and {case} the
case the interviewer is tied to, if any. The default is '{role}'.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				if len(args) == 0 {
					v, err := s.Setting(a.ctx, "cite.interviewer", coding.DefaultCiteInterviewer)
					if err != nil {
						return err
					}
					fmt.Fprintln(a.stdout, v)
					return nil
				}
				if strings.TrimSpace(args[0]) == "" {
					return errors.New("config cite-interviewer: the template is empty")
				}
				if err := s.SetSetting(a.ctx, "cite.interviewer", args[0]); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "The interviewer's words will be cited as (%s).\n", args[0])
				return nil
			})
		},
	}
	cmd.AddCommand(cite, citeInterviewer)
	return cmd
}
