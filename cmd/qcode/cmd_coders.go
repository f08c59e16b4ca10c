package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

// coderFilter is the coder filter of a read command: the name given with
// the global --coder flag on the command line, or "" for every coder.
// $QCODE_CODER and the login name say who is coding, not whose codings
// to look at, so they never filter. A name that is not a coder of the
// project is an error listing those there are, so a typo does not pass
// for "no codings".
func (a *app) coderFilter(s *coding.Store) (string, error) {
	if a.coder == "" {
		return "", nil
	}
	names, err := s.Coders(a.ctx)
	if err != nil {
		return "", err
	}
	for _, n := range names {
		if n == a.coder {
			return n, nil
		}
	}
	return "", fmt.Errorf("--coder %s: no such coder in this project (coders: %s; see 'qcode coders')",
		a.coder, strings.Join(names, ", "))
}

func (a *app) codersCmd() *cobra.Command {
	var asJSON, allVersions bool
	cmd := &cobra.Command{
		Use:   "coders",
		Short: "List the coders with how much each has coded",
		Long: `Coders lists everyone who has coded or written a memo in the project (not
whoever only imported documents), with their number of codings, the
documents and codes those are in, and when they made their first and last
coding. Only the codings on each document's latest version count;
--all-versions counts those left on earlier versions too.

Every listing, search, quote and analysis command takes --coder NAME to look
at one coder's codings only: 'qcode show R01 --coder nino'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				stats, err := s.CoderStatsWith(a.ctx, coding.CoderStatsOptions{AllVersions: allVersions})
				if err != nil {
					return err
				}
				if asJSON {
					if stats == nil {
						stats = []coding.CoderStats{}
					}
					return a.printJSON(map[string]any{"coders": stats})
				}
				if len(stats) == 0 {
					fmt.Fprintln(a.stdout, "No coders yet.")
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "CODER\tCODINGS\tDOCS\tCODES\tFIRST\tLAST")
				for _, c := range stats {
					first, last := "-", "-"
					if c.First != nil {
						first = c.First.Format("2006-01-02 15:04")
					}
					if c.Last != nil {
						last = c.Last.Format("2006-01-02 15:04")
					}
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", c.Name, c.Codings, c.Documents, c.Codes, first, last)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&allVersions, "all-versions", false, allVersionsUsage)
	return cmd
}
