package main

import "github.com/spf13/cobra"

// docVersionCmds are 'doc replace', 'doc edit' and 'doc orphans'.
func (a *app) docVersionCmds() []*cobra.Command { return nil }
