package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

func (a *app) codesCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "codes",
		Short: "Show the codebook as a tree with counts of codings and documents",
		Long: `Codes shows the codebook as a tree, each code with its number of codings
and of documents it is in. With --coder NAME the counts are that coder's.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				codes, err := s.Codes(a.ctx)
				if err != nil {
					return err
				}
				coder, err := a.coderFilter(s)
				if err != nil {
					return err
				}
				if coder != "" {
					if err := countCoderCodes(a, s, coder, codes); err != nil {
						return err
					}
				}
				if asJSON {
					if codes == nil {
						codes = []coding.Code{}
					}
					return a.printJSON(map[string]any{"codes": codes})
				}
				if len(codes) == 0 {
					fmt.Fprintln(a.stdout, "The codebook is empty: add a code with 'qcode code add NAME'.")
					return nil
				}
				a.printTree(codes)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON (flat, in tree order, with path and depth)")
	return cmd
}

// countCoderCodes replaces each code's counts with those of one coder's
// codings.
func countCoderCodes(a *app, s *coding.Store, coder string, codes []coding.Code) error {
	codings, err := s.Codings(a.ctx, coding.CodingFilter{Coder: coder})
	if err != nil {
		return err
	}
	n := map[int64]int{}
	docs := map[int64]map[int64]bool{}
	for _, c := range codings {
		n[c.CodeID]++
		if docs[c.CodeID] == nil {
			docs[c.CodeID] = map[int64]bool{}
		}
		docs[c.CodeID][c.DocID] = true
	}
	for i := range codes {
		codes[i].Codings, codes[i].Documents = n[codes[i].ID], len(docs[codes[i].ID])
	}
	return nil
}

// printTree draws the codebook with box-drawing branches and right-aligned
// counts.
func (a *app) printTree(codes []coding.Code) {
	color := a.color(a.stdout)
	// isLast reports whether code i is the last of its siblings, which
	// decides between "├─" and "└─", and between "│" and " " below it.
	isLast := func(i int) bool {
		for j := i + 1; j < len(codes); j++ {
			if codes[j].Depth < codes[i].Depth {
				return true
			}
			if codes[j].Depth == codes[i].Depth {
				return false
			}
		}
		return true
	}
	prefixes := make([]string, len(codes))
	width := len("CODE")
	var last []bool
	for i, c := range codes {
		last = append(last[:c.Depth], isLast(i))
		var pre strings.Builder
		for d := 1; d < c.Depth; d++ {
			if last[d] {
				pre.WriteString("   ")
			} else {
				pre.WriteString("│  ")
			}
		}
		if c.Depth > 0 {
			if last[c.Depth] {
				pre.WriteString("└─ ")
			} else {
				pre.WriteString("├─ ")
			}
		}
		prefixes[i] = pre.String()
		w := utf8.RuneCountInString(prefixes[i] + c.Name)
		if color {
			w += 2
		}
		width = max(width, w)
	}
	fmt.Fprintf(a.stdout, "%-*s  %7s  %4s\n", width, "CODE", "CODINGS", "DOCS")
	for i, c := range codes {
		name := prefixes[i] + swatch(color, c.Color) + c.Name
		w := utf8.RuneCountInString(prefixes[i] + c.Name)
		if color {
			w += 2
		}
		fmt.Fprintf(a.stdout, "%s%s  %7d  %4d\n", name, strings.Repeat(" ", width-w), c.Codings, c.Documents)
	}
}

func (a *app) codeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "code",
		Short: "Change the codebook: add, rename, move, merge, set, rm",
		Long: `Change the codebook. A code is named by its name when that is unique, by
its path (Parent/Child), or by its id. Every change can be undone.`,
	}
	var parent, color, desc string
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a code (NAME may be a path Parent/Child; missing parents are made)",
		Example: `  qcode code add "Fear of repression" --color '#E15759' --desc "Fear of arrest, searches, reprisals"
  qcode code add Mobilization --parent "Reasons for leaving"
  qcode code add "Reasons for leaving/Work and career"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				c, _, err := s.AddCode(a.ctx, coding.NewCode{Path: args[0], Parent: parent, Color: color, Description: desc})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Added code %s (%s, id %d).\n", c.Path, c.Color, c.ID)
				return nil
			})
		},
	}
	add.Flags().StringVar(&parent, "parent", "", "the code to add it under")
	add.Flags().StringVar(&color, "color", "", "colour as #RRGGBB (default: the next of a palette)")
	add.Flags().StringVar(&desc, "desc", "", "what the code means: when to apply it")

	rename := &cobra.Command{
		Use:   "rename CODE NEWNAME",
		Short: "Rename a code",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.RenameCode(a.ctx, args[0], args[1])
				return a.done(op, err)
			})
		},
	}
	var root bool
	move := &cobra.Command{
		Use:   "move CODE [NEWPARENT]",
		Short: "Move a code under another code, or to the top level with --root",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && !root {
				return fmt.Errorf("move %s: give the new parent, or --root for the top level", args[0])
			}
			p := ""
			if len(args) == 2 {
				p = args[1]
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.MoveCode(a.ctx, args[0], p)
				return a.done(op, err)
			})
		},
	}
	move.Flags().BoolVar(&root, "root", false, "move to the top level")
	merge := &cobra.Command{
		Use:   "merge FROM INTO",
		Short: "Merge code FROM into INTO: its codings, sub-codes and memos move over, FROM is deleted",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.MergeCode(a.ctx, args[0], args[1])
				return a.done(op, err)
			})
		},
	}
	var force bool
	rm := &cobra.Command{
		Use:   "rm CODE",
		Short: "Delete a code; refuses while it has codings or sub-codes unless --force",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.DeleteCode(a.ctx, args[0], force)
				return a.done(op, err)
			})
		},
	}
	rm.Flags().BoolVar(&force, "force", false, "also delete its codings and sub-codes")
	var setColor, setDesc string
	set := &cobra.Command{
		Use:   "set CODE",
		Short: "Change a code's colour or description",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c, d *string
			if cmd.Flags().Changed("color") {
				c = &setColor
			}
			if cmd.Flags().Changed("desc") {
				d = &setDesc
			}
			if c == nil && d == nil {
				return fmt.Errorf("set %s: give --color or --desc", args[0])
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				op, err := s.UpdateCode(a.ctx, args[0], c, d)
				return a.done(op, err)
			})
		},
	}
	set.Flags().StringVar(&setColor, "color", "", "colour as #RRGGBB")
	set.Flags().StringVar(&setDesc, "desc", "", "description")
	cmd.AddCommand(add, rename, move, merge, rm, set)
	return cmd
}

// done reports a finished action.
func (a *app) done(op coding.Op, err error) error {
	if err != nil {
		return err
	}
	if op.ID == 0 {
		fmt.Fprintln(a.stdout, "Nothing changed.")
		return nil
	}
	fmt.Fprintf(a.stdout, "Done: %s. ('qcode undo' reverts it.)\n", op.Label)
	return nil
}
