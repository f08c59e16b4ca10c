package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/text/unicode/norm"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
)

func (a *app) pseudoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pseudo",
		Short: "Pseudonyms: find what identifies, keep a key outside the project, check files for leaks",
		Long: `Pseudo replaces what identifies a participant (a name, a town, a workplace,
an address) with a bracketed pseudonym such as [Participant 3] or [город].

The key that pairs each real value with its pseudonym lives OUTSIDE the
project folder, so handing over the folder or any export never hands over
the key: by default in your config folder
($XDG_CONFIG_HOME/qcode/keys/<project id>.json, see 'qcode pseudo key path'),
mode 0600; a key readable by others is refused. Give another file with
--key FILE or $QCODE_KEY (an encrypted volume, say); a file inside the
project folder is refused.

A real value matches whole words only, whatever the case, with ё as е, and
a Russian word of four letters or more in every case form: "Анна" finds
Анна, Анны, Анне, Анну, Анной, but not Ганна; "Sasha" is not found in
Sashimi. Shorter words match their exact form only. Where entries overlap
the longer wins ("Анна Петрова" before "Анна").

The workflow:
  qcode pseudo suggest                      what may identify someone
  qcode pseudo add "Анна" "Participant 3"   a pair (undo with 'qcode undo')
  qcode pseudo list                         the pairs in force
  qcode pseudo apply                        de-identify the project's texts
  qcode pseudo check export.docx            no real value in what you send

What it does not protect against: voices in audio, faces in video, and a
story so particular that the people around a participant would know it.`,
		Example: `  qcode pseudo suggest --min 2
  qcode pseudo add "Анна Петрова" "[Participant 3]" --kind person
  qcode pseudo add "Тбилиси" "[город]" --kind place
  qcode pseudo rm "Анна Петрова"
  qcode pseudo check quotes.md project.qdpx
  qcode pseudo key export --to age1… -o key.age`,
	}
	cmd.PersistentFlags().String("key", "", "the key file (default: $QCODE_KEY, else your config folder: 'qcode pseudo key path'); never inside the project folder")
	cmd.AddCommand(a.pseudoSuggestCmd(), a.pseudoAddCmd(), a.pseudoListCmd(), a.pseudoRmCmd(),
		a.pseudoApplyCmd(), a.pseudoCheckCmd(), a.pseudoKeyCmd())
	return cmd
}

// keyOverride is the key file the user named: --key, else $QCODE_KEY, else
// "" (the default place).
func (a *app) keyOverride(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("key"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return a.getenv("QCODE_KEY")
}

// pseudoKey is the key of the project s for a pseudo command (see
// pseudo.KeyFor), with the entries the project has in force.
func (a *app) pseudoKey(cmd *cobra.Command, s *coding.Store) (*pseudo.Key, error) {
	return pseudo.KeyFor(a.ctx, s, a.keyOverride(cmd))
}

func (a *app) pseudoAddCmd() *cobra.Command {
	var doc, kind string
	cmd := &cobra.Command{
		Use:   "add REAL PSEUDONYM",
		Short: "Add a pair to the key: a real value and its bracketed pseudonym",
		Long: `Add records that REAL (a name, a place, an organisation, an address) is to
be replaced by PSEUDONYM. The real value goes to the key file outside the
project; the project records only the entry's id and pseudonym, so the
change is undone with 'qcode undo' like any other.

The pseudonym is a bracketed tag, so that no wrong inflection is made
("[Participant 3]", "[город]"); one given without brackets is wrapped.
A pseudonym that holds a real value of the key is refused, and so is a
real value that a pseudonym holds.`,
		Example: `  qcode pseudo add "Анна" "Participant 3"
  qcode pseudo add "Анна Петрова" "[Participant 3]"
  qcode pseudo add "Мемориал" "[НКО]" --kind org
  qcode pseudo add "Руставели" "[улица]" --kind place --doc R07`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := pseudo.ParseKind(kind)
			if err != nil {
				return fmt.Errorf("--kind: %w", err)
			}
			real := norm.NFC.String(strings.TrimSpace(args[0]))
			pn := norm.NFC.String(strings.TrimSpace(args[1]))
			if real == "" {
				return errors.New("pseudo add: the real value is empty")
			}
			if pseudo.NewMatcher([]pseudo.Entry{{ID: "x", Real: real, Pseudonym: "[x]", Kind: k}}).Empty() {
				return fmt.Errorf("pseudo add: %q has no letter or digit: it would never be found", real)
			}
			if !pseudo.Bracketed(pn) {
				if strings.ContainsAny(pn, "[]") || strings.TrimSpace(pn) == "" {
					return fmt.Errorf("pseudo add: pseudonym %q: want a tag in square brackets, like [Participant 3]", pn)
				}
				pn = "[" + pn + "]"
				fmt.Fprintf(a.stderr, "note: the pseudonym is %s (a bracketed tag: no wrong inflection in the text)\n", pn)
			}
			return a.withStore(func(s *coding.Store) error {
				if doc != "" {
					d, err := s.Document(a.ctx, doc, false)
					if err != nil {
						return fmt.Errorf("--doc %s: %w", doc, err)
					}
					doc = d.Name
				}
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				e := pseudo.Entry{Real: real, Pseudonym: pn, Kind: k, Doc: doc}
				if err := checkNewEntry(key, e); err != nil {
					return err
				}
				// An entry removed earlier keeps its id.
				for _, old := range key.All() {
					if sameReal(old, e) {
						e.ID = old.ID
					}
				}
				_, statErr := os.Stat(key.Path)
				e, err = key.Put(e)
				if err != nil {
					return fmt.Errorf("pseudo add: %w", err)
				}
				if err := key.Save(); err != nil {
					return err
				}
				if errors.Is(statErr, fs.ErrNotExist) {
					fmt.Fprintf(a.stderr, "note: the key is %s (outside the project, mode 0600); keep it safe and back it up: without it, pseudonyms cannot be traced back\n", key.Path)
				}
				if _, err := s.AddPseudonymEntry(a.ctx, coding.PseudonymEntry{EntryID: e.ID, Pseudonym: e.Pseudonym, Kind: string(e.Kind), Doc: e.Doc}); err != nil {
					return fmt.Errorf("pseudo add: %w", err)
				}
				where := "every document"
				if e.Doc != "" {
					where = e.Doc
				}
				fmt.Fprintf(a.stdout, "Added %s: %q → %s (%s, %s). ('qcode undo' takes it back.)\n", e.ID, e.Real, e.Pseudonym, e.Kind, where)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&doc, "doc", "", "only in this document")
	cmd.Flags().StringVar(&kind, "kind", "person", "what the value names: person, place, org or other")
	return cmd
}

// sameReal reports whether two entries are for the same value in the
// same document.
func sameReal(a, b pseudo.Entry) bool {
	fa := strings.ToLower(strings.ReplaceAll(strings.Join(strings.Fields(a.Real), " "), "ё", "е"))
	fb := strings.ToLower(strings.ReplaceAll(strings.Join(strings.Fields(b.Real), " "), "ё", "е"))
	return fa == fb && a.Doc == b.Doc
}

// checkNewEntry refuses an entry that is in force already, a pseudonym
// holding a real value of the key, and a real value a pseudonym holds.
func checkNewEntry(key *pseudo.Key, e pseudo.Entry) error {
	for _, old := range key.Entries {
		if sameReal(old, e) {
			return fmt.Errorf("pseudo add: %q is in the key already as %s → %s; 'qcode pseudo rm %s' first to change it", e.Real, old.ID, old.Pseudonym, old.ID)
		}
	}
	if ms := pseudo.CheckMatcher(append(key.All(), e)).Find("", e.Pseudonym); len(ms) > 0 {
		return fmt.Errorf("pseudo add: the pseudonym %s holds the real value %q (%s): pick one that names no one", e.Pseudonym, ms[0].Entry.Real, entryName(ms[0].Entry, e))
	}
	m := pseudo.CheckMatcher([]pseudo.Entry{e})
	for _, old := range key.Entries {
		if ms := m.Find("", old.Pseudonym); len(ms) > 0 {
			return fmt.Errorf("pseudo add: the pseudonym %s of entry %s holds %q: it would be taken for a real value", old.Pseudonym, old.ID, e.Real)
		}
	}
	return nil
}

func entryName(x, added pseudo.Entry) string {
	if x.ID == "" || x.Real == added.Real && x.Pseudonym == added.Pseudonym {
		return "the value being added"
	}
	return "entry " + x.ID
}

// pseudoListJSON is what 'pseudo list --json' prints.
type pseudoListJSON struct {
	Key     string         `json:"key"`
	Entries []pseudo.Entry `json:"entries"`
	// Missing are ids in force whose value the key file does not hold.
	Missing []string `json:"missing,omitempty"`
	// Removed counts the entries the file keeps for redo.
	Removed int `json:"removed"`
}

func (a *app) pseudoListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the pairs of the key in force",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				missing, err := pseudo.Missing(a.ctx, s, key)
				if err != nil {
					return err
				}
				es := append([]pseudo.Entry{}, key.Entries...)
				sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
				out := pseudoListJSON{Key: key.Path, Entries: es, Missing: missing, Removed: len(key.All()) - len(es)}
				if asJSON {
					return a.printJSON(out)
				}
				if len(es) == 0 && len(missing) == 0 {
					fmt.Fprintf(a.stdout, "No pairs in force. Add one with 'qcode pseudo add REAL PSEUDONYM'; see 'qcode pseudo suggest'.\n")
				} else {
					tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tREAL\tPSEUDONYM\tKIND\tDOCUMENT")
					for _, e := range es {
						doc := e.Doc
						if doc == "" {
							doc = "(all)"
						}
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Real, e.Pseudonym, e.Kind, doc)
					}
					tw.Flush()
				}
				for _, id := range missing {
					fmt.Fprintf(a.stderr, "warning: entry %s is in force but its value is not in the key %s (forgotten, or another machine's key: 'qcode pseudo key import')\n", id, key.Path)
				}
				fmt.Fprintf(a.stderr, "key: %s\n", key.Path)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) pseudoRmCmd() *cobra.Command {
	var forget bool
	cmd := &cobra.Command{
		Use:   "rm REAL|ID",
		Short: "Take a pair out of force (undoable); --forget also erases the real value",
		Long: `Rm takes the pair named by its real value or its id out of force. The key
file keeps the value so that 'qcode undo' can bring the pair back; with
--forget the value is erased from the key file too, and no undo brings
it back.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				ref := norm.NFC.String(strings.TrimSpace(args[0]))
				e, inForce, err := findEntry(key, ref)
				if err != nil {
					return err
				}
				if inForce {
					if _, err := s.RemovePseudonymEntry(a.ctx, e.ID); err != nil {
						return fmt.Errorf("pseudo rm: %w", err)
					}
				}
				if forget {
					key.Forget(e.ID)
					if err := key.Save(); err != nil {
						return fmt.Errorf("pseudo rm: the pair is out of force, but its value is still in the key: %w", err)
					}
				}
				switch {
				case inForce && forget:
					fmt.Fprintf(a.stdout, "Removed %s (%s) and erased its value from the key: 'qcode undo' puts the id back in force, not the value.\n", e.ID, e.Pseudonym)
				case inForce:
					fmt.Fprintf(a.stdout, "Removed %s: %q → %s. ('qcode undo' brings it back.)\n", e.ID, e.Real, e.Pseudonym)
				default:
					fmt.Fprintf(a.stdout, "Erased %s from the key.\n", e.ID)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&forget, "forget", false, "also erase the real value from the key file (no undo brings it back)")
	return cmd
}

// findEntry finds the entry ref names: an id, else a real value, among
// the entries in force, else among the key file's others.
func findEntry(key *pseudo.Key, ref string) (pseudo.Entry, bool, error) {
	look := func(es []pseudo.Entry) ([]pseudo.Entry, error) {
		for _, e := range es {
			if e.ID == ref {
				return []pseudo.Entry{e}, nil
			}
		}
		var hits []pseudo.Entry
		for _, e := range es {
			if sameReal(e, pseudo.Entry{Real: ref, Doc: e.Doc}) {
				hits = append(hits, e)
			}
		}
		if len(hits) > 1 {
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			return nil, fmt.Errorf("pseudo rm: %q is in the key %d times (%s): name one by its id", ref, len(hits), strings.Join(ids, ", "))
		}
		return hits, nil
	}
	hits, err := look(key.Entries)
	if err != nil || len(hits) == 1 {
		if err != nil {
			return pseudo.Entry{}, false, err
		}
		return hits[0], true, nil
	}
	hits, err = look(key.All())
	if err != nil {
		return pseudo.Entry{}, false, err
	}
	if len(hits) == 1 {
		return hits[0], false, fmt.Errorf("pseudo rm: %s (%s) is not in force; 'qcode pseudo rm %s --forget' erases it from the key", hits[0].ID, hits[0].Pseudonym, hits[0].ID)
	}
	return pseudo.Entry{}, false, fmt.Errorf("pseudo rm: no pair %q in the key: see 'qcode pseudo list'", ref)
}

func (a *app) pseudoSuggestCmd() *cobra.Command {
	var asJSON bool
	var min int
	cmd := &cobra.Command{
		Use:   "suggest [DOC]",
		Short: "List what may identify someone, with counts and a line of context",
		Long: `Suggest lists candidates for the key, in every document or in DOC, with
how often each occurs and the first line it is in:

  speaker     the speakers' names (generic labels like "Interviewer" aside)
  name        capitalised words and runs of them that do not start a
              sentence (names, places, organisations; Cyrillic and Latin),
              less weekdays, months and pronouns, and less words written
              more often in lower case elsewhere (мир, вера)
  email, phone, url
  birth-date  a date near "born", "родился/родилась", "д.р."
  address     a number next to street, st., avenue, улица, ул., дом, д.,
              квартира, кв., проспект, пр.

A Russian name's case forms are one candidate (Анна, Анну, Анной), shown
by the form that, added to the key, finds all of them. Candidates already
in the key are marked. The list is printed here, for you: it holds the
real values.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				ref := ""
				if len(args) == 1 {
					ref = args[0]
				}
				var docs []pseudo.SuggestDoc
				if ref != "" {
					d, err := s.Document(a.ctx, ref, true)
					if err != nil {
						return err
					}
					docs = append(docs, pseudo.SuggestDoc{Name: d.Name, Text: d.Text})
				} else {
					ds, err := s.Documents(a.ctx, false)
					if err != nil {
						return err
					}
					for _, d := range ds {
						text, err := s.DocumentText(a.ctx, d.ID)
						if err != nil {
							return err
						}
						docs = append(docs, pseudo.SuggestDoc{Name: d.Name, Text: text})
					}
				}
				sp, err := s.Speakers(a.ctx, ref)
				if err != nil {
					return err
				}
				var names []string
				for _, x := range sp {
					names = append(names, x.Name)
				}
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				cs := pseudo.Suggest(docs, pseudo.SuggestOptions{Speakers: names, Known: pseudo.NewMatcher(key.Entries), Min: min})
				if asJSON {
					if cs == nil {
						cs = []pseudo.Candidate{}
					}
					return a.printJSON(map[string]any{"candidates": cs})
				}
				if len(cs) == 0 {
					fmt.Fprintln(a.stdout, "Nothing found that looks like a name, an address, a phone number, an e-mail or a URL.")
					return nil
				}
				for _, c := range cs {
					line := fmt.Sprintf("%5d  %-10s  %s", c.Count, c.Type, c.Value)
					if len(c.Forms) > 1 {
						line += "  (" + strings.Join(c.Forms, ", ") + ")"
					}
					if c.InKey != "" {
						line += "  [in the key: " + c.InKey + "]"
					}
					fmt.Fprintln(a.stdout, line)
					if c.Doc != "" {
						fmt.Fprintf(a.stdout, "       %s:%d: %s\n", c.Doc, c.Line, c.Context)
					}
				}
				fmt.Fprintln(a.stderr, `Add a pair with: qcode pseudo add "REAL" "[PSEUDONYM]" --kind person|place|org|other`)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().IntVar(&min, "min", 1, "only candidates seen at least N times")
	return cmd
}

func (a *app) pseudoCheckCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check FILE|DIR...",
		Short: "Check files for any real value of the key before they leave the machine",
		Long: `Check reads each FILE (a folder: every file in it) and reports every real
value of the key in it, in any case form, as FILE:LINE, with the key entry
it matches; it exits non-zero when it finds one. It reads .md, .tex, .txt,
.csv, .json (also \u escapes), .docx (the text of the body, footnotes,
comments, headers and footers, and the properties) and .qdpx (project.qde
and every source text in it); any other file is read as text when it is
UTF-8, else refused by name. Every entry of the key counts, also those
limited to one document.`,
		Example: `  qcode pseudo check quotes.md codebook.docx project.qdpx
  qcode pseudo check exports/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				if len(key.Entries) == 0 {
					return errors.New("pseudo check: the key has no pair in force: nothing to look for ('qcode pseudo add')")
				}
				files, err := expandFiles(args)
				if err != nil {
					return err
				}
				m := pseudo.CheckMatcher(key.Entries)
				var all []pseudo.Finding
				var bad []string
				for _, f := range files {
					fs, err := pseudo.Check(f, m)
					if err != nil {
						bad = append(bad, err.Error())
						continue
					}
					all = append(all, fs...)
				}
				if asJSON {
					if all == nil {
						all = []pseudo.Finding{}
					}
					if err := a.printJSON(map[string]any{"files": len(files), "findings": all, "errors": bad}); err != nil {
						return err
					}
				} else {
					for _, f := range all {
						fmt.Fprintf(a.stdout, "%s: %q matches key entry %s (%s)\n", f.Where(), f.Text, f.Entry.ID, f.Entry.Kind)
					}
				}
				for _, b := range bad {
					fmt.Fprintf(a.stderr, "qcode: pseudo check: %s\n", b)
				}
				switch {
				case len(all) > 0:
					fmt.Fprintf(a.stderr, "%s found in %s: do not send them as they are.\n", plural(len(all), "real value", "real values"), plural(len(files), "file", "files"))
					return errSilent
				case len(bad) > 0:
					fmt.Fprintf(a.stderr, "%s not checked.\n", plural(len(bad), "file", "files"))
					return errSilent
				}
				if !asJSON {
					fmt.Fprintf(a.stdout, "No real value found in %s.\n", plural(len(files), "file", "files"))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

// expandFiles lists the files named, folders walked, in order.
func expandFiles(args []string) ([]string, error) {
	var out []string
	for _, p := range args {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("pseudo check: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("pseudo check: %w", err)
		}
	}
	return out, nil
}

func (a *app) pseudoKeyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Where the key is; move it between machines, encrypted",
	}
	path := &cobra.Command{
		Use:   "path",
		Short: "Print where this project's key is",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, key.Path)
				if _, err := os.Stat(key.Path); errors.Is(err, fs.ErrNotExist) {
					fmt.Fprintln(a.stderr, "note: no key there yet; 'qcode pseudo add' makes it")
				}
				return nil
			})
		},
	}
	var to, out string
	var armor, force bool
	export := &cobra.Command{
		Use:   "export --to RECIPIENT -o FILE.age",
		Short: "Write the key encrypted to an age public key, to move it to another machine",
		Long: `Export writes the whole key (also the entries kept for undo) encrypted to
RECIPIENT, an age public key (age1…; make one with 'age-keygen'). Only
the holder of the matching identity can read it: 'qcode pseudo key
import FILE.age --identity KEYFILE' on the other machine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" || out == "" {
				return errors.New("pseudo key export: give --to RECIPIENT (an age public key, age1…) and -o FILE")
			}
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				if len(key.All()) == 0 {
					return fmt.Errorf("pseudo key export: the key %s is empty", key.Path)
				}
				if in, err := pseudo.InsideProject(out, s.Dir()); err != nil || in {
					return fmt.Errorf("pseudo key export: %s is inside the project folder; write the key elsewhere", out)
				}
				if _, err := os.Lstat(out); err == nil && !force {
					return fmt.Errorf("pseudo key export: %s exists; --force to overwrite it", out)
				}
				b, err := key.Encrypt(to, armor)
				if err != nil {
					return fmt.Errorf("pseudo key export: %w", err)
				}
				if err := pseudo.WritePrivate(out, b); err != nil {
					return fmt.Errorf("pseudo key export: %w", err)
				}
				fmt.Fprintf(a.stdout, "Wrote the key (%s) to %s, encrypted to %s.\n", plural(len(key.All()), "entry", "entries"), out, to)
				return nil
			})
		},
	}
	export.Flags().StringVar(&to, "to", "", "the age public key (age1…) to encrypt to")
	export.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	export.Flags().BoolVarP(&armor, "armor", "a", false, "write ASCII (PEM-like) text instead of binary")
	export.Flags().BoolVar(&force, "force", false, "overwrite the file")
	var identity string
	imp := &cobra.Command{
		Use:   "import FILE.age --identity KEYFILE",
		Short: "Read a key exported with 'key export' into this project's key",
		Long: `Import decrypts FILE.age with the age identity in KEYFILE and adds its
entries to this project's key (the key must be this project's; an entry
both keys hold with different values is refused).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if identity == "" {
				return errors.New("pseudo key import: give --identity KEYFILE (the age identity the key was encrypted to)")
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("pseudo key import: %w", err)
			}
			id, err := os.ReadFile(identity)
			if err != nil {
				return fmt.Errorf("pseudo key import: %w", err)
			}
			return a.withStore(func(s *coding.Store) error {
				key, err := a.pseudoKey(cmd, s)
				if err != nil {
					return err
				}
				in, err := pseudo.Decrypt(data, id, key.Path, key.Project)
				if err != nil {
					return fmt.Errorf("pseudo key import %s: %w", args[0], err)
				}
				n, err := key.Merge(in)
				if err != nil {
					return fmt.Errorf("pseudo key import %s: %w", args[0], err)
				}
				if err := key.Save(); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Imported %s into %s.\n", plural(n, "new entry", "new entries"), key.Path)
				return nil
			})
		},
	}
	imp.Flags().StringVar(&identity, "identity", "", "the age identity file to decrypt with")
	cmd.AddCommand(path, export, imp)
	return cmd
}
