package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

func (a *app) tagCmd() *cobra.Command {
	var span, match, memo string
	var turn int
	var all, create, asJSON bool
	cmd := &cobra.Command{
		Use:   "tag DOC CODE (--span START:END | --match TEXT [--all] | --turn N)",
		Short: "Code a passage of a document",
		Long: `Tag marks a passage of DOC with CODE, recorded under your coder name.

The passage is given one of three ways:
  --span START:END   characters START (inclusive) to END (exclusive), as
                     'qcode show --json' and 'qcode quotes --json' count them
  --match TEXT       the exact text (’ and ', “ ” « » and ", – — and -, ё and е
                     are the same); it must occur once, or use --all
  --turn N           the speech of speaker turn N (without its label)

Overlapping codings are fine; coding the same span with the same code twice
is refused. 'qcode undo' reverts the last tag.`,
		Example: `  qcode tag R07 "Fear of repression" --match "they will come for us first"
  qcode tag R07 "Reasons for leaving/Mobilization" --turn 12 --memo "brother's call-up"
  qcode tag R07 Donations --span 1200:1315`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			given := 0
			for _, f := range []string{"span", "match", "turn"} {
				if cmd.Flags().Changed(f) {
					given++
				}
			}
			if given != 1 {
				return errors.New("tag: give exactly one of --span, --match or --turn")
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				by := "turn"
				if cmd.Flags().Changed("span") {
					by = "span"
				} else if cmd.Flags().Changed("match") {
					by = "match"
				}
				spans, err := a.resolveSpans(s, args[0], by, span, match, turn, all)
				if err != nil {
					return err
				}
				codings, op, err := s.Tag(a.ctx, coding.TagRequest{Doc: args[0], Code: args[1], Spans: spans, Memo: memo, Create: create})
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(map[string]any{"codings": codings})
				}
				fmt.Fprintf(a.stdout, "Coded %s: %s. ('qcode undo' reverts it.)\n", plural(len(codings), "passage", "passages"), op.Label)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&span, "span", "", "START:END in characters, end exclusive")
	cmd.Flags().StringVar(&match, "match", "", "the exact text to code")
	cmd.Flags().BoolVar(&all, "all", false, "with --match: code every occurrence")
	cmd.Flags().IntVar(&turn, "turn", 0, "speaker turn number (see 'qcode show --json')")
	cmd.Flags().StringVar(&memo, "memo", "", "a memo on the new coding")
	cmd.Flags().BoolVar(&create, "create", false, "create the code if it does not exist")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the new codings as JSON")
	return cmd
}

// resolveSpans turns the passage flags of tag into spans of the document.
func (a *app) resolveSpans(s *coding.Store, docRef, by, span, match string, turn int, all bool) ([]coding.Span, error) {
	switch by {
	case "span":
		sp, err := coding.ParseSpan(span)
		if err != nil {
			return nil, fmt.Errorf("--span: %w", err)
		}
		return []coding.Span{sp}, nil
	case "match":
		if match == "" {
			return nil, errors.New("tag: --match needs the text to code")
		}
		d, err := s.Document(a.ctx, docRef, true)
		if err != nil {
			return nil, err
		}
		spans := coding.MatchSpans(d.Text, match)
		switch {
		case len(spans) == 0:
			return nil, fmt.Errorf("%q does not occur in %s (the match is exact, case and punctuation included, except that ’ and ', “ ” « » and \", – — and -, ё and е are the same)", oneLine(match, 60), d.Name)
		case len(spans) > 1 && !all:
			var at []string
			for _, sp := range spans {
				at = append(at, fmt.Sprintf("%s (line %d)", sp, coding.LineOf(d.Text, sp.Start)))
			}
			return nil, fmt.Errorf("%q occurs %d times in %s: %s; use --all, a longer --match, or --span",
				oneLine(match, 60), len(spans), d.Name, strings.Join(at, ", "))
		}
		return spans, nil
	default:
		d, err := s.Document(a.ctx, docRef, false)
		if err != nil {
			return nil, err
		}
		turns, err := s.Turns(a.ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if turn < 1 || turn > len(turns) {
			return nil, fmt.Errorf("%s has turns 1 to %d, not %d", d.Name, len(turns), turn)
		}
		t := turns[turn-1]
		if t.End <= t.Body {
			return nil, fmt.Errorf("turn %d of %s has no speech to code", turn, d.Name)
		}
		return []coding.Span{{Start: t.Body, End: t.End}}, nil
	}
}

func (a *app) untagCmd() *cobra.Command {
	var span string
	var ids []string
	var anyCoder bool
	cmd := &cobra.Command{
		Use:   "untag [DOC CODE --span START:END] [--id ID...]",
		Short: "Remove codings, by span or by id",
		Long: `Untag removes a coding: the one of CODE at exactly START:END in DOC made
by you (or by anyone with --any-coder), or the codings with the given ids
('qcode show DOC' lists them). Memos on the removed codings go too.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := coding.UntagRequest{AnyCoder: anyCoder}
			switch {
			case len(ids) > 0 && len(args) == 0:
				for _, s := range ids {
					for _, f := range strings.Split(s, ",") {
						id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(f), "#"), 10, 64)
						if err != nil {
							return fmt.Errorf("untag: coding id %q is not a number", f)
						}
						req.IDs = append(req.IDs, id)
					}
				}
			case len(args) == 2 && span != "" && len(ids) == 0:
				sp, err := coding.ParseSpan(span)
				if err != nil {
					return fmt.Errorf("--span: %w", err)
				}
				req.Doc, req.Code, req.Span = args[0], args[1], sp
			default:
				return errors.New("untag: give DOC CODE --span START:END, or --id ID")
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				n, op, err := s.Untag(a.ctx, req)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Removed %s: %s. ('qcode undo' restores it.)\n", plural(n, "coding", "codings"), op.Label)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&span, "span", "", "START:END of the coding")
	cmd.Flags().StringArrayVar(&ids, "id", nil, "coding id(s) to remove")
	cmd.Flags().BoolVar(&anyCoder, "any-coder", false, "remove matching codings by any coder")
	return cmd
}
