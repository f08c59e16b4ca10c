package main

import (
	"fmt"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/refiqda"
)

// readQDPX reads a REFI-QDA project for merging, with one sentence for
// each thing it could not take over as it was.
func (a *app) readQDPX(path string) (*coding.Snapshot, []string, error) {
	snap, rep, err := refiqda.ReadProject(path)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: %w", err)
	}
	var notes []string
	for _, k := range rep.SkippedByKind() {
		if k.Kind != "text" {
			notes = append(notes, fmt.Sprintf("skipped %s: qcode codes text only", plural(k.Count, k.Kind+" source", k.Kind+" sources")))
		}
	}
	for _, s := range rep.Skipped {
		if s.Kind == "text" { // empty, missing or unreadable: say why
			notes = append(notes, fmt.Sprintf("skipped text source %s: %s", s.Name, s.Reason))
		}
	}
	for _, c := range rep.Converted {
		notes = append(notes, fmt.Sprintf("%s: positions read as %s", c.Source, c.Reading))
	}
	for _, m := range rep.Mismatches {
		notes = append(notes, fmt.Sprintf("%s: selection %d:%d does not hold %q; its %s left out",
			m.Source, m.Start, m.End, oneLine(m.Name, 40), plural(m.Codings, "coding", "codings")))
	}
	notes = append(notes, rep.Warnings...)
	if snap.Name == "" {
		snap.Name = path
	}
	return snap, notes, nil
}
