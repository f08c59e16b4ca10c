package coding

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Pseudonymising a project. The store knows nothing of the key: the
// caller hands it a Replacer that says, for a text, which runs of it are
// real values and what stands for each. The store makes a new version of
// every document whose text changes (so every coding, memo anchor, turn
// and time is carried by the version alignment, built here from the
// replacements themselves rather than from a diff) and replaces the real
// values everywhere else a user's words are kept: speakers' names, cases'
// names, document and case attributes, memos, codes' names and
// descriptions, and documents' names — all in one undoable action.

// Replacement is one run of a text to replace: the code points
// [Start, End) of the text become With.
type Replacement struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	With  string `json:"with"`
	// Entry names the key entry the run is a value of (its id).
	Entry string `json:"entry"`
}

// Replacer returns what to replace in text, found in the document named
// doc ("" for text that belongs to no one document: a code, a case, the
// project), sorted by Start and not overlapping.
type Replacer func(doc, text string) []Replacement

// EntryCount is how many runs of one key entry were replaced.
type EntryCount struct {
	Entry string `json:"entry"`
	Count int    `json:"count"`
}

// PseudonymisedDocument is a document that got a new version.
type PseudonymisedDocument struct {
	// Document is the document's name after pseudonymising.
	Document     string       `json:"document"`
	FromVersion  int          `json:"from_version"`
	ToVersion    int          `json:"to_version"`
	Replacements int          `json:"replacements"`
	Entries      []EntryCount `json:"entries"`
	// Moved, Changed and Orphaned count its codings as the new version
	// carried them; Changed are those a replacement fell inside (each is
	// widened to the whole pseudonym where it began or ended inside a
	// real value).
	Moved    int `json:"moved"`
	Changed  int `json:"changed"`
	Orphaned int `json:"orphaned"`
	// OrphanIDs are the codings left on the old version.
	OrphanIDs []int64 `json:"orphan_ids,omitempty"`
	Memos     int     `json:"memos"`
	Times     int     `json:"times"`
}

// Field kinds a PseudonymisedField names.
const (
	FieldDocumentName      = "document name"
	FieldSpeaker           = "speaker"
	FieldDocumentAttribute = "document attribute"
	FieldCase              = "case name"
	FieldCaseAttribute     = "case attribute"
	FieldMemo              = "memo"
	FieldCodeName          = "code name"
	FieldCodeDescription   = "code description"
)

// PseudonymisedField is one value outside a document's text that held a
// real value. It never holds the real value itself.
type PseudonymisedField struct {
	Field string `json:"field"`
	// ID is the row's id (the document's for a document name, the
	// speaker's, the attribute's, the case's, the memo's, the code's).
	ID int64 `json:"id"`
	// Where says which row in words, after pseudonymising: "Interview 2",
	// "code Places/[город]", "memo on the project".
	Where string `json:"where"`
	// Now is the value after pseudonymising (names only; a memo's or a
	// description's text is not repeated).
	Now          string       `json:"now,omitempty"`
	Replacements int          `json:"replacements"`
	Entries      []EntryCount `json:"entries"`
	// Note says what else happened: a name that another already had was
	// made unique, two speakers became one.
	Note string `json:"note,omitempty"`
}

// PseudonymiseReport says what Pseudonymise did or, on a dry run, would do.
type PseudonymiseReport struct {
	Documents []PseudonymisedDocument `json:"documents"`
	Fields    []PseudonymisedField    `json:"fields"`
	// Entries counts the runs replaced per key entry, everywhere, by
	// entry id.
	Entries      []EntryCount `json:"entries"`
	Replacements int          `json:"replacements"`
	Op           Op           `json:"op"`
	DryRun       bool         `json:"dry_run,omitempty"`
}

// counter tallies replacements per entry.
type counter map[string]int

func (c counter) add(reps []Replacement) {
	for _, r := range reps {
		c[r.Entry]++
	}
}

func (c counter) list() []EntryCount {
	out := make([]EntryCount, 0, len(c))
	for e, n := range c {
		out = append(out, EntryCount{Entry: e, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Entry < out[j].Entry })
	return out
}

// replaceRunes applies reps to text (as runes) and returns the new text
// and the alignment of the old text with it: the runs between the
// replacements are the same in both.
func replaceRunes(old []rune, reps []Replacement) (*alignment, error) {
	a := &alignment{oldRs: old, oldN: len(old), method: AlignPseudonyms, replaced: true}
	at := 0
	newRs := make([]rune, 0, len(old)+len(reps)*8)
	for i, r := range reps {
		if r.Start < at || r.End <= r.Start || r.End > len(old) {
			return nil, fmt.Errorf("replacement %d (%d:%d) is out of order, empty or outside the text (%d code points)", i+1, r.Start, r.End, len(old))
		}
		if r.With == "" {
			return nil, fmt.Errorf("replacement %d (%d:%d) replaces with nothing", i+1, r.Start, r.End)
		}
		if r.Start > at {
			a.segs = append(a.segs, seg{o: at, n: len(newRs), l: r.Start - at})
			newRs = append(newRs, old[at:r.Start]...)
		}
		newRs = append(newRs, []rune(r.With)...)
		at = r.End
	}
	if at < len(old) {
		a.segs = append(a.segs, seg{o: at, n: len(newRs), l: len(old) - at})
		newRs = append(newRs, old[at:]...)
	}
	a.newRs, a.newN = newRs, len(newRs)
	return a, nil
}

// AlignPseudonyms is CarryReport.Aligned for a version made by
// Pseudonymise: aligned by its replacements, not by a diff.
const AlignPseudonyms = "pseudonyms"

// replaceString applies replace to a short value (a name, a memo).
func replaceString(replace Replacer, doc, text string) (string, []Replacement, error) {
	reps := replace(doc, text)
	if len(reps) == 0 {
		return text, nil, nil
	}
	a, err := replaceRunes([]rune(text), reps)
	if err != nil {
		return "", nil, err
	}
	return string(a.newRs), reps, nil
}

// Pseudonymise replaces every run replace finds, everywhere in the
// project, as one undoable action: each document whose text holds one
// gets a new version with the runs replaced (its codings, document
// memos, turns and times carried by position; a coding that began or
// ended inside a run covers the whole replacement), and speakers' names,
// document and case attributes, cases' names, memos, codes' names and
// descriptions, and documents' names are replaced in place. With dryRun
// the report is made and nothing is written. Undo makes the earlier
// versions current again and puts every value back.
func (s *Store) Pseudonymise(ctx context.Context, replace Replacer, dryRun bool) (PseudonymiseReport, error) {
	rep := PseudonymiseReport{Documents: []PseudonymisedDocument{}, Fields: []PseudonymisedField{}, DryRun: dryRun}
	total := counter{}
	var written []string
	op, err := s.action(ctx, "pseudonymise", func(tx *sql.Tx, label *string) error {
		written = nil
		docs, err := currentDocs(ctx, tx)
		if err != nil {
			return err
		}
		// Documents' names are replaced last (until then each text is
		// matched in the context of the name it has), but the report
		// names them as they will be.
		renames, err := planDocNames(ctx, tx, docs, replace)
		if err != nil {
			return err
		}
		shown := func(name string) string {
			if r, ok := renames[name]; ok {
				return r.Now
			}
			return name
		}
		for _, d := range docs {
			pd, src, err := s.pseudonymiseText(ctx, tx, d, shown(d.name), replace)
			if src != "" {
				written = append(written, src)
			}
			if err != nil {
				return fmt.Errorf("pseudonymise %s: %w", d.name, err)
			}
			if pd != nil {
				pd.Document = shown(d.name)
				rep.Documents = append(rep.Documents, *pd)
				for _, e := range pd.Entries {
					total[e.Entry] += e.Count
				}
			}
		}
		fields, err := pseudonymiseFields(ctx, tx, replace, shown)
		if err != nil {
			return err
		}
		for _, d := range docs {
			r, ok := renames[d.name]
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE documents SET name = ? WHERE name = ?", r.Now, d.name); err != nil {
				return err
			}
			// An entry limited to the document follows it (and the
			// project keeps no real value in the name it is limited to).
			if _, err := tx.ExecContext(ctx, "UPDATE pseudonym_entries SET doc = ? WHERE doc = ?", r.Now, d.name); err != nil {
				return err
			}
			rep.Fields = append(rep.Fields, r)
		}
		rep.Fields = append(rep.Fields, fields...)
		for _, f := range rep.Fields {
			for _, e := range f.Entries {
				total[e.Entry] += e.Count
			}
		}
		sort.SliceStable(rep.Documents, func(i, j int) bool { return rep.Documents[i].Document < rep.Documents[j].Document })
		*label = fmt.Sprintf("pseudonymise %s", plural(len(rep.Documents), "document", "documents"))
		if dryRun {
			return errDryRun
		}
		return nil
	})
	rep.Entries = total.list()
	for _, e := range rep.Entries {
		rep.Replacements += e.Count
	}
	if errors.Is(err, errDryRun) {
		for _, src := range written {
			s.removeSource(src)
		}
		return rep, nil
	}
	if err != nil {
		for _, src := range written {
			s.removeSource(src)
		}
		return PseudonymiseReport{}, err
	}
	rep.Op = op
	return rep, nil
}

type currentDoc struct {
	id      int64
	name    string
	version int
	format  string
	lang    string
}

// currentDocs lists the latest version of every document, by name.
func currentDocs(ctx context.Context, q querier) ([]currentDoc, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, version, format, lang FROM documents d
		WHERE version = (SELECT max(version) FROM documents v WHERE v.name = d.name) ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []currentDoc
	for rows.Next() {
		var d currentDoc
		if err := rows.Scan(&d.id, &d.name, &d.version, &d.format, &d.lang); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// pseudonymiseText makes the next version of d with what replace finds
// in its text replaced, or nothing (nil) when it finds nothing; its
// file in sources/ is named after newName, the name it will have. It
// returns the file it wrote into sources/, for the caller to remove
// when the action does not commit.
func (s *Store) pseudonymiseText(ctx context.Context, tx *sql.Tx, d currentDoc, newName string, replace Replacer) (*PseudonymisedDocument, string, error) {
	var text string
	if err := tx.QueryRowContext(ctx, "SELECT text FROM documents WHERE id = ?", d.id).Scan(&text); err != nil {
		return nil, "", err
	}
	reps := replace(d.name, text)
	if len(reps) == 0 {
		return nil, "", nil
	}
	al, err := replaceRunes([]rune(text), reps)
	if err != nil {
		return nil, "", err
	}
	newText := string(al.newRs)
	if newText == text {
		return nil, "", nil
	}
	al.oldStr, al.newStr = text, newText
	version := d.version + 1
	data := []byte(newText)
	src, err := s.writeSource(newName, ".txt", version, data)
	if err != nil {
		return nil, "", err
	}
	srcSum := sha256.Sum256(data)
	coder, err := s.coderID(ctx, tx, s.coder)
	if err != nil {
		return nil, src, err
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO documents
		(guid, name, version, format, lang, source, source_sha256, text, text_sha256, length, words, imported_at, imported_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		newGUID(), d.name, version, d.format, d.lang, src, hex.EncodeToString(srcSum[:]), newText,
		hex.EncodeToString(srcSum[:]), al.newN, countWords(newText), s.stamp(), coder)
	if err != nil {
		return nil, src, err
	}
	id, _ := r.LastInsertId()
	// Turns, times, attributes and speakers as they were, by position;
	// speakers' names are replaced with every other name afterwards.
	if _, err := tx.ExecContext(ctx, `INSERT INTO attributes (doc_id, key, type, value, position)
		SELECT ?, key, type, value, position FROM attributes WHERE doc_id = ? ORDER BY position`, id, d.id); err != nil {
		return nil, src, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO speakers (doc_id, name, role, case_id)
		SELECT ?, name, role, case_id FROM speakers WHERE doc_id = ? ORDER BY id`, id, d.id); err != nil {
		return nil, src, err
	}
	turns, err := turnsOf(ctx, tx, d.id)
	if err != nil {
		return nil, src, err
	}
	if len(turns) > 0 {
		stmt, err := tx.PrepareContext(ctx, "INSERT INTO turns (doc_id, n, speaker, start, body, end, time_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
		if err != nil {
			return nil, src, err
		}
		defer stmt.Close()
		for _, t := range turns {
			st, en := al.start(t.Start), al.end(t.End)
			if t.End <= t.Start {
				en = st
			}
			body := min(max(al.start(t.Body), st), en)
			if t.Body >= t.End {
				body = en
			}
			var tm, em any
			if t.Time != nil {
				tm = t.Time.Milliseconds()
			}
			if t.EndTime != nil {
				em = t.EndTime.Milliseconds()
			}
			if _, err := stmt.ExecContext(ctx, id, t.N, t.Speaker, st, body, en, tm, em); err != nil {
				return nil, src, err
			}
		}
	}
	anchors, err := anchorsOf(ctx, tx, d.id)
	if err != nil {
		return nil, src, err
	}
	for _, p := range anchors {
		if p.pos > al.oldN {
			continue
		}
		pos := al.newN
		if p.pos < al.oldN {
			pos = al.start(p.pos)
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO anchors (doc_id, pos, time_ms) VALUES (?, ?, ?)", id, pos, p.t.Milliseconds()); err != nil {
			return nil, src, err
		}
	}
	cr, err := s.carryAligned(ctx, tx, d.id, id, al)
	if err != nil {
		return nil, src, err
	}
	c := counter{}
	c.add(reps)
	pd := &PseudonymisedDocument{Document: d.name, FromVersion: d.version, ToVersion: version,
		Replacements: len(reps), Entries: c.list(),
		Moved: cr.Moved, Changed: cr.Changed, Orphaned: cr.Orphaned, Memos: cr.Memos, Times: cr.Times}
	for _, o := range cr.Orphans {
		pd.OrphanIDs = append(pd.OrphanIDs, o.CodingID)
	}
	return pd, src, nil
}

// pseudonymiseFields replaces the runs replace finds in what the project
// keeps beside the texts of its current documents.
func pseudonymiseFields(ctx context.Context, tx *sql.Tx, replace Replacer, shown func(string) string) ([]PseudonymisedField, error) {
	var out []PseudonymisedField
	field := func(kind string, id int64, where, now string, reps []Replacement, note string) {
		c := counter{}
		c.add(reps)
		out = append(out, PseudonymisedField{Field: kind, ID: id, Where: where, Now: now, Replacements: len(reps), Entries: c.list(), Note: note})
	}
	docs, err := currentDocs(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		// Speakers: a name the document's turns use too.
		type spk struct {
			id   int64
			name string
		}
		var sps []spk
		if err := each(ctx, tx, "SELECT id, name FROM speakers WHERE doc_id = ? ORDER BY id", func(r *sql.Rows) error {
			var p spk
			if err := r.Scan(&p.id, &p.name); err != nil {
				return err
			}
			sps = append(sps, p)
			return nil
		}, d.id); err != nil {
			return nil, err
		}
		for _, p := range sps {
			nn, reps, err := replaceString(replace, d.name, p.name)
			if err != nil {
				return nil, fmt.Errorf("speaker %d of %s: %w", p.id, d.name, err)
			}
			nn = labelName(nn)
			if nn == p.name {
				continue
			}
			note := ""
			var other int64
			err = tx.QueryRowContext(ctx, "SELECT id FROM speakers WHERE doc_id = ? AND name = ?", d.id, nn).Scan(&other)
			switch {
			case err == nil:
				// Two names with one pseudonym are one speaker now.
				if _, err := tx.ExecContext(ctx, "DELETE FROM speakers WHERE id = ?", p.id); err != nil {
					return nil, err
				}
				note = fmt.Sprintf("one speaker with speaker %d now", other)
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.ExecContext(ctx, "UPDATE speakers SET name = ? WHERE id = ?", nn, p.id); err != nil {
					return nil, err
				}
			default:
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE turns SET speaker = ? WHERE doc_id = ? AND speaker = ?", nn, d.id, p.name); err != nil {
				return nil, err
			}
			field(FieldSpeaker, p.id, shown(d.name), nn, reps, note)
		}
		// Turns whose speaker has no row of its own.
		var others []string
		if err := each(ctx, tx, "SELECT DISTINCT speaker FROM turns WHERE doc_id = ? AND speaker <> '' ORDER BY speaker", func(r *sql.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			others = append(others, n)
			return nil
		}, d.id); err != nil {
			return nil, err
		}
		for _, n := range others {
			nn, _, err := replaceString(replace, d.name, n)
			if err != nil {
				return nil, fmt.Errorf("a speaker of %s: %w", d.name, err)
			}
			nn = labelName(nn)
			if nn != n {
				if _, err := tx.ExecContext(ctx, "UPDATE turns SET speaker = ? WHERE doc_id = ? AND speaker = ?", nn, d.id, n); err != nil {
					return nil, err
				}
			}
		}
		// The document's attributes.
		if err := replaceColumn(ctx, tx, replace, d.name, "attributes", "value", "doc_id = ?", d.id, func(id int64, key, now string, reps []Replacement) {
			field(FieldDocumentAttribute, id, shown(d.name)+": "+key, "", reps, "")
		}); err != nil {
			return nil, err
		}
	}

	// Cases: their names are unique.
	type row struct {
		id   int64
		name string
	}
	var cases []row
	if err := each(ctx, tx, "SELECT id, name FROM cases ORDER BY id", func(r *sql.Rows) error {
		var c row
		if err := r.Scan(&c.id, &c.name); err != nil {
			return err
		}
		cases = append(cases, c)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, c := range cases {
		nn, reps, err := replaceString(replace, "", c.name)
		if err != nil {
			return nil, fmt.Errorf("case %d: %w", c.id, err)
		}
		if nn == c.name {
			continue
		}
		unique, err := uniqueName(ctx, tx, nn, "SELECT count(*) FROM cases WHERE name = ? AND id <> ?", c.id)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET name = ? WHERE id = ?", unique, c.id); err != nil {
			return nil, err
		}
		note := ""
		if unique != nn {
			note = "another case had the name already"
		}
		field(FieldCase, c.id, "case "+unique, unique, reps, note)
	}
	caseName := func(id int64) string {
		var n string
		tx.QueryRowContext(ctx, "SELECT name FROM cases WHERE id = (SELECT case_id FROM case_attributes WHERE id = ?)", id).Scan(&n)
		return n
	}
	if err := replaceColumn(ctx, tx, replace, "", "case_attributes", "value", "1", nil, func(id int64, key, now string, reps []Replacement) {
		field(FieldCaseAttribute, id, "case "+caseName(id)+": "+key, "", reps, "")
	}); err != nil {
		return nil, err
	}

	// Memos, matched in the context of the document they are about.
	type memo struct {
		id          int64
		target, doc string
		text        string
	}
	var memos []memo
	if err := each(ctx, tx, `SELECT m.id, m.target, coalesce(CASE m.target
			WHEN 'document' THEN (SELECT name FROM documents WHERE id = m.target_id)
			WHEN 'coding' THEN (SELECT d.name FROM codings g JOIN documents d ON d.id = g.doc_id WHERE g.id = m.target_id)
			END, ''), m.text FROM memos m ORDER BY m.id`, func(r *sql.Rows) error {
		var m memo
		if err := r.Scan(&m.id, &m.target, &m.doc, &m.text); err != nil {
			return err
		}
		memos = append(memos, m)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, m := range memos {
		nt, reps, err := replaceString(replace, m.doc, m.text)
		if err != nil {
			return nil, fmt.Errorf("memo %d: %w", m.id, err)
		}
		if nt == m.text {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE memos SET text = ? WHERE id = ?", nt, m.id); err != nil {
			return nil, err
		}
		where := "memo on the " + m.target
		if m.doc != "" {
			where += " in " + shown(m.doc)
		}
		field(FieldMemo, m.id, where, "", reps, "")
	}

	// Codes: a code named after a town names the town. Names are unique
	// among siblings.
	type code struct {
		id          int64
		parent      sql.NullInt64
		name, descr string
	}
	var codes []code
	if err := each(ctx, tx, "SELECT id, parent_id, name, description FROM codes ORDER BY id", func(r *sql.Rows) error {
		var c code
		if err := r.Scan(&c.id, &c.parent, &c.name, &c.descr); err != nil {
			return err
		}
		codes = append(codes, c)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, c := range codes {
		nn, reps, err := replaceString(replace, "", c.name)
		if err != nil {
			return nil, fmt.Errorf("code %d: %w", c.id, err)
		}
		if nn != c.name {
			unique, err := uniqueName(ctx, tx, nn, "SELECT count(*) FROM codes WHERE ifnull(parent_id, 0) = ifnull((SELECT parent_id FROM codes WHERE id = ?2), 0) AND name = ?1 COLLATE NOCASE AND id <> ?2", c.id)
			if err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET name = ? WHERE id = ?", unique, c.id); err != nil {
				return nil, err
			}
			note := ""
			if unique != nn {
				note = "a sibling had the name already"
			}
			field(FieldCodeName, c.id, "code "+unique, unique, reps, note)
		}
		nd, reps, err := replaceString(replace, "", c.descr)
		if err != nil {
			return nil, fmt.Errorf("code %d: %w", c.id, err)
		}
		if nd != c.descr {
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET description = ? WHERE id = ?", nd, c.id); err != nil {
				return nil, err
			}
			var name string
			tx.QueryRowContext(ctx, "SELECT name FROM codes WHERE id = ?", c.id).Scan(&name)
			field(FieldCodeDescription, c.id, "code "+name, "", reps, "")
		}
	}
	return out, nil
}

// replaceColumn replaces the runs replace finds in column col of the
// rows of tbl that where selects (with arg), calling done for each row
// changed with its id, its key column (attributes) and the new value.
// Attribute values get the type their new value has.
func replaceColumn(ctx context.Context, tx *sql.Tx, replace Replacer, doc, tbl, col, where string, arg any,
	done func(id int64, key, now string, reps []Replacement)) error {
	type row struct {
		id       int64
		key, val string
	}
	var args []any
	if arg != nil {
		args = append(args, arg)
	}
	var rows []row
	if err := each(ctx, tx, "SELECT id, key, "+col+" FROM "+tbl+" WHERE "+where+" ORDER BY 1", func(r *sql.Rows) error {
		var x row
		if err := r.Scan(&x.id, &x.key, &x.val); err != nil {
			return err
		}
		rows = append(rows, x)
		return nil
	}, args...); err != nil {
		return err
	}
	for _, x := range rows {
		nv, reps, err := replaceString(replace, doc, x.val)
		if err != nil {
			return fmt.Errorf("%s %d: %w", tbl, x.id, err)
		}
		if nv == x.val {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+tbl+" SET "+col+" = ?, type = ? WHERE id = ?", nv, InferType(nv), x.id); err != nil {
			return err
		}
		if done != nil {
			done(x.id, x.key, nv, reps)
		}
	}
	return nil
}

// uniqueName returns name, or name with " (2)", " (3)"… after it when
// query (given the name and id) counts another row that has it.
func uniqueName(ctx context.Context, tx *sql.Tx, name, query string, id int64) (string, error) {
	cand := name
	for i := 2; ; i++ {
		var n int
		if err := tx.QueryRowContext(ctx, query, cand, id).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return cand, nil
		}
		cand = fmt.Sprintf("%s (%d)", name, i)
	}
}

// planDocNames decides the new name of every document whose name holds
// a run replace finds, by its old name. A name another document has is
// made unique.
func planDocNames(ctx context.Context, tx *sql.Tx, docs []currentDoc, replace Replacer) (map[string]PseudonymisedField, error) {
	out := map[string]PseudonymisedField{}
	taken := map[string]bool{}
	for _, d := range docs {
		taken[d.name] = true
	}
	for _, d := range docs {
		nn, reps, err := replaceString(replace, d.name, d.name)
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", d.name, err)
		}
		nn = strings.TrimSpace(nn)
		if nn == d.name || nn == "" {
			continue
		}
		unique := nn
		for i := 2; taken[unique]; i++ {
			unique = fmt.Sprintf("%s (%d)", nn, i)
		}
		taken[unique] = true
		if err := checkText("document name", unique, MaxDocName); err != nil {
			return nil, fmt.Errorf("document %d: %w", d.id, err)
		}
		c := counter{}
		c.add(reps)
		note := ""
		if unique != nn {
			note = "another document had the name already"
		}
		out[d.name] = PseudonymisedField{Field: FieldDocumentName, ID: d.id, Where: unique, Now: unique,
			Replacements: len(reps), Entries: c.list(), Note: note}
	}
	return out, nil
}

// labelName is a speaker's name once replaced, as the label grammar reads
// it off the text: a name that became one bracketed pseudonym, written
// "[Participant 3]:" in the text, is the speaker "Participant 3", so that
// turns derived again from the text keep their speakers.
func labelName(name string) string {
	inner, ok := strings.CutPrefix(name, "[")
	if !ok {
		return name
	}
	inner, ok = strings.CutSuffix(inner, "]")
	if !ok || inner == "" || strings.ContainsAny(inner, "[]") {
		return name
	}
	return inner
}
