package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
)

// quotesFlags are the options of 'qcode quotes'.
type quotesFlags struct {
	format, output, cite, title, speaker, onlyCoder string
	docs, attrs                                     []string
	noSub, group, standalone, bom, allVersions      bool
	context, maxWords                               int
	out                                             outFlags
}

func (a *app) quotesCmd() *cobra.Command {
	var f quotesFlags
	cmd := &cobra.Command{
		Use:   "quotes CODE...",
		Short: "Pull every passage coded with the codes, ready to quote in a paper",
		Long: `Quotes retrieves every passage coded with the given codes (and their
sub-codes), in document order. Each quote comes with the participant's
attribution, built from the document's attributes through the citation
template (--cite, default 'qcode config cite'), its document and line (and
timestamp, when the transcript has them), and a quote id such as
Q-7RS1HB1P. The id stays the same for the same passage of the same
interview, on any machine and after an export, so a sentence in a paper
can be traced back with 'qcode show Q-7RS1HB1P'.

Formats (--format):
  md      Markdown block quotes, each followed by its attribution; Pandoc
          turns it into Word, PDF or HTML
  latex   quote environments with special characters escaped; --standalone
          makes a whole document (pdfLaTeX, XeLaTeX or LuaLaTeX)
  docx    a Word document (needs -o FILE, or stdout not a terminal)
  csv     one row per coding for spreadsheets; --bom for Excel
  json    one object per coding, for scripts

With several codes the quotes are grouped under a heading per code, with
the code's description; --group=false gives one list in document order.
Codings of the same passage by several coders appear once in md, latex and
docx, and once per coding in csv and json.

Filters, as in 'qcode search': --doc, --speaker, --attr KEY=VALUE, and
--coder NAME for one coder's codings.

Only the latest version of each document is quoted: codings left on an
earlier version (see 'qcode doc orphans') are not, unless --all-versions
takes them in, or --doc NAME@VERSION names that version.`,
		Example: `  qcode quotes "Fear of repression"
  qcode quotes "Reasons for leaving" Donations --format docx -o quotes.docx
  qcode quotes Donations --format latex --max-words 40 -o donations.tex
  qcode quotes "Fear of repression" --attr wave=February --speaker Respondent
  qcode quotes Donations --cite '{gender}, {age}, {occupation}, {wave} wave' --json
  qcode quotes Donations --format csv --bom -o donations.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("json") {
				f.format = "json"
			}
			if f.output == "-" {
				f.output = ""
			}
			if err := a.checkQuotesFlags(cmd, &f); err != nil {
				return err
			}
			var err error
			if f.output, err = f.out.check(a, f.output); err != nil {
				return fmt.Errorf("quotes: %w", err)
			}
			return a.withStore(func(s *coding.Store) error {
				coder := f.onlyCoder
				if a.coder != "" {
					var err error
					if coder, err = a.coderFilter(s); err != nil {
						return fmt.Errorf("quotes: %w", err)
					}
				}
				qs, err := s.Quotes(a.ctx, args, coding.QuoteOptions{Coder: coder, Cite: f.cite, NoSubcodes: f.noSub,
					Context: f.context, Docs: f.docs, Speaker: f.speaker, Attrs: f.attrs, AllVersions: f.allVersions})
				if err != nil {
					return fmt.Errorf("quotes: %w", err)
				}
				opt, err := a.quotesOptions(s, cmd, args, f, qs)
				if err != nil {
					return err
				}
				if qs, opt, err = a.pseudonymiseQuotes(s, &f.out, qs, opt); err != nil {
					return fmt.Errorf("quotes: %w", err)
				}
				var buf bytes.Buffer
				if err := writeQuotes(&buf, f.format, qs, opt); err != nil {
					return fmt.Errorf("quotes: %w", err)
				}
				if err := f.out.write(a, f.output, buf.Bytes()); err != nil {
					return fmt.Errorf("quotes: %w", err)
				}
				if f.output == "" {
					return nil
				}
				fmt.Fprintf(a.stdout, "Wrote %s to %s.\n", plural(countIDs(qs), "quote", "quotes"), f.output)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "md", "md, latex, docx, csv or json")
	fl.Bool("json", false, "same as --format json")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output ('-': standard output; needed for docx on a terminal)")
	fl.StringVar(&f.cite, "cite", "", "attribution template, e.g. '{gender}, {age}, {occupation}' (default: the project's, see 'qcode config cite')")
	fl.IntVar(&f.context, "context", 0, "also give N sentences before and after each quote, from the same turn")
	fl.IntVar(&f.maxWords, "max-words", 0, "shorten each quote to its first N words, ending in … (0: whole quotes)")
	fl.BoolVar(&f.group, "group", false, "a heading per code with its description (default: on when the quotes have several codes; --group=false for one list)")
	fl.BoolVar(&f.noSub, "no-subcodes", false, "leave out codings of sub-codes")
	fl.StringArrayVar(&f.docs, "doc", nil, "only quotes from this document, its latest version (NAME@V: that version; repeatable: any of them)")
	fl.BoolVar(&f.allVersions, "all-versions", false, "also quote the codings on documents' earlier versions (with --doc NAME: all its versions)")
	fl.StringVar(&f.speaker, "speaker", "", "only quotes from this speaker's turns")
	fl.StringArrayVar(&f.attrs, "attr", nil, "only documents with attribute KEY=VALUE (repeatable: all of them)")
	fl.StringVar(&f.onlyCoder, "only-coder", "", "only this coder's codings (same as --coder)")
	fl.MarkHidden("only-coder")
	fl.StringVar(&f.title, "title", "", "title of a docx or standalone LaTeX document (default: Quotes: and the codes)")
	fl.BoolVar(&f.standalone, "standalone", false, "latex: a whole document with a preamble, ready to compile")
	fl.BoolVar(&f.bom, "bom", false, "csv: start with a byte-order mark, so Excel reads UTF-8")
	f.out.register(cmd)
	return cmd
}

// checkQuotesFlags refuses a bad combination before the project is read.
func (a *app) checkQuotesFlags(cmd *cobra.Command, f *quotesFlags) error {
	if !slices.Contains(quotefmt.Formats, f.format) {
		return fmt.Errorf("quotes: unknown format %q (%s)", f.format, strings.Join(quotefmt.Formats, ", "))
	}
	if f.maxWords < 0 {
		return fmt.Errorf("quotes: --max-words %d: want 0 (whole quotes) or more", f.maxWords)
	}
	if f.context < 0 {
		return fmt.Errorf("quotes: --context %d: want 0 or more sentences", f.context)
	}
	for _, kv := range f.attrs {
		if _, _, err := coding.ParseAttrFilter(kv); err != nil {
			return fmt.Errorf("quotes: --attr: %w", err)
		}
	}
	if f.standalone && f.format != "latex" {
		return fmt.Errorf("quotes: --standalone is for --format latex, not %s", f.format)
	}
	if f.bom && f.format != "csv" {
		return fmt.Errorf("quotes: --bom is for --format csv, not %s", f.format)
	}
	if f.format == "docx" && f.output == "" && isTerminal(a.stdout) {
		return errors.New("quotes: a .docx is not for a terminal: give -o FILE.docx, or redirect the output")
	}
	if err := a.checkOutput(f.output); err != nil {
		return fmt.Errorf("quotes: %w", err)
	}
	return nil
}

// quotesOptions builds the writers' options: sections in the order the
// codes were named, each code's sub-codes in codebook order after it.
func (a *app) quotesOptions(s *coding.Store, cmd *cobra.Command, args []string, f quotesFlags, qs []coding.Quote) (quotefmt.Options, error) {
	tree, err := s.CodeTree(a.ctx)
	if err != nil {
		return quotefmt.Options{}, err
	}
	opt := quotefmt.Options{MaxWords: f.maxWords, Standalone: f.standalone, BOM: f.bom, Title: f.title}
	seen := map[int64]bool{}
	var named []string
	for _, ref := range args {
		c, err := coding.FindCode(tree, ref)
		if err != nil {
			return opt, fmt.Errorf("quotes: %w", err)
		}
		named = append(named, c.Path)
		ids := []int64{c.ID}
		if !f.noSub {
			ids = coding.Subtree(tree, c)
		}
		for _, t := range tree {
			if slices.Contains(ids, t.ID) && !seen[t.ID] {
				seen[t.ID] = true
				opt.Codes = append(opt.Codes, t)
			}
		}
	}
	if opt.Title == "" {
		opt.Title = "Quotes: " + strings.Join(named, ", ")
	}
	opt.Group = f.group
	if !cmd.Flags().Changed("group") {
		codes := map[string]bool{}
		for _, q := range qs {
			codes[q.Code] = true
		}
		opt.Group = len(codes) > 1
	}
	return opt, nil
}

// writeQuotes writes quotes in a format of quotefmt.Formats.
func writeQuotes(w io.Writer, format string, qs []coding.Quote, opt quotefmt.Options) error {
	switch format {
	case "latex":
		return quotefmt.LaTeX(w, qs, opt)
	case "docx":
		return quotefmt.DOCX(w, qs, opt)
	case "csv":
		return quotefmt.CSV(w, qs, opt)
	case "json":
		return quotefmt.JSON(w, qs, opt)
	}
	return quotefmt.Markdown(w, qs, opt)
}

// countIDs counts the distinct quoted passages.
func countIDs(qs []coding.Quote) int {
	ids := map[string]bool{}
	for _, q := range qs {
		ids[q.ID] = true
	}
	return len(ids)
}
