package coding

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ApplicationID marks a SQLite file as a qcode project ("QCOD").
const ApplicationID = 0x51434F44

// Names inside a project folder.
const (
	DBFile     = "project.db"
	SourcesDir = "sources"
	// Ext is the suffix of a project folder's name.
	Ext = ".qcode"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// migrations are the schema files in order; migration i brings the
// database to user_version i+1.
var migrations = func() []string {
	names, err := fs.Glob(schemaFS, "schema/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	return names
}()

// SchemaVersion is the user_version this build writes.
var SchemaVersion = len(migrations)

// Store is an open project.
type Store struct {
	db    *sql.DB
	dir   string
	coder string
	now   func() time.Time
	// readOnly is set when the project could only be opened for reading.
	readOnly bool
}

// Options tune how a project is opened.
type Options struct {
	// Coder names who makes the changes; default "unknown".
	Coder string
	// Now is the clock; default time.Now. Tests inject a fixed one.
	Now func() time.Time
	// BusyTimeout is how long to wait for another process's write
	// before failing with ErrBusy; default 5 s.
	BusyTimeout time.Duration
	// Name names a new project (Create only); default the folder's name
	// without its .qcode extension.
	Name string
}

// Create makes a new, empty project folder at dir (which must not exist or
// be empty) and opens it. The folder is private (0700) and so are its files.
func Create(ctx context.Context, dir string, opt Options) (*Store, error) {
	if err := os.Mkdir(dir, 0o700); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create project %s: %w", dir, err)
		}
		entries, rerr := os.ReadDir(dir)
		if rerr != nil {
			return nil, fmt.Errorf("create project %s: %w", dir, rerr)
		}
		if len(entries) > 0 {
			return nil, fmt.Errorf("create project %s: %w: folder exists and is not empty", dir, ErrConflict)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create project %s: %w", dir, err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, SourcesDir), 0o700); err != nil {
		return nil, fmt.Errorf("create project %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, DBFile), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create project %s: %w", dir, err)
	}
	f.Close()
	s, err := open(ctx, dir, opt, SchemaVersion)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	name := strings.TrimSpace(opt.Name)
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(dir), Ext)
	}
	_, err = s.db.ExecContext(ctx,
		`INSERT INTO project (id, guid, name, created_at) VALUES (1, ?, ?, ?)`,
		newGUID(), name, s.stamp())
	if err != nil {
		s.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create project %s: %w", dir, err)
	}
	return s, nil
}

// Open opens the project folder dir, upgrading its schema if it was made
// by an older qcode.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	st, err := os.Stat(filepath.Join(dir, DBFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open %s: %w: no %s", dir, ErrNotProject, DBFile)
		}
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open %s: %w: %s is a folder", dir, ErrNotProject, DBFile)
	}
	if !writable(dir) {
		return openReadOnly(ctx, dir, opt)
	}
	s, err := open(ctx, dir, opt, SchemaVersion)
	if err == nil {
		s.sweepSources(ctx)
	}
	if err != nil && cantWrite(err) {
		// A folder that looked writable but is not (an unusual file
		// system, a lock file qcode may not create): read it.
		if s, rerr := openReadOnly(ctx, dir, opt); rerr == nil {
			return s, nil
		}
	}
	return s, err
}

// ReadOnly reports whether the project was opened for reading only,
// because its folder or database may not be written.
func (s *Store) ReadOnly() bool { return s.readOnly }

// open opens the database and migrates it to schema version target.
func open(ctx context.Context, dir string, opt Options, target int) (*Store, error) {
	// Pragmas are set per connection through the DSN: foreign keys on,
	// wait up to 5 s for another writer, WAL so readers never block the
	// writer, NORMAL sync (durable at checkpoints, never corrupt), and
	// BEGIN IMMEDIATE so a write transaction takes the lock up front
	// instead of failing half-way on upgrade.
	noteOpened(dir)
	path := filepath.Join(dir, DBFile)
	busy := opt.BusyTimeout
	if busy == 0 {
		busy = 5 * time.Second
	}
	dsn := "file:" + path + fmt.Sprintf("?_pragma=foreign_keys(1)&_pragma=busy_timeout(%d)", busy.Milliseconds()) +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	s := &Store{db: db, dir: dir, coder: opt.Coder, now: opt.Now}
	if s.coder == "" {
		s.coder = "unknown"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrate(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, mapErr(err))
	}
	return s, nil
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// roDSN is the DSN that reads the database at path without writing
// anything beside it. Without a write-ahead log beside it the file is
// opened immutable, so SQLite creates no -wal or -shm file either; with
// one, read-only, so the log's changes are read too.
func roDSN(path string) string {
	dsn := "file:" + path + "?mode=ro&_pragma=busy_timeout(5000)&_pragma=query_only(1)&_pragma=foreign_keys(1)"
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		dsn += "&immutable=1"
	}
	return dsn
}

// openReadOnly opens a project that may not be written. A project of an
// older schema is refused: upgrading it would write it.
func openReadOnly(ctx context.Context, dir string, opt Options) (*Store, error) {
	db, err := sql.Open("sqlite", roDSN(filepath.Join(dir, DBFile)))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	s := &Store{db: db, dir: dir, coder: opt.Coder, now: opt.Now, readOnly: true}
	if s.coder == "" {
		s.coder = "unknown"
	}
	if s.now == nil {
		s.now = time.Now
	}
	var version, appID int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, damaged(err))
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, damaged(err))
	}
	switch {
	case version == 0 || appID != ApplicationID:
		db.Close()
		return nil, fmt.Errorf("open %s: %w: %s is not a qcode project's database", dir, ErrNotProject, DBFile)
	case version > SchemaVersion:
		db.Close()
		return nil, fmt.Errorf("open %s: %w: schema version %d, this qcode knows up to %d; install a newer qcode",
			dir, ErrNewer, version, SchemaVersion)
	case version < SchemaVersion:
		db.Close()
		return nil, fmt.Errorf("open %s: %w; it was made by an older qcode and must be upgraded, which writes to it: copy the folder somewhere writable", dir, ErrReadOnly)
	}
	return s, nil
}

// cantWrite reports whether err says the database or its folder could
// not be written.
func cantWrite(err error) bool {
	if errors.Is(err, ErrReadOnly) {
		return true
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CANTOPEN
}

// Dir is the project folder.
func (s *Store) Dir() string { return s.dir }

// Coder is the name changes are recorded under.
func (s *Store) Coder() string { return s.coder }

func (s *Store) migrate(ctx context.Context, target int) error {
	var version, appID int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return mapErr(err)
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return mapErr(err)
	}
	if version > 0 && appID != ApplicationID {
		return fmt.Errorf("%w: %s has another application id", ErrNotProject, DBFile)
	}
	if version > SchemaVersion {
		return fmt.Errorf("%w: schema version %d, this qcode knows up to %d; install a newer qcode",
			ErrNewer, version, SchemaVersion)
	}
	if version >= target {
		// Nothing to do: no write transaction (and no wait for one).
		return nil
	}
	return s.migrateTo(ctx, target)
}

// migrateTo applies the migrations after the database's version up to
// target, each in its own transaction.
func (s *Store) migrateTo(ctx context.Context, target int) error {
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return mapErr(err)
		}
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			tx.Rollback()
			return mapErr(err)
		}
		if version >= target {
			return tx.Rollback()
		}
		body, err := schemaFS.ReadFile(migrations[version])
		if err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", version+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", version+1, ApplicationID)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", version+1, err)
		}
		if err := tx.Commit(); err != nil {
			return mapErr(err)
		}
	}
}

// Find walks up from start to the nearest folder whose name ends in .qcode,
// or that holds one, like git finds a repository.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if strings.HasSuffix(dir, Ext) && isProject(dir) {
			return dir, nil
		}
		matches, _ := filepath.Glob(filepath.Join(dir, "*"+Ext))
		var found []string
		for _, m := range matches {
			if isProject(m) {
				found = append(found, m)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
		if len(found) > 1 {
			return "", fmt.Errorf("%d projects in %s (%s); choose one with --project", len(found), dir, strings.Join(found, ", "))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w here or in any parent folder of %s; create one with 'qcode init NAME.qcode' or try 'qcode demo'", ErrNotProject, start)
		}
		dir = parent
	}
}

func isProject(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, DBFile))
	return err == nil && st.Mode().IsRegular()
}

// Generation is the number of changes committed to the project so far.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.db.QueryRowContext(ctx, "SELECT generation FROM project").Scan(&g)
	return g, mapErr(err)
}

// ProjectName is the project's name.
func (s *Store) ProjectName(ctx context.Context) (string, error) {
	var n string
	err := s.db.QueryRowContext(ctx, "SELECT name FROM project").Scan(&n)
	return n, mapErr(err)
}

// ProjectGUID is the project's unique identifier, fixed when it was
// created; files kept outside the project (the pseudonym key) are named by it.
func (s *Store) ProjectGUID(ctx context.Context) (string, error) {
	var g string
	err := s.db.QueryRowContext(ctx, "SELECT guid FROM project").Scan(&g)
	return g, mapErr(err)
}

// mapErr turns driver errors into the package's sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return ErrBusy
		case sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		case sqlite3.SQLITE_READONLY:
			return ErrReadOnly
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %s is not a SQLite database", ErrNotProject, DBFile)
		case sqlite3.SQLITE_FULL:
			return noSpace(err)
		case sqlite3.SQLITE_IOERR:
			if diskFull() {
				return noSpace(err)
			}
		}
	}
	return NoSpace(err)
}

const stampLayout = "2006-01-02T15:04:05Z"

func (s *Store) stamp() string { return s.now().UTC().Format(stampLayout) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(stampLayout, v)
	return t
}

// tx runs fn in one immediate transaction that records no history
// (imports, settings); it bumps the generation.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE project SET generation = generation + 1"); err != nil {
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}

// read runs fn in a read transaction, for a consistent view over several
// queries. With _txlock=immediate every BeginTx would take the write
// lock, so reads use a deferred BEGIN on a dedicated connection.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return mapErr(err)
	}
	err = fn(conn)
	if _, rerr := conn.ExecContext(context.Background(), "ROLLBACK"); rerr != nil && err == nil {
		err = rerr
	}
	return mapErr(err)
}

// querier is what *sql.Tx, *sql.Conn and *sql.DB have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// coderID returns the id of the named coder, adding the coder when new.
func (s *Store) coderID(ctx context.Context, q querier, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM coders WHERE name = ?", name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if err := checkCoderName(name); err != nil {
		return 0, err
	}
	res, err := q.ExecContext(ctx, "INSERT INTO coders (guid, name, created_at) VALUES (?, ?, ?)",
		newGUID(), name, s.stamp())
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// WithCoder returns a view of the same open project that records changes
// under another coder's name. Closing either closes both.
func (s *Store) WithCoder(name string) *Store {
	c := *s
	c.coder = name
	return &c
}

// newGUID returns a fresh GUID. Version 7 GUIDs grow with time, so new
// rows land at the end of the GUID indexes instead of on random pages.
func newGUID() string {
	if u, err := uuid.NewV7(); err == nil {
		return u.String()
	}
	return uuid.NewString()
}
