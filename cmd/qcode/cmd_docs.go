package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

func (a *app) docsCmd() *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "List the documents with their participant attributes",
		Long: `Docs lists the documents with their size, turns, speakers (in the order
they first speak), codings and participant attributes. With --coder NAME
the codings counted are that coder's only.

The ID column is each document's short id (#12): type it wherever a
command takes a document. It is the quickest way to name one, and it
stays the same when the document is renamed (each version has its own;
the list shows the latest version's). A unique part of the name works
too: 'qcode show lunney'.

` + coding.DocRefRules,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				docs, err := s.Documents(a.ctx, all)
				if err != nil {
					return err
				}
				coder, err := a.coderFilter(s)
				if err != nil {
					return err
				}
				if coder != "" {
					if err := countCoderCodings(a, s, coder, docs); err != nil {
						return err
					}
				}
				if asJSON {
					if docs == nil {
						docs = []coding.Document{}
					}
					return a.printJSON(map[string]any{"documents": docs})
				}
				if len(docs) == 0 {
					fmt.Fprintln(a.stdout, "No documents yet: add some with 'qcode import FILES...'.")
					return nil
				}
				cite, err := s.Setting(a.ctx, "cite", coding.DefaultCite)
				if err != nil {
					return err
				}
				speakers, err := docSpeakers(a, s)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tVER\tLANG\tWORDS\tTURNS\tSPEAKERS\tCODINGS\tPARTICIPANT\tOTHER ATTRIBUTES")
				for _, d := range docs {
					ver := fmt.Sprint(d.Version)
					if !d.Latest {
						ver += " (old)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%d\t%s\t%s\n", coding.DocShortID(d.ID), d.Name, ver, d.Lang, d.Words, d.Turns,
						orDash(oneLine(speakers[d.ID], 40)), d.Codings,
						coding.Cite(cite, d.Attributes), oneLine(otherAttrs(cite, d.Attributes), 60))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include earlier versions of re-imported documents")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

// docSpeakers names the speakers of each current document, in the
// order they first speak, as "Interviewer, Anna"; "-" for none.
func docSpeakers(a *app, s *coding.Store) (map[int64]string, error) {
	sp, err := s.Speakers(a.ctx, "")
	if err != nil {
		return nil, err
	}
	names := map[int64][]string{}
	for _, p := range sp {
		if p.Turns > 0 {
			names[p.DocID] = append(names[p.DocID], p.Name)
		}
	}
	out := map[int64]string{}
	for id, n := range names {
		out[id] = strings.Join(n, ", ")
	}
	return out, nil
}

// orDash is s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// countCoderCodings replaces each document's coding count with the
// count of one coder's codings.
func countCoderCodings(a *app, s *coding.Store, coder string, docs []coding.Document) error {
	codings, err := s.Codings(a.ctx, coding.CodingFilter{Coder: coder})
	if err != nil {
		return err
	}
	n := map[int64]int{}
	for _, c := range codings {
		n[c.DocID]++
	}
	for i := range docs {
		docs[i].Codings = n[docs[i].ID]
	}
	return nil
}

// otherAttrs lists the attributes the citation template does not use.
func otherAttrs(cite string, attrs []coding.Attribute) string {
	var parts []string
	for _, at := range attrs {
		if strings.Contains(strings.ToLower(cite), "{"+strings.ToLower(at.Key)+"}") {
			continue
		}
		parts = append(parts, at.Key+"="+at.Value)
	}
	return strings.Join(parts, " ")
}

// showJSON is the stable shape of 'qcode show --json'.
type showJSON struct {
	Document coding.Document `json:"document"`
	Text     string          `json:"text"`
	Turns    []turnJSON      `json:"turns"`
	Codings  []coding.Coding `json:"codings"`
	Memos    []coding.Memo   `json:"memos"`
}

type turnJSON struct {
	N       int    `json:"n"`
	Speaker string `json:"speaker"`
	Start   int    `json:"start"`
	Body    int    `json:"body"`
	End     int    `json:"end"`
	Time    string `json:"time,omitempty"`
	TimeMS  *int64 `json:"time_ms,omitempty"`
	EndMS   *int64 `json:"end_ms,omitempty"`
}

func (a *app) showCmd() *cobra.Command {
	var asJSON, plain bool
	var coder string
	var o outFlags
	cmd := &cobra.Command{
		Use:   "show DOC",
		Short: "Print a transcript with line numbers and its coded passages marked",
		Long: `Show prints a document's text with line numbers. Each speaker turn is
headed by its number (the N of 'qcode tag --turn N') and its speaker. Each
coded passage is marked inline as ⟦n … n⟧, and the codings are listed under the text with
their code, coder and span (START:END in characters). With --coder NAME
only that coder's codings are marked.

DOC is a document's name (its latest version), NAME@VERSION, its short
id (#12), or a unique beginning or part of its name, in any case (see
'qcode docs --help' for the rules).

Given a quote id from 'qcode quotes' (Q-7RS1HB1P), show prints that quote
where it stands in its interview: the document, line, speaker and
timestamp, the participant's attribution, the turn before and the turn
itself with the quote marked, and the codes on it. An id no passage has
(mistyped, one character short) is an error that offers the project's
nearest ids.`,
		Example: `  qcode show R01
  qcode show R01@1 --json
  qcode show Q-7RS1HB1P`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := o.check(a, ""); err != nil {
				return fmt.Errorf("show: %w", err)
			}
			return a.withStore(func(s *coding.Store) (err error) {
				pm, err := o.pseudonymiser(a, s)
				if err != nil {
					return fmt.Errorf("show: %w", err)
				}
				finish, err := o.stream(a)
				if err != nil {
					return err
				}
				defer func() { err = finish(err) }()
				if coding.LooksLikeQuoteID(args[0]) {
					var p coding.QuotePlace
					var err error
					if _, ok := coding.ParseQuoteID(args[0]); ok {
						p, err = s.FindQuote(a.ctx, args[0], "")
					} else {
						err = fmt.Errorf("quote %s: %w: no quote has this id (a quote id is Q- and %d letters or digits, as 'qcode quotes' prints)",
							printable(args[0]), coding.ErrNotFound, coding.QuoteIDLen)
					}
					// A document may be named like a quote id; the
					// quote comes first.
					if errors.Is(err, coding.ErrNotFound) {
						if _, derr := s.Document(a.ctx, args[0], false); derr == nil {
							err = nil
						} else {
							err = nearestQuotes(a, s, args[0], err)
						}
					}
					if err != nil {
						return err
					}
					if p.ID != "" {
						p = pm.place(p)
						if asJSON {
							return a.printJSON(p)
						}
						return a.showQuote(s, p, a.color(a.stdout) && !plain, pm)
					}
				}
				d, err := s.Document(a.ctx, args[0], true)
				if err != nil {
					return err
				}
				turns, err := s.Turns(a.ctx, d.ID)
				if err != nil {
					return err
				}
				if coder == "" {
					if coder, err = a.coderFilter(s); err != nil {
						return err
					}
				}
				codings, err := s.Codings(a.ctx, coding.CodingFilter{DocID: d.ID, Coder: coder})
				if err != nil {
					return err
				}
				d, turns, codings = pm.document(d, turns, codings)
				if asJSON {
					out := showJSON{Document: d, Text: d.Text, Turns: []turnJSON{}, Codings: codings}
					if out.Codings == nil {
						out.Codings = []coding.Coding{}
					}
					for _, t := range turns {
						tj := turnJSON{N: t.N, Speaker: t.Speaker, Start: t.Start, Body: t.Body, End: t.End}
						if t.Time != nil {
							ms := t.Time.Milliseconds()
							tj.Time, tj.TimeMS = coding.FormatClock(*t.Time), &ms
						}
						if t.EndTime != nil {
							ms := t.EndTime.Milliseconds()
							tj.EndMS = &ms
						}
						out.Turns = append(out.Turns, tj)
					}
					if out.Memos, err = s.Memos(a.ctx, coding.TargetDocument, fmt.Sprint(d.ID)); err != nil {
						return err
					}
					out.Memos = pm.docMemos(d.GUID, out.Memos)
					return a.printJSON(out)
				}
				cite, err := s.Setting(a.ctx, "cite", coding.DefaultCite)
				if err != nil {
					return err
				}
				a.renderDoc(d, turns, codings, cite, a.color(a.stdout) && !plain)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the text, turns and codings as JSON")
	cmd.Flags().BoolVar(&plain, "plain", false, "no colour")
	cmd.Flags().StringVar(&coder, "only-coder", "", "show only this coder's codings (the same as --coder)")
	cmd.Flags().MarkHidden("only-coder")
	o.register(cmd)
	return cmd
}

// nearestQuotes adds to err, the error for a quote id no passage has,
// the project's nearest ids to the one typed.
func nearestQuotes(a *app, s *coding.Store, typed string, err error) error {
	near, nerr := s.NearestQuoteIDs(a.ctx, typed)
	if nerr != nil {
		return errors.Join(err, nerr)
	}
	if len(near) == 0 {
		return err
	}
	if len(near) > 3 {
		near = near[:3]
	}
	return fmt.Errorf("%w; the nearest id in this project is %s", err, strings.Join(near, " or "))
}

// renderDoc prints the numbered text with inline coding marks and a legend.
func (a *app) renderDoc(d coding.Document, turns []coding.Turn, codings []coding.Coding, cite string, color bool) {
	w := a.stdout
	head := fmt.Sprintf("%s (version %d, %s, %s, %s)", d.Name, d.Version, d.Lang, plural(d.Words, "word", "words"), plural(len(turns), "turn", "turns"))
	fmt.Fprintln(w, paint(color, "1", head))
	if at := coding.Cite(cite, d.Attributes); at != "" {
		fmt.Fprintf(w, "(%s)\n", at)
	}
	fmt.Fprintln(w)

	// Marks to insert, by code-point position: closes before opens at the
	// same place, so adjacent codings read ⟦1 … 1⟧⟦2 … 2⟧.
	type mark struct {
		pos   int
		open  bool
		n     int
		style string
	}
	var marks []mark
	for i, c := range codings {
		marks = append(marks, mark{c.Start, true, i + 1, ""}, mark{c.End, false, i + 1, ""})
	}
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].pos != marks[j].pos {
			return marks[i].pos < marks[j].pos
		}
		return !marks[i].open && marks[j].open
	})
	labels := map[int]bool{}
	times := map[int]string{}
	hasTime := false
	for _, t := range turns {
		for p := t.Start; p < t.Body; p++ {
			labels[p] = true
		}
		// Plain-text transcripts carry their timestamps in the text;
		// subtitles do not, so show theirs in the margin.
		if t.Time != nil && (d.Format == "vtt" || d.Format == "srt") {
			times[t.Start] = coding.FormatClock(*t.Time)
			hasTime = true
		}
	}
	// Each turn is announced above its first line with its number (what
	// 'qcode tag --turn N' takes) and its speaker.
	heads := map[int][]coding.Turn{}
	runes := []rune(d.Text)
	for _, t := range turns {
		ls := min(t.Start, len(runes))
		for ls > 0 && runes[ls-1] != '\n' {
			ls--
		}
		heads[ls] = append(heads[ls], t)
	}
	margin := "      "
	if hasTime {
		margin += "         "
	}
	var b strings.Builder
	line := 1
	lineStart := true
	mi := 0
	pos := 0
	inLabel := false
	writePrefix := func() {
		for _, t := range heads[pos] {
			head := fmt.Sprintf("── turn %d", t.N)
			if t.Speaker != "" {
				head += ", " + t.Speaker
			}
			fmt.Fprintf(&b, "%s%s\n", margin, paint(color, "2", head))
		}
		delete(heads, pos)
		fmt.Fprintf(&b, "%s ", paint(color, "2", fmt.Sprintf("%5d", line)))
		if hasTime {
			t := times[pos]
			if t == "" {
				t = "        "
			}
			b.WriteString(paint(color, "36", t) + " ")
		}
		b.WriteString(paint(color, "2", "│") + " ")
	}
	for _, r := range d.Text {
		for mi < len(marks) && marks[mi].pos == pos {
			if lineStart {
				writePrefix()
				lineStart = false
			}
			m := marks[mi]
			if m.open {
				b.WriteString(paint(color, "33;1", fmt.Sprintf("⟦%d ", m.n)))
			} else {
				b.WriteString(paint(color, "33;1", fmt.Sprintf(" %d⟧", m.n)))
			}
			mi++
		}
		if r == '\n' {
			if inLabel {
				b.WriteString("\x1b[0m")
				inLabel = false
			}
			b.WriteByte('\n')
			line++
			lineStart = true
			pos++
			continue
		}
		if lineStart {
			writePrefix()
			lineStart = false
		}
		if color && labels[pos] != inLabel {
			if labels[pos] {
				b.WriteString("\x1b[1;34m")
			} else {
				b.WriteString("\x1b[0m")
			}
			inLabel = labels[pos]
		}
		b.WriteRune(r)
		pos++
	}
	for ; mi < len(marks); mi++ {
		b.WriteString(paint(color, "33;1", fmt.Sprintf(" %d⟧", marks[mi].n)))
	}
	if inLabel {
		b.WriteString("\x1b[0m")
	}
	fmt.Fprintln(w, strings.TrimRight(b.String(), "\n"))
	if len(codings) == 0 {
		fmt.Fprintln(w, "\nNo codings yet.")
		return
	}
	fmt.Fprintf(w, "\n%s\n", paint(color, "1", "Codings"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, c := range codings {
		fmt.Fprintf(tw, "⟦%d⟧\t%s\t%s\t%d:%d\tline %d\tid %d\n", i+1, c.Code, c.Coder, c.Start, c.End, coding.LineOf(d.Text, c.Start), c.ID)
	}
	tw.Flush()
}

// showQuote prints a quote found by its id in its interview: a heading
// with where it is and who said it, the turn before it and its own turn
// with line numbers and the quote marked ⟦ ⟧, then the codes on it.
func (a *app) showQuote(s *coding.Store, p coding.QuotePlace, color bool, pm *pseudonymiser) error {
	w := a.stdout
	d := p.Document
	doc := d.Name
	if !d.Latest {
		doc = fmt.Sprintf("%s@%d", d.Name, d.Version)
	}
	head := []string{fmt.Sprintf("%s, line %d", doc, p.Line)}
	if p.Time != "" {
		head = append(head, p.Time)
	}
	if p.Speaker != "" {
		head = append(head, p.Speaker)
	}
	fmt.Fprintf(w, "%s  %s\n", paint(color, "1", p.ID), strings.Join(head, ", "))
	if p.Attribution != "" {
		fmt.Fprintf(w, "(%s)\n", p.Attribution)
	}
	if p.Carried != "" {
		// The id was cited from an earlier version of the text.
		fmt.Fprintf(w, "%s\n", p.Carried)
	}
	fmt.Fprintln(w)

	// From the turn before the quote's to the end of the quote's turn.
	from, to := p.Start, p.End
	if p.Turn != nil {
		turns, err := s.Turns(a.ctx, d.ID)
		if err != nil {
			return err
		}
		turns = pm.turnsOf(d.GUID, turns)
		from, to = p.Turn.Start, p.Turn.End
		for i, t := range turns {
			if t.N == p.Turn.N && i > 0 {
				from = turns[i-1].Start
			}
		}
	}
	runes := []rune(d.Text)
	for from > 0 && runes[from-1] != '\n' {
		from--
	}
	for to < len(runes) && runes[to] != '\n' {
		to++
	}
	line := coding.LineOf(d.Text, from)
	var b strings.Builder
	flush := func() {
		l := strings.TrimRight(b.String(), " ")
		fmt.Fprintf(w, "%s %s %s\n", paint(color, "2", fmt.Sprintf("%5d", line)), paint(color, "2", "│"), l)
		b.Reset()
		line++
	}
	for i := from; i < to; i++ {
		if i == p.Start {
			b.WriteString(paint(color, "33;1", "⟦"))
			if color {
				b.WriteString("\x1b[1m")
			}
		}
		if runes[i] == '\n' {
			if color && i > p.Start && i < p.End {
				b.WriteString("\x1b[0m")
			}
			flush()
			if color && i >= p.Start && i < p.End-1 {
				b.WriteString("\x1b[1m")
			}
			continue
		}
		b.WriteRune(runes[i])
		if i == p.End-1 {
			if color {
				b.WriteString("\x1b[0m")
			}
			b.WriteString(paint(color, "33;1", "⟧"))
		}
	}
	flush()

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Codes: %s\n", codingList(p.Codings, false))
	if len(p.Overlapping) > 0 {
		fmt.Fprintf(w, "Overlapping: %s\n", codingList(p.Overlapping, true))
	}
	fmt.Fprintf(w, "Span %d:%d of %s; 'qcode show %s' shows the whole interview.\n", p.Start, p.End, doc, doc)
	return nil
}

// codingList names codings as "Code (coder, coder); Code (coder)", with
// each span when spans differ.
func codingList(cs []coding.Coding, spans bool) string {
	var parts []string
	at := map[string]int{}
	var coders [][]string
	for _, c := range cs {
		key := c.Code
		if spans {
			key = fmt.Sprintf("%s %d:%d", c.Code, c.Start, c.End)
		}
		i, ok := at[key]
		if !ok {
			i = len(parts)
			at[key] = i
			parts = append(parts, key)
			coders = append(coders, nil)
		}
		coders[i] = append(coders[i], c.Coder)
	}
	for i := range parts {
		parts[i] += " (" + strings.Join(coders[i], ", ") + ")"
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}
