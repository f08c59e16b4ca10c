package coding

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PurgeReport says what PurgeOriginals removed. It names no file and no
// value: the names of old files may hold what was purged.
type PurgeReport struct {
	// Versions counts the earlier versions of documents removed.
	Versions int `json:"versions"`
	// Codings counts the codings left on those versions (orphans) that
	// went with them; Memos the memos on them or on those codings.
	Codings int `json:"codings"`
	Memos   int `json:"memos"`
	// Carried counts the records of how codings were carried (they hold
	// the old texts of the spans).
	Carried int `json:"carried"`
	// Actions counts the actions forgotten by the history (undo and redo
	// cannot go back past the purge).
	Actions int `json:"actions"`
	// Sources counts the files removed from sources/ (the originals of
	// earlier versions, undone imports' files and debris); Rewritten the
	// current versions whose file in sources/ was replaced by their
	// stored text.
	Sources   int `json:"sources"`
	Rewritten int `json:"rewritten"`
	// Backups counts the files removed from backups/.
	Backups int `json:"backups"`
	// Index is set when the search index folder was removed (the caller
	// rebuilds it from the store).
	Index bool `json:"index"`
	// Debris counts other files removed from the project folder:
	// temporary files of a killed write, a rollback journal.
	Debris int `json:"debris"`
	// Bytes is the size of the database file before and after.
	BytesBefore int64 `json:"bytes_before"`
	BytesAfter  int64 `json:"bytes_after"`
}

// PurgeOriginals removes from the project folder every trace of what
// earlier versions of the documents held, leaving only the current
// versions: the earlier versions' rows and all that hangs on them, the
// records of carried codings, the whole undo and redo history (its rows
// hold the old values), every file in sources/ but the current versions'
// (each rewritten as its stored text when it was anything else: an
// imported file holds the original text and its metadata), sources/.undone,
// backups/ and the search index folder, which the caller rebuilds. The
// database is rewritten with secure_delete on, vacuumed and its
// write-ahead log checkpointed and truncated, so no freed page keeps an
// old value. It cannot be undone.
func (s *Store) PurgeOriginals(ctx context.Context) (PurgeReport, error) {
	var rep PurgeReport
	dbPath := filepath.Join(s.dir, DBFile)
	if st, err := os.Stat(dbPath); err == nil {
		rep.BytesBefore = st.Size()
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return rep, fmt.Errorf("purge: %w", mapErr(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return rep, fmt.Errorf("purge: %w", mapErr(err))
	}
	defer conn.ExecContext(context.Background(), "PRAGMA secure_delete = OFF")

	var keep map[string]bool // the files in sources/ current versions name
	var written []string
	err = func() error {
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return mapErr(err)
		}
		ok := false
		defer func() {
			if !ok {
				conn.ExecContext(context.Background(), "ROLLBACK")
			}
		}()
		var err error
		keep, written, err = s.purgeRows(ctx, conn, &rep)
		if err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			return mapErr(err)
		}
		ok = true
		return nil
	}()
	if err != nil {
		for _, f := range written {
			s.removeSource(f)
		}
		return rep, fmt.Errorf("purge: %w", err)
	}

	// The rows are gone; now the pages and files that held them.
	if _, err := conn.ExecContext(ctx, "VACUUM"); err != nil {
		return rep, fmt.Errorf("purge: vacuum: %w", mapErr(err))
	}
	var busy, logged, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil {
		return rep, fmt.Errorf("purge: checkpoint: %w", mapErr(err))
	}
	if busy != 0 {
		return rep, fmt.Errorf("purge: %w: another process has the project open, so its write-ahead log could not be emptied; close it and purge again", ErrBusy)
	}
	if st, err := os.Stat(dbPath); err == nil {
		rep.BytesAfter = st.Size()
	}

	src := filepath.Join(s.dir, SourcesDir)
	entries, err := os.ReadDir(src)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("purge: %w", err)
	}
	for _, e := range entries {
		if keep[e.Name()] && e.Type().IsRegular() {
			continue
		}
		n, err := removeCounting(filepath.Join(src, e.Name()))
		rep.Sources += n
		if err != nil {
			return rep, fmt.Errorf("purge: %w", err)
		}
	}
	n, err := removeCounting(filepath.Join(s.dir, BackupsDir))
	rep.Backups = n
	if err != nil {
		return rep, fmt.Errorf("purge: %w", err)
	}
	// The search index's folder (index.Dir; this package cannot name it).
	if _, err := os.Lstat(filepath.Join(s.dir, "index")); err == nil {
		if err := os.RemoveAll(filepath.Join(s.dir, "index")); err != nil {
			return rep, fmt.Errorf("purge: search index: %w", err)
		}
		rep.Index = true
	}
	// What else a killed process may have left: a temporary file, a
	// rollback journal. (The index's lock file is empty and may be held.)
	top, err := os.ReadDir(s.dir)
	if err != nil {
		return rep, fmt.Errorf("purge: %w", err)
	}
	for _, e := range top {
		name := e.Name()
		switch {
		case name == DBFile, name == DBFile+"-wal", name == DBFile+"-shm", name == SourcesDir:
			continue
		case name == DBFile+"-journal", strings.HasSuffix(name, ".tmp"),
			strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp"):
			n, err := removeCounting(filepath.Join(s.dir, name))
			rep.Debris += n
			if err != nil {
				return rep, fmt.Errorf("purge: %w", err)
			}
		}
	}
	return rep, nil
}

// purgeRows deletes, inside the transaction of conn, the rows of earlier
// versions and the history, and gives each current version a file in
// sources/ that holds its stored text under its name. It returns the
// files current versions name and the ones it wrote.
func (s *Store) purgeRows(ctx context.Context, conn *sql.Conn, rep *PurgeReport) (keep map[string]bool, written []string, err error) {
	const olds = `SELECT id FROM documents d WHERE version < (SELECT max(version) FROM documents v WHERE v.name = d.name)`
	counts := []struct {
		into  *int
		query string
	}{
		{&rep.Versions, "SELECT count(*) FROM (" + olds + ")"},
		{&rep.Codings, "SELECT count(*) FROM codings WHERE doc_id IN (" + olds + ")"},
		{&rep.Memos, `SELECT count(*) FROM memos WHERE (target = 'document' AND target_id IN (` + olds + `))
			OR (target = 'coding' AND target_id IN (SELECT id FROM codings WHERE doc_id IN (` + olds + `)))`},
		{&rep.Carried, "SELECT count(*) FROM carried"},
		{&rep.Actions, "SELECT count(*) FROM ops"},
	}
	for _, c := range counts {
		if err := conn.QueryRowContext(ctx, c.query).Scan(c.into); err != nil {
			return nil, nil, mapErr(err)
		}
	}
	stmts := []string{
		"CREATE TEMP TABLE purge_old AS " + olds,
		// Every carried row records the old text of a span.
		"DELETE FROM carried",
		"DELETE FROM memos WHERE target = 'coding' AND target_id IN (SELECT id FROM codings WHERE doc_id IN (SELECT id FROM purge_old))",
		"DELETE FROM memos WHERE target = 'document' AND target_id IN (SELECT id FROM purge_old)",
		"DELETE FROM codings WHERE doc_id IN (SELECT id FROM purge_old)",
		"DELETE FROM anchors WHERE doc_id IN (SELECT id FROM purge_old)",
		"DELETE FROM turns WHERE doc_id IN (SELECT id FROM purge_old)",
		"DELETE FROM speakers WHERE doc_id IN (SELECT id FROM purge_old)",
		"DELETE FROM attributes WHERE doc_id IN (SELECT id FROM purge_old)",
		// A path may name a participant (…/Anna Petrova.docx).
		"DELETE FROM document_origins",
		"DELETE FROM documents WHERE id IN (SELECT id FROM purge_old)",
		"DROP TABLE purge_old",
		// The history holds every value a row ever had.
		"DELETE FROM changes",
		"DELETE FROM ops",
		"UPDATE op_state SET op_id = NULL",
		"UPDATE project SET generation = generation + 1",
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", strings.Fields(q)[0], mapErr(err))
		}
	}

	// Each current version's file in sources/: the imported file holds the
	// original text (and a .docx its author, a .md its front matter), so
	// it becomes the stored text, unless it is that already.
	type doc struct {
		id            int64
		name, source  string
		version       int
		text, textSum string
	}
	var docs []doc
	if err := each(ctx, conn, "SELECT id, name, version, source, text, text_sha256 FROM documents ORDER BY id", func(r *sql.Rows) error {
		var d doc
		if err := r.Scan(&d.id, &d.name, &d.version, &d.source, &d.text, &d.textSum); err != nil {
			return err
		}
		docs = append(docs, d)
		return nil
	}); err != nil {
		return nil, nil, mapErr(err)
	}
	keep = map[string]bool{}
	dir := filepath.Join(s.dir, SourcesDir)
	for _, d := range docs {
		data, rerr := os.ReadFile(filepath.Join(dir, d.source))
		// A file named after what the document was called may name a
		// participant too.
		if rerr == nil && d.source == filepath.Base(d.source) && strings.HasPrefix(d.source, d.name) && string(data) == d.text {
			keep[d.source] = true
			continue
		}
		f, err := s.writeSource(d.name, ".txt", d.version, []byte(d.text))
		if err != nil {
			return nil, written, fmt.Errorf("sources: %w", err)
		}
		written = append(written, f)
		sum := sha256.Sum256([]byte(d.text))
		if _, err := conn.ExecContext(ctx, "UPDATE documents SET source = ?, source_sha256 = ? WHERE id = ?", f, hex.EncodeToString(sum[:]), d.id); err != nil {
			return nil, written, mapErr(err)
		}
		keep[f] = true
		rep.Rewritten++
	}
	return keep, written, nil
}

// removeCounting removes path and all it holds, and returns how many
// files (not folders) it removed.
func removeCounting(path string) (int, error) {
	n := 0
	err := filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !e.IsDir() {
			n++
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err := os.RemoveAll(path); err != nil {
		return n, err
	}
	return n, nil
}
