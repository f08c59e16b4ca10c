package coding

import (
	"context"
	"database/sql"
	"time"
)

// CoderStats is one coder's share of the work.
type CoderStats struct {
	Name string `json:"name"`
	// Codings counts the coder's codings; Documents the documents and
	// Codes the codes they are in.
	Codings   int `json:"codings"`
	Documents int `json:"documents"`
	Codes     int `json:"codes"`
	// First and Last are when the coder made their earliest and latest
	// coding still in the project; nil when they have none.
	First *time.Time `json:"first_coding"`
	Last  *time.Time `json:"last_coding"`
}

// CoderStats lists every coder of the project, by name, with counts of
// their codings. A coder is someone who coded or wrote a memo (on any
// version): whoever only imported documents or opened the project is
// not one.
func (s *Store) CoderStats(ctx context.Context) ([]CoderStats, error) {
	return s.coderStats(ctx, "")
}

// coderStats is CoderStats of the codings that also meet cond, a
// condition on the codings g joined to each coder.
func (s *Store) coderStats(ctx context.Context, cond string) ([]CoderStats, error) {
	var out []CoderStats
	err := s.read(ctx, func(q querier) error {
		return each(ctx, q, `SELECT c.name, count(g.id), count(DISTINCT g.doc_id), count(DISTINCT g.code_id),
				min(g.created_at), max(g.created_at)
			FROM coders c LEFT JOIN codings g ON g.coder_id = c.id`+cond+`
			WHERE EXISTS (SELECT 1 FROM codings x WHERE x.coder_id = c.id)
				OR EXISTS (SELECT 1 FROM memos m WHERE m.coder_id = c.id)
			GROUP BY c.id ORDER BY c.name`, func(r *sql.Rows) error {
			var st CoderStats
			var first, last sql.NullString
			if err := r.Scan(&st.Name, &st.Codings, &st.Documents, &st.Codes, &first, &last); err != nil {
				return err
			}
			if first.Valid {
				t := parseStamp(first.String)
				st.First = &t
			}
			if last.Valid {
				t := parseStamp(last.String)
				st.Last = &t
			}
			out = append(out, st)
			return nil
		})
	})
	return out, err
}

// HistoryBy lists the most recent actions of one coder ("" for everyone),
// newest first.
func (s *Store) HistoryBy(ctx context.Context, coder string, limit int) ([]Op, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.label, c.name, o.at FROM ops o
		JOIN coders c ON c.id = o.coder_id WHERE o.undone = 0 AND (?1 = '' OR c.name = ?1)
		ORDER BY o.id DESC LIMIT ?2`, coder, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var ops []Op
	for rows.Next() {
		var o Op
		if err := rows.Scan(&o.ID, &o.Label, &o.Coder, &o.At); err != nil {
			return nil, mapErr(err)
		}
		ops = append(ops, o)
	}
	return ops, mapErr(rows.Err())
}
