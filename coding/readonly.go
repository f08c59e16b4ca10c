package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ReadSnapshot reads the whole project in folder dir without changing it:
// the database is opened read-only. A project from an older qcode is
// copied (with SQLite's online backup) into a private temporary folder,
// upgraded there and read, and the copy removed; a newer one is refused
// with ErrNewer, and anything that is not a project with ErrNotProject.
func ReadSnapshot(ctx context.Context, dir string) (*Snapshot, error) {
	path := filepath.Join(dir, DBFile)
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read %s: %w: no %s", dir, ErrNotProject, DBFile)
		}
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: %w: %s is not a file", dir, ErrNotProject, DBFile)
	}
	// Nothing is written to the other copy's folder, not even SQLite's
	// -wal and -shm files: without a write-ahead log there the file is
	// read immutable; with one (the copy is open, or its qcode was
	// killed), a private copy of both is read instead.
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		tmp, err := os.MkdirTemp("", "qcode-read-")
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, err)
		}
		defer os.RemoveAll(tmp)
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(path+suffix, filepath.Join(tmp, DBFile+suffix)); err != nil {
				return nil, fmt.Errorf("read %s: %w", dir, err)
			}
		}
		path = filepath.Join(tmp, DBFile)
	}
	db, err := sql.Open("sqlite", roDSN(path))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, dir: dir, coder: "unknown", now: time.Now}
	defer s.Close()
	var version, appID int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, damaged(err))
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, damaged(err))
	}
	switch {
	case appID != ApplicationID || version == 0:
		return nil, fmt.Errorf("read %s: %w: %s is a SQLite database of another program", dir, ErrNotProject, DBFile)
	case version > SchemaVersion:
		return nil, fmt.Errorf("read %s: %w: schema version %d, this qcode knows up to %d; install a newer qcode",
			dir, ErrNewer, version, SchemaVersion)
	case version == SchemaVersion:
		if err := s.checkIntegrity(ctx); err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, damaged(err))
		}
		return snap, nil
	}
	// An older project: upgrade a private copy, never the original.
	tmp, err := os.MkdirTemp("", "qcode-merge-")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	copyDir := filepath.Join(tmp, "copy"+Ext)
	if err := os.Mkdir(copyDir, 0o700); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(copyDir, DBFile), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	f.Close()
	if err := s.backupTo(ctx, filepath.Join(copyDir, DBFile)); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, damaged(err))
	}
	c, err := Open(ctx, copyDir, Options{})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	defer c.Close()
	if err := c.checkIntegrity(ctx); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return snap, nil
}

// damaged names a damaged database as such.
func damaged(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CORRUPT {
		return fmt.Errorf("%w: %s is damaged (%v)", ErrNotProject, DBFile, err)
	}
	return mapErr(err)
}

// checkIntegrity runs SQLite's quick check, so that a damaged file is
// refused rather than half read.
func (s *Store) checkIntegrity(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res); err != nil {
		return damaged(err)
	}
	if res != "ok" {
		return fmt.Errorf("%w: %s is damaged (%s)", ErrNotProject, DBFile, res)
	}
	return nil
}

// copyFile copies the regular file from to a new private file to.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
