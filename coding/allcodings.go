package coding

import (
	"context"
)

// AllCodings lists every coding in the project in no particular order. It
// reads them in one pass without joins or sorting, for computations over
// the whole project (such as intercoder agreement) that order them their
// own way: on large projects it is several times faster than Codings.
func (s *Store) AllCodings(ctx context.Context) ([]Coding, error) {
	var out []Coding
	err := s.read(ctx, func(q querier) error {
		codes, err := loadCodebook(ctx, q, false)
		if err != nil {
			return err
		}
		paths := make(map[int64]string, len(codes))
		for _, c := range codes {
			paths[c.ID] = c.Path
		}
		docs, err := idNames(ctx, q, "SELECT id, name FROM documents")
		if err != nil {
			return err
		}
		coders, err := idNames(ctx, q, "SELECT id, name FROM coders")
		if err != nil {
			return err
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM codings").Scan(&n); err != nil {
			return err
		}
		out = make([]Coding, 0, n)
		rows, err := q.QueryContext(ctx, "SELECT id, guid, doc_id, code_id, start, end, coder_id, created_at FROM codings")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c Coding
			var coder int64
			var at string
			if err := rows.Scan(&c.ID, &c.GUID, &c.DocID, &c.CodeID, &c.Start, &c.End, &coder, &at); err != nil {
				return err
			}
			c.Document, c.Code, c.Coder = docs[c.DocID], paths[c.CodeID], coders[coder]
			c.CreatedAt = parseStamp(at)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// CoderStatsOptions filter CoderStatsWith.
type CoderStatsOptions struct {
	// AllVersions counts the codings on documents' earlier versions too;
	// by default only those on the latest version of each document.
	AllVersions bool
}

// CoderStatsWith is CoderStats counting, by default, only the codings on
// the latest version of each document (only the current version counts):
// codings left on an earlier version (orphaned ones) are out of the
// counts, and a coder with none elsewhere is listed with zeros.
func (s *Store) CoderStatsWith(ctx context.Context, opt CoderStatsOptions) ([]CoderStats, error) {
	if opt.AllVersions {
		return s.CoderStats(ctx)
	}
	return s.coderStats(ctx, ` AND g.doc_id IN (SELECT d.id FROM documents d
				WHERE d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name))`)
}

// idNames reads a query of (id, name) rows into a map.
func idNames(ctx context.Context, q querier, query string) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m[id] = name
	}
	return m, rows.Err()
}
