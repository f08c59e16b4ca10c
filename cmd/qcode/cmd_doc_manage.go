package main

import "github.com/spf13/cobra"

// docManageCmds are 'doc rename' and 'doc rm'.
func (a *app) docManageCmds() []*cobra.Command { return nil }
