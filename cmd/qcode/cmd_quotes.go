package main

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

func (a *app) quotesCmd() *cobra.Command {
	var format, coder, cite string
	var noSub bool
	var contextN int
	cmd := &cobra.Command{
		Use:   "quotes CODE...",
		Short: "Print every passage coded with the codes, with speaker and attribution",
		Long: `Quotes retrieves every passage coded with the given codes (and their
sub-codes), in document order, each with its document, line, speaker turn,
timestamp, coder and the participant's attribution built from the
document's attributes through the citation template ('qcode config cite').

Formats: md (block quotes, grouped by code), csv, json.`,
		Example: `  qcode quotes "Fear of repression"
  qcode quotes "Reasons for leaving" --format csv > reasons.csv
  qcode quotes Donations --cite '{gender}, {age}, {occupation}, {wave} wave' --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("json") {
				format = "json"
			}
			switch format {
			case "md", "csv", "json":
			default:
				return fmt.Errorf("quotes: unknown format %q (md, csv, json)", format)
			}
			return a.withStore(func(s *coding.Store) error {
				quotes, err := s.Quotes(a.ctx, args, coding.QuoteOptions{Coder: coder, Cite: cite, NoSubcodes: noSub, Context: contextN})
				if err != nil {
					return err
				}
				switch format {
				case "json":
					if quotes == nil {
						quotes = []coding.Quote{}
					}
					return a.printJSON(map[string]any{"quotes": quotes})
				case "csv":
					return a.quotesCSV(quotes, contextN > 0)
				}
				a.quotesMarkdown(quotes)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, csv or json")
	cmd.Flags().Bool("json", false, "same as --format json")
	cmd.Flags().StringVar(&coder, "only-coder", "", "only this coder's codings")
	cmd.Flags().StringVar(&cite, "cite", "", "attribution template, e.g. '{gender}, {age}, {occupation}' (default: the project's)")
	cmd.Flags().BoolVar(&noSub, "no-subcodes", false, "leave out codings of sub-codes")
	cmd.Flags().IntVar(&contextN, "context", 0, "also give N sentences before and after each quote, from the same turn")
	return cmd
}

func (a *app) quotesMarkdown(quotes []coding.Quote) {
	if len(quotes) == 0 {
		fmt.Fprintln(a.stdout, "No passages are coded with these codes yet.")
		return
	}
	byCode := map[string][]coding.Quote{}
	var order []string
	for _, q := range quotes {
		if _, ok := byCode[q.Code]; !ok {
			order = append(order, q.Code)
		}
		byCode[q.Code] = append(byCode[q.Code], q)
	}
	for i, code := range order {
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "## %s\n", code)
		for _, q := range byCode[code] {
			fmt.Fprintln(a.stdout)
			text := strings.TrimSpace(q.Text)
			if q.Before != "" {
				text = "[…" + q.Before + "] " + text
			}
			if q.After != "" {
				text += " [" + q.After + "…]"
			}
			for _, l := range strings.Split(text, "\n") {
				fmt.Fprintf(a.stdout, "> %s\n", l)
			}
			where := fmt.Sprintf("%s, line %d", q.Document, q.Line)
			if !q.Latest {
				where = fmt.Sprintf("%s@%d, line %d", q.Document, q.Version, q.Line)
			}
			if q.Time != "" {
				where += ", " + q.Time
			}
			if q.Speaker != "" {
				where += ", " + q.Speaker
			}
			cite := ""
			if q.Attribution != "" {
				cite = "(" + q.Attribution + ") "
			}
			fmt.Fprintf(a.stdout, ">\n> — %s%s; coded by %s\n", cite, where, q.Coder)
		}
	}
}

// quotesCSV writes one row a quote; the before and after columns come
// only with --context, so the default columns stay as they are.
func (a *app) quotesCSV(quotes []coding.Quote, withContext bool) error {
	w := csv.NewWriter(a.stdout)
	head := []string{"code", "document", "version", "start", "end", "line", "turn", "speaker", "time", "coder", "attribution", "text", "memo"}
	if withContext {
		head = append(head, "before", "after")
	}
	w.Write(head)
	for _, q := range quotes {
		row := []string{q.Code, q.Document, strconv.Itoa(q.Version), strconv.Itoa(q.Start), strconv.Itoa(q.End),
			strconv.Itoa(q.Line), strconv.Itoa(q.Turn), q.Speaker, q.Time, q.Coder, q.Attribution, q.Text, q.Memo}
		if withContext {
			row = append(row, q.Before, q.After)
		}
		w.Write(row)
	}
	w.Flush()
	return w.Error()
}
