package coding

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// sweptFile, in the project folder, holds the modification time of
// sources/ when a sweep last found nothing to remove.
const sweptFile = ".swept"

// sweepSources removes the debris a killed import or merge leaves in
// sources/: it writes a document's original there inside its
// transaction, under the write lock, before the commit, so a process
// killed in between leaves a file that no document names (and the next
// import of that file would be stored beside it as NAME.v1-2.txt). Run
// when a project is opened for writing, it removes every file directly in
// sources/ that neither a document nor the history names. A file only the
// history names (the original of an undone import an undo had no time
// to shelve) is moved into sources/.undone, where undo keeps such files
// and redo finds them; sources/.undone itself is left alone.
//
// The decision is taken holding the write lock, so no import of another
// process can be between writing its file and committing its row; the
// lock is only tried, never waited for: when another process is writing,
// the sweep is left to the next open. It is best effort and fails
// silently: debris wastes space, it never changes what the project holds.
//
// A sweep that finds every file named records the folder's modification
// time in sweptFile; while the folder keeps that time, no file can have
// been added since, and the next opens skip the sweep (it read every
// document's source and the whole folder, a sixth of a search's time
// on a large project).
func (s *Store) sweepSources(ctx context.Context) {
	dir := filepath.Join(s.dir, SourcesDir)
	mark := filepath.Join(s.dir, sweptFile)
	st, err := os.Stat(dir)
	if err != nil {
		return
	}
	stamp := strconv.FormatInt(st.ModTime().UnixNano(), 10)
	if raw, err := os.ReadFile(mark); err == nil && string(raw) == stamp {
		return
	}
	files := func() []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		var out []string
		for _, e := range entries {
			if e.Type().IsRegular() {
				out = append(out, e.Name())
			}
		}
		return out
	}
	named := func(q querier, query string, into map[string]bool) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name *string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			if name != nil {
				into[*name] = true
			}
		}
		return rows.Err()
	}
	const docSources = "SELECT source FROM documents"
	// Cheap first look, without the lock: usually every file is named.
	candidates := func(q querier) ([]string, error) {
		have := map[string]bool{}
		if err := named(q, docSources, have); err != nil {
			return nil, err
		}
		var out []string
		for _, f := range files() {
			if !have[f] {
				out = append(out, f)
			}
		}
		return out, nil
	}
	if c, err := candidates(s.db); err != nil || len(c) == 0 {
		// A folder changed in the last moments may change again within
		// the same tick of a coarse clock (FAT keeps two seconds).
		if err == nil && time.Since(st.ModTime()) > 3*time.Second {
			os.WriteFile(mark, []byte(stamp), 0o600)
		}
		return
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	var busy int
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return
	}
	defer conn.ExecContext(context.Background(), "PRAGMA busy_timeout = "+strconv.Itoa(busy))
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return // another process is writing: the next open sweeps
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	orphans, err := candidates(conn)
	if err != nil || len(orphans) == 0 {
		return
	}
	history := map[string]bool{}
	if err := named(conn, `SELECT json_extract(before, '$.source') FROM changes WHERE tbl = 'documents' AND before IS NOT NULL
		UNION SELECT json_extract(after, '$.source') FROM changes WHERE tbl = 'documents' AND after IS NOT NULL`, history); err != nil {
		return
	}
	for _, f := range orphans {
		if !history[f] {
			os.Remove(filepath.Join(dir, f))
			continue
		}
		shelf := filepath.Join(dir, undoneDir)
		if os.MkdirAll(shelf, 0o700) != nil {
			continue
		}
		if _, err := os.Lstat(filepath.Join(shelf, f)); err == nil {
			continue // never overwrite
		}
		os.Rename(filepath.Join(dir, f), filepath.Join(shelf, f))
	}
}
