package main

import "github.com/spf13/cobra"

// exportCmd is the parent of the exports: each writes a file another
// program (or a paper) can use, deterministically, so that exports can
// live in git.
func (a *app) exportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the codebook or the project in a format other programs read",
		Long: `Export writes part of the project in a format other programs read:
the codebook for another QDA program or a paper's appendix, or the whole
project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA).

The same project always gives byte-identical files.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(a.exportCodebookCmd(), a.exportProjectCmd())
	return cmd
}
