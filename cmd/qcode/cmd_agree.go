package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

func (a *app) agreeCmd() *cobra.Command {
	var (
		coders, codes, attrs            []string
		unit, data, statistic, level, w string
		overlap                         float64
		asJSON, listDis, allVersions    bool
	)
	cmd := &cobra.Command{
		Use:   "agree",
		Short: "Measure how far coders agree, per code and overall, and list where they differ",
		Long: `Agree compares the codings of two or more coders who coded the same
documents independently, per code and overall, with four statistics:
percent agreement, Cohen's kappa, Fleiss' kappa and Krippendorff's alpha
(nominal). Kappa and alpha correct for the agreement chance alone would
give: 1 is perfect, 0 is no better than chance. Cohen's kappa is for two
coders: with three or more, the Cohen column shows Light's kappa, the mean
of Cohen's kappa over every pair of coders, and a table under it gives
each pair's kappa (--json gives them per code too), on the documents and
units of the whole comparison.

--coders chooses whom to compare (the global --coder does not filter
here). The documents compared are those in which every compared coder has
coded something; the others are named as left out. Only the latest
version of each document is compared: codings left on an earlier version
(see 'qcode doc orphans') are not, unless --all-versions compares each
such version as a document of its own, named NAME@VERSION. --unit says what one unit of
the comparison is:

  char      every character of every compared document, coded with the
            code or not by each coder (as NVivo and ATLAS.ti count)
  segment   the coded passages: two coders' codings of a code are the same
            segment when they overlap by at least --overlap of their union
            (as MAXQDA counts); a segment only some coders coded is a
            disagreement. There are no units nobody coded, so kappa and
            alpha are much lower than at the char unit for the same work.
  document  the code is in the document or not, per coder

--disagreements lists where the coders differ (document, span, who coded it
and who did not, the text), so the team can discuss them.

With --data FILE.csv it computes one statistic on reliability data instead:
a header row naming the coders, then a row per unit with each coder's
value, an empty cell when a coder gave none. --level sets alpha's level of
measurement; --weights makes Cohen's kappa weighted, for ordered numeric
categories.`,
		Example: `  qcode agree
  qcode agree --coders ana,boris --code "Fear of repression" --disagreements
  qcode agree --unit segment --overlap 0.8 --json
  qcode agree --data ratings.csv --statistic alpha --level ordinal
  qcode agree --data ratings.csv --statistic cohen --weights quadratic --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if data != "" {
				for _, name := range []string{"coders", "code", "attr", "unit", "overlap", "disagreements", "all-versions"} {
					if f.Changed(name) {
						return fmt.Errorf("agree: --%s is for the project's codings, not for --data", name)
					}
				}
				return a.agreeData(data, statistic, level, w, f.Changed("level"), asJSON)
			}
			for _, name := range []string{"statistic", "level", "weights"} {
				if f.Changed(name) {
					return fmt.Errorf("agree: --%s needs --data FILE.csv", name)
				}
			}
			u, err := agree.ParseUnit(unit)
			if err != nil {
				return fmt.Errorf("agree: %w", err)
			}
			if f.Changed("overlap") && u != agree.Segment {
				return fmt.Errorf("agree: --overlap is for --unit segment")
			}
			if overlap <= 0 || overlap > 1 {
				return fmt.Errorf("agree: --overlap %g: want a share above 0 and at most 1, such as 0.9", overlap)
			}
			return a.withStore(func(s *coding.Store) error {
				r, err := agree.Compute(a.ctx, s, agree.Options{Coders: coders, Codes: codes, Unit: u, Overlap: overlap, Text: asJSON || listDis, AllVersions: allVersions, Attrs: attrs})
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(r)
				}
				a.agreeReport(r, listDis)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&coders, "coders", nil, "the coders to compare, as A,B,... (default: everyone who has coded)")
	f.StringArrayVar(&codes, "code", nil, "only this code (repeat for more; default: every code)")
	f.StringArrayVar(&attrs, "attr", nil, attrFilterUsage)
	f.StringVar(&unit, "unit", "char", "what one unit is: char, segment or document")
	f.Float64Var(&overlap, "overlap", agree.DefaultOverlap, "with --unit segment: the share of their union two codings must overlap to match")
	f.BoolVar(&listDis, "disagreements", false, "list every disagreement with its text")
	f.BoolVar(&asJSON, "json", false, "print as JSON (disagreements included)")
	f.BoolVar(&allVersions, "all-versions", false, "compare the codings on documents' earlier versions too (default: only each document's latest version)")
	f.StringVar(&data, "data", "", "compute on reliability data in this CSV file instead ('-' reads standard input)")
	f.StringVar(&statistic, "statistic", "alpha", "with --data: alpha, cohen, fleiss or percent")
	f.StringVar(&level, "level", "nominal", "with --data: alpha's level of measurement: nominal, ordinal, interval or ratio")
	f.StringVar(&w, "weights", "", "with --data --statistic cohen: linear or quadratic, for ordered numeric categories")
	return cmd
}

// agreeDataJSON is the shape of 'qcode agree --data --json'; the first
// four fields are the contract.
type agreeDataJSON struct {
	Statistic  string   `json:"statistic"`
	Value      *float64 `json:"value"`
	Units      int      `json:"units"`
	Coders     int      `json:"coders"`
	Level      string   `json:"level,omitempty"`
	Weights    string   `json:"weights,omitempty"`
	Values     int      `json:"values"`
	UnitsRead  int      `json:"units_read"`
	CoderNames []string `json:"coder_names"`
	Undefined  string   `json:"undefined,omitempty"`
}

// agreeData computes one statistic on a reliability data file.
func (a *app) agreeData(path, statistic, levelName, weights string, levelSet, asJSON bool) error {
	lv, err := agree.ParseLevel(levelName)
	if err != nil {
		return fmt.Errorf("agree: %w", err)
	}
	wt, err := agree.ParseWeights(weights)
	if err != nil {
		return fmt.Errorf("agree: %w", err)
	}
	statistic = strings.ToLower(statistic)
	switch statistic {
	case "alpha":
	case "cohen":
		if levelSet {
			return fmt.Errorf("agree: --level is for alpha; for ordered categories use Cohen's kappa with --weights linear or quadratic")
		}
	case "fleiss", "percent":
		if levelSet && lv != agree.Nominal {
			return fmt.Errorf("agree: %s is for nominal data; use --statistic alpha --level %s", statistic, lv)
		}
	default:
		return fmt.Errorf("agree: unknown statistic %q (alpha, cohen, fleiss, percent)", statistic)
	}
	if wt != agree.Unweighted && statistic != "cohen" {
		return fmt.Errorf("agree: --weights is for --statistic cohen")
	}
	numeric := (statistic == "alpha" && lv != agree.Nominal) || wt != agree.Unweighted
	var in io.Reader = a.stdin
	name := "standard input"
	if path != "-" {
		file, _, err := coding.OpenRegular(path, 0, "a CSV file")
		if err != nil {
			return fmt.Errorf("agree: %w", err)
		}
		defer file.Close()
		in, name = file, path
	}
	d, err := agree.ReadCSV(name, in, numeric)
	if err != nil {
		return fmt.Errorf("agree: %w", err)
	}
	var res agree.Result
	var title string
	switch statistic {
	case "alpha":
		res, err = agree.Alpha(d, lv)
		title = fmt.Sprintf("Krippendorff's alpha (%s)", lv)
	case "cohen":
		res, err = agree.Cohen(d, wt)
		title = "Cohen's kappa"
		if wt != agree.Unweighted {
			title = fmt.Sprintf("Cohen's weighted kappa (%s weights)", weights)
		}
	case "fleiss":
		res, err = agree.Fleiss(d)
		title = "Fleiss' kappa"
	case "percent":
		res, err = agree.Percent(d)
		title = "Percent agreement"
	}
	if err != nil {
		return fmt.Errorf("agree: %s: %w", name, err)
	}
	out := agreeDataJSON{Statistic: statistic, Units: res.Units, Coders: len(d.Coders), Values: res.Values,
		UnitsRead: len(d.Values), CoderNames: d.Coders}
	if statistic == "alpha" {
		out.Level = lv.String()
	}
	if wt != agree.Unweighted {
		out.Weights = strings.ToLower(weights)
	}
	undefined := "every value is the same, so there is no variation to agree on"
	if math.IsNaN(res.Value) {
		out.Undefined = undefined
	} else {
		v := res.Value
		out.Value = &v
	}
	if asJSON {
		return a.printJSON(out)
	}
	if out.Value == nil {
		fmt.Fprintf(a.stdout, "%s is undefined: %s.\n", title, undefined)
	} else if statistic == "percent" {
		fmt.Fprintf(a.stdout, "%s = %.1f%%\n", title, 100*res.Value)
	} else {
		fmt.Fprintf(a.stdout, "%s = %.3f\n", title, res.Value)
	}
	which := "units coded by two or more coders"
	if statistic == "cohen" {
		which = "units both coders coded"
	}
	fmt.Fprintf(a.stdout, "%d %s (of %d read), %s, %d coders: %s\n", res.Units, which,
		len(d.Values), plural(res.Values, "value", "values"), len(d.Coders), strings.Join(d.Coders, ", "))
	return nil
}

// agreeReport prints a project's agreement as a table.
func (a *app) agreeReport(r *agree.Report, listDis bool) {
	unit := map[agree.Unit]string{agree.Char: "character", agree.Segment: "coded segment", agree.Document: "document"}[r.Unit]
	fmt.Fprintf(a.stdout, "Agreement of %s, by %s", joinAnd(r.Coders), unit)
	if r.Unit == agree.Segment {
		fmt.Fprintf(a.stdout, " (matching at %.0f%% overlap)", 100*r.Overlap)
	}
	var names []string
	for _, d := range r.Documents {
		names = append(names, docLabel(d))
	}
	fmt.Fprintf(a.stdout, ", on %s: %s\n", plural(len(r.Documents), "document", "documents"), strings.Join(names, ", "))
	if len(r.LeftOut) > 0 {
		var left []string
		for _, d := range r.LeftOut {
			left = append(left, fmt.Sprintf("%s (only %s)", docLabel(d), joinAnd(d.Coders)))
		}
		fmt.Fprintf(a.stdout, "Left out, not coded by everyone: %s\n", strings.Join(left, ", "))
	}
	fmt.Fprintln(a.stdout)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	undefined := false
	width := len("overall")
	for _, c := range r.Codes {
		width = max(width, ansi.StringWidth(c.Code))
	}
	// The table is right-aligned for the numbers; names padded to one
	// width read left-aligned.
	pad := func(s string) string { return s + strings.Repeat(" ", width-ansi.StringWidth(s)) }
	// With three or more coders the Cohen column holds Light's kappa,
	// the mean of the pairs' Cohen's kappas.
	light := len(r.Coders) > 2
	cohenHead := "COHEN κ"
	if light {
		cohenHead = "COHEN κ (LIGHT)"
	}
	fmt.Fprintf(tw, "%s\tUNITS\tPERCENT\t%s\tFLEISS κ\tALPHA\t%s\t\n", pad("CODE"), cohenHead, strings.ToUpper(strings.Join(r.Coders, "\t")))
	row := func(name string, st agree.Stats, counts []string) {
		cohen := st.Cohen
		if light {
			cohen = st.Light
		}
		cells := []string{pad(name), fmt.Sprint(st.Units), pct(st.Percent), num(cohen), num(st.Fleiss), num(st.Alpha)}
		for _, c := range cells[2:] {
			undefined = undefined || c == "n/a"
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", strings.Join(cells, "\t"), strings.Join(counts, "\t"))
	}
	totals := make([]int, len(r.Coders))
	counts := func(n []int) []string {
		var out []string
		for _, x := range n {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	for _, c := range r.Codes {
		n := make([]int, len(r.Coders))
		for i, coder := range r.Coders {
			n[i] = c.Codings[coder]
			totals[i] += n[i]
		}
		row(c.Code, c.Stats, counts(n))
	}
	row("overall", r.Overall, counts(totals))
	tw.Flush()
	fmt.Fprintf(a.stdout, "\nThe coders' columns count their codings of each code in the compared documents.\n")
	if light {
		fmt.Fprintf(a.stdout, "COHEN κ (LIGHT) is Light's kappa: the mean of Cohen's kappa over each pair of coders, leaving out pairs whose kappa is undefined.\n")
	}
	if undefined {
		if light {
			fmt.Fprintf(a.stdout, "n/a: undefined; kappa and alpha are 0/0 for a code nobody used.\n")
		} else {
			fmt.Fprintf(a.stdout, "n/a: undefined; Cohen's kappa needs exactly two coders, and kappa and alpha are 0/0 for a code nobody used.\n")
		}
	}
	if light {
		a.agreePairs(r)
	}
	if len(r.Disagreements) == 0 {
		fmt.Fprintln(a.stdout, "No disagreements.")
		return
	}
	if !listDis {
		fmt.Fprintf(a.stdout, "%s; 'qcode agree --disagreements' lists them.\n", plural(len(r.Disagreements), "disagreement", "disagreements"))
		return
	}
	label := map[int64]string{}
	for _, d := range r.Documents {
		label[d.ID] = docLabel(d)
	}
	fmt.Fprintf(a.stdout, "\n%s:\n", plural(len(r.Disagreements), "disagreement", "disagreements"))
	for _, d := range r.Disagreements {
		fmt.Fprintf(a.stdout, "\n%s %d:%d  %s  coded by %s, not by %s\n", label[d.DocID], d.Start, d.End, d.Code, joinAnd(d.Coded), joinAnd(d.Missing))
		if t := oneLine(d.Text, 200); t != "" {
			fmt.Fprintf(a.stdout, "  “%s”\n", t)
		}
	}
}

// agreePairs prints the overall Cohen's kappa of each pair of coders as
// a coder × coder table.
func (a *app) agreePairs(r *agree.Report) {
	kappa := map[[2]string]float64{}
	for _, p := range r.Overall.Pairs {
		kappa[p.Coders] = p.Cohen
		kappa[[2]string{p.Coders[1], p.Coders[0]}] = p.Cohen
	}
	fmt.Fprintf(a.stdout, "\nCohen's kappa of each pair of coders, overall:\n\n")
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := 0
	for _, c := range r.Coders {
		width = max(width, ansi.StringWidth(c))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-ansi.StringWidth(s)) }
	fmt.Fprintf(tw, "%s\t%s\t\n", pad(""), strings.ToUpper(strings.Join(r.Coders, "\t")))
	for _, row := range r.Coders {
		cells := []string{pad(row)}
		for _, col := range r.Coders {
			if row == col {
				cells = append(cells, "—")
				continue
			}
			cells = append(cells, num(kappa[[2]string{row, col}]))
		}
		fmt.Fprintf(tw, "%s\t\n", strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintln(a.stdout)
}

// docLabel names a document as commands take it: NAME, or NAME@VERSION
// for an earlier version.
func docLabel(d agree.Doc) string {
	if !d.Latest {
		return fmt.Sprintf("%s@%d", d.Name, d.Version)
	}
	return d.Name
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.Abs(x) < 0.0005 {
		x = 0 // no "-0.000"
	}
	return fmt.Sprintf("%.3f", x)
}

// joinAnd joins names as "a, b and c".
func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return "nobody"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
