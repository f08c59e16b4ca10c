package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
)

// searchFlags are the filters search and autocode share.
type searchFlags struct {
	codes, notCodes, docs, attrs []string
	uncoded                      bool
	speaker, coder               string
}

func (f *searchFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.codes, "code", nil, "only passages coded with this code or its sub-codes (repeatable: any of them)")
	cmd.Flags().StringArrayVar(&f.notCodes, "not-code", nil, "leave out passages coded with this code or its sub-codes")
	cmd.Flags().BoolVar(&f.uncoded, "uncoded", false, "only passages with no coding")
	cmd.Flags().StringVar(&f.speaker, "speaker", "", "only this speaker's passages")
	cmd.Flags().StringArrayVar(&f.docs, "doc", nil, "only this document (repeatable)")
	cmd.Flags().StringArrayVar(&f.attrs, "attr", nil, "only documents with attribute KEY=VALUE (repeatable: all of them)")
}

// registerCoderFilter adds --coder-filter, "only passages coded by this
// coder". In search it is hidden, kept for old scripts: the global
// --coder does the same there. In autocode --coder says who codes, so
// --coder-filter is the filter.
func (f *searchFlags) registerCoderFilter(cmd *cobra.Command, hidden bool) {
	cmd.Flags().StringVar(&f.coder, "coder-filter", "", "only passages coded by this coder")
	if hidden {
		cmd.Flags().MarkHidden("coder-filter")
	}
}

func (f *searchFlags) query(text string) index.Query {
	return index.Query{Text: text, Codes: f.codes, NotCodes: f.notCodes, Uncoded: f.uncoded,
		Speaker: f.speaker, Docs: f.docs, Attrs: f.attrs, Coder: f.coder}
}

const searchHelp = `The query language (the same in the workbench):

  mobilization          a word, in every form (mobilized, мобилизации...)
  smoke smell           both words; smoke AND smell says the same
  smoke OR smell        either word (AND, OR, NOT are operators in capitals
                        only: "or" is a word; И, ИЛИ, НЕ work too)
  fear -police          without a word (NOT police says the same)
  (smoke OR smell) fire parentheses group; NOT binds first, then AND, then OR
  "upper lars"          the words in a row («…» and “…” quote too)
  "fear police"~5       the words within 5 words of each other, any order
  fear NEAR/5 police    the same, for two words
  volunt*               words starting with volunt (* anywhere in a word)
  mobilisation~1        words one edit away (~2: two)
  speaker:"Anna K. Petrova"  code:Fear  -code:Fear  is:uncoded  doc:R01
  attr:wave=September   coder:anna  lang:ru  sort:rank

Filters in the query and the flags below add up: all must hold. code:
takes the code's sub-codes too; coder: narrows code:, -code: and
is:uncoded to that coder's codings. Russian and English words are stemmed
by their script, so a transcript that mixes both is searchable in both;
ё and е match each other, and so do typographic and straight apostrophes.
A query that cannot be read says at which column and why; --explain prints
how it was understood and stops, without opening the project.

Hits come in document order (--rank orders by relevance). Each shows the
document, line, timestamp, speaker, the code-point span START:END of the
match (what 'qcode tag --span' takes), a fragment, and the codes already
on the passage. On a terminal the matched words are highlighted; when the
output is piped they are marked [[like this]] (--plain drops the marks).`

func (a *app) searchCmd() *cobra.Command {
	var f searchFlags
	var limit int
	var rank, asJSON, plain, explain bool
	var o outFlags
	cmd := &cobra.Command{
		Use:   "search [QUERY]",
		Short: "Find passages across all transcripts",
		Long:  "Search finds passages across all transcripts, with filters.\n\n" + searchHelp,
		Example: `  qcode search мобилизация
  qcode search '"upper lars"' --attr wave=September
  qcode search --code "Fear of repression" --speaker Respondent
  qcode search donat* --uncoded --limit 20 --json
  qcode search --code Donations --coder nino
  qcode search '(smoke OR smell) speaker:"Anna K. Petrova" -code:Fear'
  qcode search '"fear police"~5 OR страх NEAR/3 полиция' --explain`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := ""
			if len(args) == 1 {
				text = args[0]
			}
			if f.coder == "" {
				f.coder = a.coder
			}
			q := f.query(text)
			if strings.TrimSpace(text) == "" && len(q.Codes)+len(q.NotCodes)+len(q.Docs)+len(q.Attrs) == 0 && !q.Uncoded && q.Speaker == "" && q.Coder == "" {
				return errors.New("search: give a query, a filter (--code, --speaker, --doc, --attr, --uncoded), or both")
			}
			if err := index.ParseQuery(text); err != nil {
				return queryError(err, text)
			}
			q.Limit, q.Rank = limit, rank
			if explain {
				how, err := q.Explain()
				if err != nil {
					return queryError(err, text)
				}
				fmt.Fprint(a.stdout, how)
				return nil
			}
			if _, err := o.check(a, ""); err != nil {
				return fmt.Errorf("search: %w", err)
			}
			quickRead()
			return a.withIndex(func(s *coding.Store, ix *index.Index) (err error) {
				if q.Coder != "" {
					b := *a
					b.coder = q.Coder
					if _, err := b.coderFilter(s); err != nil {
						return err
					}
				}
				res, err := ix.Search(a.ctx, q)
				if err != nil {
					return err
				}
				a.reportSearch(res)
				if res, err = a.pseudonymiseHits(s, &o, res); err != nil {
					return fmt.Errorf("search: %w", err)
				}
				finish, err := o.stream(a)
				if err != nil {
					return err
				}
				defer func() { err = finish(err) }()
				if asJSON {
					return a.printJSON(res)
				}
				a.printHits(res, a.color(a.stdout), plain)
				return nil
			})
		},
	}
	f.register(cmd)
	f.registerCoderFilter(cmd, true)
	cmd.Flags().IntVar(&limit, "limit", 100, "show at most N hits (0: all)")
	cmd.Flags().BoolVar(&rank, "rank", false, "order by relevance instead of document order")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the hits as JSON")
	cmd.Flags().BoolVar(&plain, "plain", false, "no colour and no [[ ]] marks around matches")
	cmd.Flags().BoolVar(&explain, "explain", false, "print how the query and filters were understood, and stop without searching")
	o.register(cmd)
	return cmd
}

// quickRead turns the garbage collector off up to quickReadHeap for a
// command that reads a little and is over in milliseconds: collecting
// during it cost an eighth of a search's time, and what it would free
// goes with the process. An index update inside the command collects as
// usual (see index.writerMemoryLimit).
func quickRead() {
	debug.SetMemoryLimit(quickReadHeap)
	debug.SetGCPercent(-1)
}

const quickReadHeap = 256 << 20

// printHits writes hits for a person to read.
func (a *app) printHits(res index.Result, color, plain bool) {
	w := a.stdout
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "No passages found.")
		return
	}
	for _, h := range res.Hits {
		head := []string{paint(color, "1", h.Document), fmt.Sprintf("line %d", h.Line)}
		if h.Time != "" {
			head = append(head, h.Time)
		}
		if h.Speaker != "" {
			head = append(head, paint(color, "34", h.Speaker))
		}
		head = append(head, fmt.Sprintf("%d:%d", h.Start, h.End))
		if len(h.Codes) > 0 {
			head = append(head, paint(color, "33", "["+strings.Join(h.Codes, "; ")+"]"))
		}
		fmt.Fprintln(w, strings.Join(head, "  "))
		fmt.Fprintf(w, "    %s\n", markFragment(h.Fragment, h.Highlights, color, plain))
	}
	if uint64(len(res.Hits)) < res.Total {
		fmt.Fprintf(w, "\nShowing %d of %d passages; --limit 0 shows all.\n", len(res.Hits), res.Total)
	} else {
		fmt.Fprintf(w, "\n%s.\n", plural(len(res.Hits), "passage", "passages"))
	}
}

// markFragment highlights spans (code points) of s: colour on a terminal,
// [[ ]] otherwise, nothing when plain.
func markFragment(s string, spans []coding.Span, color, plain bool) string {
	if plain || len(spans) == 0 {
		return s
	}
	open, close := "[[", "]]"
	if color {
		open, close = "\x1b[1;7m", "\x1b[0m"
	}
	runes := []rune(s)
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.Start < last || sp.End > len(runes) {
			continue
		}
		b.WriteString(string(runes[last:sp.Start]))
		b.WriteString(open + string(runes[sp.Start:sp.End]) + close)
		last = sp.End
	}
	b.WriteString(string(runes[last:]))
	return b.String()
}

func (a *app) autocodeCmd() *cobra.Command {
	var f searchFlags
	var scope string
	var dry, create, asJSON bool
	cmd := &cobra.Command{
		Use:   "autocode QUERY CODE",
		Short: "Code every passage a search finds, as one undoable action",
		Long: `Autocode runs a search (same query language and filters as 'qcode search')
and codes what it finds with CODE: the matched words (--scope match), the
sentence around each match (--scope sentence), or the speaker's whole turn
(--scope turn). It is one action: 'qcode undo' takes all of it back.
Passages you have already coded with CODE are left as they are.

` + searchHelp,
		Example: `  qcode autocode 'mobiliz* OR мобилизац*' "Reasons for leaving/Mobilization" --scope sentence --dry-run
  qcode autocode '"foreign agent"' "Fear of repression" --scope turn --speaker Respondent`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch scope {
			case index.ScopeMatch, index.ScopeSentence, index.ScopeTurn:
			default:
				return fmt.Errorf("autocode: unknown --scope %q (match, sentence, turn)", scope)
			}
			if err := index.ParseQuery(args[0]); err != nil {
				return queryError(err, args[0])
			}
			return a.withIndex(func(s *coding.Store, ix *index.Index) error {
				if !create && !dry {
					if _, err := s.Code(a.ctx, args[1]); err != nil {
						return fmt.Errorf("%w; add it first, or use --create", err)
					}
				}
				q := f.query(args[0])
				res, err := ix.Search(a.ctx, q)
				if err != nil {
					return err
				}
				a.reportSearch(res)
				items, listing, err := a.autocodeSpans(s, res, scope)
				if err != nil {
					return err
				}
				n := 0
				for _, it := range items {
					n += len(it.Spans)
				}
				if dry {
					if asJSON {
						return a.printJSON(map[string]any{"codings": listing, "count": n})
					}
					for _, l := range listing {
						fmt.Fprintf(a.stdout, "%s  %d:%d  %s\n", l.Document, l.Start, l.End, oneLine(l.Text, 100))
					}
					fmt.Fprintf(a.stdout, "\nWould make %s with %s (dry run: nothing written).\n", plural(n, "coding", "codings"), args[1])
					return nil
				}
				if n == 0 {
					fmt.Fprintln(a.stdout, "Nothing found; nothing coded.")
					return nil
				}
				made, skipped, _, err := s.TagBatch(a.ctx, args[1], items, create, fmt.Sprintf("autocode %q", args[0]))
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(map[string]any{"made": made, "skipped": skipped, "codings": listing})
				}
				msg := fmt.Sprintf("Autocoded %s with %s in %s", plural(made, "passage", "passages"), args[1], plural(len(items), "document", "documents"))
				if skipped > 0 {
					msg += fmt.Sprintf(" (%d already coded)", skipped)
				}
				fmt.Fprintln(a.stdout, msg+". ('qcode undo' takes it all back.)")
				return a.syncIndex(s, ix)
			})
		},
	}
	f.register(cmd)
	f.registerCoderFilter(cmd, false)
	cmd.Flags().StringVar(&scope, "scope", index.ScopeMatch, "what to code around each match: match, sentence or turn")
	cmd.Flags().BoolVar(&dry, "dry-run", false, "list what would be coded, write nothing")
	cmd.Flags().BoolVar(&create, "create", false, "create CODE if it does not exist")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the codings as JSON")
	return cmd
}

// queryError adds to a query the parser could not read the query itself
// with a caret under the column it names.
func queryError(err error, text string) error {
	var qe *index.QueryError
	if !errors.As(err, &qe) || qe.Pos <= 0 || strings.ContainsAny(text, "\n\r\t") || termEscape(text, false) != text {
		return err
	}
	before := []rune(text)[:min(qe.Pos-1, utf8.RuneCountInString(text))]
	return fmt.Errorf("%w\n  %s\n  %s^", err, text, strings.Repeat(" ", ansi.StringWidth(string(before))))
}

type autocodeLine struct {
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
}

// autocodeSpans turns hits into spans per document at the scope
// (index.SpansOf), with a listing line for each span.
func (a *app) autocodeSpans(s *coding.Store, res index.Result, scope string) ([]coding.DocSpans, []autocodeLine, error) {
	spans, err := index.SpansOf(a.ctx, s, res.Hits, scope)
	if err != nil {
		return nil, nil, err
	}
	var lines []autocodeLine
	for _, sp := range spans {
		lines = append(lines, autocodeLine{Document: sp.Document, Start: sp.Start, End: sp.End, Text: sp.Text})
	}
	return index.ByDocument(spans), lines, nil
}

func (a *app) reindexCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the project",
		Long: `Reindex deletes the search index and builds it again from the project's
store. It is never needed for correctness (the index catches up by itself
and is rebuilt when missing or damaged), but it is safe at any time.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				opt := index.Options{}
				var bar *progressbar.ProgressBar
				if isTerminal(a.stderr) {
					bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(a.stderr),
						progressbar.OptionSetDescription("indexing"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
					opt.Progress = func(done, total int) {
						bar.ChangeMax(total)
						bar.Set(done)
					}
				}
				ix, st, err := index.Rebuild(a.ctx, s, opt)
				if bar != nil {
					bar.Finish()
				}
				if err != nil {
					return err
				}
				defer ix.Close()
				fmt.Fprintf(a.stdout, "Rebuilt the search index: %s.\n", plural(st.Updated, "document", "documents"))
				return nil
			})
		},
	}
}

// withIndex opens the project and its index (catching it up, and telling
// the user when it had to be rebuilt), runs fn and closes both.
func (a *app) withIndex(fn func(s *coding.Store, ix *index.Index) error) error {
	return a.withStore(func(s *coding.Store) error {
		ix, st, err := index.Open(a.ctx, s, a.indexOptions())
		if err != nil {
			return err
		}
		defer ix.Close()
		a.reportRebuild(st)
		return fn(s, ix)
	})
}

func (a *app) indexOptions() index.Options {
	opt := index.Options{}
	if isTerminal(a.stderr) {
		var bar *progressbar.ProgressBar
		opt.Progress = func(done, total int) {
			if total < 20 {
				return
			}
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("indexing"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			bar.Set(done)
			if done == total {
				bar.Finish()
			}
		}
	}
	return opt
}

// reportSearch tells on stderr when a search found the index damaged
// and rebuilt it, and which documents it could not search yet.
func (a *app) reportSearch(res index.Result) {
	a.reportRebuild(res.Status)
	if len(res.Pending) > 0 {
		fmt.Fprintf(a.stderr, "note: %s still being indexed by another qcode and not searched: %s\n",
			plural(len(res.Pending), "document is", "documents are"), strings.Join(res.Pending, ", "))
	}
}

func (a *app) reportRebuild(st index.Status) {
	if st.Rebuilt {
		fmt.Fprintf(a.stderr, "Built the search index (%s): %s.\n", st.Reason, plural(st.Updated, "document", "documents"))
	}
}

// syncIndex brings an open index up to date after a change.
func (a *app) syncIndex(s *coding.Store, ix *index.Index) error {
	_, err := ix.Sync(a.ctx)
	return err
}

// updateIndex catches the index up after a command changed the store, so
// the next search is fast. It is best effort: when the index is busy or
// fails, the next search catches up (or rebuilds) by itself.
func (a *app) updateIndex(s *coding.Store) {
	opt := a.indexOptions()
	opt.Wait = 300 * time.Millisecond
	ix, st, err := index.Open(a.ctx, s, opt)
	if err != nil {
		if !errors.Is(err, index.ErrBusy) {
			fmt.Fprintf(a.stderr, "warning: search index not updated (%v); the next search will catch up\n", err)
		}
		return
	}
	defer ix.Close()
	if st.Rebuilt && st.Reason != "there was none" {
		a.reportRebuild(st)
	}
}
