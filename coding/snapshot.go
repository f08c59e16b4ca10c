package coding

import (
	"context"
	"database/sql"
	"sort"
	"time"
)

// Snapshot is a whole project in memory, with every cross reference by
// GUID rather than by row id: the form in which projects leave the store
// (REFI-QDA export) and come into one (REFI-QDA import, merge).
//
// Texts are stored texts (NFC, LF line endings) and spans are code points
// of them, end exclusive, as everywhere in the store. Slices are in a
// fixed order (see Store.Snapshot) so that what is built from a snapshot
// is deterministic.
type Snapshot struct {
	GUID      string
	Name      string
	CreatedAt time.Time
	Coders    []SnapshotCoder
	// Codes lists parents before their children.
	Codes     []SnapshotCode
	Documents []SnapshotDocument
	Codings   []SnapshotCoding
	Memos     []SnapshotMemo
	// Cases are the people (or other units) speakers are tied to, with
	// their attributes; by name. A case may be tied to no speaker.
	Cases []SnapshotCase
}

// SnapshotCase is a case with its attributes, in their order.
type SnapshotCase struct {
	GUID       string
	Name       string
	Attributes []Attribute
	CreatedAt  time.Time
}

// SnapshotSpeaker is a name used in a document's turns, with its role
// and the GUID of the case it is tied to ("" for none). A Role of ""
// leaves the role to Merge, which gives it as an import does (from the
// label, the document's interviewer attribute, or who asks).
type SnapshotSpeaker struct {
	Name     string
	Role     string
	CaseGUID string
}

// SnapshotAnchor is a time known at a code-point position of a
// document's text (each subtitle cue's start, for one).
type SnapshotAnchor struct {
	Pos  int
	Time time.Duration
}

// SnapshotCoder is a person who coded.
type SnapshotCoder struct {
	GUID      string
	Name      string
	CreatedAt time.Time
}

// SnapshotCode is a node of the codebook; ParentGUID is "" at the top.
type SnapshotCode struct {
	GUID        string
	ParentGUID  string
	Name        string
	Color       string // #RRGGBB or ""
	Description string
	CreatedAt   time.Time
	CreatedBy   string // coder name, or ""
}

// SnapshotDocument is one version of a transcript with its text.
type SnapshotDocument struct {
	GUID       string
	Name       string
	Version    int
	Format     string
	Lang       string
	Source     string // file name under the project's sources/
	Text       string
	TextSHA256 string
	Turns      []Turn
	// Speakers are by name, Anchors by position.
	Speakers   []SnapshotSpeaker
	Anchors    []SnapshotAnchor
	Attributes []Attribute
	ImportedAt time.Time
	ImportedBy string // coder name, or ""
	// Latest is set on the newest version of each name.
	Latest bool
}

// SnapshotCoding is one coded span.
type SnapshotCoding struct {
	GUID      string
	DocGUID   string
	CodeGUID  string
	Start     int
	End       int
	Coder     string
	CreatedAt time.Time
}

// SnapshotMemo is a note; TargetGUID names the document, code or coding
// it is on, and is "" for a project memo.
type SnapshotMemo struct {
	GUID       string
	Target     string
	TargetGUID string
	Text       string
	Coder      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Snapshot reads the whole project in one read transaction. Coders are by
// name, codes in tree order, documents by name and version (each with its
// speakers by name and anchors by position), codings by document, start,
// end, code path and coder, memos by id, cases by name.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{}
	err := s.read(ctx, func(q querier) error {
		var created string
		if err := q.QueryRowContext(ctx, "SELECT guid, name, created_at FROM project").Scan(&snap.GUID, &snap.Name, &created); err != nil {
			return err
		}
		snap.CreatedAt = parseStamp(created)

		coders := map[int64]string{}
		err := each(ctx, q, "SELECT id, guid, name, created_at FROM coders ORDER BY name", func(r *sql.Rows) error {
			var id int64
			var c SnapshotCoder
			var at string
			if err := r.Scan(&id, &c.GUID, &c.Name, &at); err != nil {
				return err
			}
			c.CreatedAt = parseStamp(at)
			coders[id] = c.Name
			snap.Coders = append(snap.Coders, c)
			return nil
		})
		if err != nil {
			return err
		}

		codes, err := loadCodebook(ctx, q, false)
		if err != nil {
			return err
		}
		codeGUID := map[int64]string{}
		for _, c := range codes {
			codeGUID[c.ID] = c.GUID
		}
		creators := map[int64]string{}
		err = each(ctx, q, "SELECT id, coalesce(created_by, 0) FROM codes", func(r *sql.Rows) error {
			var id, by int64
			if err := r.Scan(&id, &by); err != nil {
				return err
			}
			creators[id] = coders[by]
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range codes {
			snap.Codes = append(snap.Codes, SnapshotCode{
				GUID: c.GUID, ParentGUID: codeGUID[c.ParentID], Name: c.Name, Color: c.Color,
				Description: c.Description, CreatedAt: c.CreatedAt, CreatedBy: creators[c.ID],
			})
		}

		attrs, err := allAttributes(ctx, q)
		if err != nil {
			return err
		}
		docGUID := map[int64]string{}
		var docIDs []int64
		err = each(ctx, q, `SELECT d.id, d.guid, d.name, d.version, d.format, d.lang, d.source, d.text, d.text_sha256,
				d.imported_at, coalesce(d.imported_by, 0),
				d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name)
			FROM documents d ORDER BY d.name, d.version`, func(r *sql.Rows) error {
			var id, by int64
			var d SnapshotDocument
			var at string
			if err := r.Scan(&id, &d.GUID, &d.Name, &d.Version, &d.Format, &d.Lang, &d.Source, &d.Text, &d.TextSHA256,
				&at, &by, &d.Latest); err != nil {
				return err
			}
			d.ImportedAt = parseStamp(at)
			d.ImportedBy = coders[by]
			d.Attributes = attrs[id]
			docGUID[id] = d.GUID
			docIDs = append(docIDs, id)
			snap.Documents = append(snap.Documents, d)
			return nil
		})
		if err != nil {
			return err
		}
		for i, id := range docIDs {
			if snap.Documents[i].Turns, err = turnsOf(ctx, q, id); err != nil {
				return err
			}
		}
		if err := snapshotPeople(ctx, q, snap, docIDs); err != nil {
			return err
		}

		type keyed struct {
			SnapshotCoding
			path string
		}
		codingGUID := map[int64]string{}
		err = each(ctx, q, `SELECT id, guid, doc_id, code_id, start, end, coder_id, created_at FROM codings
			ORDER BY doc_id, start, end, id`, func(r *sql.Rows) error {
			var id, doc, code, coder int64
			var c SnapshotCoding
			var at string
			if err := r.Scan(&id, &c.GUID, &doc, &code, &c.Start, &c.End, &coder, &at); err != nil {
				return err
			}
			c.DocGUID, c.CodeGUID, c.Coder, c.CreatedAt = docGUID[doc], codeGUID[code], coders[coder], parseStamp(at)
			codingGUID[id] = c.GUID
			snap.Codings = append(snap.Codings, c)
			return nil
		})
		if err != nil {
			return err
		}
		sortSnapshotCodings(snap)

		return each(ctx, q, `SELECT guid, target, coalesce(target_id, 0), text, coder_id, created_at, updated_at
			FROM memos ORDER BY id`, func(r *sql.Rows) error {
			var m SnapshotMemo
			var target, coder int64
			var c, u string
			if err := r.Scan(&m.GUID, &m.Target, &target, &m.Text, &coder, &c, &u); err != nil {
				return err
			}
			m.Coder, m.CreatedAt, m.UpdatedAt = coders[coder], parseStamp(c), parseStamp(u)
			switch m.Target {
			case TargetDocument:
				m.TargetGUID = docGUID[target]
			case TargetCode:
				m.TargetGUID = codeGUID[target]
			case TargetCoding:
				m.TargetGUID = codingGUID[target]
			}
			snap.Memos = append(snap.Memos, m)
			return nil
		})
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return snap, nil
}

// Current returns a copy of snap with only the latest version of each
// document: the earlier versions go, with the codings on them (orphaned
// ones), the memos on those versions and codings, and their speakers and
// anchors. Everything else (coders, codes, cases, project memos) stays.
// This is what an export holds by default: only the current version
// counts in exports. Store.Snapshot itself keeps every version, as a
// merge needs a copy's earlier versions to follow a document's line.
// The result shares the unchanged parts with snap.
func (snap *Snapshot) Current() *Snapshot {
	if snap == nil {
		return nil
	}
	out := *snap
	out.Documents = make([]SnapshotDocument, 0, len(snap.Documents))
	dropped := map[string]bool{}
	for _, d := range snap.Documents {
		if d.Latest {
			out.Documents = append(out.Documents, d)
		} else {
			dropped[d.GUID] = true
		}
	}
	if len(dropped) == 0 {
		return &out
	}
	out.Codings = make([]SnapshotCoding, 0, len(snap.Codings))
	for _, c := range snap.Codings {
		if dropped[c.DocGUID] {
			dropped[c.GUID] = true
		} else {
			out.Codings = append(out.Codings, c)
		}
	}
	out.Memos = make([]SnapshotMemo, 0, len(snap.Memos))
	for _, m := range snap.Memos {
		if (m.Target == TargetDocument || m.Target == TargetCoding) && dropped[m.TargetGUID] {
			continue
		}
		out.Memos = append(out.Memos, m)
	}
	return &out
}

// each runs query and calls fn on every row.
func each(ctx context.Context, q querier, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sortSnapshotCodings puts codings in document order (the order of
// snap.Documents), then by start, end, code path and coder, so that the
// order does not depend on row ids.
func sortSnapshotCodings(snap *Snapshot) {
	docRank := make(map[string]int, len(snap.Documents))
	for i, d := range snap.Documents {
		docRank[d.GUID] = i
	}
	pathOf := make(map[string]string, len(snap.Codes))
	for _, c := range snap.Codes {
		pathOf[c.GUID] = ""
	}
	parent := map[string]string{}
	name := map[string]string{}
	for _, c := range snap.Codes {
		parent[c.GUID], name[c.GUID] = c.ParentGUID, c.Name
	}
	for g := range pathOf {
		p := name[g]
		for up := parent[g]; up != ""; up = parent[up] {
			p = name[up] + "/" + p
		}
		pathOf[g] = p
	}
	sort.SliceStable(snap.Codings, func(i, j int) bool {
		a, b := snap.Codings[i], snap.Codings[j]
		if docRank[a.DocGUID] != docRank[b.DocGUID] {
			return docRank[a.DocGUID] < docRank[b.DocGUID]
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		if pathOf[a.CodeGUID] != pathOf[b.CodeGUID] {
			return pathOf[a.CodeGUID] < pathOf[b.CodeGUID]
		}
		return a.Coder < b.Coder
	})
}
