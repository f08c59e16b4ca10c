package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ErrAmbiguous is returned when a reference names more than one thing;
// the message lists the candidates.
var ErrAmbiguous = errors.New("ambiguous")

// DocRefRules says, for help texts, how a document is named wherever a
// command takes one.
const DocRefRules = `A document (DOC) is named by any of these, tried in this order:
  its exact name (the latest version)         R07
  its short id, as 'qcode docs' shows it      #12
  its name in any case                        r07
  NAME@N, a version (NAME by any rule here)   R07@1, lunney@2
  its id without '#', or its GUID             12
  a unique beginning of its name              lun
  a unique part of its name                   nney
Case does not matter past the first rule, nor does ё against е. When
several documents match at the first rule that matches, qcode lists
them and asks which. The short id stays the same when a document is
renamed; each version has its own.`

// DocShortID is the short id 'qcode docs' shows for a document version:
// "#" and its numeric id, which a rename leaves alone.
func DocShortID(id int64) string { return "#" + strconv.FormatInt(id, 10) }

// docEntry is a document (all its versions) as reference matching sees it.
type docEntry struct {
	name     string
	fold     string
	versions map[int]int64
	latest   int64
	guids    map[string]int64
}

// foldName is the form names are compared in past an exact match: NFC,
// lower case, ё as е.
func foldName(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	return strings.ReplaceAll(s, "ё", "е")
}

// matchDoc resolves a reference that is not a document's exact name, by
// the rules of DocRefRules after the first.
func matchDoc(ctx context.Context, q querier, ref string) (int64, error) {
	var id int64
	if n, ok := canonicalNumber(strings.TrimPrefix(ref, "#")); ok && strings.HasPrefix(ref, "#") {
		err := q.QueryRowContext(ctx, "SELECT id FROM documents WHERE id = ?", n).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, mapErr(err)
		}
	}
	names, err := docNames(ctx, q)
	if err != nil {
		return 0, err
	}
	fref := foldName(ref)
	// The name in any case.
	if d, err := pickDoc(ref, names, func(d *docEntry) bool { return d.fold == fref }); d != nil || err != nil {
		return latestOf(d), err
	}
	// NAME@N.
	if i := strings.LastIndex(ref, "@"); i > 0 {
		if v, ok := canonicalNumber(ref[i+1:]); ok {
			d, err := matchName(strings.TrimSpace(ref[:i]), names)
			if err != nil {
				return 0, err
			}
			if d != nil {
				if id, ok := d.versions[int(v)]; ok {
					return id, nil
				}
				return 0, fmt.Errorf("document %q: %w: %s has no version %d (it has %s)", ref, ErrNotFound, d.name, v, versionList(d))
			}
		}
	}
	// The id without '#', or the GUID.
	if n, ok := canonicalNumber(ref); ok {
		err := q.QueryRowContext(ctx, "SELECT id FROM documents WHERE id = ?", n).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, mapErr(err)
		}
	}
	guid := strings.ToLower(strings.Trim(ref, "{}"))
	for _, d := range names {
		if id, ok := d.guids[guid]; ok {
			return id, nil
		}
	}
	d, err := matchName(ref, names)
	if err != nil {
		return 0, err
	}
	if d == nil {
		return 0, fmt.Errorf("document %q: %w (see 'qcode docs')", ref, ErrNotFound)
	}
	return d.latest, nil
}

// matchName finds the document whose name is ref, exactly, in any case,
// or as a unique beginning or part; nil when none matches.
func matchName(ref string, names []*docEntry) (*docEntry, error) {
	fref := foldName(ref)
	if fref == "" {
		return nil, nil
	}
	rules := []func(d *docEntry) bool{
		func(d *docEntry) bool { return d.name == ref },
		func(d *docEntry) bool { return d.fold == fref },
		func(d *docEntry) bool { return strings.HasPrefix(d.fold, fref) },
		func(d *docEntry) bool { return strings.Contains(d.fold, fref) },
	}
	for _, rule := range rules {
		if d, err := pickDoc(ref, names, rule); d != nil || err != nil {
			return d, err
		}
	}
	return nil, nil
}

// pickDoc returns the one document that satisfies match, nil when none
// does, and ErrAmbiguous naming them when several do.
func pickDoc(ref string, names []*docEntry, match func(*docEntry) bool) (*docEntry, error) {
	var found []*docEntry
	for _, d := range names {
		if match(d) {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	const most = 8
	var list []string
	for i, d := range found {
		if i == most {
			list = append(list, fmt.Sprintf("and %d more", len(found)-most))
			break
		}
		list = append(list, fmt.Sprintf("%s (%s)", d.name, DocShortID(d.latest)))
	}
	return nil, fmt.Errorf("document %q is %w: it matches %s; say which", ref, ErrAmbiguous, strings.Join(list, ", "))
}

func latestOf(d *docEntry) int64 {
	if d == nil {
		return 0
	}
	return d.latest
}

// canonicalNumber parses a positive decimal number written without
// leading zeros ("07" is more likely part of a name like R07).
func canonicalNumber(s string) (int64, bool) {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func versionList(d *docEntry) string {
	vs := make([]int, 0, len(d.versions))
	for v := range d.versions {
		vs = append(vs, v)
	}
	sort.Ints(vs)
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	if len(s) == 1 {
		return "version " + s[0]
	}
	return "versions " + strings.Join(s, ", ")
}

// docNames lists the documents by name, each with its versions.
func docNames(ctx context.Context, q querier) ([]*docEntry, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, guid, name, version FROM documents ORDER BY name, version")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*docEntry
	for rows.Next() {
		var id int64
		var guid, name string
		var v int
		if err := rows.Scan(&id, &guid, &name, &v); err != nil {
			return nil, mapErr(err)
		}
		if len(out) == 0 || out[len(out)-1].name != name {
			out = append(out, &docEntry{name: name, fold: foldName(name), versions: map[int]int64{}, guids: map[string]int64{}})
		}
		d := out[len(out)-1]
		d.versions[v] = id
		d.latest = id
		d.guids[strings.ToLower(strings.Trim(guid, "{}"))] = id
	}
	return out, mapErr(rows.Err())
}

// checkDocName cleans a new document name (surrounding space trimmed,
// NFC) and refuses one that is empty, holds a hidden control character
// (see IsHiddenControl), or holds '@', which names a version.
func checkDocName(name string) (string, error) {
	name = norm.NFC.String(strings.TrimSpace(name))
	if name == "" {
		return "", fmt.Errorf("%w: empty document name", ErrInvalid)
	}
	if err := checkText("document name", name, MaxDocName); err != nil {
		return "", err
	}
	if strings.Contains(name, "@") {
		return "", fmt.Errorf("%w: document name %q: '@' is how a version is named (NAME@2)", ErrInvalid, name)
	}
	if _, ok := canonicalNumber(strings.TrimPrefix(name, "#")); ok && strings.HasPrefix(name, "#") {
		return "", fmt.Errorf("%w: document name %q: '#N' is how a document's short id is written", ErrInvalid, name)
	}
	return name, nil
}

// RenameResult says what RenameDocument did.
type RenameResult struct {
	Op       Op     `json:"-"`
	From     string `json:"from"`
	To       string `json:"to"`
	Versions int    `json:"versions"`
	// Cases counts the focus group members' cases, named "DOC: NAME"
	// after the document, that were renamed with it.
	Cases int `json:"cases"`
}

// RenameDocument gives every version of the document ref names the name
// to, as one undoable action. It refuses a name another document has (in
// any case), an empty one, one with a hidden control character and one
// holding '@'. The cases of a focus group's members, named after the
// document ("R07: Anna", see focusGroupCases), follow when no other
// document's speakers use them and the new case name is free. The files
// in sources/ keep their names.
func (s *Store) RenameDocument(ctx context.Context, ref, to string) (RenameResult, error) {
	var res RenameResult
	name, err := checkDocName(to)
	if err != nil {
		return res, err
	}
	res.To = name
	res.Op, err = s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		id, err := resolveDoc(ctx, tx, ref)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&res.From); err != nil {
			return err
		}
		if res.From == name {
			return fmt.Errorf("%w: document %s already has that name", ErrNothing, name)
		}
		names, err := docNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, d := range names {
			if d.name != res.From && d.fold == foldName(name) {
				return fmt.Errorf("%w: another document is called %s (%s); choose another name", ErrConflict, d.name, DocShortID(d.latest))
			}
		}
		*label = fmt.Sprintf("rename document %s to %s", res.From, name)
		r, err := tx.ExecContext(ctx, "UPDATE documents SET name = ? WHERE name = ?", name, res.From)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		res.Versions = int(n)
		res.Cases, err = renameDocCases(ctx, tx, res.From, name)
		return err
	})
	if err != nil {
		return RenameResult{}, err
	}
	return res, nil
}

// renameDocCases renames the cases "FROM: NAME" of the speakers of the
// document now called to, which no other document's speakers use, to
// "TO: NAME", unless a case has that name already. It returns how many
// it renamed.
func renameDocCases(ctx context.Context, tx *sql.Tx, from, to string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT c.id, c.name FROM cases c
		JOIN speakers sp ON sp.case_id = c.id JOIN documents d ON d.id = sp.doc_id
		WHERE d.name = ?1 AND substr(c.name, 1, length(?2)) = ?2
		AND NOT EXISTS (SELECT 1 FROM speakers o JOIN documents od ON od.id = o.doc_id WHERE o.case_id = c.id AND od.name <> ?1)
		ORDER BY c.id`, to, from+": ")
	if err != nil {
		return 0, err
	}
	type cs struct {
		id   int64
		name string
	}
	var list []cs
	for rows.Next() {
		var c cs
		if err := rows.Scan(&c.id, &c.name); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range list {
		name := to + ": " + strings.TrimPrefix(c.name, from+": ")
		var taken int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM cases WHERE name = ?", name).Scan(&taken); err != nil {
			return 0, err
		}
		if taken > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET name = ? WHERE id = ?", name, c.id); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// RemoveResult says what RemoveDocument did, or would do.
type RemoveResult struct {
	Op   Op     `json:"-"`
	Name string `json:"name"`
	// Version is the version named, when only it was removed (NAME@N).
	Version  int   `json:"version,omitempty"`
	Versions []int `json:"versions"`
	Codings  int   `json:"codings"`
	Coders   int   `json:"coders"`
	Memos    int   `json:"memos"`
	// Sources are the files under sources/ the versions came from: they
	// stay, as undo needs them for export and provenance.
	Sources []string `json:"sources"`
}

// RemoveDocument removes the document ref names, every version of it, or
// only the version named when ref is NAME@N: its turns, anchors,
// speakers, attributes, codings, the memos on it and on its codings, as
// one undoable action. While what goes has codings it refuses with
// ErrConflict saying how many and by how many coders, unless force is
// set. The files in sources/ stay.
func (s *Store) RemoveDocument(ctx context.Context, ref string, force bool) (RemoveResult, error) {
	var res RemoveResult
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		id, err := resolveDoc(ctx, tx, ref)
		if err != nil {
			return err
		}
		var version int
		if err := tx.QueryRowContext(ctx, "SELECT name, version FROM documents WHERE id = ?", id).Scan(&res.Name, &version); err != nil {
			return err
		}
		// A version is removed alone only when the reference names it.
		one := isVersionRef(ref, res.Name, version)
		where, arg := "name = ?", any(res.Name)
		if one {
			where, arg = "id = ?", any(id)
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, version, source FROM documents WHERE "+where+" ORDER BY version", arg)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var v int
			var src string
			if err := rows.Scan(&id, &v, &src); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			res.Versions = append(res.Versions, v)
			res.Sources = append(res.Sources, src)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		in := joinIDs(ids)
		if err := tx.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT coder_id) FROM codings WHERE doc_id IN ("+in+")").
			Scan(&res.Codings, &res.Coders); err != nil {
			return err
		}
		what := res.Name
		if one {
			what = fmt.Sprintf("%s@%d", res.Name, version)
			res.Version = version
		}
		if res.Codings > 0 && !force {
			return fmt.Errorf("%w: %s has %s by %s; --force removes them too", ErrConflict, what,
				plural(res.Codings, "coding", "codings"), plural(res.Coders, "coder", "coders"))
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM memos WHERE (target = 'document' AND target_id IN (`+in+`))
			OR (target = 'coding' AND target_id IN (SELECT id FROM codings WHERE doc_id IN (`+in+`)))`).Scan(&res.Memos); err != nil {
			return err
		}
		*label = fmt.Sprintf("remove document %s (%s)", what, plural(res.Codings, "coding", "codings"))
		stmts := []string{
			// What a new version recorded of the codings that go, and of
			// the orphans a removed version made; codings carried on to a
			// version that stays keep their history.
			"DELETE FROM carried WHERE coding_id IN (SELECT id FROM codings WHERE doc_id IN (" + in + "))",
			"DELETE FROM carried WHERE status = 'orphaned' AND to_doc IN (" + in + ")",
			"DELETE FROM memos WHERE target = 'coding' AND target_id IN (SELECT id FROM codings WHERE doc_id IN (" + in + "))",
			"DELETE FROM memos WHERE target = 'document' AND target_id IN (" + in + ")",
			"DELETE FROM codings WHERE doc_id IN (" + in + ")",
			"DELETE FROM anchors WHERE doc_id IN (" + in + ")",
			"DELETE FROM turns WHERE doc_id IN (" + in + ")",
			"DELETE FROM speakers WHERE doc_id IN (" + in + ")",
			"DELETE FROM attributes WHERE doc_id IN (" + in + ")",
			// Before the documents, not by their cascade: undo puts rows
			// back in the reverse order, a document before its origin.
			"DELETE FROM document_origins WHERE doc_id IN (" + in + ")",
			"DELETE FROM documents WHERE id IN (" + in + ")",
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return RemoveResult{}, err
	}
	res.Op = op
	return res, nil
}

// isVersionRef reports whether ref names one version (NAME@N) rather
// than a document: only then does rm take that version alone. An id
// names the document, as 'qcode docs' shows the latest version's.
func isVersionRef(ref, name string, version int) bool {
	ref = strings.TrimSpace(ref)
	if ref == name {
		return false
	}
	if i := strings.LastIndex(ref, "@"); i > 0 {
		if v, ok := canonicalNumber(ref[i+1:]); ok && int(v) == version {
			return true
		}
	}
	return false
}
