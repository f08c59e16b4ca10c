package coding

import (
	"context"
	"fmt"
)

// DocState summarises what a derived index needs to know about a
// document to tell whether its entry is current: a fingerprint that
// changes whenever the document's codings or attributes change.
type DocState struct {
	ID          int64
	Name        string
	Version     int
	Latest      bool
	Fingerprint string
}

// DocStates lists every document with its fingerprint. It reads the
// codings and attributes in two aggregate queries, so it stays cheap on
// large projects.
func (s *Store) DocStates(ctx context.Context) ([]DocState, error) {
	var out []DocState
	err := s.read(ctx, func(q querier) error {
		type agg struct {
			n   int64
			sum int64
		}
		codings := map[int64]agg{}
		rows, err := q.QueryContext(ctx, `SELECT doc_id, count(*),
			total((code_id * 1000003 + coder_id * 9176 + start) * 31 + end) FROM codings GROUP BY doc_id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var a agg
			var sum float64
			if err := rows.Scan(&id, &a.n, &sum); err != nil {
				rows.Close()
				return err
			}
			a.sum = int64(sum)
			codings[id] = a
		}
		rows.Close()
		attrs, err := docStrings(ctx, q, `SELECT doc_id, group_concat(key || '=' || value, char(31)) FROM
			(SELECT doc_id, key, value FROM attributes ORDER BY doc_id, key) GROUP BY doc_id`)
		if err != nil {
			return err
		}
		// Turns: a renamed speaker or re-derived turns change what the
		// index holds of a document.
		turns, err := docStrings(ctx, q, `SELECT doc_id, count(*) || ':' || total(start * 31 + body * 7 + end) || ':' ||
			group_concat(speaker, char(31)) FROM (SELECT doc_id, speaker, start, body, end FROM turns ORDER BY doc_id, n) GROUP BY doc_id`)
		if err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT d.id, d.name, d.version, d.text_sha256,
			d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name) FROM documents d ORDER BY d.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d DocState
			var sha string
			if err := rows.Scan(&d.ID, &d.Name, &d.Version, &sha, &d.Latest); err != nil {
				return err
			}
			c := codings[d.ID]
			// The name too: the index holds it (doc: queries, order).
			d.Fingerprint = fmt.Sprintf("%s|%d|%d|%x|%x|%x", sha[:16], c.n, c.sum, fnv(attrs[d.ID]), fnv(turns[d.ID]), fnv(d.Name))
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// docStrings runs a query whose rows are a document id and a string, and
// returns the strings by id.
func docStrings(ctx context.Context, q querier, query string) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

// fnv is the 64-bit FNV-1a hash.
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
