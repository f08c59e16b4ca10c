package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/report"
)

// defaultReport is where 'qcode report' writes without -o.
const defaultReport = "report.html"

func (a *app) reportCmd() *cobra.Command {
	var out string
	var examples, maxWords int
	var by []string
	var open, figs bool
	var o outFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the project as one HTML file to share: codebook, tables, figures, quotes, agreement",
		Long: `Report writes one self-contained HTML file a co-author opens in any
browser, on a computer or a phone, and that prints well:

  - the project in numbers: documents, participants, coders, words;
  - the documents, the participants with their attributes, the coders;
  - the codebook, each code with its description and counts;
  - the figures, drawn into the file with their font (--figures=false
    leaves them out, for a file of tens rather than thousands of KB);
  - the tables: code frequencies, codes × documents, codes × each
    attribute that groups the participants (--by KEY chooses them),
    co-occurrence;
  - for each code, example quotes with their attribution and quote id
    (--examples N, chosen as 'qcode export codebook' chooses them);
  - the coders' agreement, when there are several.

The file needs nothing else: no network, no script, no other file. It
holds interview data: it is written readable by you only (0600); share
it as carefully as the project. An existing file of that name is
replaced. The same project gives the same bytes, so a report can be
kept in git; its date is the project's latest change.

With --coder NAME the counts, tables and quotes are of NAME's codings
only (and there is no agreement). --open opens the file in the browser
when this machine has a program for it (xdg-open, open).

--pseudonymise replaces every real value of the pseudonym key (see
'qcode pseudo') everywhere in the report: quotes, names, attributes,
codes, memos, tables and figures; quote ids stay those of the real
passages. --encrypt-to encrypts the file to an age public key.`,
		Example: `  qcode report
  qcode report -o study-report.html --examples 3 --open
  qcode report --by wave --by gender
  qcode --coder nino report -o nino.html
  qcode report --pseudonymise -o for-coauthor.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if examples < 0 {
				return fmt.Errorf("report: --examples %d: want 0 or more", examples)
			}
			if maxWords < 0 {
				return fmt.Errorf("report: --max-words %d: want 0 (whole quotes) or more", maxWords)
			}
			if out == "" {
				out = defaultReport
			}
			if out == "-" && open {
				return fmt.Errorf("report: --open needs a file, not standard output")
			}
			if err := a.checkOutput(out); err != nil {
				return fmt.Errorf("report: %w", err)
			}
			var err error
			if out, err = o.check(a, out); err != nil {
				return fmt.Errorf("report: %w", err)
			}
			if open && o.encrypting() {
				return fmt.Errorf("report: --open cannot open an encrypted file; leave out one of --open and --encrypt-to")
			}
			return a.withStore(func(s *coding.Store) error {
				coder, err := a.coderFilter(s)
				if err != nil {
					return fmt.Errorf("report: %w", err)
				}
				p, err := o.pseudonymiser(a, s)
				if err != nil {
					return fmt.Errorf("report: %w", err)
				}
				opt := report.Options{Coder: coder, Examples: examples, MaxWords: maxWords}
				if figs {
					opt.Figures = report.Drawn{}
				}
				if p != nil {
					opt.Pseudonyms = reportPseudonyms{a: a, s: s, p: p}
				}
				if cmd.Flags().Changed("by") {
					opt.By = []string{}
					for _, k := range by {
						if k = strings.TrimSpace(k); k != "" {
							opt.By = append(opt.By, k)
						}
					}
				}
				r, err := report.Build(a.ctx, s, opt)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := report.Write(&buf, r); err != nil {
					return err
				}
				if err := o.write(a, out, buf.Bytes()); err != nil {
					return fmt.Errorf("report: %w", err)
				}
				if out == "-" {
					return nil
				}
				fmt.Fprintf(a.stderr, "Wrote %s: %s, %s, %s.\n", out, plural(r.Summary.Documents, "document", "documents"),
					plural(r.Summary.Codes, "code", "codes"), plural(r.Summary.Codings, "coding", "codings"))
				return a.openReport(out, open)
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", defaultReport, "write to FILE ('-': standard output)")
	cmd.Flags().IntVar(&examples, "examples", 3, "example quotes per code (0: none)")
	cmd.Flags().IntVar(&maxWords, "max-words", 80, "shorten each example to its first N words, ending in … (0: whole quotes)")
	cmd.Flags().StringArrayVar(&by, "by", nil, "a codes × attribute table for attribute KEY (repeatable; default: each attribute that groups the participants)")
	cmd.Flags().BoolVar(&figs, "figures", true, "draw the figures (--figures=false: a smaller file, tables only)")
	cmd.Flags().BoolVar(&open, "open", false, "open the report in the browser when done")
	o.register(cmd)
	return cmd
}

// openReport opens the written report with the system's opener when
// asked and there is one, and otherwise says how to open it.
func (a *app) openReport(path string, open bool) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if !open {
		return nil
	}
	opener := findOpener(a.getenv("PATH"))
	if opener == "" {
		fmt.Fprintf(a.stderr, "No program to open it with here (xdg-open or open); open %s in a browser.\n", abs)
		return nil
	}
	c := exec.CommandContext(a.ctx, opener, abs)
	c.Stdout, c.Stderr = a.stderr, a.stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("report: %s %s: %w (the report is written; open it in a browser)", filepath.Base(opener), abs, err)
	}
	return nil
}

// findOpener looks in the folders of path for the program that opens a
// file with its usual application: open on macOS, xdg-open elsewhere.
func findOpener(path string) string {
	names := []string{"xdg-open"}
	if runtime.GOOS == "darwin" {
		names = []string{"open"}
	}
	for _, name := range names {
		for _, dir := range filepath.SplitList(path) {
			if dir == "" {
				continue
			}
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
				return p
			}
		}
	}
	return ""
}

// reportPseudonyms gives the report the pseudonymiser of --pseudonymise.
type reportPseudonyms struct {
	a *app
	s *coding.Store
	p *pseudonymiser
}

func (r reportPseudonyms) Quotes(ctx context.Context, qs []coding.Quote) ([]coding.Quote, error) {
	return r.p.quotes(r.a, r.s, qs)
}

func (r reportPseudonyms) Text(s string) string { return r.p.anywhere(s) }
