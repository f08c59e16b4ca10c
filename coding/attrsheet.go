package coding

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Who the rows of an attribute table or sheet are.
const (
	ByDocument    = "document"
	ByParticipant = "participant"
	ByCase        = "case"
)

// MaxAttrSheet is the largest attribute sheet read, in bytes, and
// MaxAttrSheetRows the most rows.
const (
	MaxAttrSheet     = 8 << 20
	MaxAttrSheetRows = 100000
)

// AttrColumn is a column of an attribute table: a key and the type its
// values have ("" when they differ between rows).
type AttrColumn struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// AttrRow is a document's or a case's attributes, one value per column
// ("" where it has none).
type AttrRow struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// AttrTable is the attributes of every current document, or of every
// case, as a table: a row each, by name, and a column per key in the
// order the keys first appear.
type AttrTable struct {
	By      string       `json:"by"`
	Columns []AttrColumn `json:"columns"`
	Rows    []AttrRow    `json:"rows"`
}

// AttributeTable returns the attributes of the latest version of every
// document (by is ByDocument) or of every case (ByCase) as a table.
func (s *Store) AttributeTable(ctx context.Context, by string) (AttrTable, error) {
	t := AttrTable{By: by, Columns: []AttrColumn{}, Rows: []AttrRow{}}
	var query string
	switch by {
	case ByDocument:
		query = `SELECT d.name, a.key, a.type, a.value FROM documents d LEFT JOIN attributes a ON a.doc_id = d.id
			WHERE d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name)
			ORDER BY d.name, a.position, a.key`
	case ByCase:
		query = `SELECT c.name, a.key, a.type, a.value FROM cases c LEFT JOIN case_attributes a ON a.case_id = c.id
			ORDER BY c.name, a.position, a.key`
	default:
		return t, fmt.Errorf("%w: attribute table by %q (document or case)", ErrInvalid, by)
	}
	type cell struct{ typ, value string }
	var names []string
	values := map[string]map[string]cell{}
	col := map[string]int{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var key, typ, value sql.NullString
			if err := rows.Scan(&name, &key, &typ, &value); err != nil {
				return err
			}
			if values[name] == nil {
				values[name] = map[string]cell{}
				names = append(names, name)
			}
			if !key.Valid {
				continue
			}
			if _, ok := col[key.String]; !ok {
				col[key.String] = len(t.Columns)
				t.Columns = append(t.Columns, AttrColumn{Key: key.String, Type: typ.String})
			}
			if c := &t.Columns[col[key.String]]; c.Type != typ.String {
				c.Type = ""
			}
			values[name][key.String] = cell{typ.String, value.String}
		}
		return rows.Err()
	})
	if err != nil {
		return t, mapErr(err)
	}
	for _, n := range names {
		r := AttrRow{Name: n, Values: make([]string, len(t.Columns))}
		for i, c := range t.Columns {
			r.Values[i] = values[n][c.Key].value
		}
		t.Rows = append(t.Rows, r)
	}
	return t, nil
}

// AttributeTypes counts, for each attribute key, the documents other
// than except (0 for none) that hold it, by type: what a new value of the
// key should agree with.
func (s *Store) AttributeTypes(ctx context.Context, except int64) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, "SELECT key, type, count(*) FROM attributes WHERE doc_id != ? GROUP BY key, type", except)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, typ string
			var n int
			if err := rows.Scan(&key, &typ, &n); err != nil {
				return err
			}
			if out[key] == nil {
				out[key] = map[string]int{}
			}
			out[key][typ] = n
		}
		return rows.Err()
	})
	return out, mapErr(err)
}

// SheetColumn is an attribute column of a sheet: its key, and its type
// when the header declares one (KEY:TYPE).
type SheetColumn struct {
	Key  string
	Type string
}

// SheetRow is a row of a sheet: the line it starts on, what it is about
// (a document's name, a participant or a case) and its cells, one per
// column ("" for none given).
type SheetRow struct {
	Line  int
	Key   string
	Cells []string
}

// AttrSheet is a classification sheet: a CSV whose first column names
// documents, participants or cases and whose other columns are
// attributes.
type AttrSheet struct {
	File    string
	By      string
	Columns []SheetColumn
	Rows    []SheetRow
}

// firstColumns are the headers the first column may have, and what the
// rows then are.
var firstColumns = map[string]string{
	"document": ByDocument, "doc": ByDocument, "name": ByDocument, "file": ByDocument, "interview": ByDocument,
	"participant": ByParticipant, "respondent": ByParticipant,
	"case": ByCase,
}

// ParseAttrSheet reads a classification sheet from r; name names the
// file in messages. The file is UTF-8 (a byte-order mark is skipped),
// its cells separated by commas, semicolons or tabs (whichever the
// header uses most). The header's first cell says what the rows are:
// document (or doc, name, file, interview: a document's name),
// participant (or respondent: the documents whose participant attribute
// is that) or case. Every other header is an attribute key, KEY or
// KEY:TYPE. Blank rows are skipped. A malformed sheet is an error naming
// the file, the line and the reason.
func ParseAttrSheet(r io.Reader, name string) (AttrSheet, error) {
	sh := AttrSheet{File: name}
	data, err := io.ReadAll(io.LimitReader(r, MaxAttrSheet+1))
	if err != nil {
		return sh, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxAttrSheet {
		return sh, fmt.Errorf("%s: %w: a sheet over %d MiB is refused", name, ErrInvalid, MaxAttrSheet>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		_, line, _ := InvalidUTF8(data)
		return sh, fmt.Errorf("%s:%d: %w: not UTF-8 text; save the sheet as CSV UTF-8", name, line, ErrInvalid)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return sh, fmt.Errorf("%s: %w: a binary file, not a CSV sheet (a spreadsheet is saved as CSV UTF-8 first)", name, ErrInvalid)
	}
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sheetDelimiter(string(first))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return sh, fmt.Errorf("%s: %w: the sheet is empty; its first line names the columns (document, then attribute keys)", name, ErrInvalid)
	}
	if err != nil {
		return sh, sheetErr(name, err)
	}
	by, ok := firstColumns[strings.ToLower(strings.TrimSpace(header[0]))]
	if !ok {
		return sh, fmt.Errorf("%s:1: %w: the first column is %q; call it document (its rows name documents), participant (the documents of a participant) or case",
			name, ErrInvalid, strings.TrimSpace(header[0]))
	}
	sh.By = by
	if len(header) < 2 {
		return sh, fmt.Errorf("%s:1: %w: no attribute columns after %q", name, ErrInvalid, strings.TrimSpace(header[0]))
	}
	seenKey := map[string]int{}
	for i, h := range header[1:] {
		h = strings.TrimSpace(h)
		if h == "" {
			return sh, fmt.Errorf("%s:1: %w: column %d has no name", name, ErrInvalid, i+2)
		}
		c := SheetColumn{Key: h}
		if j := strings.LastIndex(h, ":"); j > 0 {
			typ := strings.ToLower(strings.TrimSpace(h[j+1:]))
			if !knownType(typ) {
				return sh, fmt.Errorf("%s:1: %w: column %q: unknown type %q (text, integer, float, date, boolean)", name, ErrInvalid, h, typ)
			}
			c = SheetColumn{Key: strings.TrimSpace(h[:j]), Type: typ}
		}
		if err := checkAttribute(c.Key, ""); err != nil {
			return sh, fmt.Errorf("%s:1: %w", name, err)
		}
		if strings.EqualFold(c.Key, header[0]) {
			return sh, fmt.Errorf("%s:1: %w: column %d repeats %q, the column that names the rows", name, ErrInvalid, i+2, c.Key)
		}
		if prev, ok := seenKey[strings.ToLower(c.Key)]; ok {
			return sh, fmt.Errorf("%s:1: %w: columns %d and %d are both %q", name, ErrInvalid, prev, i+2, c.Key)
		}
		seenKey[strings.ToLower(c.Key)] = i + 2
		sh.Columns = append(sh.Columns, c)
	}
	seenRow := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sh, sheetErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for _, c := range rec {
			blank = blank && strings.TrimSpace(c) == ""
		}
		if blank {
			continue
		}
		if len(rec) > len(header) {
			return sh, fmt.Errorf("%s:%d: %w: %d cells, but the header names %d columns", name, line, ErrInvalid, len(rec), len(header))
		}
		if len(sh.Rows) == MaxAttrSheetRows {
			return sh, fmt.Errorf("%s:%d: %w: more than %d rows", name, line, ErrInvalid, MaxAttrSheetRows)
		}
		row := SheetRow{Line: line, Key: strings.TrimSpace(rec[0]), Cells: make([]string, len(sh.Columns))}
		if row.Key == "" {
			return sh, fmt.Errorf("%s:%d: %w: the %s cell is empty", name, line, ErrInvalid, strings.TrimSpace(header[0]))
		}
		if prev, ok := seenRow[strings.ToLower(row.Key)]; ok {
			return sh, fmt.Errorf("%s:%d: %w: %q is on line %d already", name, line, ErrInvalid, row.Key, prev)
		}
		seenRow[strings.ToLower(row.Key)] = line
		for i := range sh.Columns {
			if i+1 < len(rec) {
				v := strings.TrimSpace(rec[i+1])
				if err := checkAttribute(sh.Columns[i].Key, v); err != nil {
					return sh, fmt.Errorf("%s:%d: %w", name, line, err)
				}
				row.Cells[i] = v
			}
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh, nil
}

// knownType reports whether typ is an attribute type.
func knownType(typ string) bool {
	switch typ {
	case TypeText, TypeInteger, TypeFloat, TypeDate, TypeBoolean:
		return true
	}
	return false
}

// sheetDelimiter picks the separator the header line uses most: a comma,
// a semicolon (a spreadsheet in a locale with decimal commas) or a tab.
func sheetDelimiter(header string) rune {
	best, n := ',', strings.Count(header, ",")
	for _, d := range []rune{';', '\t'} {
		if c := strings.Count(header, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// sheetErr names the file and line of a CSV syntax error.
func sheetErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %w: %v", name, pe.Line, ErrInvalid, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// AttrChange is one value an attribute sheet sets: on a document or a
// case (Target), from line Line of the sheet. Old is "" for a new value.
type AttrChange struct {
	Line    int    `json:"line"`
	Target  string `json:"target"`
	Key     string `json:"key"`
	Type    string `json:"type"`
	Old     string `json:"old,omitempty"`
	OldType string `json:"old_type,omitempty"`
	New     string `json:"new"`
}

// AttrImport is what importing a sheet changes: the values set, and how
// many of the sheet's values the project holds already.
type AttrImport struct {
	By        string       `json:"by"`
	Targets   int          `json:"targets"`
	Changes   []AttrChange `json:"changes"`
	Unchanged int          `json:"unchanged"`
}

// ImportAttributes sets the attributes of a sheet (see ParseAttrSheet) on
// the documents or cases its rows name, as one undoable action; with
// dryRun it only says what would change. A row naming no document,
// participant or case, or a value that is not of its column's type, is
// an error naming the sheet's file and line, and nothing changes. A
// column's type is the one its header declares; else the one the key has
// in the project already, every value of the column having to be of it;
// else the narrowest type all its values are of (integer, float, date,
// boolean, else text). Empty cells change nothing.
func (s *Store) ImportAttributes(ctx context.Context, sh AttrSheet, dryRun bool) (AttrImport, Op, error) {
	if dryRun {
		var res AttrImport
		err := s.read(ctx, func(q querier) error {
			var err error
			res, _, err = planSheet(ctx, q, sh)
			return err
		})
		return res, Op{}, mapErr(err)
	}
	var res AttrImport
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		var targets []sheetTarget
		var err error
		res, targets, err = planSheet(ctx, tx, sh)
		if err != nil {
			return err
		}
		if len(res.Changes) == 0 {
			return errNothing
		}
		for _, t := range targets {
			if len(t.set) == 0 {
				continue
			}
			if t.caseID != 0 {
				if err := setCaseAttributes(ctx, tx, t.caseID, t.set); err != nil {
					return err
				}
				continue
			}
			for _, a := range t.set {
				if _, err := tx.ExecContext(ctx, `INSERT INTO attributes (doc_id, key, type, value, position)
					VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), -1) + 1 FROM attributes WHERE doc_id = ?1))
					ON CONFLICT (doc_id, key) DO UPDATE SET type = excluded.type, value = excluded.value`,
					t.docID, a.Key, a.Type, a.Value); err != nil {
					return err
				}
			}
		}
		on := plural(countTargets(res.Changes), "document", "documents")
		if sh.By == ByCase {
			on = plural(countTargets(res.Changes), "case", "cases")
		}
		*label = fmt.Sprintf("import attributes from %s: %s on %s", filepath.Base(sh.File),
			plural(len(res.Changes), "value", "values"), on)
		return nil
	})
	if errors.Is(err, errNothing) {
		return res, Op{}, nil
	}
	return res, op, err
}

// errNothing ends an action that would change nothing, undoing it.
var errNothing = errors.New("nothing to change")

// countTargets counts the documents or cases the changes are on.
func countTargets(cs []AttrChange) int {
	seen := map[string]bool{}
	for _, c := range cs {
		seen[c.Target] = true
	}
	return len(seen)
}

// sheetTarget is a document or case a sheet's row names, and the values
// to set on it.
type sheetTarget struct {
	docID, caseID int64
	set           []Attribute
}

// planSheet matches the rows of sh to documents or cases, types its
// columns and lists the values that would change.
func planSheet(ctx context.Context, q querier, sh AttrSheet) (AttrImport, []sheetTarget, error) {
	res := AttrImport{By: sh.By, Changes: []AttrChange{}}
	type target struct {
		id    int64
		name  string
		attrs map[string]Attribute
	}
	// Who can be named, with their attributes now.
	var all []*target
	byName := map[string][]*target{}
	attrTable, id := "attributes", "doc_id"
	query := `SELECT id, name FROM documents d WHERE d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name) ORDER BY name`
	if sh.By == ByCase {
		attrTable, id = "case_attributes", "case_id"
		query = "SELECT id, name FROM cases ORDER BY name"
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return res, nil, err
	}
	byID := map[int64]*target{}
	for rows.Next() {
		t := &target{attrs: map[string]Attribute{}}
		if err := rows.Scan(&t.id, &t.name); err != nil {
			rows.Close()
			return res, nil, err
		}
		all = append(all, t)
		byID[t.id] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT "+id+", key, type, value FROM "+attrTable)
	if err != nil {
		return res, nil, err
	}
	types := map[string]map[string]int{}
	for rows.Next() {
		var owner int64
		var a Attribute
		if err := rows.Scan(&owner, &a.Key, &a.Type, &a.Value); err != nil {
			rows.Close()
			return res, nil, err
		}
		if types[a.Key] == nil {
			types[a.Key] = map[string]int{}
		}
		types[a.Key][a.Type]++
		if t := byID[owner]; t != nil {
			t.attrs[a.Key] = a
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, nil, err
	}
	for _, t := range all {
		key := strings.ToLower(t.name)
		if sh.By == ByParticipant {
			p, ok := t.attrs["participant"]
			if !ok {
				continue
			}
			key = strings.ToLower(strings.TrimSpace(p.Value))
		}
		byName[key] = append(byName[key], t)
	}

	// The type of each column.
	colType := make([]string, len(sh.Columns))
	for i, c := range sh.Columns {
		typ := c.Type
		why := "the header declares it"
		if typ == "" {
			// The type most of the key's values have, text losing ties.
			n := 0
			for _, t := range []string{TypeInteger, TypeFloat, TypeDate, TypeBoolean, TypeText} {
				if types[c.Key][t] > n {
					typ, n = t, types[c.Key][t]
				}
			}
			if typ != "" {
				why = fmt.Sprintf("%s is %s %s in the project; to change that, name the column %s:text", c.Key, article(typ), typ, c.Key)
			}
		}
		if typ == "" {
			typ = TypeText
			for _, cand := range []string{TypeInteger, TypeFloat, TypeDate, TypeBoolean} {
				fits := true
				for _, r := range sh.Rows {
					if v := r.Cells[i]; v != "" {
						if _, err := CheckType(cand, v); err != nil {
							fits = false
							break
						}
					}
				}
				if fits {
					typ = cand
					break
				}
			}
		}
		for _, r := range sh.Rows {
			if v := r.Cells[i]; v != "" {
				if _, err := CheckType(typ, v); err != nil {
					return res, nil, fmt.Errorf("%s:%d: %w: %s %q is not %s %s (%s)", sh.File, r.Line, ErrInvalid, c.Key, v, article(typ), typ, why)
				}
			}
		}
		colType[i] = typ
	}

	// The values each row sets.
	var out []sheetTarget
	seen := map[*target]int{}
	for _, r := range sh.Rows {
		ts := byName[strings.ToLower(r.Key)]
		if len(ts) == 0 {
			return res, nil, fmt.Errorf("%s:%d: %w: %s", sh.File, r.Line, ErrNotFound, noTarget(sh.By, r.Key))
		}
		for _, t := range ts {
			if prev, ok := seen[t]; ok {
				return res, nil, fmt.Errorf("%s:%d: %w: %s is named on line %d already", sh.File, r.Line, ErrInvalid, t.name, prev)
			}
			seen[t] = r.Line
			st := sheetTarget{docID: t.id}
			if sh.By == ByCase {
				st = sheetTarget{caseID: t.id}
			}
			for i, c := range sh.Columns {
				v := r.Cells[i]
				if v == "" {
					continue
				}
				cv, _ := CheckType(colType[i], v)
				old, had := t.attrs[c.Key]
				if had && old.Value == cv && old.Type == colType[i] {
					res.Unchanged++
					continue
				}
				ch := AttrChange{Line: r.Line, Target: t.name, Key: c.Key, Type: colType[i], New: cv}
				if had {
					ch.Old, ch.OldType = old.Value, old.Type
				}
				res.Changes = append(res.Changes, ch)
				st.set = append(st.set, Attribute{Key: c.Key, Type: colType[i], Value: cv})
			}
			out = append(out, st)
		}
	}
	res.Targets = len(seen)
	sort.SliceStable(res.Changes, func(i, j int) bool { return res.Changes[i].Line < res.Changes[j].Line })
	return res, out, nil
}

// noTarget says that nothing in the project is what a sheet's row names.
func noTarget(by, key string) string {
	switch by {
	case ByParticipant:
		return fmt.Sprintf("no document has participant=%s ('qcode docs' lists the participants)", quoteSafe(key))
	case ByCase:
		return fmt.Sprintf("no case is called %s ('qcode attr table --cases' lists them)", quoteSafe(key))
	}
	return fmt.Sprintf("no document is called %s ('qcode docs' lists them)", quoteSafe(key))
}

// article is "a" or "an" before a type's name.
func article(typ string) string {
	if typ == TypeInteger {
		return "an"
	}
	return "a"
}
