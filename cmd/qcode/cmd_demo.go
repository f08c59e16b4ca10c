package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

func (a *app) demoCmd() *cobra.Command {
	var noTUI, fresh bool
	cmd := &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Build the demo project (fictional interviews, a codebook, two coders) and open it",
		Long: `Demo builds a ready-made project to try qcode on: seven fictional
interviews (English, Russian, and one mixing both) with Russians who moved
to Tbilisi in 2022, a starter codebook of fifteen themes, and about sixty
codings by two coders. The interviews are composites written for qcode,
not real data.

DIR defaults to a folder in your data directory. An existing demo there is
reused; --fresh builds it again.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := filepath.Join(xdg.DataHome, "qcode", "demo.qcode")
			if len(args) == 1 {
				dir = args[0]
			}
			built, err := a.ensureDemo(dir, fresh)
			if err != nil {
				return err
			}
			verb := "Opened the existing"
			if built {
				verb = "Built the"
			}
			if noTUI {
				fmt.Fprintf(a.stdout, "%s demo project in %s\n", verb, dir)
				return nil
			}
			a.project = dir
			return a.workbench()
		},
	}
	cmd.Flags().BoolVar(&noTUI, "no-tui", false, "only build the project and print where it is")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "delete an existing demo project in DIR and build it again")
	return cmd
}

// ensureDemo builds the demo in dir unless a project is already there. It
// reports whether it built one.
func (a *app) ensureDemo(dir string, fresh bool) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, coding.DBFile)); err == nil {
		if !fresh {
			return false, nil
		}
		s, err := coding.Open(a.ctx, dir, coding.Options{})
		if err != nil {
			return false, err
		}
		isDemo, err := s.Setting(a.ctx, "demo", "")
		s.Close()
		if err != nil {
			return false, err
		}
		if isDemo != "true" {
			return false, fmt.Errorf("demo: %s is a project but not a demo; not deleting it", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("demo: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if err := demo.Build(a.ctx, dir); err != nil {
		return false, err
	}
	s, err := coding.Open(a.ctx, dir, coding.Options{Coder: a.coderName()})
	if err != nil {
		return false, err
	}
	defer s.Close()
	a.updateIndex(s)
	return true, nil
}
