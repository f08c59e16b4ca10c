package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/transcripts"
)

// Speaker roles.
const (
	RoleInterviewer = "interviewer"
	RoleParticipant = "participant"
	RoleOther       = "other"
)

// Speaker is a name used in a document's turns, with the role it plays
// and, optionally, the case (participant) it is.
type Speaker struct {
	ID       int64  `json:"id"`
	DocID    int64  `json:"doc_id"`
	Document string `json:"document"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// Case names the participant the speaker is tied to, or "".
	Case string `json:"case,omitempty"`
	// Attributes are the case's attributes.
	Attributes []Attribute `json:"attributes,omitempty"`
	Turns      int         `json:"turns"`
	Words      int         `json:"words"`
}

// CheckRole returns role in canonical form, or an error naming the roles.
func CheckRole(role string) (string, error) {
	switch r := strings.ToLower(strings.TrimSpace(role)); r {
	case RoleInterviewer, RoleParticipant, RoleOther:
		return r, nil
	case "int", "i", "q":
		return RoleInterviewer, nil
	case "respondent", "interviewee", "p":
		return RoleParticipant, nil
	}
	return "", fmt.Errorf("%w: role %q: want interviewer, participant or other", ErrInvalid, role)
}

// DefaultRole is the role a new speaker gets from its name:
// interviewer for Interviewer, I, Q, Int., Moderator and their Russian
// forms, participant otherwise.
func DefaultRole(name string) string {
	if transcripts.IsInterviewerLabel(name) {
		return RoleInterviewer
	}
	return RoleParticipant
}

// insertSpeakers adds a row for each speaker of turns (and each declared
// one), in order of first appearance, with its default role (see
// guessRoles).
func insertSpeakers(ctx context.Context, tx *sql.Tx, docID int64, text string, turns []transcripts.Turn, declared []string, attrs []Attribute) error {
	seen := map[string]bool{}
	var names []string
	for _, t := range turns {
		if t.Speaker != "" && !seen[t.Speaker] {
			seen[t.Speaker] = true
			names = append(names, t.Speaker)
		}
	}
	for _, n := range declared {
		if n = strings.TrimSpace(n); n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	roles := guessRoles(text, turns, attrs)
	for _, n := range names {
		role := roles[n]
		if role == "" {
			role = DefaultRole(n)
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO speakers (doc_id, name, role) VALUES (?, ?, ?)", docID, n, role); err != nil {
			return err
		}
	}
	return nil
}

// focusGroupCases makes each participant of a document with two or more
// participants (a focus group) a case of their own, named "DOC: NAME",
// so that each can have attributes and travels as a case in exports.
// Speakers already tied to a case keep it; an interview's one participant
// is the document's participant and gets none.
func (s *Store) focusGroupCases(ctx context.Context, tx *sql.Tx, docID int64) error {
	var doc string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", docID).Scan(&doc); err != nil {
		return err
	}
	_, list, err := speakerRows(ctx, tx, docID)
	if err != nil {
		return err
	}
	var members []*speakerRow
	for _, r := range list {
		if r.role == RoleParticipant {
			members = append(members, r)
		}
	}
	if len(members) < 2 {
		return nil
	}
	for _, r := range members {
		if r.caseID.Valid {
			continue
		}
		id, err := s.caseByName(ctx, tx, focusGroupCase(doc, r.name))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE speakers SET case_id = ? WHERE id = ?", id, r.id); err != nil {
			return err
		}
	}
	return nil
}

// focusGroupCase names the case of a focus group member.
func focusGroupCase(doc, speaker string) string { return doc + ": " + speaker }

// docName returns a document's name, or "" if it cannot be read.
func docName(ctx context.Context, q querier, id int64) string {
	var n string
	q.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&n)
	return n
}

// declaredRoles gives speakers the roles the file's metadata declares
// for them (a "speakers:" list with roles); a role qcode does not know is
// left alone.
func declaredRoles(ctx context.Context, tx *sql.Tx, docID int64, roles map[string]string) error {
	for name, r := range roles {
		role, err := CheckRole(r)
		if err != nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE speakers SET role = ? WHERE doc_id = ? AND name = ?", role, docID, name); err != nil {
			return err
		}
	}
	return nil
}

// InterviewerKey is the document attribute that names its interviewer
// (as front matter may: "interviewer: Nino").
const InterviewerKey = "interviewer"

// guessRoles finds the interviewer of a document whose labels do not say
// so (names rather than Interviewer, I or Q): the speaker the document's
// "interviewer" attribute names, else, with two or more speakers, the
// one who asks: at least 40% of their turns hold a question, at least
// twice the share of any other speaker, and fewer words than the others
// together. It returns the roles it decided, by speaker name.
func guessRoles(text string, turns []transcripts.Turn, attrs []Attribute) map[string]string {
	roles := map[string]string{}
	type tally struct{ turns, questions, words int }
	by := map[string]*tally{}
	var order []string
	var sl *runeSlicer
	total := 0
	for _, t := range turns {
		if t.Speaker == "" {
			continue
		}
		if transcripts.IsInterviewerLabel(t.Speaker) {
			return roles // the labels say who asks
		}
		x := by[t.Speaker]
		if x == nil {
			x = &tally{}
			by[t.Speaker] = x
			order = append(order, t.Speaker)
		}
		if sl == nil {
			sl = newRuneSlicer(text)
		}
		body := sl.slice(t.Body, t.End)
		x.turns++
		if strings.ContainsAny(body, "?？") {
			x.questions++
		}
		w := countWords(body)
		x.words += w
		total += w
	}
	for _, a := range attrs {
		if strings.EqualFold(a.Key, InterviewerKey) || a.Key == "интервьюер" {
			for _, n := range order {
				if strings.EqualFold(n, strings.TrimSpace(a.Value)) {
					roles[n] = RoleInterviewer
					return roles
				}
			}
		}
	}
	if len(order) < 2 {
		return roles
	}
	share := func(x *tally) float64 { return float64(x.questions) / float64(x.turns) }
	best := ""
	for _, n := range order {
		if best == "" || share(by[n]) > share(by[best]) {
			best = n
		}
	}
	b := by[best]
	if share(b) < 0.4 || 2*b.words >= total {
		return roles
	}
	for _, n := range order {
		if n != best && share(by[n])*2 > share(b) {
			return roles
		}
	}
	roles[best] = RoleInterviewer
	return roles
}

// speakerRow is a speakers row with its case's name and attributes.
type speakerRow struct {
	id     int64
	name   string
	role   string
	caseID sql.NullInt64
	cse    string
	attrs  []Attribute
}

// speakerRows reads a document's speakers, by name.
func speakerRows(ctx context.Context, q querier, docID int64) (map[string]*speakerRow, []*speakerRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, s.role, s.case_id, coalesce(c.name, '')
		FROM speakers s LEFT JOIN cases c ON c.id = s.case_id WHERE s.doc_id = ? ORDER BY s.id`, docID)
	if err != nil {
		return nil, nil, err
	}
	var list []*speakerRow
	for rows.Next() {
		r := &speakerRow{}
		if err := rows.Scan(&r.id, &r.name, &r.role, &r.caseID, &r.cse); err != nil {
			rows.Close()
			return nil, nil, err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	byName := make(map[string]*speakerRow, len(list))
	for _, r := range list {
		if r.caseID.Valid {
			if r.attrs, err = caseAttributesOf(ctx, q, r.caseID.Int64); err != nil {
				return nil, nil, err
			}
		}
		byName[r.name] = r
	}
	return byName, list, nil
}

func caseAttributesOf(ctx context.Context, q querier, caseID int64) ([]Attribute, error) {
	rows, err := q.QueryContext(ctx, "SELECT key, type, value FROM case_attributes WHERE case_id = ? ORDER BY position, key", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attribute
	for rows.Next() {
		var a Attribute
		if err := rows.Scan(&a.Key, &a.Type, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// speakersOf lists a document's speakers in order of first appearance,
// with their turns and words; speakers without turns come last.
func speakersOf(ctx context.Context, q querier, docID int64) ([]Speaker, error) {
	var name, text string
	if err := q.QueryRowContext(ctx, "SELECT name, text FROM documents WHERE id = ?", docID).Scan(&name, &text); err != nil {
		return nil, err
	}
	turns, err := turnsOf(ctx, q, docID)
	if err != nil {
		return nil, err
	}
	_, list, err := speakerRows(ctx, q, docID)
	if err != nil {
		return nil, err
	}
	first := map[string]int{}
	turnsBy, wordsBy := map[string]int{}, map[string]int{}
	var sl *runeSlicer
	for i, t := range turns {
		if t.Speaker == "" {
			continue
		}
		if _, ok := first[t.Speaker]; !ok {
			first[t.Speaker] = i
		}
		if sl == nil {
			sl = newRuneSlicer(text)
		}
		turnsBy[t.Speaker]++
		wordsBy[t.Speaker] += countWords(sl.slice(t.Body, t.End))
	}
	out := make([]Speaker, 0, len(list))
	for _, r := range list {
		out = append(out, Speaker{ID: r.id, DocID: docID, Document: name, Name: r.name, Role: r.role, Case: r.cse,
			Attributes: r.attrs, Turns: turnsBy[r.name], Words: wordsBy[r.name]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		fi, oki := first[out[i].Name]
		fj, okj := first[out[j].Name]
		if oki != okj {
			return oki
		}
		return fi < fj
	})
	return out, nil
}

// runeSlicer cuts a string at increasing code-point offsets without
// converting it to runes.
type runeSlicer struct {
	s          string
	byte, rune int
}

func newRuneSlicer(s string) *runeSlicer { return &runeSlicer{s: s} }

// at returns the byte offset of code point cp.
func (r *runeSlicer) at(cp int) int {
	if cp < r.rune {
		r.byte, r.rune = 0, 0
	}
	for r.rune < cp && r.byte < len(r.s) {
		_, size := utf8.DecodeRuneInString(r.s[r.byte:])
		r.byte += size
		r.rune++
	}
	return r.byte
}

func (r *runeSlicer) slice(start, end int) string {
	b := r.at(start)
	e := r.at(end)
	return r.s[b:e]
}

// Speakers lists the speakers of the document ref, or of every current
// document when ref is "".
func (s *Store) Speakers(ctx context.Context, ref string) ([]Speaker, error) {
	var out []Speaker
	err := s.read(ctx, func(q querier) error {
		var ids []int64
		if ref != "" {
			id, err := resolveDoc(ctx, q, ref)
			if err != nil {
				return err
			}
			ids = []int64{id}
		} else {
			var err error
			if ids, err = currentDocIDs(ctx, q); err != nil {
				return err
			}
		}
		for _, id := range ids {
			sp, err := speakersOf(ctx, q, id)
			if err != nil {
				return err
			}
			out = append(out, sp...)
		}
		return nil
	})
	return out, mapErr(err)
}

// currentDocIDs returns the ids of the latest version of every document,
// by name.
func currentDocIDs(ctx context.Context, q querier) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT id FROM documents d
		WHERE version = (SELECT max(version) FROM documents v WHERE v.name = d.name) ORDER BY name`)
}

// queryIDs runs a query whose rows are one id each.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SpeakerChange is what SetSpeaker changes; empty fields stay.
type SpeakerChange struct {
	// Role is interviewer, participant or other.
	Role string
	// Case ties the speaker to the case of this name, created if new;
	// "-" unties it.
	Case string
	// Attributes are set on the speaker's case (a case named after the
	// speaker is made when it has none); an empty value removes one.
	Attributes []Attribute
}

// findSpeaker finds a speaker of a document by name, exactly or else
// ignoring case.
func findSpeaker(ctx context.Context, q querier, docID int64, name string) (*speakerRow, error) {
	byName, list, err := speakerRows(ctx, q, docID)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if r := byName[name]; r != nil {
		return r, nil
	}
	for _, r := range list {
		if strings.EqualFold(r.name, name) {
			return r, nil
		}
	}
	var names []string
	for _, r := range list {
		names = append(names, r.name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("speaker %q: %w: the document has no speakers", name, ErrNotFound)
	}
	return nil, fmt.Errorf("speaker %q: %w (the document's speakers: %s)", name, ErrNotFound, strings.Join(names, ", "))
}

// SetSpeaker changes a speaker's role, case or case attributes in one
// undoable action.
func (s *Store) SetSpeaker(ctx context.Context, docRef, name string, ch SpeakerChange) (Op, error) {
	role := ""
	if ch.Role != "" {
		var err error
		if role, err = CheckRole(ch.Role); err != nil {
			return Op{}, err
		}
	}
	if err := checkName("case", ch.Case); err != nil && ch.Case != "" {
		return Op{}, err
	}
	return s.action(ctx, "set speaker "+name, func(tx *sql.Tx, label *string) error {
		docID, err := resolveDoc(ctx, tx, docRef)
		if err != nil {
			return err
		}
		sp, err := findSpeaker(ctx, tx, docID, name)
		if err != nil {
			return err
		}
		*label = "set speaker " + sp.name
		if role != "" && role != sp.role {
			if _, err := tx.ExecContext(ctx, "UPDATE speakers SET role = ? WHERE id = ?", role, sp.id); err != nil {
				return err
			}
		}
		caseID := sp.caseID
		if role != "" && role != RoleParticipant && sp.cse == focusGroupCase(docName(ctx, tx, docID), sp.name) && len(sp.attrs) == 0 {
			// No longer a member of the group: their own empty case goes.
			caseID = sql.NullInt64{}
		}
		switch c := strings.TrimSpace(ch.Case); {
		case c == "-":
			caseID = sql.NullInt64{}
		case c != "":
			id, err := s.caseByName(ctx, tx, c)
			if err != nil {
				return err
			}
			caseID = sql.NullInt64{Int64: id, Valid: true}
		}
		if len(ch.Attributes) > 0 && !caseID.Valid {
			id, err := s.caseByName(ctx, tx, sp.name)
			if err != nil {
				return err
			}
			caseID = sql.NullInt64{Int64: id, Valid: true}
		}
		if caseID != sp.caseID {
			if _, err := tx.ExecContext(ctx, "UPDATE speakers SET case_id = ? WHERE id = ?", caseID, sp.id); err != nil {
				return err
			}
			if err := dropEmptyCase(ctx, tx, sp.caseID); err != nil {
				return err
			}
		}
		if caseID.Valid {
			return setCaseAttributes(ctx, tx, caseID.Int64, ch.Attributes)
		}
		return nil
	})
}

// caseByName returns the id of the case named name, creating it.
func (s *Store) caseByName(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if err := checkName("case", name); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM cases WHERE name = ?", name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	r, err := tx.ExecContext(ctx, "INSERT INTO cases (guid, name, created_at) VALUES (?, ?, ?)", newGUID(), name, s.stamp())
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// dropEmptyCase deletes the case id when no speaker is tied to it and it
// has no attributes: a focus group member's own case, left behind when
// they were tied to another.
func dropEmptyCase(ctx context.Context, tx *sql.Tx, id sql.NullInt64) error {
	if !id.Valid {
		return nil
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM cases WHERE id = ?1
		AND NOT EXISTS (SELECT 1 FROM speakers WHERE case_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM case_attributes WHERE case_id = ?1)`, id.Int64)
	return err
}

// setCaseAttributes sets (or, with an empty value, removes) attributes
// of a case.
func setCaseAttributes(ctx context.Context, tx *sql.Tx, caseID int64, attrs []Attribute) error {
	for _, a := range attrs {
		if err := checkAttribute(a.Key, a.Value); err != nil {
			return err
		}
		if strings.TrimSpace(a.Value) == "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM case_attributes WHERE case_id = ? AND key = ?", caseID, a.Key); err != nil {
				return err
			}
			continue
		}
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM case_attributes WHERE case_id = ? AND key = ?", caseID, a.Key).Scan(&id)
		switch {
		case err == nil:
			if _, err := tx.ExecContext(ctx, "UPDATE case_attributes SET type = ?, value = ? WHERE id = ?", a.Type, a.Value, id); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_attributes (case_id, key, type, value, position)
				VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM case_attributes WHERE case_id = ?))`,
				caseID, a.Key, a.Type, a.Value, caseID); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return nil
}

// checkName refuses an empty name or one holding control characters.
func checkName(what, name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: empty %s name", ErrInvalid, what)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return fmt.Errorf("%w: %s name %q holds a control character", ErrInvalid, what, name)
		}
	}
	return nil
}

// RenameSpeaker gives the speaker from the name to in one document
// (docRef) or, with docRef "", in every document that has it. Turns keep
// their positions; the text is not changed. When a document already has
// a speaker called to, the two are merged (to keeps its role and case).
// It is one undoable action and reports how many turns changed.
func (s *Store) RenameSpeaker(ctx context.Context, docRef, from, to string) (Op, int, error) {
	to = strings.TrimSpace(to)
	if err := checkName("speaker", to); err != nil {
		return Op{}, 0, err
	}
	changed := 0
	op, err := s.action(ctx, fmt.Sprintf("rename speaker %s to %s", from, to), func(tx *sql.Tx, label *string) error {
		var ids []int64
		if docRef != "" {
			id, err := resolveDoc(ctx, tx, docRef)
			if err != nil {
				return err
			}
			ids = []int64{id}
		} else {
			var err error
			if ids, err = queryIDs(ctx, tx, "SELECT DISTINCT doc_id FROM speakers WHERE name = ? COLLATE NOCASE ORDER BY doc_id", strings.TrimSpace(from)); err != nil {
				return err
			}
			if len(ids) == 0 {
				return fmt.Errorf("speaker %q: %w in any document (see 'qcode speakers')", from, ErrNotFound)
			}
		}
		for _, id := range ids {
			sp, err := findSpeaker(ctx, tx, id, from)
			if err != nil {
				return err
			}
			if sp.name == to {
				continue
			}
			var target int64
			err = tx.QueryRowContext(ctx, "SELECT id FROM speakers WHERE doc_id = ? AND name = ?", id, to).Scan(&target)
			switch {
			case err == nil:
				if _, err := tx.ExecContext(ctx, "DELETE FROM speakers WHERE id = ?", sp.id); err != nil {
					return err
				}
				if err := dropEmptyCase(ctx, tx, sp.caseID); err != nil {
					return err
				}
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.ExecContext(ctx, "UPDATE speakers SET name = ? WHERE id = ?", to, sp.id); err != nil {
					return err
				}
			default:
				return err
			}
			r, err := tx.ExecContext(ctx, "UPDATE turns SET speaker = ? WHERE doc_id = ? AND speaker = ?", to, id, sp.name)
			if err != nil {
				return err
			}
			n, _ := r.RowsAffected()
			changed += int(n)
		}
		return nil
	})
	return op, changed, err
}

// MergeSpeakers makes every turn of from a turn of into, in one document
// or (docRef "") in every document that has both; into keeps its role and
// case. It is RenameSpeaker where into must exist.
func (s *Store) MergeSpeakers(ctx context.Context, docRef, from, into string) (Op, int, error) {
	var ok bool
	err := s.read(ctx, func(q querier) error {
		query := "SELECT count(*) > 0 FROM speakers WHERE name = ?"
		args := []any{strings.TrimSpace(into)}
		if docRef != "" {
			id, err := resolveDoc(ctx, q, docRef)
			if err != nil {
				return err
			}
			query += " AND doc_id = ?"
			args = append(args, id)
		}
		return q.QueryRowContext(ctx, query, args...).Scan(&ok)
	})
	if err != nil {
		return Op{}, 0, mapErr(err)
	}
	if !ok {
		return Op{}, 0, fmt.Errorf("speaker %q: %w: merge needs both speakers (use 'qcode speakers rename' to give a new name)", into, ErrNotFound)
	}
	return s.RenameSpeaker(ctx, docRef, from, into)
}

// Redetect says what RedetectTurns found or did.
type Redetect struct {
	Document string    `json:"document"`
	Before   int       `json:"turns_before"`
	After    int       `json:"turns_after"`
	Speakers []Speaker `json:"speakers"`
	Warnings []string  `json:"warnings,omitempty"`
	DryRun   bool      `json:"dry_run,omitempty"`
}

// RedetectTurns derives a document's turns again from its stored text,
// with opt's speakers or pattern if given. The text and every coding stay
// as they are; times the old turns had are kept where a new turn starts
// at or spans them. Speakers no longer used are removed, new ones get
// their default role, and the rest keep theirs. It is one undoable
// action; with dryRun nothing is written.
func (s *Store) RedetectTurns(ctx context.Context, docRef string, opt transcripts.Options, dryRun bool) (Redetect, Op, error) {
	var res Redetect
	res.DryRun = dryRun
	var id int64
	var text, format, source string
	var old []Turn
	var anchors []timePoint
	err := s.read(ctx, func(q querier) error {
		var err error
		if id, err = resolveDoc(ctx, q, docRef); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, "SELECT name, text, format, source FROM documents WHERE id = ?", id).Scan(&res.Document, &text, &format, &source); err != nil {
			return err
		}
		if old, err = turnsOf(ctx, q, id); err != nil {
			return err
		}
		anchors, err = anchorsOf(ctx, q, id)
		return err
	})
	if err != nil {
		return res, Op{}, mapErr(err)
	}
	turns, warnings, err := s.deriveTurns(source, text, format, opt)
	if err != nil {
		return res, Op{}, fmt.Errorf("turns %s: %w", res.Document, err)
	}
	keepTimes(turns, old, anchors)
	res.Warnings = warnings
	res.Before, res.After = len(old), len(turns)
	if dryRun {
		counts := map[string]*Speaker{}
		sl := newRuneSlicer(text)
		for _, t := range turns {
			if t.Speaker == "" {
				continue
			}
			sp := counts[t.Speaker]
			if sp == nil {
				sp = &Speaker{DocID: id, Document: res.Document, Name: t.Speaker, Role: DefaultRole(t.Speaker)}
				counts[t.Speaker] = sp
				res.Speakers = append(res.Speakers, Speaker{})
			}
			sp.Turns++
			sp.Words += countWords(sl.slice(t.Body, t.End))
		}
		res.Speakers = res.Speakers[:0]
		seen := map[string]bool{}
		for _, t := range turns {
			if t.Speaker != "" && !seen[t.Speaker] {
				seen[t.Speaker] = true
				res.Speakers = append(res.Speakers, *counts[t.Speaker])
			}
		}
		return res, Op{}, nil
	}
	op, err := s.action(ctx, "redetect turns of "+res.Document, func(tx *sql.Tx, _ *string) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM turns WHERE doc_id = ?", id); err != nil {
			return err
		}
		if err := insertTurns(ctx, tx, id, turns); err != nil {
			return err
		}
		used := map[string]bool{}
		for _, t := range turns {
			used[t.Speaker] = true
		}
		_, list, err := speakerRows(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, r := range list {
			if !used[r.name] {
				if _, err := tx.ExecContext(ctx, "DELETE FROM speakers WHERE id = ?", r.id); err != nil {
					return err
				}
				if err := dropEmptyCase(ctx, tx, r.caseID); err != nil {
					return err
				}
			}
		}
		attrs, err := attributesOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := insertSpeakers(ctx, tx, id, text, turns, nil, attrs); err != nil {
			return err
		}
		if err := s.focusGroupCases(ctx, tx, id); err != nil {
			return err
		}
		res.Speakers, err = speakersOf(ctx, tx, id)
		return err
	})
	return res, op, err
}

// deriveTurns finds the turns of a stored text. What only the original
// file shows (a bold name in a .docx) is read from the copy in sources/
// when reading it again gives the same text; otherwise the stored text
// alone decides.
func (s *Store) deriveTurns(source, text, format string, opt transcripts.Options) ([]transcripts.Turn, []string, error) {
	if source != "" {
		if data, err := os.ReadFile(filepath.Join(s.dir, SourcesDir, filepath.Base(source))); err == nil {
			if doc, err := transcripts.ParseWith(source, data, opt); err == nil && doc.Text == text {
				return doc.Turns, turnWarnings(doc.Warnings), nil
			}
		}
	}
	turns, err := transcripts.DetectTurns(text, format, opt)
	if err != nil {
		return nil, nil, err
	}
	return turns, transcripts.ReviewTurns(text, turns, opt), nil
}

// turnWarnings keeps the warnings about speakers and turns (not those
// about encodings or front matter, which the import already gave).
func turnWarnings(ws []string) []string {
	var out []string
	for _, w := range ws {
		l := strings.ToLower(w)
		if strings.Contains(l, "speaker") || strings.Contains(l, "label") {
			out = append(out, w)
		}
	}
	return out
}

// timePoint is a time known at a position of a text.
type timePoint struct {
	pos int
	t   time.Duration
}

func anchorsOf(ctx context.Context, q querier, docID int64) ([]timePoint, error) {
	rows, err := q.QueryContext(ctx, "SELECT pos, time_ms FROM anchors WHERE doc_id = ? ORDER BY pos", docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []timePoint
	for rows.Next() {
		var p timePoint
		var ms int64
		if err := rows.Scan(&p.pos, &ms); err != nil {
			return nil, err
		}
		p.t = msDuration(ms)
		out = append(out, p)
	}
	return out, rows.Err()
}

// keepTimes gives each new turn without a time the first time the old
// turns or anchors knew within it (subtitle times are not in the text).
func keepTimes(turns []transcripts.Turn, old []Turn, anchors []timePoint) {
	var pts []timePoint
	for _, t := range old {
		if t.Time != nil {
			pts = append(pts, timePoint{t.Start, *t.Time})
		}
	}
	pts = append(pts, anchors...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].pos < pts[j].pos })
	for i := range turns {
		t := &turns[i]
		if t.HasTime {
			continue
		}
		k := sort.Search(len(pts), func(k int) bool { return pts[k].pos >= t.Start })
		if k < len(pts) && pts[k].pos < max(t.End, t.Start+1) {
			t.Time, t.HasTime = pts[k].t, true
		}
	}
}

// attributor attributes the passages of one document by who says them.
type attributor struct {
	cite, citeInterviewer string
	docAttrs              []Attribute
	turns                 []Turn
	speakers              map[string]*speakerRow
	participants          int // speakers with the participant role
}

// newAttributor reads what attributing passages of a document needs.
func newAttributor(ctx context.Context, q querier, docID int64, cite, citeInterviewer string, turns []Turn, docAttrs []Attribute) (*attributor, error) {
	byName, list, err := speakerRows(ctx, q, docID)
	if err != nil {
		return nil, err
	}
	a := &attributor{cite: cite, citeInterviewer: citeInterviewer, docAttrs: docAttrs, turns: turns, speakers: byName}
	for _, r := range list {
		if r.role == RoleParticipant {
			a.participants++
		}
	}
	return a, nil
}

// citeTemplates reads the project's attribution templates.
func citeTemplates(ctx context.Context, q querier, override string) (cite, interviewer string, err error) {
	cite = override
	if cite == "" {
		if cite, err = settingOf(ctx, q, "cite", DefaultCite); err != nil {
			return "", "", err
		}
	}
	interviewer, err = settingOf(ctx, q, "cite.interviewer", DefaultCiteInterviewer)
	return cite, interviewer, err
}

// DefaultCiteInterviewer is how an interviewer's words are attributed
// unless the project says otherwise ('qcode config cite-interviewer').
const DefaultCiteInterviewer = "{role}"

// speakerAttribution attributes what the speaker name says.
func (a *attributor) speakerAttribution(name string) string {
	r := a.speakers[name]
	if name == "" || r == nil {
		// An unlabelled passage is the document's participant's.
		return Cite(a.cite, a.docAttrs)
	}
	extras := []Attribute{{Key: "speaker", Value: r.name}, {Key: "role", Value: r.role}, {Key: "case", Value: r.cse}}
	if r.role == RoleInterviewer {
		if at := Cite(a.citeInterviewer, extras); at != "" {
			return at
		}
		return RoleInterviewer
	}
	var attrs []Attribute
	switch {
	case r.role == RoleParticipant && a.participants == 1:
		// The document's one respondent is its participant, cited as
		// the document's participant is.
		return Cite(a.cite, fillAttributes(mergeAttributes(a.docAttrs, r.attrs), extras))
	case r.caseID.Valid:
		attrs = append(attrs, r.attrs...)
	}
	attrs = fillAttributes(attrs, extras)
	if at := Cite(a.cite, attrs); at != "" {
		return at
	}
	return r.name
}

// fillAttributes adds each of extra whose key attrs lack.
func fillAttributes(attrs, extra []Attribute) []Attribute {
	out := append([]Attribute(nil), attrs...)
	for _, e := range extra {
		found := false
		for _, a := range attrs {
			if strings.EqualFold(a.Key, e.Key) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, e)
		}
	}
	return out
}

// at attributes the passage [start, end): the speakers whose turns it
// touches, joined with " and ", and their attributions joined with "; ".
func (a *attributor) at(start, end int) (speaker, attribution string) {
	i := sort.Search(len(a.turns), func(i int) bool { return a.turns[i].End > start })
	var names, cites []string
	seen := map[string]bool{}
	for ; i < len(a.turns) && a.turns[i].Start < max(end, start+1); i++ {
		n := a.turns[i].Speaker
		if seen[n] {
			continue
		}
		seen[n] = true
		names = append(names, n)
		cites = append(cites, a.speakerAttribution(n))
	}
	if len(names) == 0 {
		return "", Cite(a.cite, a.docAttrs)
	}
	var ns []string
	for _, n := range names {
		if n != "" {
			ns = append(ns, n)
		}
	}
	var cs []string
	for _, c := range cites {
		if c != "" && !contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return strings.Join(ns, " and "), strings.Join(cs, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
