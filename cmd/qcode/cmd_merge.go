package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
)

// mergeJSON is the stable shape of 'qcode merge --json'.
type mergeJSON struct {
	From   string `json:"from"`
	DryRun bool   `json:"dry_run"`
	Backup string `json:"backup,omitempty"`
	// Notes say what a .qdpx held that could not come over as it was.
	Notes   []string            `json:"notes,omitempty"`
	Summary coding.MergeSummary `json:"summary"`
}

func (a *app) mergeCmd() *cobra.Command {
	var dry, versions, asJSON bool
	cmd := &cobra.Command{
		Use:   "merge OTHER.qcode|OTHER.qdpx",
		Short: "Bring another copy's codings into this project (team coding)",
		Long: `Merge brings another coder's copy of the project (a .qcode folder) or a
REFI-QDA project exported by another program (.qdpx) into this project:

  documents   matched by their text, not their name; new ones are added
  coders      matched by name
  codes       matched by GUID, then by path (Parent/Child); new ones added
  codings     added unless the same coder already coded the same span with
              the same code here, so merging twice changes nothing
  memos       added unless already here
  attributes  added where this project has none; a different value is a
              conflict and this project's value stays

A later version of a document both projects share (a transcript the other
coder re-imported) comes in as its next version. A document whose name is
taken here by an unrelated text is a conflict: it is left out with its
codings, unless --new-versions adds it as the next version of that document. A code renamed differently on the two sides is a
conflict too; this project's name stays. The summary lists every conflict.

Before merging, qcode writes a backup of the project database to
backups/project-YYYYMMDD-HHMMSS.db in the project folder. The merge is one
action: 'qcode undo' takes all of it back. The other project is only read.`,
		Example: `  qcode merge ../pavel/study.qcode --dry-run
  qcode merge ../pavel/study.qcode
  qcode merge nvivo-export.qdpx --new-versions`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				from := args[0]
				snap, notes, err := a.readOther(s, from)
				if err != nil {
					return err
				}
				label := "merge " + filepath.Base(strings.TrimRight(from, string(filepath.Separator)))
				opt := coding.MergeOptions{Label: label, DryRun: true, NewVersions: versions}
				// A dry run first: input the merge refuses leaves no
				// backup behind either.
				sum, op, err := s.Merge(a.ctx, snap, opt)
				if err != nil {
					return err
				}
				out := mergeJSON{From: from, DryRun: dry, Notes: notes}
				if !asJSON {
					for _, n := range notes {
						fmt.Fprintf(a.stderr, "note: %s\n", n)
					}
				}
				if !dry && sum.Added() {
					if out.Backup, err = s.Backup(a.ctx); err != nil {
						return fmt.Errorf("merge %s: %w", from, err)
					}
					if !asJSON {
						fmt.Fprintf(a.stdout, "Backup of the project before the merge: %s\n", out.Backup)
					}
					opt.DryRun = false
					if sum, op, err = s.Merge(a.ctx, snap, opt); err != nil {
						return err
					}
				}
				out.Summary = sum
				if asJSON {
					return a.printJSON(out)
				}
				a.printMergeSummary(from, sum, op, dry)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&dry, "dry-run", false, "show what the merge would do, change nothing")
	cmd.Flags().BoolVar(&versions, "new-versions", false, "add a document whose name is taken here by another text as its next version, with its codings")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// readOther reads the project to merge: a project folder, read-only, or
// a REFI-QDA file.
func (a *app) readOther(s *coding.Store, from string) (*coding.Snapshot, []string, error) {
	st, err := os.Stat(from)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("merge %s: no such file or folder", from)
		}
		return nil, nil, fmt.Errorf("merge %s: %w", from, err)
	}
	switch {
	case st.IsDir():
		if same(filepath.Join(from, coding.DBFile), filepath.Join(s.Dir(), coding.DBFile)) {
			return nil, nil, fmt.Errorf("merge %s: that is this project itself; give another copy", from)
		}
		snap, err := coding.ReadSnapshot(a.ctx, from)
		if err != nil {
			return nil, nil, fmt.Errorf("merge: %w", err)
		}
		return snap, nil, nil
	case strings.EqualFold(filepath.Ext(from), ".qdpx"):
		return a.readQDPX(from)
	case strings.EqualFold(filepath.Ext(from), ".qdc") || strings.EqualFold(filepath.Ext(from), ".qde"):
		return nil, nil, fmt.Errorf("merge %s: a codebook file, not a project (a .qcode folder or a .qdpx): 'qcode import-codebook %s' merges its codes", from, from)
	case filepath.Base(from) == coding.DBFile:
		return nil, nil, fmt.Errorf("merge %s: give the project folder (%s), not its database", from, filepath.Dir(from))
	}
	return nil, nil, fmt.Errorf("merge %s: neither a project folder (NAME.qcode) nor a REFI-QDA project (.qdpx)", from)
}

// same reports whether two paths name the same existing file.
func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// printMergeSummary writes what a merge did, or would do, for a person.
func (a *app) printMergeSummary(from string, sum coding.MergeSummary, op coding.Op, dry bool) {
	w := a.stdout
	switch {
	case dry:
		fmt.Fprintf(w, "Dry run, nothing changed. Merging %s would add:\n", from)
	case !sum.Added():
		fmt.Fprintf(w, "Nothing to merge: everything in %s is here already.\n", from)
	default:
		fmt.Fprintf(w, "Merged %s:\n", from)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	docs := fmt.Sprintf("%d added, %d already here", sum.Documents, sum.MatchedDocuments)
	if sum.Versions > 0 {
		docs += fmt.Sprintf(", %s", plural(sum.Versions, "new version", "new versions"))
	}
	fmt.Fprintf(tw, "  documents\t%s\n", docs)
	fmt.Fprintf(tw, "  coders\t%d added\n", sum.Coders)
	codes := fmt.Sprintf("%d added, %d matched", sum.Codes, len(sum.Codebook.ByGUID)+len(sum.Codebook.ByPath))
	if sum.FilledCodes > 0 {
		codes += fmt.Sprintf(", %s filled in", plural(sum.FilledCodes, "colour or description", "colours or descriptions"))
	}
	fmt.Fprintf(tw, "  codes\t%s\n", codes)
	codings := fmt.Sprintf("%d added, %d already here", sum.Codings, sum.SkippedCodings)
	if sum.LeftOutCodings > 0 {
		codings += fmt.Sprintf(", %d left out with their documents", sum.LeftOutCodings)
	}
	fmt.Fprintf(tw, "  codings\t%s\n", codings)
	fmt.Fprintf(tw, "  memos\t%d added\n", sum.Memos)
	fmt.Fprintf(tw, "  attributes\t%d added\n", sum.Attributes)
	if sum.Speakers+sum.SpeakerCases+sum.Cases+sum.CaseAttributes > 0 {
		fmt.Fprintf(tw, "  speakers\t%d added, %d tied to a case\n", sum.Speakers, sum.SpeakerCases)
		fmt.Fprintf(tw, "  cases\t%d added, %d attributes added\n", sum.Cases, sum.CaseAttributes)
	}
	tw.Flush()
	if n := len(sum.Conflicts); n > 0 {
		fmt.Fprintf(w, "\n%s:\n", plural(n, "conflict", "conflicts"))
		for _, c := range sum.Conflicts {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
	if !dry && sum.Added() {
		fmt.Fprintf(w, "\nDone: %s. ('qcode undo' reverts the whole merge.)\n", op.Label)
	}
}
