package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Span is a code-point range [Start, End) of a document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

func (sp Span) String() string { return fmt.Sprintf("%d:%d", sp.Start, sp.End) }

// ParseSpan reads START:END.
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, ":")
	start, err1 := strconv.Atoi(strings.TrimSpace(a))
	end, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return Span{}, fmt.Errorf("%w: span %q: want START:END in characters", ErrInvalid, s)
	}
	if start < 0 || end <= start {
		return Span{}, fmt.Errorf("%w: span %q: want 0 <= START < END", ErrInvalid, s)
	}
	return Span{start, end}, nil
}

// MatchSpans returns the spans of every non-overlapping occurrence of
// needle in text. The needle is brought to NFC first, as stored texts are.
// The match is exact but for what typing and typesetting change (see
// FoldMatch): ’ and ', “ ” « » „ and ", – — and -, ё and е are the same,
// so "didn't" finds a transcript's didn’t. Case counts.
func MatchSpans(text, needle string) []Span {
	if needle == "" {
		return nil
	}
	needle = FoldMatch(norm.NFC.String(needle))
	text = FoldMatch(text)
	var spans []Span
	n := len([]rune(needle))
	off, cp := 0, 0
	for {
		i := strings.Index(text[off:], needle)
		if i < 0 {
			return spans
		}
		cp += RuneOffset(text[off:], i)
		spans = append(spans, Span{cp, cp + n})
		off += i + len(needle)
		cp += n
	}
}

// FoldMatch maps each character that typing and typesetting vary to one
// spelling, one code point for one, so offsets in code points stay put:
// typographic apostrophes to ', typographic double quotes and guillemets
// to ", dashes and the minus sign to -, ё to е and Ё to Е.
func FoldMatch(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', 'ʼ', '′':
			return '\''
		case '“', '”', '„', '«', '»', '″':
			return '"'
		case '‐', '‑', '‒', '–', '—', '―', '−':
			return '-'
		case 'ё':
			return 'е'
		case 'Ё':
			return 'Е'
		}
		return r
	}, s)
}

// TagRequest asks to code spans of one document with one code.
type TagRequest struct {
	// Doc and Code name the document and the code (see Document and Code).
	Doc, Code string
	Spans     []Span
	// Memo, when set, is written on each new coding.
	Memo string
	// Create makes the code (and missing parents) when it does not exist.
	Create bool
}

// Tag codes the spans as one undoable action, recorded under the store's
// coder, and returns the new codings. A span already coded with the code
// by the same coder is an ErrConflict.
func (s *Store) Tag(ctx context.Context, r TagRequest) ([]Coding, Op, error) {
	if len(r.Spans) == 0 {
		return nil, Op{}, fmt.Errorf("%w: no span to code", ErrInvalid)
	}
	var out []Coding
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		docID, err := resolveDoc(ctx, tx, r.Doc)
		if err != nil {
			return err
		}
		var docName string
		var length int
		if err := tx.QueryRowContext(ctx, "SELECT name, length FROM documents WHERE id = ?", docID).Scan(&docName, &length); err != nil {
			return err
		}
		code, err := resolveCodeQuick(ctx, tx, r.Code)
		if errors.Is(err, ErrNotFound) && r.Create {
			code, err = s.createPath(ctx, tx, r.Code)
		}
		if err != nil {
			return err
		}
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		now := s.stamp()
		var spans []string
		for _, sp := range r.Spans {
			if sp.Start < 0 || sp.End <= sp.Start || sp.End > length {
				return fmt.Errorf("%w: span %s is outside %s (0:%d)", ErrInvalid, sp, docName, length)
			}
			c := Coding{GUID: newGUID(), DocID: docID, Document: docName, CodeID: code.ID, Code: code.Path,
				Start: sp.Start, End: sp.End, Coder: s.coder, CreatedAt: parseStamp(now)}
			res, err := tx.ExecContext(ctx, `INSERT INTO codings (guid, doc_id, code_id, start, end, coder_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.GUID, docID, code.ID, sp.Start, sp.End, coder, now)
			if isConstraint(err) {
				return fmt.Errorf("%w: %s %s is already coded %s by %s", ErrConflict, docName, sp, code.Path, s.coder)
			}
			if err != nil {
				return err
			}
			c.ID, _ = res.LastInsertId()
			if r.Memo != "" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO memos (guid, target, target_id, text, coder_id, created_at, updated_at)
					VALUES (?, 'coding', ?, ?, ?, ?, ?)`, newGUID(), c.ID, r.Memo, coder, now, now); err != nil {
					return err
				}
			}
			out = append(out, c)
			spans = append(spans, sp.String())
		}
		if len(spans) > 3 {
			spans = append(spans[:3], fmt.Sprintf("and %d more", len(spans)-3))
		}
		*label = fmt.Sprintf("tag %s %s with %s", docName, strings.Join(spans, ", "), code.Path)
		return nil
	})
	return out, op, err
}

// createPath makes the code named by path and any missing parents.
func (s *Store) createPath(ctx context.Context, tx *sql.Tx, path string) (Code, error) {
	names := SplitPath(path)
	if len(names) == 0 {
		return Code{}, fmt.Errorf("%w: empty code name", ErrInvalid)
	}
	coder, err := s.coderID(ctx, tx, s.coder)
	if err != nil {
		return Code{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM codes").Scan(&n); err != nil {
		return Code{}, err
	}
	var parent int64
	for _, name := range names {
		name, err := checkCodeName(name)
		if err != nil {
			return Code{}, err
		}
		var id int64
		err = tx.QueryRowContext(ctx, "SELECT id FROM codes WHERE ifnull(parent_id, 0) = ? AND name = ? COLLATE NOCASE", parent, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			var p any
			if parent != 0 {
				p = parent
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO codes (guid, parent_id, name, color, description, created_at, created_by)
				VALUES (?, ?, ?, ?, '', ?, ?)`, newGUID(), p, name, palette[n%len(palette)], s.stamp(), coder)
			if err != nil {
				return Code{}, err
			}
			n++
			id, _ = res.LastInsertId()
		} else if err != nil {
			return Code{}, err
		}
		parent = id
	}
	c, _, err := resolveCode(ctx, tx, strconv.FormatInt(parent, 10))
	return c, err
}

// UntagRequest names codings to remove: by id, or by document, code and
// exact span.
type UntagRequest struct {
	IDs       []int64
	Doc, Code string
	Span      Span
	// AnyCoder removes matching codings of every coder, not only the
	// store's coder.
	AnyCoder bool
}

// Untag removes codings (and their memos) as one undoable action and
// returns how many it removed.
func (s *Store) Untag(ctx context.Context, r UntagRequest) (int, Op, error) {
	var n int
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		ids := r.IDs
		if len(ids) == 0 {
			docID, err := resolveDoc(ctx, tx, r.Doc)
			if err != nil {
				return err
			}
			code, _, err := resolveCode(ctx, tx, r.Code)
			if err != nil {
				return err
			}
			q := `SELECT g.id FROM codings g JOIN coders c ON c.id = g.coder_id
				WHERE g.doc_id = ? AND g.code_id = ? AND g.start = ? AND g.end = ?`
			args := []any{docID, code.ID, r.Span.Start, r.Span.End}
			if !r.AnyCoder {
				q += " AND c.name = ?"
				args = append(args, s.coder)
			}
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
			if len(ids) == 0 {
				who := " by " + s.coder
				if r.AnyCoder {
					who = ""
				}
				return fmt.Errorf("no coding of %s at %s in %s%s: %w", code.Path, r.Span, r.Doc, who, ErrNotFound)
			}
			*label = fmt.Sprintf("untag %s %s from %s", r.Doc, r.Span, code.Path)
		} else {
			*label = fmt.Sprintf("untag coding %s", joinIDs(ids))
		}
		whose, err := codersOf(ctx, tx, ids)
		if err != nil {
			return err
		}
		if len(whose) > 0 && (len(whose) > 1 || whose[0] != s.coder) {
			*label += " (coded by " + strings.Join(whose, ", ") + ")"
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "DELETE FROM memos WHERE target = 'coding' AND target_id = ?", id); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, "DELETE FROM codings WHERE id = ?", id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return fmt.Errorf("coding %d: %w", id, ErrNotFound)
			}
			n++
		}
		return nil
	})
	return n, op, err
}

// codersOf names, sorted, the coders of the codings ids.
func codersOf(ctx context.Context, q querier, ids []int64) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		var name string
		err := q.QueryRowContext(ctx, `SELECT c.name FROM codings g JOIN coders c ON c.id = g.coder_id WHERE g.id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			continue // reported as not found below
		}
		if err != nil {
			return nil, err
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// CodingFilter selects codings; zero fields select everything.
type CodingFilter struct {
	DocID int64
	// CodeIDs keeps codings of these codes.
	CodeIDs []int64
	Coder   string
	// Overlapping, when its End is set, keeps codings that overlap it.
	Overlapping Span
	// IDs, when not empty, keeps these codings.
	IDs []int64
	// Current keeps codings on the latest version of each document,
	// leaving out those on earlier versions (orphaned ones).
	Current bool
}

// Codings lists codings by document, start and end.
func (s *Store) Codings(ctx context.Context, f CodingFilter) ([]Coding, error) {
	return codingsOf(ctx, s.db, f)
}

func codingsOf(ctx context.Context, q querier, f CodingFilter) ([]Coding, error) {
	codes, err := loadCodebook(ctx, q, false)
	if err != nil {
		return nil, err
	}
	paths := make(map[int64]string, len(codes))
	for _, c := range codes {
		paths[c.ID] = c.Path
	}
	query := `SELECT g.id, g.guid, g.doc_id, d.name, g.code_id, g.start, g.end, c.name, g.created_at
		FROM codings g JOIN documents d ON d.id = g.doc_id JOIN coders c ON c.id = g.coder_id WHERE 1=1`
	var args []any
	if f.DocID != 0 {
		query += " AND g.doc_id = ?"
		args = append(args, f.DocID)
	}
	if len(f.CodeIDs) > 0 {
		query += " AND g.code_id IN (" + joinIDs(f.CodeIDs) + ")"
	}
	if f.Coder != "" {
		query += " AND c.name = ?"
		args = append(args, f.Coder)
	}
	if f.Overlapping.End > 0 {
		query += " AND g.start < ? AND g.end > ?"
		args = append(args, f.Overlapping.End, f.Overlapping.Start)
	}
	if len(f.IDs) > 0 {
		query += " AND g.id IN (" + joinIDs(f.IDs) + ")"
	}
	if f.Current {
		query += " AND d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name)"
	}
	query += " ORDER BY d.name, d.version, g.start, g.end, g.id"
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Coding
	for rows.Next() {
		var c Coding
		var at string
		if err := rows.Scan(&c.ID, &c.GUID, &c.DocID, &c.Document, &c.CodeID, &c.Start, &c.End, &c.Coder, &at); err != nil {
			return nil, mapErr(err)
		}
		c.Code = paths[c.CodeID]
		c.CreatedAt = parseStamp(at)
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// Subtree returns the ids of the code and all its descendants.
func Subtree(codes []Code, root Code) []int64 {
	var ids []int64
	for _, c := range codes {
		if c.ID == root.ID || strings.HasPrefix(c.Path, root.Path+"/") {
			ids = append(ids, c.ID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Coders lists the names of everyone who has worked on the project.
func (s *Store) Coders(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM coders ORDER BY name")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, mapErr(err)
		}
		names = append(names, n)
	}
	return names, mapErr(rows.Err())
}

// DocSpans are spans of one document.
type DocSpans struct {
	DocID int64
	Spans []Span
}

// TagBatch codes many spans across documents with one code as a single
// undoable action, labelled label. Spans the coder has already coded with
// the code are skipped and counted.
func (s *Store) TagBatch(ctx context.Context, codeRef string, items []DocSpans, create bool, label string) (made, skipped int, op Op, err error) {
	op, err = s.action(ctx, label, func(tx *sql.Tx, lbl *string) error {
		code, err := resolveCodeQuick(ctx, tx, codeRef)
		if errors.Is(err, ErrNotFound) && create {
			code, err = s.createPath(ctx, tx, codeRef)
		}
		if err != nil {
			return err
		}
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		now := s.stamp()
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO codings (guid, doc_id, code_id, start, end, coder_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, it := range items {
			var length int
			if err := tx.QueryRowContext(ctx, "SELECT length FROM documents WHERE id = ?", it.DocID).Scan(&length); err != nil {
				return fmt.Errorf("document %d: %w", it.DocID, mapErr(err))
			}
			for _, sp := range it.Spans {
				if sp.Start < 0 || sp.End <= sp.Start || sp.End > length {
					return fmt.Errorf("%w: span %s is outside document %d (0:%d)", ErrInvalid, sp, it.DocID, length)
				}
				res, err := stmt.ExecContext(ctx, newGUID(), it.DocID, code.ID, sp.Start, sp.End, coder, now)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 1 {
					made++
				} else {
					skipped++
				}
			}
		}
		*lbl = fmt.Sprintf("%s: %s with %s", label, plural(made, "coding", "codings"), code.Path)
		return nil
	})
	return made, skipped, op, err
}
