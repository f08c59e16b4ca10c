package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/tui"
)

// app carries what every command needs: where to write, and the global
// flags.
type app struct {
	ctx     context.Context
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	project string
	coder   string
	// getenv is os.Getenv, replaceable in tests.
	getenv func(string) string
	// errPrinted marks an error already reported line by line, so run
	// returns it without printing it again.
	errPrinted bool
	// roNoted marks the note that the project is read-only as given.
	roNoted bool
}

// errSilent is returned when the command has already told the user what
// went wrong and only the exit code remains to set.
var errSilent = errors.New("")

// run executes qcode with args and returns the error to report, if any.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, os.Getenv, stdin, stdout, stderr)
}

// runEnv is run with the environment read through getenv, so that tests
// can set $QCODE_CODER for one run without touching the process's.
func runEnv(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	// What is meant for a person is escaped on the way out (see
	// termEscape): standard output when it is a terminal (what goes to a
	// file or a pipe is data, byte for byte), standard error always.
	if isTerminal(stdout) {
		stdout = &escWriter{w: stdout, keepSGR: true}
	}
	stderr = &escWriter{w: stderr, keepSGR: isTerminal(stderr)}
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if errors.Is(err, errSilent) {
		return silentExit{}
	}
	// A full disk is called so, whatever noticed it (writing an export,
	// an original, the index).
	return coding.NoSpace(err)
}

// silentExit is an error with nothing left to print.
type silentExit struct{}

func (silentExit) Error() string { return "failed" }

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "qcode",
		Short: "Qualitative coding of interview transcripts, in the terminal",
		Long: `qcode imports interview transcripts, lets you mark passages with codes
(themes), and pulls every quote on a theme with its speaker's attribution.

Everything stays in a private project folder (NAME.qcode) on this machine;
qcode never uses the network. Commands find the project by walking up from
the working directory, or take --project / QCODE_PROJECT.

Start with 'qcode demo' to try a ready-made project.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.workbench()
		},
	}
	root.PersistentFlags().StringVarP(&a.project, "project", "p", "", "project folder (default: found from the working directory, or $QCODE_PROJECT)")
	root.PersistentFlags().StringVar(&a.coder, "coder", "", "who is coding (default: $QCODE_CODER, else your login name); in listings, searches and analyses: only this coder's codings")
	root.AddCommand(
		a.initCmd(), a.importCmd(), a.docsCmd(), a.showCmd(), a.attrCmd(),
		a.importProjectCmd(),
		a.codesCmd(), a.codeCmd(), a.tagCmd(), a.untagCmd(), a.memoCmd(),
		a.undoCmd(), a.redoCmd(), a.historyCmd(), a.quotesCmd(), a.demoCmd(), a.configCmd(),
		a.searchCmd(), a.autocodeCmd(), a.reindexCmd(), a.exportCmd(), a.codersCmd(), a.mergeCmd(), a.agreeCmd(),
		a.importCodebookCmd(),
		a.statsCmd(), a.matrixCmd(), a.coocCmd(),
		a.speakersCmd(), a.turnsCmd(), a.docCmd(),
		a.pseudoCmd(),
		a.versionCmd(),
		a.reportCmd(),
		a.figureCmd(),
	)
	root.Version = buildVersion()
	root.SetVersionTemplate("qcode {{.Version}}\n")
	strictGroups(root)
	return root
}

// workbench opens the terminal workbench on the project.
func (a *app) workbench() error {
	dir, err := a.projectDir()
	if err != nil {
		return err
	}
	if !isTerminal(a.stdout) {
		fmt.Fprintf(a.stdout, "Project: %s\nThe workbench needs a terminal; without one, try 'qcode docs', 'qcode codes', 'qcode show DOC'.\n", dir)
		return nil
	}
	return a.withStore(func(s *coding.Store) error {
		return tui.Run(a.ctx, s, tui.Options{NoColor: a.getenv("NO_COLOR") != "", Pseudonyms: a.workbenchPseudonyms(s)})
	})
}

// coderName picks the coder: --coder, $QCODE_CODER, the login name.
func (a *app) coderName() string {
	if a.coder != "" {
		return a.coder
	}
	if c := a.getenv("QCODE_CODER"); c != "" {
		return c
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// projectDir finds the project: --project, $QCODE_PROJECT, or walking up.
func (a *app) projectDir() (string, error) {
	if a.project != "" {
		return a.project, nil
	}
	if p := a.getenv("QCODE_PROJECT"); p != "" {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return coding.Find(wd)
}

// open opens the project for a command.
func (a *app) open() (*coding.Store, error) {
	dir, err := a.projectDir()
	if err != nil {
		return nil, err
	}
	coder := a.coderName()
	if err := coding.CheckCoderName(coder); err != nil {
		return nil, fmt.Errorf("--coder or $QCODE_CODER: %w", err)
	}
	s, err := coding.Open(a.ctx, dir, coding.Options{Coder: coder})
	if err == nil && s.ReadOnly() && !a.roNoted {
		a.roNoted = true
		fmt.Fprintf(a.stderr, "note: %s is a read-only project: it can be read, searched and exported elsewhere, not changed.\n", dir)
	}
	return s, err
}

// withStore opens the project, runs fn and closes it.
func (a *app) withStore(fn func(s *coding.Store) error) error {
	s, err := a.open()
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// withStoreUpdating is withStore for commands that change what search
// sees: after fn succeeds it brings the search index up to date.
func (a *app) withStoreUpdating(fn func(s *coding.Store) error) error {
	return a.withStore(func(s *coding.Store) error {
		if err := fn(s); err != nil {
			return err
		}
		a.updateIndex(s)
		return nil
	})
}

// printJSON writes v as indented JSON.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := unwrap(w).(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// color reports whether to colour output to w: a terminal, and NO_COLOR
// unset.
func (a *app) color(w io.Writer) bool {
	return isTerminal(w) && a.getenv("NO_COLOR") == "" && a.getenv("TERM") != "dumb"
}

// paint wraps s in an SGR sequence when on is set.
func paint(on bool, sgr, s string) string {
	if !on || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// swatch is a coloured block for a #RRGGBB colour.
func swatch(on bool, hex string) string {
	if !on || len(hex) != 7 {
		return ""
	}
	var r, g, b int
	fmt.Sscanf(hex[1:], "%02x%02x%02x", &r, &g, &b)
	return fmt.Sprintf("\x1b[38;2;%d;%d;%dm■\x1b[0m ", r, g, b)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
