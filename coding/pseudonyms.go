package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// schema/0006_pseudonyms.sql
func init() {
	tracked["pseudonym_entries"] = []string{"id", "entry_id", "pseudonym", "kind", "doc"}
}

// PseudonymEntry is an entry of the pseudonym key that the project has in
// force. The key itself (with the real values) lives outside the project;
// the project knows an entry only by its id, its pseudonym, its kind and
// the document it is limited to.
type PseudonymEntry struct {
	EntryID   string `json:"id"`
	Pseudonym string `json:"pseudonym"`
	Kind      string `json:"kind"`
	// Doc names the document the entry is limited to; "" is every one.
	Doc string `json:"doc,omitempty"`
}

// pseudonymKinds are the kinds an entry may have.
var pseudonymKinds = map[string]bool{"person": true, "place": true, "org": true, "other": true}

func checkPseudonymEntry(e PseudonymEntry) error {
	if e.EntryID == "" || strings.ContainsFunc(e.EntryID, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		return fmt.Errorf("%w: pseudonym entry id %q", ErrInvalid, e.EntryID)
	}
	if len(e.Pseudonym) < 3 || e.Pseudonym[0] != '[' || e.Pseudonym[len(e.Pseudonym)-1] != ']' {
		return fmt.Errorf("%w: pseudonym %q is not a bracketed tag", ErrInvalid, e.Pseudonym)
	}
	if !pseudonymKinds[e.Kind] {
		return fmt.Errorf("%w: pseudonym kind %q", ErrInvalid, e.Kind)
	}
	return nil
}

// AddPseudonymEntry puts the key entry e in force, as one undoable
// action. An entry already in force is refused with ErrConflict.
func (s *Store) AddPseudonymEntry(ctx context.Context, e PseudonymEntry) (Op, error) {
	if err := checkPseudonymEntry(e); err != nil {
		return Op{}, err
	}
	return s.action(ctx, "pseudo add "+e.EntryID+" "+e.Pseudonym, func(tx *sql.Tx, _ *string) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pseudonym_entries WHERE entry_id = ?", e.EntryID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: pseudonym entry %s is already in force", ErrConflict, e.EntryID)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO pseudonym_entries (entry_id, pseudonym, kind, doc) VALUES (?, ?, ?, ?)",
			e.EntryID, e.Pseudonym, e.Kind, e.Doc)
		return err
	})
}

// RemovePseudonymEntry takes the key entry with this id out of force, as
// one undoable action. An id not in force is ErrNotFound.
func (s *Store) RemovePseudonymEntry(ctx context.Context, entryID string) (Op, error) {
	return s.action(ctx, "pseudo rm "+entryID, func(tx *sql.Tx, _ *string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM pseudonym_entries WHERE entry_id = ?", entryID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: no pseudonym entry %s in force", ErrNotFound, entryID)
		}
		return nil
	})
}

// PseudonymEntries lists the key entries in force, by id.
func (s *Store) PseudonymEntries(ctx context.Context) ([]PseudonymEntry, error) {
	var out []PseudonymEntry
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, "SELECT entry_id, pseudonym, kind, doc FROM pseudonym_entries ORDER BY entry_id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e PseudonymEntry
			if err := rows.Scan(&e.EntryID, &e.Pseudonym, &e.Kind, &e.Doc); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, mapErr(err)
	}
	return out, nil
}
