package main

import (
	"errors"
	"fmt"
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
				attrs = append(attrs, at)
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.SetAttributes(a.ctx, args[0], attrs)
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
	cmd.AddCommand(set, list)
	return cmd
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
