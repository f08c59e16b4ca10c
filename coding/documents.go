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
	"unicode/utf8"

	"github.com/qcode-dev/qcode/transcripts"
)

// ImportFile is one transcript to add to the project.
type ImportFile struct {
	// Path is where the file came from; its base name names the document
	// and chooses the reader.
	Path string
	// Data is the file's content.
	Data []byte
	// Lang overrides the language from the file and from detection.
	Lang string
	// Attributes override those found in the file.
	Attributes []Attribute
	// Parse is how the file is read: a forced encoding, or speaker
	// labels given instead of detected.
	Parse transcripts.Options
	// Origin is the file's absolute path, when it came from a file: a
	// document of the same name from another path becomes a document of
	// its own (named after its folder), not a new version, unless
	// NewVersion is set.
	Origin string
	// NewVersion makes the file the next version of the document of its
	// name even when it came from another path.
	NewVersion bool
}

// Import outcomes.
const (
	Imported   = "imported"
	Unchanged  = "unchanged"
	NewVersion = "new version"
)

// ImportResult says what Import did.
type ImportResult struct {
	Status   string   `json:"status"`
	Document Document `json:"document"`
	// Speakers are the document's speakers with their turns and words,
	// in order of first appearance.
	Speakers []Speaker `json:"speakers"`
	// Warnings are what the reader noticed (a guessed encoding, skipped
	// front matter, doubtful speaker detection), one sentence each.
	Warnings []string `json:"warnings,omitempty"`
	// Renamed is set when a document of the file's name came from another
	// path, so this one was named after its folder.
	Renamed bool `json:"renamed,omitempty"`
	// Carry says what a new version did with the codings of the one
	// before (nil for a first version).
	Carry *CarryReport `json:"carry,omitempty"`
}

// Import parses f and adds it to the project as one undoable action,
// copying the original into sources/ (undo removes the rows it added;
// the copy in sources/ stays, so that redo finds it). A file whose
// bytes are already in the project is left alone (Unchanged); a changed
// file whose name matches a document becomes that document's next
// version: its attributes, speakers' roles and cases are carried over,
// and the earlier version's codings, document memos and times are
// aligned with the new text and carried across (ImportResult.Carry). On
// any error the project is unchanged.
func (s *Store) Import(ctx context.Context, f ImportFile) (ImportResult, error) {
	return s.importFile(ctx, f, importOpts{})
}

// importOpts are what replacing and editing a document add to an import.
type importOpts struct {
	// name, when set, is the document the file is a new version of.
	name string
	// prev is that document's latest version.
	prev Document
	// parsed, when set, is the text to store instead of parsing f.Data.
	parsed *transcripts.Document
	// dryRun makes the report and writes nothing.
	dryRun bool
	// verb names the action in the history ("replace", "edit"); "" is
	// "import".
	verb string
}

// importFile is Import, with what opts adds.
func (s *Store) importFile(ctx context.Context, f ImportFile, opts importOpts) (ImportResult, error) {
	verb := opts.verb
	if verb == "" {
		verb = "import"
	}
	base := filepath.Base(f.Path)
	sum := sha256.Sum256(f.Data)
	srcSum := hex.EncodeToString(sum[:])

	var existing int64
	var reread string // a document whose bytes are read again in another encoding
	err := sql.ErrNoRows
	if opts.name == "" {
		err = s.db.QueryRowContext(ctx, "SELECT id FROM documents WHERE source_sha256 = ? ORDER BY id DESC LIMIT 1", srcSum).Scan(&existing)
	}
	switch {
	case err == nil:
		d, err := s.documentByID(ctx, s.db, existing)
		if err != nil {
			return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
		}
		if f.Parse.Encoding == "" {
			return ImportResult{Status: Unchanged, Document: d}, nil
		}
		// The same bytes with an encoding given: a new version when they
		// read otherwise than before (the guess was wrong).
		doc, err := transcripts.ParseWith(base, f.Data, f.Parse)
		if err != nil {
			return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
		}
		if sum := sha256.Sum256([]byte(doc.Text)); hex.EncodeToString(sum[:]) == d.TextSHA256 {
			return ImportResult{Status: Unchanged, Document: d}, nil
		}
		reread = d.Name
	case !errors.Is(err, sql.ErrNoRows):
		return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, mapErr(err))
	}

	doc := opts.parsed
	if doc == nil {
		if doc, err = transcripts.ParseWith(base, f.Data, f.Parse); err != nil {
			return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
		}
		seedSpeakers(doc, f.Parse)
	}
	ext := filepath.Ext(base)
	// A file name may hold what a terminal would act on; a name does not.
	name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if IsHiddenControl(r) {
			return -1
		}
		return r
	}, strings.TrimSuffix(base, ext)))
	if name == "" {
		return ImportResult{}, fmt.Errorf("%s %s: %w: file name gives no document name", verb, f.Path, ErrInvalid)
	}
	if reread != "" {
		name, f.NewVersion = reread, true
	}
	if opts.name != "" {
		name = opts.name
	}
	if err := checkText("document name", name, MaxDocName); err != nil {
		return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
	}
	origin := ""
	if f.Origin != "" {
		origin = filepath.Clean(f.Origin)
	}
	if f.Lang != "" {
		if err := CheckLang(f.Lang); err != nil {
			return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
		}
	}
	lang := strings.ToLower(f.Lang)
	if lang == "" && CheckLang(doc.Lang) == nil {
		lang = doc.Lang
	}
	if lang == "" {
		lang = transcripts.DetectLanguage(doc.Text)
	}
	// Analysers and filters work on the primary language: ru-RU is ru.
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	textSum := sha256.Sum256([]byte(doc.Text))
	if opts.name != "" && hex.EncodeToString(textSum[:]) == opts.prev.TextSHA256 {
		return ImportResult{Status: Unchanged, Document: opts.prev, Warnings: doc.Warnings}, nil
	}

	var res ImportResult
	var written string
	textHex := hex.EncodeToString(textSum[:])
	var already int64 // a document holding these bytes, committed by another import meanwhile
	_, err = s.action(ctx, verb+" "+name, func(tx *sql.Tx, label *string) error {
		// The check above ran outside this transaction: another import
		// of the same bytes (another process, another handle) may have
		// committed since. Deciding again here, under the write lock,
		// is what keeps concurrent imports from adding them twice.
		if opts.name == "" {
			var id int64
			var other, otherText string
			err := tx.QueryRowContext(ctx, "SELECT id, name, text_sha256 FROM documents WHERE source_sha256 = ? ORDER BY id DESC LIMIT 1", srcSum).Scan(&id, &other, &otherText)
			switch {
			case err == nil && (f.Parse.Encoding == "" || otherText == textHex):
				already = id
				return errUnchanged
			case err == nil && reread == "":
				// Read otherwise than those bytes were: their next version.
				reread, name, f.NewVersion = other, other, true
				*label = verb + " " + name
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		if !f.NewVersion && origin != "" {
			n, renamed, err := nameForOrigin(ctx, tx, name, origin)
			if err != nil {
				return err
			}
			name, res.Renamed = n, renamed
		}
		var version int
		var prev sql.NullInt64
		if err := tx.QueryRowContext(ctx,
			"SELECT coalesce(max(version), 0), (SELECT id FROM documents WHERE name = ?1 ORDER BY version DESC LIMIT 1) FROM documents WHERE name = ?1",
			name).Scan(&version, &prev); err != nil {
			return err
		}
		version++
		res.Status = Imported
		if version > 1 {
			res.Status = NewVersion
			*label = fmt.Sprintf("%s %s (version %d)", verb, name, version)
		}
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		source, err := s.writeSource(name, ext, version, f.Data)
		if err != nil {
			return err
		}
		written = source
		if testHookSourceWritten != nil {
			testHookSourceWritten(source)
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO documents
			(guid, name, version, format, lang, source, source_sha256, text, text_sha256, length, words, imported_at, imported_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			newGUID(), name, version, doc.Format, lang, source, srcSum, doc.Text,
			textHex, utf8.RuneCountInString(doc.Text), countWords(doc.Text), s.stamp(), coder)
		if err != nil {
			return err
		}
		id, _ := r.LastInsertId()
		if err := insertTurns(ctx, tx, id, doc.Turns); err != nil {
			return err
		}
		if err := insertAnchors(ctx, tx, id, doc.Turns); err != nil {
			return err
		}
		if origin != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO document_origins (doc_id, path) VALUES (?, ?)", id, origin); err != nil {
				return err
			}
		}
		attrs := make([]Attribute, 0, len(doc.Attributes))
		for _, a := range doc.Attributes {
			if err := checkAttribute(a.Key, a.Value); err != nil {
				// What a file says is text: an attribute with hidden
				// controls or over the lengths is left out, with a warning.
				doc.Warnings = append(doc.Warnings, fmt.Sprintf("attribute left out: %s", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")))
				continue
			}
			attrs = append(attrs, Attribute{Key: a.Key, Value: a.Value, Type: InferType(a.Value)})
		}
		if prev.Valid {
			old, err := attributesOf(ctx, tx, prev.Int64)
			if err != nil {
				return err
			}
			attrs = mergeAttributes(old, attrs)
		}
		attrs = mergeAttributes(attrs, f.Attributes)
		for i, a := range attrs {
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO attributes (doc_id, key, type, value, position) VALUES (?, ?, ?, ?, ?)",
				id, a.Key, a.Type, a.Value, i); err != nil {
				return err
			}
		}
		if res.Document, err = s.documentByID(ctx, tx, id); err != nil {
			return err
		}
		if err := insertSpeakers(ctx, tx, id, doc.Text, doc.Turns, doc.Speakers, attrs); err != nil {
			return err
		}
		if err := declaredRoles(ctx, tx, id, doc.SpeakerRoles); err != nil {
			return err
		}
		if prev.Valid {
			// A new version keeps what the user said of its speakers.
			if _, err := tx.ExecContext(ctx, `UPDATE speakers SET
				role = (SELECT p.role FROM speakers p WHERE p.doc_id = ?1 AND p.name = speakers.name),
				case_id = (SELECT p.case_id FROM speakers p WHERE p.doc_id = ?1 AND p.name = speakers.name)
				WHERE doc_id = ?2 AND name IN (SELECT name FROM speakers WHERE doc_id = ?1)`, prev.Int64, id); err != nil {
				return err
			}
		}
		if err := s.focusGroupCases(ctx, tx, id); err != nil {
			return err
		}
		if prev.Valid {
			if res.Carry, err = s.carry(ctx, tx, prev.Int64, id); err != nil {
				return err
			}
			if res.Document, err = s.documentByID(ctx, tx, id); err != nil {
				return err
			}
		}
		if res.Speakers, err = speakersOf(ctx, tx, id); err != nil {
			return err
		}
		if opts.dryRun {
			return errDryRun
		}
		return nil
	})
	res.Warnings = doc.Warnings
	if errors.Is(err, errUnchanged) {
		d, err := s.documentByID(ctx, s.db, already)
		if err != nil {
			return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
		}
		return ImportResult{Status: Unchanged, Document: d}, nil
	}
	if errors.Is(err, errDryRun) {
		s.removeSource(written)
		if res.Carry != nil {
			res.Carry.DryRun = true
		}
		return res, nil
	}
	if err != nil {
		s.removeSource(written)
		return ImportResult{}, fmt.Errorf("%s %s: %w", verb, f.Path, err)
	}
	return res, nil
}

// testHookSourceWritten, when set by a test, runs in an import's
// transaction once the original is written to sources/, before the commit.
var testHookSourceWritten func(source string)

// errUnchanged ends an import's transaction when the file's bytes are
// found already in the project.
var errUnchanged = errors.New("already imported")

// writeSource copies an original file into sources/, private, under a
// name no other document uses.
func (s *Store) writeSource(name, ext string, version int, data []byte) (string, error) {
	dir := filepath.Join(s.dir, SourcesDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	file := name + ext
	if version > 1 {
		file = fmt.Sprintf("%s.v%d%s", name, version, ext)
	}
	for i := 2; ; i++ {
		f, err := os.OpenFile(filepath.Join(dir, file), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) {
			file = fmt.Sprintf("%s.v%d-%d%s", name, version, i, ext)
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return "", err
		}
		return file, nil
	}
}

func insertTurns(ctx context.Context, tx *sql.Tx, docID int64, turns []transcripts.Turn) error {
	if len(turns) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx,
		"INSERT INTO turns (doc_id, n, speaker, start, body, end, time_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, t := range turns {
		var tm, em any
		if t.HasTime {
			tm = t.Time.Milliseconds()
			if t.EndTime > 0 {
				em = t.EndTime.Milliseconds()
			}
		}
		if _, err := stmt.ExecContext(ctx, docID, i+1, t.Speaker, t.Start, t.Body, t.End, tm, em); err != nil {
			return err
		}
	}
	return nil
}

// nameForOrigin returns the name a document from path should have: name
// itself, unless a document of that name came from another path, in
// which case "name (folder)" after the file's folder (and a number after
// that if it is taken too). A document imported before paths were kept
// counts as the same file.
func nameForOrigin(ctx context.Context, tx *sql.Tx, name, path string) (string, bool, error) {
	folder := filepath.Base(filepath.Dir(path))
	for i := 1; ; i++ {
		cand := name
		switch {
		case i == 2:
			cand = fmt.Sprintf("%s (%s)", name, folder)
		case i > 2:
			cand = fmt.Sprintf("%s (%s %d)", name, folder, i-1)
		}
		var other sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT o.path FROM documents d LEFT JOIN document_origins o ON o.doc_id = d.id
			WHERE d.name = ? ORDER BY d.version DESC LIMIT 1`, cand).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			return cand, i > 1, nil
		}
		if err != nil {
			return "", false, err
		}
		if !other.Valid || other.String == path {
			return cand, i > 1, nil
		}
	}
}

// seedSpeakers uses the speakers a file declares in its metadata to find
// its turns, when detection was not overridden and the declared names
// label more of the text than detection found.
func seedSpeakers(doc *transcripts.Document, opt transcripts.Options) {
	if len(doc.Speakers) == 0 || len(opt.Speakers) > 0 || opt.SpeakerPattern != nil {
		return
	}
	labelled := func(ts []transcripts.Turn) int {
		n := 0
		for _, t := range ts {
			if t.Speaker != "" {
				n++
			}
		}
		return n
	}
	turns, err := transcripts.DetectTurns(doc.Text, doc.Format, transcripts.Options{Speakers: doc.Speakers})
	if err == nil && labelled(turns) > labelled(doc.Turns) {
		doc.Turns = turns
	}
}

func insertAnchors(ctx context.Context, tx *sql.Tx, docID int64, turns []transcripts.Turn) error {
	var stmt *sql.Stmt
	for _, t := range turns {
		for _, a := range t.Anchors {
			if stmt == nil {
				var err error
				if stmt, err = tx.PrepareContext(ctx, "INSERT OR REPLACE INTO anchors (doc_id, pos, time_ms) VALUES (?, ?, ?)"); err != nil {
					return err
				}
				defer stmt.Close()
			}
			if _, err := stmt.ExecContext(ctx, docID, a.Pos, a.Time.Milliseconds()); err != nil {
				return err
			}
		}
	}
	return nil
}

const docColumns = `d.id, d.guid, d.name, d.version, d.format, d.lang, d.source, d.source_sha256,
	d.text_sha256, d.length, d.words, d.imported_at,
	(SELECT count(*) FROM turns t WHERE t.doc_id = d.id),
	(SELECT count(*) FROM codings c WHERE c.doc_id = d.id),
	d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name)`

func scanDoc(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	var at string
	err := row.Scan(&d.ID, &d.GUID, &d.Name, &d.Version, &d.Format, &d.Lang, &d.Source, &d.SourceSHA256,
		&d.TextSHA256, &d.Length, &d.Words, &at, &d.Turns, &d.Codings, &d.Latest)
	d.ImportedAt = parseStamp(at)
	return d, err
}

func (s *Store) documentByID(ctx context.Context, q querier, id int64) (Document, error) {
	d, err := scanDoc(q.QueryRowContext(ctx, "SELECT "+docColumns+" FROM documents d WHERE d.id = ?", id))
	if err != nil {
		return Document{}, mapErr(err)
	}
	d.Attributes, err = attributesOf(ctx, q, id)
	return d, err
}

// Documents lists the documents, by name; only the latest version of each
// unless all is set.
func (s *Store) Documents(ctx context.Context, all bool) ([]Document, error) {
	var docs []Document
	err := s.read(ctx, func(q querier) error {
		where := ""
		if !all {
			where = " WHERE d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name)"
		}
		rows, err := q.QueryContext(ctx, "SELECT "+docColumns+" FROM documents d"+where+" ORDER BY d.name, d.version")
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanDoc(rows)
			if err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		attrs, err := allAttributes(ctx, q)
		if err != nil {
			return err
		}
		for i := range docs {
			docs[i].Attributes = attrs[docs[i].ID]
		}
		return nil
	})
	return docs, err
}

// Document finds a document by reference: its name (the latest version),
// NAME@VERSION, or its numeric id. withText also loads the text.
func (s *Store) Document(ctx context.Context, ref string, withText bool) (Document, error) {
	id, err := resolveDoc(ctx, s.db, ref)
	if err != nil {
		return Document{}, err
	}
	return s.DocumentByID(ctx, id, withText)
}

// DocumentByID is Document for a document's id, whatever names other
// documents have (a document may be called "12").
func (s *Store) DocumentByID(ctx context.Context, id int64, withText bool) (Document, error) {
	d, err := s.documentByID(ctx, s.db, id)
	if err != nil {
		return Document{}, err
	}
	if withText {
		if err := s.db.QueryRowContext(ctx, "SELECT text FROM documents WHERE id = ?", id).Scan(&d.Text); err != nil {
			return Document{}, mapErr(err)
		}
	}
	return d, nil
}

// DocumentName returns a document's name.
func (s *Store) DocumentName(ctx context.Context, id int64) (string, error) {
	var n string
	err := s.db.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&n)
	return n, mapErr(err)
}

// DocPart asks for the bytes [Start, End) of a document's text; Parts
// fills in the rest.
type DocPart struct {
	Doc        int64
	Start, End int
	// Name is the document's name, Text the bytes asked for (fewer where
	// the text ends first), Size the text's length in bytes; Found says
	// the document exists.
	Name  string
	Text  string
	Size  int
	Found bool
}

// DocumentParts reads parts of documents' texts, a passage without the
// rest of its document: one statement for up to partsAtOnce of them.
func (s *Store) DocumentParts(ctx context.Context, parts []DocPart) error {
	for lo := 0; lo < len(parts); lo += partsAtOnce {
		chunk := parts[lo:min(lo+partsAtOnce, len(parts))]
		var q strings.Builder
		q.WriteString("WITH want(i, doc, s, n) AS (VALUES ")
		args := make([]any, 0, 4*len(chunk))
		for i, p := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?)")
			args = append(args, i, p.Doc, p.Start+1, max(p.End-p.Start, 0))
		}
		q.WriteString(") SELECT want.i, d.name, substr(CAST(d.text AS BLOB), want.s, want.n), length(CAST(d.text AS BLOB)) FROM want JOIN documents d ON d.id = want.doc")
		rows, err := s.db.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var i int
			var b []byte
			var p DocPart
			if err := rows.Scan(&i, &p.Name, &b, &p.Size); err != nil {
				rows.Close()
				return mapErr(err)
			}
			if i < 0 || i >= len(chunk) {
				continue
			}
			c := &chunk[i]
			c.Name, c.Text, c.Size, c.Found = p.Name, string(b), p.Size, true
		}
		if err := rows.Close(); err != nil {
			return mapErr(err)
		}
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DocText is a document's name and text as DocumentTexts reads it.
type DocText struct {
	ID   int64
	Name string
	// Text is the whole text when Whole; empty when the text is longer
	// than asked for.
	Text  string
	Whole bool
}

// DocumentTexts reads the names and texts of several documents in one
// statement (for up to partsAtOnce of them); a text of more than
// maxChars characters is left out. Documents that do not exist are
// missing from the answer.
func (s *Store) DocumentTexts(ctx context.Context, ids []int64, maxChars int) ([]DocText, error) {
	var out []DocText
	for lo := 0; lo < len(ids); lo += partsAtOnce {
		chunk := ids[lo:min(lo+partsAtOnce, len(ids))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, maxChars)
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			marks[i] = "?"
			args = append(args, id)
		}
		rows, err := s.db.QueryContext(ctx, "SELECT id, name, CASE WHEN length(text) <= ? THEN text END FROM documents WHERE id IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var d DocText
			var text *string
			if err := rows.Scan(&d.ID, &d.Name, &text); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			if text != nil {
				d.Text, d.Whole = *text, true
			}
			out = append(out, d)
		}
		if err := rows.Close(); err != nil {
			return nil, mapErr(err)
		}
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
	}
	return out, nil
}

// partsAtOnce keeps a DocumentParts statement well under SQLite's limit
// on parameters.
const partsAtOnce = 500

// DocumentText returns a document's stored text.
func (s *Store) DocumentText(ctx context.Context, id int64) (string, error) {
	var t string
	err := s.db.QueryRowContext(ctx, "SELECT text FROM documents WHERE id = ?", id).Scan(&t)
	return t, mapErr(err)
}

// resolveDoc finds the document ref names (the rules are DocRefRules):
// an exact name is looked up directly, anything else by matchDoc.
func resolveDoc(ctx context.Context, q querier, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, fmt.Errorf("%w: empty document name", ErrInvalid)
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM documents WHERE name = ? ORDER BY version DESC LIMIT 1", ref).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, mapErr(err)
	}
	return matchDoc(ctx, q, ref)
}

// Turns returns a document's speaker turns in order.
func (s *Store) Turns(ctx context.Context, docID int64) ([]Turn, error) {
	return turnsOf(ctx, s.db, docID)
}

func turnsOf(ctx context.Context, q querier, docID int64) ([]Turn, error) {
	rows, err := q.QueryContext(ctx,
		"SELECT n, speaker, start, body, end, time_ms, end_ms FROM turns WHERE doc_id = ? ORDER BY n", docID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var ts []Turn
	for rows.Next() {
		var t Turn
		var tm, em sql.NullInt64
		if err := rows.Scan(&t.N, &t.Speaker, &t.Start, &t.Body, &t.End, &tm, &em); err != nil {
			return nil, mapErr(err)
		}
		if tm.Valid {
			d := msDuration(tm.Int64)
			t.Time = &d
		}
		if em.Valid {
			d := msDuration(em.Int64)
			t.EndTime = &d
		}
		ts = append(ts, t)
	}
	return ts, mapErr(rows.Err())
}
