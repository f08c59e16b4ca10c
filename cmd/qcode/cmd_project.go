package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/refiqda"
)

func (a *app) exportProjectCmd() *cobra.Command {
	var out string
	var asJSON, allVersions bool
	var o outFlags
	cmd := &cobra.Command{
		Use:   "project -o FILE.qdpx",
		Short: "Write the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
		Long: `Export project writes the whole project in the REFI-QDA exchange format
(.qdpx), which NVivo, ATLAS.ti, MAXQDA, QualCoder and others import.

The file holds every document's text (as UTF-8 .txt), the codebook with
its colours and descriptions, every coding with its coder and time, the
memos, and the attributes: the 'participant' attribute makes one case per
participant, holding that participant's documents and the values they
share; other values stay on their documents. Coders who coded or wrote
memos become the file's users. Only the latest version of each document
goes into the file, with its codings; --all-versions adds the earlier
versions, with what is left on them, as "NAME (version N)".

The same project always gives a byte-identical file, so an export can be
kept in git next to the paper.`,
		Example: `  qcode export project -o study.qdpx
  qcode export project -o study.qdpx --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("export project: say where to write it: -o FILE.qdpx")
			}
			if err := a.checkOutput(out); err != nil {
				return fmt.Errorf("export project: %w", err)
			}
			if out == "-" && isTerminal(a.stdout) {
				return fmt.Errorf("export project: a .qdpx is not for a terminal: give -o FILE.qdpx, or redirect the output")
			}
			var err error
			if out, err = o.check(a, out); err != nil {
				return fmt.Errorf("export project: %w", err)
			}
			return a.withStore(func(s *coding.Store) error {
				snap, err := s.Snapshot(a.ctx)
				if err != nil {
					return err
				}
				if !allVersions {
					snap = snap.Current()
				}
				p, err := o.pseudonymiser(a, s)
				if err != nil {
					return fmt.Errorf("export project: %w", err)
				}
				snap = p.snapshot(snap)
				var buf bytes.Buffer
				if err := refiqda.WriteProject(&buf, snap, refiqda.ProjectOptions{}); err != nil {
					return fmt.Errorf("export project: %w", err)
				}
				report := a.stdout
				if out == "-" {
					report = a.stderr
				}
				if err := o.write(a, out, buf.Bytes()); err != nil {
					return fmt.Errorf("export project: %w", err)
				}
				sum := exportSummary{File: out, Bytes: buf.Len(), Documents: len(snap.Documents),
					Codes: len(snap.Codes), Codings: len(snap.Codings), Memos: len(snap.Memos)}
				keys, cases := map[string]bool{}, map[string]bool{}
				for _, d := range snap.Documents {
					for _, at := range d.Attributes {
						keys[at.Key] = true
						if at.Key == refiqda.ParticipantKey && strings.TrimSpace(at.Value) != "" {
							cases[at.Value] = true
						}
					}
				}
				sum.Variables, sum.Cases = len(keys), len(cases)
				if asJSON {
					enc := json.NewEncoder(report)
					enc.SetIndent("", "  ")
					return enc.Encode(sum)
				}
				fmt.Fprintf(report, "Wrote %s: %s, %s, %s, %s, %s, %s.\n", out,
					plural(sum.Documents, "document", "documents"), plural(sum.Codes, "code", "codes"),
					plural(sum.Codings, "coding", "codings"), plural(sum.Cases, "case", "cases"),
					plural(sum.Variables, "variable", "variables"), plural(sum.Memos, "memo", "memos"))
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the .qdpx file to write ('-': standard output, the summary then goes to standard error)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	cmd.Flags().BoolVar(&allVersions, "all-versions", false, "also export documents' earlier versions, as \"NAME (version N)\"")
	o.register(cmd)
	return cmd
}

// exportSummary is what 'export project --json' prints.
type exportSummary struct {
	File      string `json:"file"`
	Bytes     int    `json:"bytes"`
	Documents int    `json:"documents"`
	Codes     int    `json:"codes"`
	Codings   int    `json:"codings"`
	Cases     int    `json:"cases"`
	Variables int    `json:"variables"`
	Memos     int    `json:"memos"`
}

func (a *app) importProjectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import-project FILE.qdpx DIR",
		Short: "Create a project from another QDA program's REFI-QDA export (.qdpx)",
		Long: `Import-project creates a new project folder DIR from a REFI-QDA project
(.qdpx) exported by NVivo, ATLAS.ti, MAXQDA, QualCoder, qcode or another
program. DIR must not exist or be empty; the project keeps the name the file
gives it (else it is named after DIR).

What comes over: every text source (its text stored as qcode stores
transcripts: UTF-8, LF line endings, NFC), the codes with their hierarchy,
colours and descriptions, every coding with its coder, the users as
coders, cases and variables as document attributes (a case's name becomes
the 'participant' attribute), and notes as memos.

What does not: PDFs, pictures, audio and video are skipped and listed.
NVivo counts positions in UTF-16 code units and ATLAS.ti counts a line
break once; qcode converts both. Where a selection carries its text, every
span is checked against it: a span that does not hold its text is listed
and not imported, never imported wrong. qcode reads only files inside the
archive.

The import is all or nothing: the project is built next to DIR and moved
into place only when it is complete.`,
		Example: `  qcode import-project nvivo-export.qdpx study.qcode
  qcode import-project team.qdpx study.qcode --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, dir := args[0], args[1]
			res, err := refiqda.ImportProject(a.ctx, file, dir, coding.Options{Coder: a.coderName()})
			if err != nil {
				return err
			}
			if s, err := coding.Open(a.ctx, dir, coding.Options{Coder: a.coderName()}); err == nil {
				a.updateIndex(s)
				s.Close()
			}
			if asJSON {
				return a.printJSON(projectImportJSON(res))
			}
			a.printImport(file, res)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// importSummary is what 'import-project --json' prints.
type importSummary struct {
	Dir        string                 `json:"dir"`
	Origin     string                 `json:"origin"`
	Documents  int                    `json:"documents"`
	Skipped    []refiqda.KindCount    `json:"skipped_by_kind"`
	Codes      int                    `json:"codes"`
	Codings    int                    `json:"codings"`
	Coders     int                    `json:"coders"`
	Attributes int                    `json:"attributes"`
	Memos      int                    `json:"memos"`
	Report     refiqda.Report         `json:"report"`
	Conflicts  []coding.MergeConflict `json:"conflicts"`
}

func projectImportJSON(res refiqda.ImportResult) importSummary {
	r := res.Report
	if r.Skipped == nil {
		r.Skipped = []refiqda.Skipped{}
	}
	if r.Mismatches == nil {
		r.Mismatches = []refiqda.Mismatch{}
	}
	if r.Converted == nil {
		r.Converted = []refiqda.Converted{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	skipped := r.SkippedByKind()
	if skipped == nil {
		skipped = []refiqda.KindCount{}
	}
	m := res.Merge
	conflicts := m.Conflicts
	if conflicts == nil {
		conflicts = []coding.MergeConflict{}
	}
	return importSummary{Dir: res.Dir, Origin: r.Origin, Documents: m.Documents + m.Versions, Skipped: skipped,
		Codes: m.Codes, Codings: m.Codings, Coders: m.Coders, Attributes: m.Attributes, Memos: m.Memos,
		Report: r, Conflicts: conflicts}
}

// printImport tells what import-project did, then what it could not do.
func (a *app) printImport(file string, res refiqda.ImportResult) {
	r, m := res.Report, res.Merge
	w := a.stdout
	origin := ""
	if r.Origin != "" {
		origin = " (" + r.Origin + ")"
	}
	fmt.Fprintf(w, "Created project %s from %s%s.\n", res.Dir, file, origin)
	skipped := "none"
	if k := r.SkippedByKind(); len(k) > 0 {
		var parts []string
		for _, c := range k {
			parts = append(parts, fmt.Sprintf("%d %s", c.Count, c.Kind))
		}
		skipped = strings.Join(parts, ", ")
	}
	rows := [][2]string{
		{"documents", fmt.Sprint(m.Documents + m.Versions)},
		{"skipped sources", skipped},
		{"codes", fmt.Sprint(m.Codes)},
		{"codings", fmt.Sprint(m.Codings)},
		{"coders", fmt.Sprint(m.Coders)},
		{"attributes", fmt.Sprint(m.Attributes)},
		{"memos", fmt.Sprint(m.Memos)},
		{"mismatched spans", fmt.Sprint(len(r.Mismatches))},
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %-17s %s\n", row[0], row[1])
	}
	printReport(w, r)
	var notes []string
	for _, c := range m.Conflicts {
		notes = append(notes, c.String())
	}
	if m.MatchedDocuments > 0 {
		notes = append(notes, fmt.Sprintf("%s had the text of another source and joined it", plural(m.MatchedDocuments, "source", "sources")))
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "Conflicts:")
		for _, n := range notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	fmt.Fprintf(w, "Next: qcode -p %s docs\n", res.Dir)
}

// printReport tells what reading a .qdpx could not carry over: positions
// converted, sources skipped, spans that do not hold their text, and the
// other warnings.
func printReport(w io.Writer, r refiqda.Report) {
	for _, c := range r.Converted {
		fmt.Fprintf(w, "Positions in %s were counted in %s; converted.\n", c.Source, c.Reading)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintln(w, "Skipped sources:")
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "  %-8s %s: %s\n", s.Kind, s.Name, s.Reason)
		}
	}
	if len(r.Mismatches) > 0 {
		fmt.Fprintln(w, "Spans that do not hold the text their selection names (not imported):")
		for _, x := range r.Mismatches {
			held := "lies outside the text"
			if x.Text != "" {
				held = fmt.Sprintf("holds %q", oneLine(x.Text, 60))
			}
			fmt.Fprintf(w, "  %s %d:%d, %s: names %q, %s\n", x.Source, x.Start, x.End,
				plural(x.Codings, "coding", "codings"), oneLine(x.Name, 60), held)
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "Notes:")
		for _, n := range r.Warnings {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}
