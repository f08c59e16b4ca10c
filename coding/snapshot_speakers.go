package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/transcripts"
)

// snapshotPeople reads the cases, and each document's speakers and
// anchors, into snap; docIDs are the ids of snap.Documents, in order.
func snapshotPeople(ctx context.Context, q querier, snap *Snapshot, docIDs []int64) error {
	caseIdx := map[int64]int{}
	err := each(ctx, q, "SELECT id, guid, name, created_at FROM cases ORDER BY name, guid", func(r *sql.Rows) error {
		var id int64
		var c SnapshotCase
		var at string
		if err := r.Scan(&id, &c.GUID, &c.Name, &at); err != nil {
			return err
		}
		c.CreatedAt = parseStamp(at)
		caseIdx[id] = len(snap.Cases)
		snap.Cases = append(snap.Cases, c)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(ctx, q, "SELECT case_id, key, type, value FROM case_attributes ORDER BY case_id, position, key", func(r *sql.Rows) error {
		var id int64
		var a Attribute
		if err := r.Scan(&id, &a.Key, &a.Type, &a.Value); err != nil {
			return err
		}
		if i, ok := caseIdx[id]; ok {
			snap.Cases[i].Attributes = append(snap.Cases[i].Attributes, a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	docIdx := make(map[int64]int, len(docIDs))
	for i, id := range docIDs {
		docIdx[id] = i
	}
	err = each(ctx, q, `SELECT s.doc_id, s.name, s.role, coalesce(c.guid, '')
		FROM speakers s LEFT JOIN cases c ON c.id = s.case_id ORDER BY s.doc_id, s.name`, func(r *sql.Rows) error {
		var id int64
		var sp SnapshotSpeaker
		if err := r.Scan(&id, &sp.Name, &sp.Role, &sp.CaseGUID); err != nil {
			return err
		}
		if i, ok := docIdx[id]; ok {
			snap.Documents[i].Speakers = append(snap.Documents[i].Speakers, sp)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return each(ctx, q, "SELECT doc_id, pos, time_ms FROM anchors ORDER BY doc_id, pos", func(r *sql.Rows) error {
		var id, ms int64
		var a SnapshotAnchor
		if err := r.Scan(&id, &a.Pos, &ms); err != nil {
			return err
		}
		a.Time = msDuration(ms)
		if i, ok := docIdx[id]; ok {
			snap.Documents[i].Anchors = append(snap.Documents[i].Anchors, a)
		}
		return nil
	})
}

// DeriveTurns finds the turns of a stored text that came without them
// (a REFI-QDA source), as Merge does for such a document: the text read
// as a plain-text transcript called name. It gives none when that reading
// would change the text.
func DeriveTurns(name, text string) []Turn {
	turns, _ := deriveTurns(name, text)
	return turns
}

// checkSnapshotPeople refuses cases, speakers and anchors that do not
// hold together: a case without GUID or name, or named twice; a speaker
// without a name, with an unknown role or case, or listed twice in its
// document; an anchor outside its text.
func checkSnapshotPeople(snap *Snapshot) error {
	cases := make(map[string]bool, len(snap.Cases))
	names := make(map[string]bool, len(snap.Cases))
	for _, c := range snap.Cases {
		if c.GUID == "" {
			return fmt.Errorf("%w: case %q has no GUID", ErrInvalid, c.Name)
		}
		if cases[c.GUID] {
			return fmt.Errorf("%w: case %q: GUID %s is used twice", ErrInvalid, c.Name, c.GUID)
		}
		if err := checkName("case", c.Name); err != nil {
			return err
		}
		if names[c.Name] {
			return fmt.Errorf("%w: two cases are called %q", ErrInvalid, c.Name)
		}
		cases[c.GUID], names[c.Name] = true, true
		keys := map[string]bool{}
		for _, a := range c.Attributes {
			if strings.TrimSpace(a.Key) == "" || strings.TrimSpace(a.Value) == "" {
				return fmt.Errorf("%w: case %q has an attribute without key or value", ErrInvalid, c.Name)
			}
			if keys[a.Key] {
				return fmt.Errorf("%w: case %q has attribute %q twice", ErrInvalid, c.Name, a.Key)
			}
			keys[a.Key] = true
			if a.Type != "" {
				if _, err := CheckType(a.Type, a.Value); err != nil {
					return fmt.Errorf("case %q: attribute %s: %w", c.Name, a.Key, err)
				}
			}
		}
	}
	for _, d := range snap.Documents {
		n := utf8.RuneCountInString(d.Text)
		seen := map[string]bool{}
		for _, sp := range d.Speakers {
			if err := checkName("speaker", sp.Name); err != nil {
				return fmt.Errorf("document %q: %w", d.Name, err)
			}
			if seen[sp.Name] {
				return fmt.Errorf("%w: document %q lists speaker %q twice", ErrInvalid, d.Name, sp.Name)
			}
			seen[sp.Name] = true
			if sp.Role != "" {
				if r, err := CheckRole(sp.Role); err != nil || r != sp.Role {
					return fmt.Errorf("%w: document %q: speaker %q has role %q; want interviewer, participant or other", ErrInvalid, d.Name, sp.Name, sp.Role)
				}
			}
			if sp.CaseGUID != "" && !cases[sp.CaseGUID] {
				return fmt.Errorf("%w: document %q: speaker %q is tied to a case (%s) the project lacks", ErrInvalid, d.Name, sp.Name, sp.CaseGUID)
			}
		}
		for i, a := range d.Anchors {
			if a.Pos < 0 || a.Pos > n || a.Time < 0 {
				return fmt.Errorf("%w: document %q: anchor %d (%d at %v) lies outside the text (0:%d)", ErrInvalid, d.Name, i+1, a.Pos, a.Time, n)
			}
		}
	}
	return nil
}

// mergeCases matches the snapshot's cases by GUID, then by name, and adds
// the new ones with their attributes; a matched case gets the attributes
// it lacks here, and a different value is a conflict (this project's
// value stays).
func (m *merger) mergeCases(ctx context.Context, tx *sql.Tx) error {
	m.cases = map[string]int64{}
	for _, c := range m.snap.Cases {
		var id int64
		var name string
		err := tx.QueryRowContext(ctx, "SELECT id, name FROM cases WHERE guid = ? COLLATE NOCASE", c.GUID).Scan(&id, &name)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, "SELECT id, name FROM cases WHERE name = ?", c.Name).Scan(&id, &name)
		}
		switch {
		case err == nil:
			if name != c.Name {
				m.conflict(ConflictCase, name, "called %q in the merged project; kept %q", c.Name, name)
			}
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.ExecContext(ctx, "INSERT INTO cases (guid, name, created_at) VALUES (?, ?, ?)",
				c.GUID, c.Name, stampOr(c.CreatedAt, m.s.stamp()))
			if err != nil {
				return fmt.Errorf("case %s: %w", c.Name, err)
			}
			id, _ = res.LastInsertId()
			name = c.Name
			m.sum.Cases++
		default:
			return err
		}
		m.cases[c.GUID] = id
		have, err := caseAttributesOf(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := m.addAttributes(ctx, tx, "case_attributes", "case_id", id, have, c.Attributes, ConflictCase, name)
		m.sum.CaseAttributes += n
		if err != nil {
			return err
		}
	}
	return nil
}

// caseOf returns the case id a snapshot speaker is tied to.
func (m *merger) caseOf(sp SnapshotSpeaker) sql.NullInt64 {
	if id, ok := m.cases[sp.CaseGUID]; ok && sp.CaseGUID != "" {
		return sql.NullInt64{Int64: id, Valid: true}
	}
	return sql.NullInt64{}
}

// newSpeakers gives a document this merge added its speakers: those of
// its turns, with the roles an import gives, then the snapshot's, whose
// role and case win.
func (m *merger) newSpeakers(ctx context.Context, tx *sql.Tx, docID int64, d SnapshotDocument, turns []Turn) error {
	tt := make([]transcripts.Turn, len(turns))
	for i, t := range turns {
		tt[i] = transcripts.Turn{Speaker: t.Speaker, Start: t.Start, Body: t.Body, End: t.End}
	}
	attrs := make([]Attribute, len(d.Attributes))
	copy(attrs, d.Attributes)
	if err := insertSpeakers(ctx, tx, docID, d.Text, tt, nil, attrs); err != nil {
		return err
	}
	for _, sp := range d.Speakers {
		var id int64
		var role string
		err := tx.QueryRowContext(ctx, "SELECT id, role FROM speakers WHERE doc_id = ? AND name = ?", docID, sp.Name).Scan(&id, &role)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			r := sp.Role
			if r == "" {
				r = DefaultRole(sp.Name)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO speakers (doc_id, name, role, case_id) VALUES (?, ?, ?, ?)",
				docID, sp.Name, r, m.caseOf(sp)); err != nil {
				return fmt.Errorf("speaker %s: %w", sp.Name, err)
			}
		case err != nil:
			return err
		default:
			if sp.Role != "" {
				role = sp.Role
			}
			if _, err := tx.ExecContext(ctx, "UPDATE speakers SET role = ?, case_id = ? WHERE id = ?", role, m.caseOf(sp), id); err != nil {
				return err
			}
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM speakers WHERE doc_id = ?", docID).Scan(&n); err != nil {
		return err
	}
	m.sum.Speakers += n
	return nil
}

// mergeSpeakers brings the snapshot's speakers of a document the project
// has already (matched by its text): a speaker missing here is added, one
// without a case here gets the snapshot's; a different role or case is a
// conflict and this project's stays.
func (m *merger) mergeSpeakers(ctx context.Context, tx *sql.Tx, docID int64, docName string, d SnapshotDocument) error {
	if len(d.Speakers) == 0 {
		return nil
	}
	byName, _, err := speakerRows(ctx, tx, docID)
	if err != nil {
		return err
	}
	caseName := map[string]string{}
	for _, c := range m.snap.Cases {
		caseName[c.GUID] = c.Name
	}
	for _, sp := range d.Speakers {
		want := m.caseOf(sp)
		h := byName[sp.Name]
		if h == nil {
			role := sp.Role
			if role == "" {
				role = DefaultRole(sp.Name)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO speakers (doc_id, name, role, case_id) VALUES (?, ?, ?, ?)",
				docID, sp.Name, role, want); err != nil {
				return fmt.Errorf("speaker %s of %s: %w", sp.Name, docName, err)
			}
			m.sum.Speakers++
			continue
		}
		subject := docName + " " + sp.Name
		if sp.Role != "" && sp.Role != h.role {
			m.conflict(ConflictSpeaker, subject, "%s here, %s in the merged project; kept %s", h.role, sp.Role, h.role)
		}
		switch {
		case !want.Valid || want == h.caseID:
		case !h.caseID.Valid:
			if _, err := tx.ExecContext(ctx, "UPDATE speakers SET case_id = ? WHERE id = ?", want, h.id); err != nil {
				return err
			}
			m.sum.SpeakerCases++
		default:
			m.conflict(ConflictSpeaker, subject, "case %q here, %q in the merged project; kept %q", h.cse, caseName[sp.CaseGUID], h.cse)
		}
	}
	return nil
}

// mergeAnchors adds the anchors a document lacks at their positions; an
// anchor here at the same position keeps its time.
func (m *merger) mergeAnchors(ctx context.Context, tx *sql.Tx, docID int64, docName string, anchors []SnapshotAnchor) error {
	if len(anchors) == 0 {
		return nil
	}
	have, err := anchorsOf(ctx, tx, docID)
	if err != nil {
		return err
	}
	at := make(map[int]int64, len(have))
	for _, p := range have {
		at[p.pos] = p.t.Milliseconds()
	}
	sorted := append([]SnapshotAnchor(nil), anchors...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Pos < sorted[j].Pos })
	var ins *sql.Stmt
	defer func() {
		if ins != nil {
			ins.Close()
		}
	}()
	differ := 0
	for _, a := range sorted {
		ms := a.Time.Milliseconds()
		if h, ok := at[a.Pos]; ok {
			if h != ms {
				differ++
			}
			continue
		}
		if ins == nil {
			if ins, err = tx.PrepareContext(ctx, "INSERT INTO anchors (doc_id, pos, time_ms) VALUES (?, ?, ?)"); err != nil {
				return err
			}
		}
		if _, err := ins.ExecContext(ctx, docID, a.Pos, ms); err != nil {
			return err
		}
		at[a.Pos] = ms
		m.sum.Anchors++
	}
	if differ > 0 {
		m.conflict(ConflictAnchor, docName, "%s at the same places here and in the merged project; kept this project's",
			plural(differ, "time differs", "times differ"))
	}
	return nil
}
