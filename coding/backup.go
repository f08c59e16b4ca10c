package coding

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

// BackupsDir is the folder of a project where Backup writes.
const BackupsDir = "backups"

// backuper is what the modernc SQLite driver's connection offers for
// SQLite's online backup API.
type backuper interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
}

// Backup writes a copy of the project database to
// backups/project-YYYYMMDD-HHMMSS.db in the project folder (private,
// 0600) and returns its path. It uses SQLite's online backup, so the copy
// is consistent even while another process writes; the copy is a project
// database that Open accepts once it is named project.db in a folder.
func (s *Store) Backup(ctx context.Context) (string, error) {
	dir := filepath.Join(s.dir, BackupsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	stamp := s.now().UTC().Format("20060102-150405")
	var path string
	for i := 1; ; i++ {
		name := "project-" + stamp + ".db"
		if i > 1 {
			name = fmt.Sprintf("project-%s-%d.db", stamp, i)
		}
		path = filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("backup: %w", err)
		}
		f.Close()
		break
	}
	if err := s.backupTo(ctx, path); err != nil {
		os.Remove(path)
		os.Remove(path + "-journal")
		return "", fmt.Errorf("backup to %s: %w", path, err)
	}
	return path, nil
}

func (s *Store) backupTo(ctx context.Context, path string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		b, ok := dc.(backuper)
		if !ok {
			return fmt.Errorf("the SQLite driver (%T) offers no online backup", dc)
		}
		bk, err := b.NewBackup(path)
		if err != nil {
			return mapErr(err)
		}
		for {
			// A few hundred pages a step lets other connections in
			// between steps on a large project.
			more, err := bk.Step(256)
			if err != nil {
				bk.Finish()
				return mapErr(err)
			}
			if !more {
				break
			}
			if err := ctx.Err(); err != nil {
				bk.Finish()
				return err
			}
		}
		return mapErr(bk.Finish())
	})
}
