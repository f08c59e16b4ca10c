package coding

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// tracked lists the tables whose changes the history records, with their
// columns in the order the triggers in schema/0001_init.sql and
// schema/0003_history_documents.sql write them. rowJSON must build exactly
// the JSON the triggers build, so that undo can tell whether a row changed
// since.
var tracked = map[string][]string{
	"codes":      {"id", "guid", "parent_id", "name", "color", "description", "created_at", "created_by"},
	"codings":    {"id", "guid", "doc_id", "code_id", "start", "end", "coder_id", "created_at"},
	"attributes": {"id", "doc_id", "key", "type", "value", "position"},
	"memos":      {"id", "guid", "target", "target_id", "text", "coder_id", "created_at", "updated_at"},
	"documents": {"id", "guid", "name", "version", "format", "lang", "source", "source_sha256",
		"text", "text_sha256", "length", "words", "imported_at", "imported_by"},
	"turns":  {"doc_id", "n", "speaker", "start", "body", "end", "time_ms", "end_ms"},
	"coders": {"id", "guid", "name", "created_at"},
	// schema/0004_speakers.sql
	"cases":           {"id", "guid", "name", "created_at"},
	"case_attributes": {"id", "case_id", "key", "type", "value", "position"},
	"speakers":        {"id", "doc_id", "name", "role", "case_id"},
	"anchors":         {"doc_id", "pos", "time_ms"},
	// schema/0005_versions.sql
	"carried": {"id", "coding_id", "coding_guid", "from_doc", "from_start", "from_end", "to_doc",
		"status", "old_text", "new_text"},
	"document_origins": {"doc_id", "path"},
}

// trackedKey names the key columns of tracked tables whose rows are not
// named by an id column; the history's row_id then holds the first of
// them and the recorded JSON holds them all.
var trackedKey = map[string][]string{
	"turns":            {"doc_id", "n"},
	"anchors":          {"doc_id", "pos"},
	"document_origins": {"doc_id"},
}

// rowKey returns the WHERE clause and its arguments that name the row a
// change is about.
func rowKey(tbl string, id int64, from, to sql.NullString) (string, []any, error) {
	keys, ok := trackedKey[tbl]
	if !ok {
		return "id = ?", []any{id}, nil
	}
	js := from
	if !js.Valid {
		js = to
	}
	vals, err := rowValues(js.String, tracked[tbl])
	if err != nil {
		return "", nil, err
	}
	var where []string
	var args []any
	for _, k := range keys {
		for i, c := range tracked[tbl] {
			if c == k {
				where = append(where, `"`+k+`" = ?`)
				args = append(args, vals[i])
			}
		}
	}
	return strings.Join(where, " AND "), args, nil
}

// Op describes one undoable action.
type Op struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Coder string `json:"coder"`
	At    string `json:"at"`
}

// action runs fn as one user action: one immediate transaction whose row
// changes are recorded under an op labelled label, so that Undo can revert
// it. fn may replace the label through the pointer it is given. An action
// that changes nothing leaves no op behind.
func (s *Store) action(ctx context.Context, label string, fn func(tx *sql.Tx, label *string) error) (Op, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Op{}, mapErr(err)
	}
	defer tx.Rollback()
	coder, err := s.coderID(ctx, tx, s.coder)
	if err != nil {
		return Op{}, mapErr(err)
	}
	at := s.stamp()
	res, err := tx.ExecContext(ctx, "INSERT INTO ops (coder_id, label, at) VALUES (?, ?, ?)", coder, label, at)
	if err != nil {
		return Op{}, mapErr(err)
	}
	opID, _ := res.LastInsertId()
	if _, err := tx.ExecContext(ctx, "UPDATE op_state SET op_id = ?", opID); err != nil {
		return Op{}, mapErr(err)
	}
	if err := fn(tx, &label); err != nil {
		return Op{}, mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE op_state SET op_id = NULL"); err != nil {
		return Op{}, mapErr(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM changes WHERE op_id = ?", opID).Scan(&n); err != nil {
		return Op{}, mapErr(err)
	}
	if n == 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM ops WHERE id = ?", opID); err != nil {
			return Op{}, mapErr(err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, "UPDATE ops SET label = ? WHERE id = ?", label, opID); err != nil {
			return Op{}, mapErr(err)
		}
		if err := bumpGeneration(ctx, tx); err != nil {
			return Op{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return Op{}, mapErr(err)
	}
	return Op{ID: opID, Label: label, Coder: s.coder, At: at}, nil
}

type change struct {
	tbl           string
	rowID         int64
	before, after sql.NullString
}

// Undo reverts the coder's most recent action that is not yet undone and
// returns it. It refuses with ErrConflict when a row the action touched has
// changed since (for example another coder edited the same code).
func (s *Store) Undo(ctx context.Context) (Op, error) {
	return s.replay(ctx, true)
}

// Redo applies again the coder's most recently undone action.
func (s *Store) Redo(ctx context.Context) (Op, error) {
	return s.replay(ctx, false)
}

func (s *Store) replay(ctx context.Context, undo bool) (Op, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Op{}, mapErr(err)
	}
	defer tx.Rollback()
	var op Op
	op.Coder = s.coder
	q := `SELECT o.id, o.label, o.at FROM ops o JOIN coders c ON c.id = o.coder_id
	      WHERE c.name = ? AND o.undone = 0 ORDER BY o.id DESC LIMIT 1`
	verb := "undo"
	if !undo {
		// The redo chain is the undone ops after the coder's last live
		// one: a new action ends it.
		q = `SELECT o.id, o.label, o.at FROM ops o JOIN coders c ON c.id = o.coder_id
		     WHERE c.name = ?1 AND o.undone = 1
		     AND o.id > coalesce((SELECT max(p.id) FROM ops p WHERE p.coder_id = c.id AND p.undone = 0), 0)
		     ORDER BY o.id ASC LIMIT 1`
		verb = "redo"
	}
	// Undone ops that a later action cut off from redo are dead weight.
	if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE op_id IN (SELECT o.id FROM ops o JOIN coders c ON c.id = o.coder_id
		WHERE c.name = ?1 AND o.undone = 1 AND o.id < (SELECT max(p.id) FROM ops p WHERE p.coder_id = c.id AND p.undone = 0))`, s.coder); err != nil {
		return Op{}, mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ops WHERE id IN (SELECT o.id FROM ops o JOIN coders c ON c.id = o.coder_id
		WHERE c.name = ?1 AND o.undone = 1 AND o.id < (SELECT max(p.id) FROM ops p WHERE p.coder_id = c.id AND p.undone = 0))`, s.coder); err != nil {
		return Op{}, mapErr(err)
	}
	if err := tx.QueryRowContext(ctx, q, s.coder).Scan(&op.ID, &op.Label, &op.At); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Op{}, fmt.Errorf("%w: nothing to %s for %s", ErrNothing, verb, s.coder)
		}
		return Op{}, mapErr(err)
	}
	order := "DESC"
	if !undo {
		order = "ASC"
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT tbl, row_id, before, after FROM changes WHERE op_id = ? ORDER BY seq "+order, op.ID)
	if err != nil {
		return Op{}, mapErr(err)
	}
	var chs []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.tbl, &c.rowID, &c.before, &c.after); err != nil {
			rows.Close()
			return Op{}, mapErr(err)
		}
		chs = append(chs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Op{}, mapErr(err)
	}
	var gone, back []string // files in sources/ of documents removed and restored
	for _, c := range chs {
		from, to := c.after, c.before
		if !undo {
			from, to = c.before, c.after
		}
		if err := applyRow(ctx, tx, c.tbl, c.rowID, from, to); err != nil {
			return Op{}, fmt.Errorf("%s %q: %w", verb, op.Label, err)
		}
		if c.tbl == "documents" && from.Valid != to.Valid {
			js := from
			if to.Valid {
				js = to
			}
			if src := sourceOf(js.String); src != "" && to.Valid {
				back = append(back, src)
			} else if src != "" {
				gone = append(gone, src)
			}
		}
	}
	flag := 1
	if !undo {
		flag = 0
	}
	if _, err := tx.ExecContext(ctx, "UPDATE ops SET undone = ? WHERE id = ?", flag, op.ID); err != nil {
		return Op{}, mapErr(err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return Op{}, err
	}
	if err := tx.Commit(); err != nil {
		return Op{}, mapErr(err)
	}
	s.shelveSources(gone, back)
	return op, nil
}

// undoneDir holds, under sources/, the originals of documents an undo
// removed, so that redo can bring them back.
const undoneDir = ".undone"

// shelveSources moves the originals of documents an undo removed out of
// sources/ (into sources/.undone/) and those of documents a redo restored
// back. A file that is not where it should be is left alone: the rows
// are the truth, and a missing original only matters to provenance.
func (s *Store) shelveSources(gone, back []string) {
	dir := filepath.Join(s.dir, SourcesDir)
	if len(gone) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, undoneDir), 0o700); err != nil {
			return
		}
	}
	move := func(from, to string) {
		if _, err := os.Lstat(to); err == nil {
			return // never overwrite: a later import took the name
		}
		os.Rename(from, to)
	}
	for _, name := range gone {
		move(filepath.Join(dir, name), filepath.Join(dir, undoneDir, name))
	}
	for _, name := range back {
		move(filepath.Join(dir, undoneDir, name), filepath.Join(dir, name))
	}
}

// sourceOf returns the file name under sources/ that a recorded documents
// row names, or "".
func sourceOf(js string) string {
	var row struct {
		Source string `json:"source"`
	}
	if json.Unmarshal([]byte(js), &row) != nil || row.Source != filepath.Base(row.Source) || row.Source == "." || row.Source == ".." {
		return ""
	}
	return row.Source
}

// applyRow moves one row of table tbl from state from to state to (either
// may be NULL for "absent"), after checking that the row is still in state
// from.
func applyRow(ctx context.Context, tx *sql.Tx, tbl string, id int64, from, to sql.NullString) error {
	cols, ok := tracked[tbl]
	if !ok {
		return fmt.Errorf("history names unknown table %q", tbl)
	}
	where, key, err := rowKey(tbl, id, from, to)
	if err != nil {
		return err
	}
	cur, err := rowJSON(ctx, tx, tbl, where, key)
	if err != nil {
		return err
	}
	if cur.Valid != from.Valid || (cur.Valid && cur.String != from.String) {
		return fmt.Errorf("%w: %s row %d has changed since", ErrConflict, strings.TrimSuffix(tbl, "s"), id)
	}
	switch {
	case !to.Valid:
		_, err = tx.ExecContext(ctx, "DELETE FROM "+tbl+" WHERE "+where, key...)
		if isConstraint(err) {
			return fmt.Errorf("%w: later changes depend on this %s", ErrConflict, strings.TrimSuffix(tbl, "s"))
		}
	case !from.Valid:
		vals, err2 := rowValues(to.String, cols)
		if err2 != nil {
			return err2
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO "+tbl+" ("+quoteCols(cols)+") VALUES ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")", vals...)
		if isConstraint(err) {
			return fmt.Errorf("%w: cannot restore a %s: something it needs was removed since (%v)", ErrConflict, strings.TrimSuffix(tbl, "s"), err)
		}
	default:
		vals, err2 := rowValues(to.String, cols)
		if err2 != nil {
			return err2
		}
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = `"` + c + `" = ?`
		}
		_, err = tx.ExecContext(ctx, "UPDATE "+tbl+" SET "+strings.Join(sets, ", ")+" WHERE "+where,
			append(vals, key...)...)
	}
	return mapErr(err)
}

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// rowJSON returns the row named by where and key as the triggers would
// record it, or NULL when it does not exist.
func rowJSON(ctx context.Context, tx *sql.Tx, tbl, where string, key []any) (sql.NullString, error) {
	cols := tracked[tbl]
	args := make([]string, 0, 2*len(cols))
	for _, c := range cols {
		args = append(args, "'"+c+"'", `"`+c+`"`)
	}
	var js sql.NullString
	err := tx.QueryRowContext(ctx, "SELECT json_object("+strings.Join(args, ", ")+") FROM "+tbl+" WHERE "+where, key...).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.NullString{}, nil
	}
	return js, err
}

// rowValues decodes a recorded row into values in column order.
func rowValues(js string, cols []string) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(js)))
	dec.UseNumber()
	m := map[string]any{}
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("history row: %w", err)
	}
	if len(m) != len(cols) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("history row has columns %v, want %v", keys, cols)
	}
	vals := make([]any, len(cols))
	for i, c := range cols {
		v, ok := m[c]
		if !ok {
			return nil, fmt.Errorf("history row lacks column %q", c)
		}
		if n, isNum := v.(json.Number); isNum {
			if iv, err := n.Int64(); err == nil {
				v = iv
			} else if fv, err := n.Float64(); err == nil {
				v = fv
			}
		}
		vals[i] = v
	}
	return vals, nil
}

// History lists the most recent actions, newest first.
func (s *Store) History(ctx context.Context, limit int) ([]Op, error) {
	return s.HistoryBy(ctx, "", limit)
}

func bumpGeneration(ctx context.Context, q querier) error {
	_, err := q.ExecContext(ctx, "UPDATE project SET generation = generation + 1")
	return mapErr(err)
}
