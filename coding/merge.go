package coding

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/qcode-dev/qcode/transcripts"
)

// MergeOptions tune Store.Merge.
type MergeOptions struct {
	// Label names the merge in the history, e.g. "merge team-b.qcode";
	// default "merge " and the snapshot's project name.
	Label string
	// DryRun works out the summary and changes nothing.
	DryRun bool
	// NewVersions brings in a document whose name is in the project but
	// whose text differs as the next version of that document, with its
	// codings and memos. Off by default: such a document is reported as a
	// conflict and left out with its codings, because they point into a
	// text this project does not have and the team should decide. A
	// document that is the next version of one the two projects share
	// (its earlier version in the snapshot is this project's latest) is
	// added as the next version here either way.
	NewVersions bool
}

// Conflict kinds in a MergeSummary.
const (
	ConflictDocument  = "document"
	ConflictAttribute = "attribute"
	ConflictCode      = "code"
	ConflictMemo      = "memo"
	ConflictCase      = "case"
	ConflictSpeaker   = "speaker"
	ConflictAnchor    = "anchor"
)

// MergeConflict is something Merge found on both sides but different, and
// what it did about it.
type MergeConflict struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Detail  string `json:"detail"`
}

func (c MergeConflict) String() string { return c.Kind + " " + c.Subject + ": " + c.Detail }

// MergeSummary says what Merge added and what it could not reconcile.
// The plain counts are of rows added to the project.
type MergeSummary struct {
	Documents int `json:"documents"`
	// Versions counts documents added as a new version of a document of
	// the same name (MergeOptions.NewVersions).
	Versions int `json:"versions"`
	// MatchedDocuments counts documents whose text the project already had.
	MatchedDocuments int `json:"matched_documents"`
	Attributes       int `json:"attributes"`
	Coders           int `json:"coders"`
	Codes            int `json:"codes"`
	// FilledCodes counts colours and descriptions empty here that were
	// taken from the merged project.
	FilledCodes int `json:"filled_codes"`
	Codings     int `json:"codings"`
	// SkippedCodings were already in the project (same document, code,
	// coder and span).
	SkippedCodings int `json:"skipped_codings"`
	// LeftOutCodings belong to documents that were not merged (see
	// Conflicts).
	LeftOutCodings int `json:"left_out_codings"`
	Memos          int `json:"memos"`
	// Cases and CaseAttributes count cases added and attributes added to
	// cases (new or matched).
	Cases          int `json:"cases"`
	CaseAttributes int `json:"case_attributes"`
	// Speakers counts speakers added, those of added documents included;
	// SpeakerCases, speakers here tied to the case the merged project
	// gives them.
	Speakers     int             `json:"speakers"`
	SpeakerCases int             `json:"speaker_cases"`
	Anchors      int             `json:"anchors"`
	Conflicts    []MergeConflict `json:"conflicts"`
	// Codebook details the codebook step; its conflicts are also in
	// Conflicts.
	Codebook CodebookChanges `json:"codebook"`
}

// Added reports whether the merge adds anything to the project.
func (m MergeSummary) Added() bool {
	return m.Documents+m.Versions+m.Attributes+m.Coders+m.Codes+m.FilledCodes+m.Codings+m.Memos+
		m.Cases+m.CaseAttributes+m.Speakers+m.SpeakerCases+m.Anchors > 0
}

// Merge brings another copy of a project (a Snapshot, from another
// project or a REFI-QDA file) into this one as one undoable action:
//
//   - documents are matched by their text (SHA-256 of the stored text),
//     never by name; a new text is added with its turns and attributes
//     and written to sources/; a later version of a document both share
//     becomes the next version here; a text whose name is taken by a
//     different text here is a conflict (see MergeOptions.NewVersions);
//   - coders are matched by name;
//   - codes by GUID, then by path, as import-codebook does;
//   - codings are added unless the same document, code, coder and span is
//     already coded, so merging twice changes nothing;
//   - memos are matched by GUID, or by the same text on the same target;
//   - attributes missing here are added; a different value is a conflict
//     and this project's value stays;
//   - cases by GUID, then by name, with their attributes as documents'
//     are; speakers by document and name (a new document gets those of
//     its turns as an import does, and the snapshot's roles and cases);
//     a speaker here without a case takes the snapshot's, a different
//     role or case is a conflict; anchors by document and position.
//
// A snapshot that refers to things it does not contain, or whose spans
// fall outside their texts, is refused with ErrInvalid before anything
// changes. Undo removes everything the merge added, documents included;
// the text files it wrote to sources/ stay (redo needs them).
func (s *Store) Merge(ctx context.Context, snap *Snapshot, opt MergeOptions) (MergeSummary, Op, error) {
	if snap == nil {
		return MergeSummary{}, Op{}, fmt.Errorf("merge: %w: no project given", ErrInvalid)
	}
	if err := checkSnapshot(snap); err != nil {
		return MergeSummary{}, Op{}, fmt.Errorf("merge %s: %w", snap.Name, err)
	}
	if err := checkSnapshotPeople(snap); err != nil {
		return MergeSummary{}, Op{}, fmt.Errorf("merge %s: %w", snap.Name, err)
	}
	label := opt.Label
	if label == "" {
		label = "merge " + snap.Name
	}
	m := &merger{s: s, snap: snap, opt: opt}
	if opt.DryRun {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return MergeSummary{}, Op{}, mapErr(err)
		}
		defer tx.Rollback()
		if err := m.run(ctx, tx); err != nil {
			return MergeSummary{}, Op{}, fmt.Errorf("merge %s: %w", snap.Name, mapErr(err))
		}
		return m.sum, Op{}, nil
	}
	op, err := s.action(ctx, label, func(tx *sql.Tx, lbl *string) error {
		if err := m.run(ctx, tx); err != nil {
			return err
		}
		*lbl = fmt.Sprintf("%s: %s, %s", label, plural(m.sum.Documents+m.sum.Versions, "document", "documents"),
			plural(m.sum.Codings, "coding", "codings"))
		return nil
	})
	if err != nil {
		for _, f := range m.written {
			os.Remove(filepath.Join(s.dir, SourcesDir, f))
		}
		return MergeSummary{}, Op{}, fmt.Errorf("merge %s: %w", snap.Name, err)
	}
	return m.sum, op, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// checkSnapshot refuses a snapshot whose references do not resolve, whose
// texts are not stored texts, or whose spans fall outside their texts.
func checkSnapshot(snap *Snapshot) error {
	lengths := make(map[string]int, len(snap.Documents))
	for i, d := range snap.Documents {
		what := fmt.Sprintf("document %q", d.Name)
		if strings.TrimSpace(d.Name) == "" {
			return fmt.Errorf("%w: document %d has no name", ErrInvalid, i+1)
		}
		if d.GUID == "" {
			return fmt.Errorf("%w: %s has no GUID", ErrInvalid, what)
		}
		if _, dup := lengths[d.GUID]; dup {
			return fmt.Errorf("%w: %s: GUID %s is used twice", ErrInvalid, what, d.GUID)
		}
		if !utf8.ValidString(d.Text) {
			return fmt.Errorf("%w: %s: text is not valid UTF-8", ErrInvalid, what)
		}
		if strings.TrimSpace(d.Text) == "" {
			return fmt.Errorf("%w: %s: text is empty", ErrInvalid, what)
		}
		if strings.ContainsRune(d.Text, '\r') || strings.HasPrefix(d.Text, "\uFEFF") {
			return fmt.Errorf("%w: %s: text is not in stored form (CR line endings or a BOM)", ErrInvalid, what)
		}
		if !norm.NFC.IsNormalString(d.Text) {
			return fmt.Errorf("%w: %s: text is not in Unicode NFC form", ErrInvalid, what)
		}
		if d.TextSHA256 != "" && !strings.EqualFold(d.TextSHA256, textHash(d.Text)) {
			return fmt.Errorf("%w: %s: text does not match its SHA-256 (damaged?)", ErrInvalid, what)
		}
		n := utf8.RuneCountInString(d.Text)
		lengths[d.GUID] = n
		for j, t := range d.Turns {
			if t.Start < 0 || t.Start > t.Body || t.Body > t.End || t.End > n {
				return fmt.Errorf("%w: %s: turn %d (%d:%d) lies outside the text (0:%d)", ErrInvalid, what, j+1, t.Start, t.End, n)
			}
		}
	}
	codes := make(map[string]bool, len(snap.Codes))
	for _, c := range snap.Codes {
		if c.GUID == "" {
			return fmt.Errorf("%w: code %q has no GUID", ErrInvalid, c.Name)
		}
		codes[c.GUID] = true
	}
	for _, c := range snap.Codes {
		if c.ParentGUID != "" && !codes[c.ParentGUID] {
			return fmt.Errorf("%w: code %q: its parent %s is missing", ErrInvalid, c.Name, c.ParentGUID)
		}
	}
	codings := make(map[string]bool, len(snap.Codings))
	for _, c := range snap.Codings {
		n, ok := lengths[c.DocGUID]
		switch {
		case !ok:
			return fmt.Errorf("%w: coding %s names a document (%s) the project lacks", ErrInvalid, c.GUID, c.DocGUID)
		case !codes[c.CodeGUID]:
			return fmt.Errorf("%w: coding %s names a code (%s) the project lacks", ErrInvalid, c.GUID, c.CodeGUID)
		case c.Start < 0 || c.End <= c.Start || c.End > n:
			return fmt.Errorf("%w: coding %s: span %d:%d lies outside its document (0:%d)", ErrInvalid, c.GUID, c.Start, c.End, n)
		case strings.TrimSpace(c.Coder) == "":
			return fmt.Errorf("%w: coding %s has no coder", ErrInvalid, c.GUID)
		}
		if c.GUID != "" {
			codings[c.GUID] = true
		}
	}
	for _, m := range snap.Memos {
		ok := true
		switch m.Target {
		case TargetProject:
		case TargetDocument:
			_, ok = lengths[m.TargetGUID]
		case TargetCode:
			ok = codes[m.TargetGUID]
		case TargetCoding:
			ok = codings[m.TargetGUID]
		default:
			return fmt.Errorf("%w: memo %s: unknown target %q", ErrInvalid, m.GUID, m.Target)
		}
		if !ok {
			return fmt.Errorf("%w: memo %s is on a %s (%s) the project lacks", ErrInvalid, m.GUID, m.Target, m.TargetGUID)
		}
		if m.GUID == "" {
			return fmt.Errorf("%w: a memo on %s %s has no GUID", ErrInvalid, m.Target, m.TargetGUID)
		}
	}
	return nil
}

func textHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// merger holds one merge's state: what the snapshot's GUIDs became here.
type merger struct {
	s    *Store
	snap *Snapshot
	opt  MergeOptions

	sum     MergeSummary
	written []string // files written to sources/
	insTurn *sql.Stmt

	acting  int64
	coders  map[string]int64 // name -> id
	codes   map[string]int64 // snapshot GUID -> id
	docs    map[string]int64 // snapshot GUID -> id
	codings map[string]int64 // snapshot GUID -> id
	cases   map[string]int64 // snapshot GUID -> id
	// leftOut counts, per document GUID not merged, its codings.
	leftOut map[string]int
}

func (m *merger) run(ctx context.Context, tx *sql.Tx) error {
	var err error
	if m.acting, err = m.s.coderID(ctx, tx, m.s.coder); err != nil {
		return err
	}
	steps := []func(context.Context, *sql.Tx) error{m.mergeCoders, m.mergeCodebook, m.mergeCases, m.mergeDocuments, m.mergeCodings, m.mergeMemos}
	defer func() {
		if m.insTurn != nil {
			m.insTurn.Close()
		}
	}()
	for _, step := range steps {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	if m.sum.Conflicts == nil {
		m.sum.Conflicts = []MergeConflict{}
	}
	return nil
}

func (m *merger) conflict(kind, subject, format string, args ...any) {
	m.sum.Conflicts = append(m.sum.Conflicts, MergeConflict{Kind: kind, Subject: subject, Detail: fmt.Sprintf(format, args...)})
}

func stampOr(t time.Time, def string) string {
	if t.IsZero() {
		return def
	}
	return t.UTC().Format(stampLayout)
}

// mergeCoders adds every coder the snapshot names that the project lacks,
// keeping the snapshot's GUID where it is free.
func (m *merger) mergeCoders(ctx context.Context, tx *sql.Tx) error {
	type coder struct {
		guid string
		at   time.Time
	}
	named := map[string]coder{}
	for _, c := range m.snap.Coders {
		named[c.Name] = coder{c.GUID, c.CreatedAt}
	}
	add := func(name string) {
		if _, ok := named[name]; !ok && name != "" {
			named[name] = coder{}
		}
	}
	for _, c := range m.snap.Codes {
		add(c.CreatedBy)
	}
	for _, d := range m.snap.Documents {
		add(d.ImportedBy)
	}
	for _, c := range m.snap.Codings {
		add(c.Coder)
	}
	for _, c := range m.snap.Memos {
		add(c.Coder)
	}
	names := make([]string, 0, len(named))
	for n := range named {
		names = append(names, n)
	}
	sort.Strings(names)
	m.coders = map[string]int64{}
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM coders WHERE name = ?", name).Scan(&id)
		if err == nil {
			m.coders[name] = id
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := checkCoderName(name); err != nil {
			return err
		}
		c := named[name]
		guid := c.guid
		if guid == "" || taken(ctx, tx, "coders", guid) {
			guid = newGUID()
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO coders (guid, name, created_at) VALUES (?, ?, ?)",
			guid, name, stampOr(c.at, m.s.stamp()))
		if err != nil {
			return err
		}
		m.coders[name], _ = res.LastInsertId()
		m.sum.Coders++
	}
	return nil
}

// coder returns the id of a coder the snapshot names, or the acting
// coder's for "".
func (m *merger) coder(name string) int64 {
	if id, ok := m.coders[name]; ok {
		return id
	}
	return m.acting
}

// taken reports whether a GUID is already used in table tbl.
func taken(ctx context.Context, tx *sql.Tx, tbl, guid string) bool {
	var one int
	return tx.QueryRowContext(ctx, "SELECT 1 FROM "+tbl+" WHERE guid = ?", guid).Scan(&one) == nil
}

// codeConflictText says what differs in a code and that this project's
// version stays.
func codeConflictText(c CodebookConflict) string {
	switch c.Field {
	case "name":
		return fmt.Sprintf("named %q here and %q in the merged project; kept %q", c.Ours, c.Theirs, c.Ours)
	case "parent":
		ours, theirs := c.Ours, c.Theirs
		if ours == "" {
			ours = "the top level"
		}
		if theirs == "" {
			theirs = "the top level"
		}
		return fmt.Sprintf("under %s here and under %s in the merged project; kept it where it is", ours, theirs)
	case "guid":
		return fmt.Sprintf("two codes of the merged project (%s, %s) match it; both merged into it", c.Ours, c.Theirs)
	case "colour":
		return fmt.Sprintf("colour %s here, %s in the merged project; kept %s", c.Ours, c.Theirs, c.Ours)
	default:
		return fmt.Sprintf("%s differs (%q here, %q in the merged project); kept this project's", c.Field, c.Ours, c.Theirs)
	}
}

// mergeCodebook matches the snapshot's codes (by GUID, then by path, as
// import-codebook does) and adds the new ones.
func (m *merger) mergeCodebook(ctx context.Context, tx *sql.Tx) error {
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM codes").Scan(&last); err != nil {
		return err
	}
	codes, ch, err := mergeCodes(ctx, tx, m.snap.Codes, m.acting)
	if err != nil {
		return err
	}
	m.codes = codes
	// mergeCodes credits new codes to the coder merging; a code the
	// snapshot says someone else made stays theirs.
	for _, c := range m.snap.Codes {
		if id := codes[c.GUID]; id > last && c.CreatedBy != "" && m.coder(c.CreatedBy) != m.acting {
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET created_by = ? WHERE id = ?", m.coder(c.CreatedBy), id); err != nil {
				return err
			}
		}
	}
	m.sum.Codes = len(ch.Added)
	m.sum.FilledCodes = len(ch.Filled)
	m.sum.Codebook = ch
	for _, c := range ch.Conflicts {
		m.conflict(ConflictCode, c.Path, "%s", codeConflictText(c))
	}
	return nil
}

// localDoc is what matching needs of a document already here.
type localDoc struct {
	id      int64
	version int
	sha     string
	// merged marks a document this merge added.
	merged bool
}

// mergeDocuments matches documents by text and adds the new ones.
func (m *merger) mergeDocuments(ctx context.Context, tx *sql.Tx) error {
	bySHA := map[string]int64{}
	latest := map[string]localDoc{}
	err := each(ctx, tx, "SELECT id, name, version, text_sha256 FROM documents ORDER BY id", func(r *sql.Rows) error {
		var d localDoc
		var name string
		if err := r.Scan(&d.id, &name, &d.version, &d.sha); err != nil {
			return err
		}
		if _, ok := bySHA[d.sha]; !ok {
			bySHA[d.sha] = d.id
		}
		if d.version > latest[name].version {
			latest[name] = d
		}
		return nil
	})
	if err != nil {
		return err
	}
	codingsOf := map[string]int{}
	for _, c := range m.snap.Codings {
		codingsOf[c.DocGUID]++
	}
	m.docs = map[string]int64{}
	m.leftOut = map[string]int{}
	// lineage maps a snapshot document name to the document here its
	// latest version so far became.
	lineage := map[string]int64{}
	for _, d := range m.snap.Documents {
		sha := textHash(d.Text)
		if id, ok := bySHA[sha]; ok {
			m.docs[d.GUID] = id
			lineage[d.Name] = id
			m.sum.MatchedDocuments++
			if err := m.mergeAttributes(ctx, tx, id, d); err != nil {
				return err
			}
			if err := m.mergeSpeakers(ctx, tx, id, d.Name, d); err != nil {
				return err
			}
			if err := m.mergeAnchors(ctx, tx, id, d.Name, d.Anchors); err != nil {
				return err
			}
			continue
		}
		version := 1
		prev, taken := latest[d.Name]
		if taken {
			version = prev.version + 1
			// The snapshot's earlier version of this name is our latest:
			// the text is the next version in the same line, as when a
			// coder re-imported a corrected transcript in their copy.
			follows := lineage[d.Name] != 0 && lineage[d.Name] == prev.id
			switch {
			case prev.merged || follows:
			case !m.opt.NewVersions:
				m.conflict(ConflictDocument, d.Name, "its text differs from this project's %s (version %d); not merged, with its %s (merge with new versions to add it as version %d)",
					d.Name, prev.version, plural(codingsOf[d.GUID], "coding", "codings"), version)
				m.leftOut[d.GUID] = codingsOf[d.GUID]
				continue
			default:
				m.conflict(ConflictDocument, d.Name, "its text differs from this project's %s (version %d); added as version %d",
					d.Name, prev.version, version)
			}
		}
		id, err := m.insertDocument(ctx, tx, d, version, sha)
		if err != nil {
			return fmt.Errorf("document %s: %w", d.Name, err)
		}
		if taken && !prev.merged {
			m.sum.Versions++
		} else {
			m.sum.Documents++
		}
		m.docs[d.GUID] = id
		lineage[d.Name] = id
		bySHA[sha] = id
		latest[d.Name] = localDoc{id: id, version: version, sha: sha, merged: true}
	}
	return nil
}

// insertDocument adds one document with its turns, attributes, speakers
// and anchors, and writes its text to sources/ (not on a dry run).
func (m *merger) insertDocument(ctx context.Context, tx *sql.Tx, d SnapshotDocument, version int, sha string) (int64, error) {
	source := ""
	if !m.opt.DryRun {
		f, err := m.s.writeSource(sourceName(d.Name), ".txt", version, []byte(d.Text))
		if err != nil {
			return 0, err
		}
		m.written = append(m.written, f)
		source = f
	}
	guid := d.GUID
	if taken(ctx, tx, "documents", guid) {
		guid = newGUID()
	}
	format := d.Format
	if format == "" {
		format = "txt"
	}
	lang := d.Lang
	if lang == "" {
		lang = transcripts.DetectLanguage(d.Text)
	}
	var by any
	if d.ImportedBy != "" {
		by = m.coder(d.ImportedBy)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO documents
		(guid, name, version, format, lang, source, source_sha256, text, text_sha256, length, words, imported_at, imported_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		guid, d.Name, version, format, lang, source, sha, d.Text, sha,
		utf8.RuneCountInString(d.Text), countWords(d.Text), stampOr(d.ImportedAt, m.s.stamp()), by)
	if err != nil {
		return 0, err
	}
	id, _ := res.LastInsertId()
	turns, anchors := d.Turns, d.Anchors
	if len(turns) == 0 {
		var derived []SnapshotAnchor
		turns, derived = deriveTurns(d.Name, d.Text)
		if len(anchors) == 0 {
			anchors = derived
		}
	}
	if m.insTurn == nil {
		if m.insTurn, err = tx.PrepareContext(ctx,
			"INSERT INTO turns (doc_id, n, speaker, start, body, end, time_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"); err != nil {
			return 0, err
		}
	}
	for i, t := range turns {
		var tm, em any
		if t.Time != nil {
			tm = t.Time.Milliseconds()
		}
		if t.EndTime != nil {
			em = t.EndTime.Milliseconds()
		}
		if _, err := m.insTurn.ExecContext(ctx, id, i+1, t.Speaker, t.Start, t.Body, t.End, tm, em); err != nil {
			return 0, err
		}
	}
	for i, a := range d.Attributes {
		if a.Type == "" {
			a.Type = InferType(a.Value)
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO attributes (doc_id, key, type, value, position) VALUES (?, ?, ?, ?, ?)",
			id, a.Key, a.Type, a.Value, i); err != nil {
			return 0, fmt.Errorf("attribute %s: %w", a.Key, err)
		}
		m.sum.Attributes++
	}
	if err := m.newSpeakers(ctx, tx, id, d, turns); err != nil {
		return 0, err
	}
	if err := m.mergeAnchors(ctx, tx, id, d.Name, anchors); err != nil {
		return 0, err
	}
	return id, nil
}

// sourceName makes a document's name safe as a file name in sources/: a
// merged project's names may hold anything, path separators included.
func sourceName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < ' ' || r == 0x7f:
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
		if b.Len() > 120 {
			break
		}
	}
	out := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	if out == "" {
		return "document"
	}
	return out
}

// deriveTurns finds the turns of a text that came without them by reading
// it as a plain-text transcript, with the times written inside them; it
// gives none when that reading would change the text (front matter, for
// example).
func deriveTurns(name, text string) ([]Turn, []SnapshotAnchor) {
	doc, err := transcripts.Parse(name+".txt", []byte(text))
	if err != nil || doc.Text != text {
		return nil, nil
	}
	out := make([]Turn, len(doc.Turns))
	var anchors []SnapshotAnchor
	for i, t := range doc.Turns {
		for _, a := range t.Anchors {
			anchors = append(anchors, SnapshotAnchor{Pos: a.Pos, Time: a.Time})
		}
		out[i] = Turn{N: i + 1, Speaker: t.Speaker, Start: t.Start, Body: t.Body, End: t.End}
		if t.HasTime {
			tm := t.Time
			out[i].Time = &tm
			if t.EndTime > 0 {
				em := t.EndTime
				out[i].EndTime = &em
			}
		}
	}
	return out, anchors
}

// mergeAttributes adds the attributes a matched document lacks here and
// reports those whose values differ.
func (m *merger) mergeAttributes(ctx context.Context, tx *sql.Tx, docID int64, d SnapshotDocument) error {
	if len(d.Attributes) == 0 {
		return nil
	}
	have, err := attributesOf(ctx, tx, docID)
	if err != nil {
		return err
	}
	var name string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", docID).Scan(&name); err != nil {
		return err
	}
	n, err := m.addAttributes(ctx, tx, "attributes", "doc_id", docID, have, d.Attributes, ConflictAttribute, name)
	m.sum.Attributes += n
	return err
}

// addAttributes inserts into table (attributes or case_attributes, whose
// owner column is col) the attributes of in that owner id lacks, after
// those it has; a key it has with another value is a conflict of kind,
// and its value stays. It returns how many it added.
func (m *merger) addAttributes(ctx context.Context, tx *sql.Tx, table, col string, id int64, have, in []Attribute, kind, owner string) (int, error) {
	byKey := map[string]Attribute{}
	for _, a := range have {
		byKey[a.Key] = a
	}
	added := 0
	for _, a := range in {
		if h, ok := byKey[a.Key]; ok {
			if h.Value != a.Value {
				m.conflict(kind, owner+" "+a.Key, "%q here, %q in the merged project; kept %q", h.Value, a.Value, h.Value)
			}
			continue
		}
		if a.Type == "" {
			a.Type = InferType(a.Value)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+col+`, key, type, value, position)
			VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), -1) + 1 FROM `+table+` WHERE `+col+` = ?1))`,
			id, a.Key, a.Type, a.Value); err != nil {
			return added, fmt.Errorf("attribute %s of %s: %w", a.Key, owner, err)
		}
		byKey[a.Key] = a
		added++
	}
	return added, nil
}

// mergeCodings adds the codings the project lacks.
func (m *merger) mergeCodings(ctx context.Context, tx *sql.Tx) error {
	// What is here already, read in one pass: a merge of a copy is mostly
	// codings the project has.
	type key struct {
		doc, code, coder int64
		start, end       int
	}
	have := map[key]int64{}
	guids := map[string]bool{}
	err := each(ctx, tx, "SELECT id, guid, doc_id, code_id, coder_id, start, end FROM codings", func(r *sql.Rows) error {
		var id int64
		var g string
		var k key
		if err := r.Scan(&id, &g, &k.doc, &k.code, &k.coder, &k.start, &k.end); err != nil {
			return err
		}
		have[k] = id
		guids[g] = true
		return nil
	})
	if err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO codings (guid, doc_id, code_id, start, end, coder_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	m.codings = map[string]int64{}
	now := m.s.stamp()
	for _, c := range m.snap.Codings {
		doc, ok := m.docs[c.DocGUID]
		if !ok {
			m.sum.LeftOutCodings++
			continue
		}
		k := key{doc, m.codes[c.CodeGUID], m.coder(c.Coder), c.Start, c.End}
		if id, ok := have[k]; ok {
			m.sum.SkippedCodings++
			if c.GUID != "" {
				m.codings[c.GUID] = id
			}
			continue
		}
		guid := c.GUID
		if guid == "" || guids[guid] {
			guid = newGUID()
		}
		res, err := ins.ExecContext(ctx, guid, k.doc, k.code, k.start, k.end, k.coder, stampOr(c.CreatedAt, now))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		have[k] = id
		guids[guid] = true
		m.sum.Codings++
		if c.GUID != "" {
			m.codings[c.GUID] = id
		}
	}
	return nil
}

// mergeMemos adds the memos the project lacks: matched by GUID, or by the
// same text on the same target.
func (m *merger) mergeMemos(ctx context.Context, tx *sql.Tx) error {
	for _, memo := range m.snap.Memos {
		var have string
		err := tx.QueryRowContext(ctx, "SELECT text FROM memos WHERE guid = ?", memo.GUID).Scan(&have)
		if err == nil {
			if have != memo.Text {
				m.conflict(ConflictMemo, memo.GUID, "on a %s, edited differently on each side; kept this project's text", memo.Target)
			}
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var target any
		ok := true
		switch memo.Target {
		case TargetDocument:
			target, ok = m.docs[memo.TargetGUID]
		case TargetCode:
			target, ok = m.codes[memo.TargetGUID]
		case TargetCoding:
			target, ok = m.codings[memo.TargetGUID]
		}
		if !ok {
			// On a document or coding that was left out.
			continue
		}
		// The same note on the same thing is the same memo, whatever its
		// GUID (two copies of a project built apart, a round trip through
		// another program).
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM memos WHERE target = ? AND target_id IS ? AND text = ?",
			memo.Target, target, memo.Text).Scan(&one)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := m.s.stamp()
		if _, err := tx.ExecContext(ctx, `INSERT INTO memos (guid, target, target_id, text, coder_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, memo.GUID, memo.Target, target, memo.Text, m.coder(memo.Coder),
			stampOr(memo.CreatedAt, now), stampOr(memo.UpdatedAt, now)); err != nil {
			return err
		}
		m.sum.Memos++
	}
	return nil
}
