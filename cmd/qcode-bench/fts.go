package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	// The same SQLite the store uses, with FTS5 compiled in.
	_ "modernc.org/sqlite"

	"github.com/qcode-dev/qcode/coding"
)

// ftsSchema holds the same passages as the bleve index (one row per
// speaker turn, without its label) and, for filtered queries, which codes
// touch each passage. unicode61 with remove_diacritics 2 folds case and
// Latin accents; it does not stem, so FTS5 does less work per word than
// qcode's analyser.
const ftsSchema = `
CREATE VIRTUAL TABLE passages USING fts5(text, doc UNINDEXED, start UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE passage_codes (
	code    INTEGER NOT NULL,
	passage INTEGER NOT NULL,
	PRIMARY KEY (code, passage)
) WITHOUT ROWID;`

// fts is an SQLite FTS5 database over the project's passages.
type fts struct {
	db    *sql.DB
	path  string
	stmts map[string]*sql.Stmt
}

// ftsBuild is what building the FTS5 database cost.
type ftsBuild struct {
	Build, Optimize time.Duration
	Rows            int
	Bytes           int64
}

// buildFTS makes the FTS5 database at path from the store, in one
// transaction, then merges its b-trees ('optimize') as a fair match for
// scorch's background merging.
func buildFTS(ctx context.Context, path string, s *coding.Store) (*fts, ftsBuild, error) {
	var b ftsBuild
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, b, err
	}
	db.SetMaxOpenConns(1) // one connection, as the store's reads
	f := &fts{db: db, path: path, stmts: map[string]*sql.Stmt{}}
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		db.Close()
		return nil, b, fmt.Errorf("fts5: %w (is FTS5 compiled into this SQLite?)", err)
	}
	t0 := time.Now()
	docs, err := s.Documents(ctx, false)
	if err != nil {
		f.Close()
		return nil, b, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		f.Close()
		return nil, b, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO passages (rowid, text, doc, start) VALUES (?, ?, ?, ?)")
	if err != nil {
		f.Close()
		return nil, b, err
	}
	insCode, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO passage_codes (code, passage) VALUES (?, ?)")
	if err != nil {
		f.Close()
		return nil, b, err
	}
	for _, d := range docs {
		if err := b.addDoc(ctx, s, d.ID, ins, insCode); err != nil {
			f.Close()
			return nil, b, err
		}
	}
	if err := tx.Commit(); err != nil {
		f.Close()
		return nil, b, err
	}
	b.Build = time.Since(t0)
	t1 := time.Now()
	if _, err := db.ExecContext(ctx, "INSERT INTO passages (passages) VALUES ('optimize')"); err != nil {
		f.Close()
		return nil, b, fmt.Errorf("fts5 optimize: %w", err)
	}
	b.Optimize = time.Since(t1)
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		f.Close()
		return nil, b, err
	}
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			b.Bytes += st.Size()
		}
	}
	return f, b, nil
}

// addDoc inserts a document's turns and the codes on them.
func (b *ftsBuild) addDoc(ctx context.Context, s *coding.Store, id int64, ins, insCode *sql.Stmt) error {
	d, err := s.DocumentByID(ctx, id, true)
	if err != nil {
		return err
	}
	turns, err := s.Turns(ctx, id)
	if err != nil {
		return err
	}
	codings, err := s.Codings(ctx, coding.CodingFilter{DocID: id})
	if err != nil {
		return err
	}
	runes := []rune(d.Text)
	for _, t := range turns {
		body := strings.TrimSpace(string(runes[t.Body:t.End]))
		if body == "" {
			continue
		}
		b.Rows++
		row := int64(b.Rows)
		if _, err := ins.ExecContext(ctx, row, body, d.Name, t.Body); err != nil {
			return err
		}
		for _, c := range codings {
			if c.Start < t.End && c.End > t.Body {
				if _, err := insCode.ExecContext(ctx, c.CodeID, row); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Close closes the database.
func (f *fts) Close() error {
	for _, st := range f.stmts {
		st.Close()
	}
	return f.db.Close()
}

// ftsSQL is the statement for q: the best resultLimit passages by bm25, with
// a snippet for the highlighted two-word query and a join on the codes
// for the filtered one.
func (q query) ftsSQL() string {
	cols := "rowid, doc, start, ''"
	if q.Kind == kindTwoWord {
		cols = "rowid, doc, start, snippet(passages, 0, '[', ']', '…', 24)"
	}
	where := "passages MATCH ?"
	if len(q.CodeIDs) > 0 {
		ids := make([]string, len(q.CodeIDs))
		for i, id := range q.CodeIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		// The unary plus keeps SQLite from handing the rowid list to
		// FTS5 as a constraint, which would run the MATCH once per coded
		// passage (4 s instead of 30 ms at 10M words).
		where += " AND +rowid IN (SELECT passage FROM passage_codes WHERE code IN (" + strings.Join(ids, ",") + "))"
	}
	return "SELECT " + cols + " FROM passages WHERE " + where + " ORDER BY rank LIMIT " + strconv.Itoa(resultLimit)
}

// search runs q and returns the number of rows.
func (f *fts) search(ctx context.Context, q query) (int, error) {
	text := q.ftsSQL()
	st := f.stmts[text]
	if st == nil {
		var err error
		if st, err = f.db.PrepareContext(ctx, text); err != nil {
			return 0, fmt.Errorf("fts5 %s: %w", q.fts5(), err)
		}
		f.stmts[text] = st
	}
	rows, err := st.QueryContext(ctx, q.fts5())
	if err != nil {
		return 0, fmt.Errorf("fts5 %s: %w", q.fts5(), err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, start int64
		var doc, snippet string
		if err := rows.Scan(&id, &doc, &start, &snippet); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

// timeFTS runs the queries through FTS5, ranked.
func timeFTS(ctx context.Context, f *fts, qs []query) (*latency, error) {
	for _, q := range qs[:min(warmups, len(qs))] {
		if _, err := f.search(ctx, q); err != nil {
			return nil, err
		}
	}
	var s series
	for _, q := range qs {
		t0 := time.Now()
		n, err := f.search(ctx, q)
		d := time.Since(t0)
		if err != nil {
			return nil, err
		}
		s.add(d, n)
	}
	return s.summary(), nil
}

// ftsCompiled reports whether the SQLite in this binary has FTS5.
func ftsCompiled(ctx context.Context) (bool, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var on bool
	err = db.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&on)
	return on, err
}
