package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
	"github.com/qcode-dev/qcode/coding/refiqda"
)

// exampleWords caps the length of an example quote in a codebook.
const exampleWords = 40

func (a *app) exportCodebookCmd() *cobra.Command {
	var format, out string
	var examples int
	var allVersions bool
	var o outFlags
	cmd := &cobra.Command{
		Use:   "codebook",
		Short: "Write the codebook: for another QDA program (.qdc), or a paper's appendix",
		Long: `Export codebook writes the codebook in one of four formats:

  qdc   REFI-QDA codebook, which NVivo, ATLAS.ti, MAXQDA and QualCoder
        import: the tree of codes with colours, descriptions and GUIDs
        (the same GUIDs on every export, so the other program recognises
        codes it has seen).
  md    the appendix a paper needs: each code with its description, how
        many codings, documents and participants it has, and up to N
        example quotes with their attribution and quote id (--examples N; the
        attribution follows the project's template, 'qcode config cite').
  csv   one row per code: path, GUID, colour, description, counts.
  json  the same as csv, with the example quotes.
  taguette
        the CSV Taguette's "Import codebook" reads: the columns tag and
        description, a row per code, its path as the tag's name.
        (Taguette reads a codebook only from CSV; the one it writes as
        .qdc imports here with 'qcode import-codebook'.)

Participants are told apart by the 'participant' attribute of the
documents; a document without one counts as a participant of its own.
With --coder NAME the counts and examples are of NAME's codings only.
The counts and examples are of each document's latest version; codings
left on an earlier version count too with --all-versions.
The format defaults to the extension of -o, else md. The same project
always gives the same bytes.`,
		Example: `  qcode export codebook -o codebook.qdc
  qcode export codebook --format md --examples 3 -o appendix.md
  qcode export codebook --format csv > codes.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" {
				format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
				if format != "qdc" && format != "csv" && format != "json" {
					format = "md"
				}
			}
			switch format {
			case "qdc", "md", "csv", "json", "taguette":
			default:
				return fmt.Errorf("export codebook: unknown format %q (qdc, md, csv, json, taguette)", format)
			}
			if examples < 0 {
				return fmt.Errorf("export codebook: --examples %d: want 0 or more", examples)
			}
			if err := a.checkOutput(out); err != nil {
				return fmt.Errorf("export codebook: %w", err)
			}
			var err error
			if out, err = o.check(a, out); err != nil {
				return fmt.Errorf("export codebook: %w", err)
			}
			return a.withStore(func(s *coding.Store) error {
				p, err := o.pseudonymiser(a, s)
				if err != nil {
					return fmt.Errorf("export codebook: %w", err)
				}
				var buf bytes.Buffer
				if err := a.writeCodebook(&buf, s, format, examples, allVersions, p); err != nil {
					return err
				}
				if err := o.write(a, out, buf.Bytes()); err != nil {
					return fmt.Errorf("export codebook: %w", err)
				}
				if out == "" || out == "-" {
					return nil
				}
				fmt.Fprintf(a.stderr, "Wrote %s (%s).\n", out, format)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "qdc, md, csv, json or taguette (default: from -o's extension, else md)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	cmd.Flags().IntVar(&examples, "examples", 2, "example quotes per code in md and json")
	cmd.Flags().BoolVar(&allVersions, "all-versions", false, allVersionsUsage)
	o.register(cmd)
	return cmd
}

// writeCodebook writes the project's codebook in format; the counts and
// examples are of the documents' latest versions, or of every version
// with allVersions; p, when not nil, pseudonymises it.
func (a *app) writeCodebook(w io.Writer, s *coding.Store, format string, examples int, allVersions bool, p *pseudonymiser) error {
	if format == "qdc" {
		codes, err := s.CodeTree(a.ctx)
		if err != nil {
			return err
		}
		if len(codes) == 0 {
			return errors.New("export codebook: the codebook is empty; a .qdc needs at least one code (add one with 'qcode code add')")
		}
		return refiqda.WriteCodebook(w, snapshotCodes(p.codes(codes)), "qcode")
	}
	coder, err := a.coderFilter(s)
	if err != nil {
		return err
	}
	stats, err := a.codebookStats(s, coder, allVersions)
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		return codebookCSV(w, p.stats(stats))
	case "taguette":
		return codebookTaguette(w, p.stats(stats))
	}
	ex := map[int64][]codebookExample{}
	if examples > 0 {
		for _, c := range stats {
			if c.Codings == 0 {
				continue
			}
			if ex[c.ID], err = a.codeExamples(s, c.Code, examples, coder, allVersions, p); err != nil {
				return err
			}
		}
	}
	if format == "json" {
		return codebookJSON(w, p.stats(stats), ex)
	}
	name, err := s.ProjectName(a.ctx)
	if err != nil {
		return err
	}
	codebookMarkdown(w, p.anywhere(name), p.stats(stats), ex)
	return nil
}

// codebookStat is a code with its own counts.
type codebookStat struct {
	coding.Code
	Participants int
}

// codebookStats is the codebook in tree order with each code's own
// codings, documents and participants (as 'qcode stats' counts them),
// of one coder's codings when coder is set, on the latest versions of the
// documents unless allVersions.
func (a *app) codebookStats(s *coding.Store, coder string, allVersions bool) ([]codebookStat, error) {
	codes, err := s.CodeTree(a.ctx)
	if err != nil {
		return nil, err
	}
	stats, err := s.Stats(a.ctx, coding.StatsOptions{Coder: coder, AllVersions: allVersions})
	if err != nil {
		return nil, err
	}
	own := make(map[int64]coding.Counts, len(stats))
	for _, st := range stats {
		own[st.CodeID] = st.Own
	}
	out := make([]codebookStat, len(codes))
	for i, c := range codes {
		n := own[c.ID]
		c.Codings, c.Documents = n.Codings, n.Documents
		out[i] = codebookStat{Code: c, Participants: n.Participants}
	}
	return out, nil
}

// snapshotCodes gives each code its parent's GUID.
func snapshotCodes(codes []coding.Code) []coding.SnapshotCode {
	guid := make(map[int64]string, len(codes))
	for _, c := range codes {
		guid[c.ID] = c.GUID
	}
	out := make([]coding.SnapshotCode, len(codes))
	for i, c := range codes {
		out[i] = coding.SnapshotCode{GUID: c.GUID, ParentGUID: guid[c.ParentID], Name: c.Name, Color: c.Color,
			Description: c.Description, CreatedAt: c.CreatedAt}
	}
	return out
}

// codebookExample is an example quote of a code.
type codebookExample struct {
	// ID is the quote id, which 'qcode show' finds.
	ID          string `json:"id"`
	Text        string `json:"text"`
	Attribution string `json:"attribution"`
	Document    string `json:"document"`
	Line        int    `json:"line"`
}

// codeExamples picks up to n of the code's own quotes (of one coder's
// codings when coder is set), as coding.Store.Examples chooses them.
func (a *app) codeExamples(s *coding.Store, c coding.Code, n int, coder string, allVersions bool, p *pseudonymiser) ([]codebookExample, error) {
	picked, err := s.Examples(a.ctx, c, n, coding.ExampleOptions{Coder: coder, AllVersions: allVersions})
	if err != nil {
		return nil, err
	}
	if picked, err = p.quotes(a, s, picked); err != nil {
		return nil, err
	}
	out := make([]codebookExample, len(picked))
	for i, q := range picked {
		doc := q.Document
		if !q.Latest {
			doc = fmt.Sprintf("%s@%d", q.Document, q.Version)
		}
		out[i] = codebookExample{ID: q.ID, Text: shorten(q.Text, exampleWords), Attribution: q.Attribution, Document: doc, Line: q.Line}
	}
	return out, nil
}

// shorten puts text on one line and cuts it after max words with an
// ellipsis.
func shorten(text string, max int) string {
	words := strings.Fields(text)
	if len(words) <= max {
		return strings.Join(words, " ")
	}
	return strings.TrimRight(strings.Join(words[:max], " "), ",;:—–-") + " …"
}

func codebookMarkdown(w io.Writer, project string, stats []codebookStat, ex map[int64][]codebookExample) {
	// Every text of the project goes through the quotes' escaper, so a
	// code, a description or an example reads the same here as in
	// 'qcode quotes'.
	esc := quotefmt.MarkdownEscape
	fmt.Fprintf(w, "# Codebook: %s\n", esc(project))
	for _, c := range stats {
		level := min(c.Depth+2, 6)
		fmt.Fprintf(w, "\n%s %s\n\n", strings.Repeat("#", level), esc(c.Name))
		if c.Depth > 0 {
			fmt.Fprintf(w, "*%s*\n\n", esc(c.Path))
		}
		if d := strings.TrimSpace(c.Description); d != "" {
			lines := strings.Split(d, "\n")
			for i, l := range lines {
				lines[i] = esc(strings.TrimSpace(l))
			}
			fmt.Fprintf(w, "%s\n\n", strings.Join(lines, "\n"))
		}
		fmt.Fprintf(w, "Codings: %d · documents: %d · participants: %d\n", c.Codings, c.Documents, c.Participants)
		for _, e := range ex[c.ID] {
			fmt.Fprintf(w, "\n> %s\n>\n> — %s\n", esc(e.Text), esc(e.cite()))
		}
	}
}

// cite is an example's attribution and where it is.
func (e codebookExample) cite() string {
	where := fmt.Sprintf("%s, line %d; %s", e.Document, e.Line, e.ID)
	if e.Attribution == "" {
		return where
	}
	return e.Attribution + " (" + where + ")"
}

// codebookTaguette writes the codebook as the CSV Taguette imports as a
// codebook: a header naming exactly one column of tag names ("tag") and
// the optional "description"; Taguette refuses a file with more than one
// of tag, name and path, which is why the plain csv does not do.
func codebookTaguette(w io.Writer, stats []codebookStat) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"tag", "description"})
	for _, c := range stats {
		cw.Write([]string{c.Path, c.Description})
	}
	cw.Flush()
	return cw.Error()
}

func codebookCSV(w io.Writer, stats []codebookStat) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"path", "name", "guid", "color", "description", "codings", "documents", "participants"})
	for _, c := range stats {
		cw.Write([]string{c.Path, c.Name, c.GUID, c.Color, c.Description,
			strconv.Itoa(c.Codings), strconv.Itoa(c.Documents), strconv.Itoa(c.Participants)})
	}
	cw.Flush()
	return cw.Error()
}

// codebookCode is a code in the JSON codebook.
type codebookCode struct {
	Path         string            `json:"path"`
	Name         string            `json:"name"`
	GUID         string            `json:"guid"`
	ParentGUID   string            `json:"parent_guid"`
	Color        string            `json:"color"`
	Description  string            `json:"description"`
	Codings      int               `json:"codings"`
	Documents    int               `json:"documents"`
	Participants int               `json:"participants"`
	Examples     []codebookExample `json:"examples"`
}

func codebookJSON(w io.Writer, stats []codebookStat, ex map[int64][]codebookExample) error {
	guid := map[int64]string{}
	for _, c := range stats {
		guid[c.ID] = c.GUID
	}
	codes := make([]codebookCode, len(stats))
	for i, c := range stats {
		e := ex[c.ID]
		if e == nil {
			e = []codebookExample{}
		}
		codes[i] = codebookCode{Path: c.Path, Name: c.Name, GUID: c.GUID, ParentGUID: guid[c.ParentID], Color: c.Color,
			Description: c.Description, Codings: c.Codings, Documents: c.Documents, Participants: c.Participants, Examples: e}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"codes": codes})
}

func (a *app) importCodebookCmd() *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "import-codebook FILE.qdc",
		Short: "Merge a codebook from another QDA program (REFI-QDA .qdc) into the project",
		Long: `Import-codebook merges a REFI-QDA codebook (.qdc, from NVivo, ATLAS.ti,
MAXQDA, QualCoder, Taguette or qcode) into the project. It also reads the
codebook of a project.qde.

Each code in the file is matched to a code here by its GUID, else by its
path (names compared without regard to case). Codes not found are added,
with their GUIDs, colours and descriptions. Nothing here is deleted,
renamed or moved: an empty colour or description here is filled from the
file, and any other difference (a code renamed, moved, described or
coloured otherwise there) is listed as a conflict and left as it is here.

What other programs write against the standard (an empty <Sets/>, GUIDs
in braces, rgb() colours, another namespace version) is read with a
warning for each. A file qcode cannot read changes nothing.
'qcode undo' takes an import back.`,
		Example: `  qcode import-codebook team-codebook.qdc --dry-run
  qcode import-codebook team-codebook.qdc`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			f, _, err := coding.OpenRegular(path, 0, "a codebook file (.qdc)")
			if err != nil {
				return fmt.Errorf("import codebook: %w", err)
			}
			codes, warns, err := refiqda.ReadCodebook(f, path)
			f.Close()
			if err != nil {
				return fmt.Errorf("import codebook: %w", err)
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				var ch coding.CodebookChanges
				if dryRun {
					ch, err = s.PreviewCodebook(a.ctx, codes)
				} else {
					ch, _, err = s.MergeCodebook(a.ctx, codes)
				}
				if err != nil {
					return fmt.Errorf("import codebook %s: %w", path, err)
				}
				if asJSON {
					if warns == nil {
						warns = []refiqda.Warning{}
					}
					return a.printJSON(map[string]any{"file": path, "dry_run": dryRun, "changes": ch, "warnings": warns})
				}
				a.printCodebookChanges(path, dryRun, ch, warns)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "only say what would change")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the changes and warnings as JSON")
	return cmd
}

// listCap is how many names of one kind the import summary lists.
const listCap = 20

func (a *app) printCodebookChanges(path string, dryRun bool, ch coding.CodebookChanges, warns []refiqda.Warning) {
	w := a.stdout
	if dryRun {
		fmt.Fprintf(w, "Dry run: importing %s would change the codebook so:\n", path)
	} else {
		fmt.Fprintf(w, "Imported codebook %s ('qcode undo' takes it back):\n", path)
	}
	fmt.Fprintf(w, "  %s\n", ch.Summary())
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "%s:\n", title)
		for i, s := range items {
			if i == listCap {
				fmt.Fprintf(w, "  … and %d more (--json lists them all)\n", len(items)-listCap)
				break
			}
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	list("Added", ch.Added)
	var filled []string
	for _, f := range ch.Filled {
		filled = append(filled, fmt.Sprintf("%s: %s %s", f.Path, f.Field, strconv.Quote(oneLine(f.Value, 60))))
	}
	list("Filled", filled)
	var conflicts []string
	for _, c := range ch.Conflicts {
		var s string
		switch c.Field {
		case "name":
			s = fmt.Sprintf("%s: called %q there", c.Path, c.Theirs)
		case "parent":
			there := c.Theirs
			if there == "" {
				there = "the top level"
			}
			s = fmt.Sprintf("%s: under %s there", c.Path, there)
		case "guid":
			s = fmt.Sprintf("%s: matched by two codes there (GUIDs %s and %s)", c.Path, c.Ours, c.Theirs)
		default:
			s = fmt.Sprintf("%s: %s %q here, %q there", c.Path, c.Field, oneLine(c.Ours, 40), oneLine(c.Theirs, 40))
		}
		conflicts = append(conflicts, s)
	}
	list("Conflicts (kept as they are here)", conflicts)
	if len(warns) == 0 {
		return
	}
	fmt.Fprintf(w, "Warnings (%d):\n", len(warns))
	perKind := map[string]int{}
	for _, wn := range warns {
		perKind[wn.Kind]++
		if perKind[wn.Kind] <= 5 {
			fmt.Fprintf(w, "  %s\n", wn)
		}
	}
	var kinds []string
	for _, wn := range warns {
		if n := perKind[wn.Kind]; n > 5 {
			word := "warnings"
			if n-5 == 1 {
				word = "warning"
			}
			kinds = append(kinds, fmt.Sprintf("%d more %q %s", n-5, wn.Kind, word))
			perKind[wn.Kind] = 0
		}
	}
	if len(kinds) > 0 {
		fmt.Fprintf(w, "  … and %s (--json lists them all)\n", strings.Join(kinds, ", "))
	}
}
