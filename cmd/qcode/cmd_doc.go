package main

import (
	"github.com/spf13/cobra"
)

// docCmd is the group of commands that manage documents and their
// versions: rename, rm, replace, edit, orphans.
func (a *app) docCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "doc",
		Short: "Manage documents and their versions (rename, rm, replace, edit, orphans)",
		Long: `Doc manages documents: rename one, remove one, replace its text with a
corrected file (codings follow the text into the new version), edit it in
$EDITOR, and list the codings a new version could not carry.`,
	}
	cmd.AddCommand(a.docManageCmds()...)
	cmd.AddCommand(a.docVersionCmds()...)
	return cmd
}
