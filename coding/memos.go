package coding

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// resolveTarget turns a memo target and reference into the stored target id
// and a label for the history.
func resolveTarget(ctx context.Context, q querier, target, ref string) (int64, string, error) {
	switch target {
	case TargetProject:
		return 0, "the project", nil
	case TargetDocument:
		id, err := resolveDoc(ctx, q, ref)
		return id, "document " + ref, err
	case TargetCode:
		c, _, err := resolveCode(ctx, q, ref)
		return c.ID, "code " + c.Path, err
	case TargetCoding:
		id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64)
		if err != nil {
			return 0, "", fmt.Errorf("%w: coding id %q", ErrInvalid, ref)
		}
		var one int
		if err := q.QueryRowContext(ctx, "SELECT 1 FROM codings WHERE id = ?", id).Scan(&one); err != nil {
			return 0, "", fmt.Errorf("coding %d: %w", id, mapErr(err))
		}
		return id, fmt.Sprintf("coding %d", id), nil
	}
	return 0, "", fmt.Errorf("%w: memo target %q (project, document, code, coding)", ErrInvalid, target)
}

// AddMemo writes a memo on the project, a document, a code or a coding as
// one undoable action.
func (s *Store) AddMemo(ctx context.Context, target, ref, text string) (Memo, Op, error) {
	// A memo keeps its lines and tabs; other controls are removed (the
	// command line warns when it removed any, see CleanText).
	text, _ = CleanText(text)
	if strings.TrimSpace(text) == "" {
		return Memo{}, Op{}, fmt.Errorf("%w: empty memo", ErrInvalid)
	}
	var m Memo
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		id, what, err := resolveTarget(ctx, tx, target, ref)
		if err != nil {
			return err
		}
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		var tid any
		if target != TargetProject {
			tid = id
		}
		now := s.stamp()
		m = Memo{GUID: newGUID(), Target: target, TargetID: id, Text: text, Coder: s.coder,
			CreatedAt: parseStamp(now), UpdatedAt: parseStamp(now)}
		res, err := tx.ExecContext(ctx, `INSERT INTO memos (guid, target, target_id, text, coder_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, m.GUID, target, tid, text, coder, now, now)
		if err != nil {
			return err
		}
		m.ID, _ = res.LastInsertId()
		*label = "memo on " + what
		return nil
	})
	return m, op, err
}

// EditMemo replaces a memo's text.
func (s *Store) EditMemo(ctx context.Context, id int64, text string) (Op, error) {
	text, _ = CleanText(text)
	if strings.TrimSpace(text) == "" {
		return Op{}, fmt.Errorf("%w: empty memo", ErrInvalid)
	}
	return s.action(ctx, fmt.Sprintf("edit memo %d", id), func(tx *sql.Tx, _ *string) error {
		res, err := tx.ExecContext(ctx, "UPDATE memos SET text = ?, updated_at = ? WHERE id = ?", text, s.stamp(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("memo %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// DeleteMemo removes a memo.
func (s *Store) DeleteMemo(ctx context.Context, id int64) (Op, error) {
	return s.action(ctx, fmt.Sprintf("delete memo %d", id), func(tx *sql.Tx, _ *string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM memos WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("memo %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// Memos lists memos, oldest first: all of them when target is "", else
// those on the named target.
func (s *Store) Memos(ctx context.Context, target, ref string) ([]Memo, error) {
	query := `SELECT m.id, m.guid, m.target, coalesce(m.target_id, 0), m.text, c.name, m.created_at, m.updated_at
		FROM memos m JOIN coders c ON c.id = m.coder_id`
	var args []any
	if target != "" {
		id, _, err := resolveTarget(ctx, s.db, target, ref)
		if err != nil {
			return nil, err
		}
		query += " WHERE m.target = ? AND coalesce(m.target_id, 0) = ?"
		args = append(args, target, id)
	}
	rows, err := s.db.QueryContext(ctx, query+" ORDER BY m.id", args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	memos := []Memo{}
	for rows.Next() {
		var m Memo
		var c, u string
		if err := rows.Scan(&m.ID, &m.GUID, &m.Target, &m.TargetID, &m.Text, &m.Coder, &c, &u); err != nil {
			return nil, mapErr(err)
		}
		m.CreatedAt, m.UpdatedAt = parseStamp(c), parseStamp(u)
		memos = append(memos, m)
	}
	return memos, mapErr(rows.Err())
}

// Setting returns a project setting, or def when unset.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	return settingOf(ctx, s.db, key, def)
}

func settingOf(ctx context.Context, q querier, key, def string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, mapErr(err)
}

// SetSetting stores a project setting.
// A value holding a hidden control character, or longer than 10,000
// characters, is refused.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if err := checkText("setting "+quoteSafe(key), value, MaxAttrValue); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
		return err
	})
}
