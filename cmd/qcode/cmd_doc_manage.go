package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

// docManageCmds are 'doc rename' and 'doc rm'.
func (a *app) docManageCmds() []*cobra.Command {
	return []*cobra.Command{a.docRenameCmd(), a.docRmCmd()}
}

func (a *app) docRenameCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rename DOC NEW",
		Short: "Rename a document, every version of it (undoable)",
		Long: `Rename gives a document a new name: every version of it, as one change
that 'qcode undo' reverts. Its codings, memos, speakers and attributes
stay as they are, and so does its short id (#12); search shows the new
name at once. A focus group's members' cases, named after the document
("R07: Anna"), are renamed with it. The files in sources/ keep the names
they came with.

The new name may not be another document's (in any case), empty, hold
control characters or direction overrides, or hold '@' (NAME@N names a
version) or be '#' and a number (a short id).

` + coding.DocRefRules,
		Example: `  qcode doc rename R07 "R07 Vera"
  qcode doc rename lunney "Lunney (pilot)"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				res, err := s.RenameDocument(a.ctx, args[0], args[1])
				if errors.Is(err, coding.ErrNothing) {
					fmt.Fprintf(a.stdout, "Nothing changed: %s already has that name.\n", printable(strings.TrimSpace(args[1])))
					return nil
				}
				if err != nil {
					return err
				}
				also := ""
				if res.Cases > 0 {
					also = fmt.Sprintf(", and %s named after it", countOf(res.Cases, "case", "cases"))
				}
				fmt.Fprintf(a.stdout, "Renamed %s to %s (%s%s). ('qcode undo' reverts it.)\n",
					printable(res.From), printable(res.To), countOf(res.Versions, "version", "versions"), also)
				return nil
			})
		},
	}
}

func (a *app) docRmCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rm DOC",
		Short: "Remove a document, or one version of it (undoable); refuses while it has codings unless --force",
		Long: `Rm removes a document with everything on it: every version, or only the
version named as NAME@N, with its turns, speakers, time anchors,
attributes, codings, and the memos on it and on its codings. It is one
change: 'qcode undo' brings all of it back exactly.

While what would go has codings, rm refuses and says how many, by how
many coders; --force removes them too.

The original files stay in the project's sources/ folder: undo needs
them (for export and provenance), so rm leaves them where they are.

` + coding.DocRefRules,
		Example: `  qcode doc rm R07            every version of R07
  qcode doc rm R07@1          only its first version
  qcode doc rm R07 --force    with its codings`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				res, err := s.RemoveDocument(a.ctx, args[0], force)
				if err != nil {
					return err
				}
				what := printable(res.Name)
				if res.Version > 0 {
					what = fmt.Sprintf("%s@%d", what, res.Version)
				} else if len(res.Versions) > 1 {
					vs := make([]string, len(res.Versions))
					for i, v := range res.Versions {
						vs[i] = fmt.Sprint(v)
					}
					what += " (versions " + strings.Join(vs, ", ") + ")"
				}
				with := "no codings"
				if res.Codings > 0 {
					with = countOf(res.Codings, "coding", "codings") + " by " + countOf(res.Coders, "coder", "coders")
				}
				if res.Memos > 0 {
					with += " and " + countOf(res.Memos, "memo", "memos")
				}
				fmt.Fprintf(a.stdout, "Removed %s with %s. ('qcode undo' brings it back.)\n", what, with)
				srcs := make([]string, len(res.Sources))
				for i, f := range res.Sources {
					srcs[i] = printable(f)
				}
				fmt.Fprintf(a.stdout, "Its files stay in sources/: %s.\n", strings.Join(srcs, ", "))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "remove its codings too")
	return cmd
}

// countOf is "1 coding", "2 codings".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
