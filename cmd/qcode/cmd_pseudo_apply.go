package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
	"github.com/qcode-dev/qcode/index"
)

// pseudoApplyOut is what 'pseudo apply --json' prints.
type pseudoApplyOut struct {
	DryRun       bool                           `json:"dry_run"`
	Action       string                         `json:"action,omitempty"`
	Replacements int                            `json:"replacements"`
	Documents    []coding.PseudonymisedDocument `json:"documents"`
	Fields       []coding.PseudonymisedField    `json:"fields"`
	Entries      []pseudoEntryCount             `json:"entries"`
	Purge        *pseudoPurgeOut                `json:"purge,omitempty"`
}

// pseudoEntryCount is one key entry and how many runs of it were
// replaced. Real is only filled with --show-real.
type pseudoEntryCount struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Pseudonym string `json:"pseudonym"`
	Doc       string `json:"doc,omitempty"`
	Real      string `json:"real,omitempty"`
	Count     int    `json:"count"`
}

type pseudoPurgeOut struct {
	coding.PurgeReport
	// Indexed counts the documents of the rebuilt search index.
	Indexed int `json:"indexed"`
}

func (a *app) pseudoApplyCmd() *cobra.Command {
	var dryRun, purge, yes, showReal, asJSON bool
	var keyPath string
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Replace every real value of the key in the project: new versions, codings carried",
		Long: `Apply replaces every real value of the pseudonym key (in every case form)
with its pseudonym, everywhere in the project, as one action that 'qcode undo'
takes back:

  - every document whose text holds a real value gets a new version with
    the values replaced; its codings, memos, turns and times are carried to
    the new version by position (a coding that began or ended inside a name
    covers the whole pseudonym);
  - speakers' names, cases' names, document and case attributes, memos,
    codes' names and descriptions, and documents' names are replaced where
    they are.

The report counts the replacements per document and per key entry, naming
entries by id, kind and pseudonym; --show-real adds the real values (only
for your eyes: terminals get pasted).

Apply keeps the earlier versions (and the history keeps the old values), so
the project still holds the originals. --purge-originals removes them for
good, after apply: the earlier versions and all that hangs on them, the
whole undo history, every file in sources/ but the current versions' (each
rewritten as its pseudonymised text), sources/.undone, backups/ and the
search index (rebuilt), then vacuums the database and empties its log.
It asks first on a terminal; --yes answers for scripts. It cannot be undone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dryRun && purge {
				return errors.New("--dry-run writes nothing and --purge-originals removes for good: run apply --dry-run first, then apply --purge-originals")
			}
			if purge && !yes {
				if err := a.confirmPurge(); err != nil {
					return err
				}
			}
			return a.withStore(func(s *coding.Store) error {
				k, err := a.applyKey(s, keyPath)
				if err != nil {
					return err
				}
				rep, err := s.Pseudonymise(a.ctx, keyReplacer(k.Entries), dryRun)
				if err != nil {
					return fmt.Errorf("pseudo apply: %w", err)
				}
				out := pseudoApplyOut{DryRun: dryRun, Action: rep.Op.Label, Replacements: rep.Replacements,
					Documents: rep.Documents, Fields: rep.Fields, Entries: entryCounts(k.Entries, rep.Entries, showReal)}
				if !dryRun && !purge {
					a.updateIndex(s)
				}
				if purge {
					pr, err := s.PurgeOriginals(a.ctx)
					if err != nil {
						a.printApply(out, asJSON)
						return fmt.Errorf("pseudo apply: the values are replaced, but %w", err)
					}
					out.Purge = &pseudoPurgeOut{PurgeReport: pr}
					ix, st, err := index.Rebuild(a.ctx, s, index.Options{})
					if err != nil {
						a.printApply(out, asJSON)
						return fmt.Errorf("pseudo apply: purged, but the search index was not rebuilt (the next search builds it): %w", err)
					}
					ix.Close()
					out.Purge.Indexed = st.Updated
				}
				return a.printApply(out, asJSON)
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&dryRun, "dry-run", false, "report what would be replaced; change nothing")
	fl.BoolVar(&purge, "purge-originals", false, "then remove every earlier version, the undo history, old files in sources/, backups/ and the search index, for good")
	fl.BoolVar(&yes, "yes", false, "with --purge-originals: do not ask (needed without a terminal)")
	fl.BoolVar(&showReal, "show-real", false, "name each key entry's real value in the report")
	fl.StringVar(&keyPath, "key", "", "the pseudonym key file (default: $QCODE_KEY, else the project's key in your config folder)")
	fl.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// confirmPurge asks on a terminal before a purge, and refuses without one.
func (a *app) confirmPurge() error {
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || !isTerminal(a.stderr) {
		return errors.New("--purge-originals removes the original texts for good and asks first; without a terminal to ask on, add --yes")
	}
	fmt.Fprint(a.stderr, `This replaces the real values, then removes for good every earlier version of
every document, the whole undo history, the original files in sources/, the
backups in backups/ and the search index (rebuilt). It cannot be undone.
Type "purge" to go on: `)
	line, _ := bufio.NewReader(f).ReadString('\n')
	if strings.TrimSpace(line) != "purge" {
		return errors.New("nothing done: the purge was not confirmed")
	}
	return nil
}

// applyKey is the key in force for apply: --key, else $QCODE_KEY, else
// the default. One that lacks entries the project has in force, or has
// none, is refused: apply would leave real values behind or do nothing.
func (a *app) applyKey(s *coding.Store, keyPath string) (*pseudo.Key, error) {
	if keyPath == "" {
		keyPath = a.getenv("QCODE_KEY")
	}
	k, err := pseudo.InForce(a.ctx, s, keyPath)
	if err != nil {
		return nil, fmt.Errorf("pseudo apply: %w", err)
	}
	if len(k.Entries) == 0 {
		return nil, fmt.Errorf("pseudo apply: the project has no pseudonyms yet (key %s); add pairs with 'qcode pseudo add REAL PSEUDONYM'", k.Path)
	}
	return k, nil
}

// keyReplacer finds the key's entries for the store: in a document's
// text those for every document and for that one; in text of no one
// document (a code, a case, the project's memo) every entry, wherever
// it is limited to.
func keyReplacer(entries []pseudo.Entry) coding.Replacer {
	inDoc := pseudo.NewMatcher(entries)
	all := make([]pseudo.Entry, len(entries))
	for i, e := range entries {
		e.Doc = ""
		all[i] = e
	}
	anywhere := pseudo.NewMatcher(all)
	return func(doc, text string) []coding.Replacement {
		m := inDoc
		if doc == "" {
			m = anywhere
		}
		ms := m.Find(doc, text)
		if len(ms) == 0 {
			return nil
		}
		out := make([]coding.Replacement, len(ms))
		for i, x := range ms {
			out[i] = coding.Replacement{Start: x.Start, End: x.End, With: x.Entry.Pseudonym, Entry: x.Entry.ID}
		}
		return out
	}
}

// entryCounts lists every entry in force with its count, by id; the
// real value only when asked.
func entryCounts(entries []pseudo.Entry, counts []coding.EntryCount, showReal bool) []pseudoEntryCount {
	n := map[string]int{}
	for _, c := range counts {
		n[c.Entry] = c.Count
	}
	out := make([]pseudoEntryCount, 0, len(entries))
	for _, e := range entries {
		c := pseudoEntryCount{ID: e.ID, Kind: string(e.Kind), Pseudonym: e.Pseudonym, Doc: e.Doc, Count: n[e.ID]}
		if showReal {
			c.Real = e.Real
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// printApply writes the report.
func (a *app) printApply(out pseudoApplyOut, asJSON bool) error {
	if asJSON {
		return a.printJSON(out)
	}
	w := a.stdout
	verb, nothing := "Pseudonymised", "Nothing to replace: no real value of the key is in the project."
	if out.DryRun {
		verb = "Would pseudonymise"
		nothing = "Nothing would be replaced: no real value of the key is in the project."
	}
	if out.Replacements == 0 {
		fmt.Fprintln(w, nothing)
	} else {
		fmt.Fprintf(w, "%s %s and %s (%s).\n", verb, plural(len(out.Documents), "document", "documents"),
			plural(len(out.Fields), "other value", "other values"), plural(out.Replacements, "replacement", "replacements"))
	}
	for _, d := range out.Documents {
		fmt.Fprintf(w, "  %s: version %d → %d, %s; codings %d moved, %d changed, %d orphaned",
			d.Document, d.FromVersion, d.ToVersion, plural(d.Replacements, "replacement", "replacements"), d.Moved, d.Changed, d.Orphaned)
		if d.Memos > 0 {
			fmt.Fprintf(w, ", %s", plural(d.Memos, "memo", "memos"))
		}
		fmt.Fprintln(w)
		if len(d.OrphanIDs) > 0 {
			ids := make([]string, len(d.OrphanIDs))
			for i, id := range d.OrphanIDs {
				ids[i] = fmt.Sprint(id)
			}
			fmt.Fprintf(w, "    left on version %d (see 'qcode doc orphans'): codings %s\n", d.FromVersion, strings.Join(ids, ", "))
		}
	}
	if len(out.Fields) > 0 {
		fmt.Fprintln(w, "Also replaced:")
		for _, f := range out.Fields {
			line := fmt.Sprintf("  %s %d (%s)", f.Field, f.ID, f.Where)
			if f.Now != "" && !strings.Contains(f.Where, f.Now) {
				line += " now " + f.Now
			}
			line += ": " + plural(f.Replacements, "replacement", "replacements")
			if f.Note != "" {
				line += "; " + f.Note
			}
			fmt.Fprintln(w, line)
		}
	}
	if len(out.Entries) > 0 {
		fmt.Fprintln(w, "By key entry:")
		for _, e := range out.Entries {
			line := fmt.Sprintf("  %-10s %-6s %s", e.ID, e.Kind, e.Pseudonym)
			if e.Doc != "" {
				line += " (in " + e.Doc + ")"
			}
			if e.Real != "" {
				line += " ← " + e.Real
			}
			fmt.Fprintf(w, "%s: %d\n", line, e.Count)
		}
	}
	switch {
	case out.DryRun:
		fmt.Fprintln(w, "Dry run: nothing was changed.")
	case out.Action != "" && out.Purge == nil:
		fmt.Fprintln(w, "One action: 'qcode undo' makes the earlier versions current again. The project still holds the originals (earlier versions, history); --purge-originals removes them.")
	}
	if p := out.Purge; p != nil {
		fmt.Fprintf(w, "Purged the originals: %s (with %s and %s left on them), %s of carried codings, the history of %s (undo and redo cannot go back past this point), %s in sources/ (%s rewritten as the pseudonymised text), %s in backups/",
			plural(p.Versions, "earlier version", "earlier versions"), plural(p.Codings, "coding", "codings"), plural(p.Memos, "memo", "memos"),
			plural(p.Carried, "record", "records"), plural(p.Actions, "action", "actions"),
			plural(p.Sources, "file", "files"), plural(p.Rewritten, "current version's original", "current versions' originals"),
			plural(p.Backups, "file", "files"))
		if p.Debris > 0 {
			fmt.Fprintf(w, ", %s of debris", plural(p.Debris, "file", "files"))
		}
		fmt.Fprintf(w, "; the search index was rebuilt (%s); %s vacuumed (%s → %s) and its log emptied.\n",
			plural(p.Indexed, "document", "documents"), coding.DBFile, byteSize(p.BytesBefore), byteSize(p.BytesAfter))
	}
	return nil
}

// byteSize is n bytes for a person.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
