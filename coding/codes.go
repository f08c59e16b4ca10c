package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// palette gives new codes a distinct colour when none is chosen.
var palette = []string{
	"#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
	"#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
}

var colorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// NormalizeColor checks a #RRGGBB colour and returns it upper-cased.
func NormalizeColor(c string) (string, error) {
	if !colorRE.MatchString(c) {
		return "", fmt.Errorf("%w: colour %q: want #RRGGBB", ErrInvalid, c)
	}
	return strings.ToUpper(c), nil
}

// IsHiddenControl reports whether a name must not hold r: a control
// character, which a terminal acts on rather than shows; a bidirectional
// embedding, override or isolate, which reverses the text shown around
// it; or another invisible format character (U+200B and the rest of
// Unicode's Cf), which makes two names look alike.
func IsHiddenControl(r rune) bool {
	return unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || unicode.Is(unicode.Cf, r)
}

// checkCoderName refuses a coder's name that is blank, too long or holds
// a hidden control character (see CheckCoderName).
func checkCoderName(name string) error { return CheckCoderName(name) }

func checkCodeName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", fmt.Errorf("%w: empty code name", ErrInvalid)
	}
	if err := checkText("code name", name, MaxCodeName); err != nil {
		return "", err
	}
	if strings.Contains(name, "/") {
		return "", fmt.Errorf("%w: code name %q: '/' separates a parent from a child", ErrInvalid, name)
	}
	return name, nil
}

// SplitPath splits a code path "Parent/Child" into its names.
func SplitPath(path string) []string {
	parts := strings.Split(path, "/")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type codeRow struct {
	id     int64
	parent int64
	name   string
}

// loadCodes reads the codebook into memory (it is small).
func loadCodes(ctx context.Context, q querier) ([]Code, error) {
	return loadCodebook(ctx, q, true)
}

// loadCodebook reads the codebook, with the counts of codings and
// documents when counts is set (they cost a scan of the codings).
func loadCodebook(ctx context.Context, q querier, counts bool) ([]Code, error) {
	cols := "0, 0"
	if counts {
		cols = `(SELECT count(*) FROM codings g WHERE g.code_id = c.id),
		(SELECT count(DISTINCT doc_id) FROM codings g WHERE g.code_id = c.id)`
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.guid, coalesce(c.parent_id, 0), c.name, c.color, c.description, c.created_at,
		`+cols+` FROM codes c`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var codes []Code
	for rows.Next() {
		var c Code
		var at string
		if err := rows.Scan(&c.ID, &c.GUID, &c.ParentID, &c.Name, &c.Color, &c.Description, &at, &c.Codings, &c.Documents); err != nil {
			return nil, mapErr(err)
		}
		c.CreatedAt = parseStamp(at)
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	return treeOrder(codes), nil
}

// treeOrder sorts codes depth first, siblings by name, and fills Path and
// Depth.
func treeOrder(codes []Code) []Code {
	kids := map[int64][]int{}
	for i, c := range codes {
		kids[c.ParentID] = append(kids[c.ParentID], i)
	}
	for _, k := range kids {
		sort.Slice(k, func(a, b int) bool {
			na, nb := strings.ToLower(codes[k[a]].Name), strings.ToLower(codes[k[b]].Name)
			if na != nb {
				return na < nb
			}
			return codes[k[a]].ID < codes[k[b]].ID
		})
	}
	out := make([]Code, 0, len(codes))
	var walk func(parent int64, prefix string, depth int)
	walk = func(parent int64, prefix string, depth int) {
		for _, i := range kids[parent] {
			c := codes[i]
			c.Path = prefix + c.Name
			c.Depth = depth
			out = append(out, c)
			walk(c.ID, c.Path+"/", depth+1)
		}
	}
	walk(0, "", 0)
	return out
}

// Codes returns the codebook in tree order (depth first, siblings by name)
// with each code's counts.
func (s *Store) Codes(ctx context.Context) ([]Code, error) {
	return loadCodes(ctx, s.db)
}

// CodeTree returns the codebook in tree order without the counts, which
// cost a scan of the codings: for lookups on hot paths.
func (s *Store) CodeTree(ctx context.Context) ([]Code, error) {
	return loadCodebook(ctx, s.db, false)
}

// FindCode finds a code in a codebook as Code does in the store.
func FindCode(codes []Code, ref string) (Code, error) {
	i, err := findCode(codes, ref)
	if err != nil {
		return Code{}, err
	}
	return codes[i], nil
}

// Code finds a code by path ("Parent/Child"), by name when the name is
// unique in the codebook, or by id.
func (s *Store) Code(ctx context.Context, ref string) (Code, error) {
	codes, err := loadCodes(ctx, s.db)
	if err != nil {
		return Code{}, err
	}
	i, err := findCode(codes, ref)
	if err != nil {
		return Code{}, err
	}
	return codes[i], nil
}

func findCode(codes []Code, ref string) (int, error) {
	ref = strings.TrimSpace(ref)
	path := strings.Join(SplitPath(ref), "/")
	for i, c := range codes {
		if c.Path == path {
			return i, nil
		}
	}
	for i, c := range codes {
		if strings.EqualFold(c.Path, path) {
			return i, nil
		}
	}
	var named []int
	for i, c := range codes {
		if strings.EqualFold(c.Name, path) {
			named = append(named, i)
		}
	}
	if len(named) == 1 {
		return named[0], nil
	}
	if len(named) > 1 {
		var paths []string
		for _, i := range named {
			paths = append(paths, codes[i].Path)
		}
		return 0, fmt.Errorf("%w: code %q is ambiguous: %s", ErrInvalid, ref, strings.Join(paths, ", "))
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		for i, c := range codes {
			if c.ID == id {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("code %q: %w (see 'qcode codes')", ref, ErrNotFound)
}

// resolveCodeQuick finds a code's id and path without loading the
// codebook when ref is a name that only one code has; otherwise it falls
// back to resolveCode. It is the hot path of tagging.
func resolveCodeQuick(ctx context.Context, q querier, ref string) (Code, error) {
	name := strings.TrimSpace(ref)
	if !strings.Contains(name, "/") && name != "" {
		rows, err := q.QueryContext(ctx, "SELECT id FROM codes WHERE name = ? COLLATE NOCASE LIMIT 2", name)
		if err != nil {
			return Code{}, err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return Code{}, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 1 {
			var path string
			err := q.QueryRowContext(ctx, `WITH RECURSIVE up (id, parent_id, name, depth) AS (
				SELECT id, parent_id, name, 0 FROM codes WHERE id = ?
				UNION ALL SELECT c.id, c.parent_id, c.name, up.depth + 1 FROM codes c JOIN up ON c.id = up.parent_id)
				SELECT group_concat(name, '/') FROM (SELECT name FROM up ORDER BY depth DESC)`, ids[0]).Scan(&path)
			return Code{ID: ids[0], Name: name, Path: path}, err
		}
	}
	c, _, err := resolveCode(ctx, q, ref)
	return c, err
}

func resolveCode(ctx context.Context, q querier, ref string) (Code, []Code, error) {
	codes, err := loadCodebook(ctx, q, false)
	if err != nil {
		return Code{}, nil, err
	}
	i, err := findCode(codes, ref)
	if err != nil {
		return Code{}, nil, err
	}
	return codes[i], codes, nil
}

// NewCode describes a code to add.
type NewCode struct {
	// Path is the code's name, or Parent/Child; missing parents are made.
	Path string
	// Parent, when set, names the code to add under.
	Parent      string
	Color       string
	Description string
}

// AddCode adds a code to the codebook as one undoable action and returns
// it. It fails with ErrConflict when a sibling has the same name.
func (s *Store) AddCode(ctx context.Context, nc NewCode) (Code, Op, error) {
	names := SplitPath(nc.Path)
	if len(names) == 0 {
		return Code{}, Op{}, fmt.Errorf("%w: empty code name", ErrInvalid)
	}
	for i, n := range names {
		var err error
		if names[i], err = checkCodeName(n); err != nil {
			return Code{}, Op{}, err
		}
	}
	color := ""
	if nc.Color != "" {
		var err error
		if color, err = NormalizeColor(nc.Color); err != nil {
			return Code{}, Op{}, err
		}
	}
	var id int64
	op, err := s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		codes, err := loadCodebook(ctx, tx, false)
		if err != nil {
			return err
		}
		var parent int64
		prefix := ""
		if nc.Parent != "" {
			i, err := findCode(codes, nc.Parent)
			if err != nil {
				return err
			}
			parent = codes[i].ID
			prefix = codes[i].Path + "/"
		}
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		n := len(codes)
		for i, name := range names {
			last := i == len(names)-1
			var existing int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM codes WHERE ifnull(parent_id, 0) = ? AND name = ? COLLATE NOCASE",
				parent, name).Scan(&existing)
			if err == nil {
				if last {
					return fmt.Errorf("%w: code %q already exists", ErrConflict, prefix+name)
				}
				parent = existing
				prefix += name + "/"
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			c, desc := palette[n%len(palette)], ""
			n++
			if last {
				desc = nc.Description
				if color != "" {
					c = color
				}
			}
			var p any
			if parent != 0 {
				p = parent
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO codes (guid, parent_id, name, color, description, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, newGUID(), p, name, c, desc, s.stamp(), coder)
			if err != nil {
				return err
			}
			parent, _ = r.LastInsertId()
			prefix += name + "/"
		}
		id = parent
		*label = "add code " + strings.TrimSuffix(prefix, "/")
		return nil
	})
	if err != nil {
		return Code{}, Op{}, err
	}
	c, err := s.Code(ctx, strconv.FormatInt(id, 10))
	return c, op, err
}

// RenameCode gives a code a new name.
func (s *Store) RenameCode(ctx context.Context, ref, name string) (Op, error) {
	name, err := checkCodeName(name)
	if err != nil {
		return Op{}, err
	}
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		c, _, err := resolveCode(ctx, tx, ref)
		if err != nil {
			return err
		}
		*label = fmt.Sprintf("rename code %s to %s", c.Path, name)
		_, err = tx.ExecContext(ctx, "UPDATE codes SET name = ? WHERE id = ?", name, c.ID)
		if isConstraint(err) {
			return fmt.Errorf("%w: a sibling of %s is already called %q", ErrConflict, c.Path, name)
		}
		return err
	})
}

// UpdateCode changes a code's colour and/or description; nil leaves a
// field as it is.
func (s *Store) UpdateCode(ctx context.Context, ref string, color, description *string) (Op, error) {
	if color != nil {
		c, err := NormalizeColor(*color)
		if err != nil {
			return Op{}, err
		}
		color = &c
	}
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		c, _, err := resolveCode(ctx, tx, ref)
		if err != nil {
			return err
		}
		*label = "edit code " + c.Path
		if color != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET color = ? WHERE id = ?", *color, c.ID); err != nil {
				return err
			}
		}
		if description != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET description = ? WHERE id = ?", *description, c.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// MoveCode puts a code under a new parent; an empty parent makes it a
// top-level code. A code cannot move under itself or its descendants.
func (s *Store) MoveCode(ctx context.Context, ref, parentRef string) (Op, error) {
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		c, codes, err := resolveCode(ctx, tx, ref)
		if err != nil {
			return err
		}
		var parent any
		dest := "top level"
		if parentRef != "" {
			i, err := findCode(codes, parentRef)
			if err != nil {
				return err
			}
			p := codes[i]
			if p.ID == c.ID || strings.HasPrefix(p.Path+"/", c.Path+"/") {
				return fmt.Errorf("%w: cannot move %s under itself", ErrInvalid, c.Path)
			}
			parent = p.ID
			dest = p.Path
		}
		*label = fmt.Sprintf("move code %s to %s", c.Path, dest)
		_, err = tx.ExecContext(ctx, "UPDATE codes SET parent_id = ? WHERE id = ?", parent, c.ID)
		if isConstraint(err) {
			return fmt.Errorf("%w: %s already has a code called %q", ErrConflict, dest, c.Name)
		}
		return err
	})
}

// MergeCode moves every coding, sub-code and memo of from onto into and
// deletes from. Codings that would duplicate one already on into are
// dropped.
func (s *Store) MergeCode(ctx context.Context, fromRef, intoRef string) (Op, error) {
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		from, codes, err := resolveCode(ctx, tx, fromRef)
		if err != nil {
			return err
		}
		i, err := findCode(codes, intoRef)
		if err != nil {
			return err
		}
		into := codes[i]
		if into.ID == from.ID || strings.HasPrefix(into.Path+"/", from.Path+"/") {
			return fmt.Errorf("%w: cannot merge %s into itself or its sub-code", ErrInvalid, from.Path)
		}
		*label = fmt.Sprintf("merge code %s into %s", from.Path, into.Path)
		stmts := []string{
			// Drop what would duplicate a coding already on into.
			`DELETE FROM memos WHERE target = 'coding' AND target_id IN (
				SELECT f.id FROM codings f JOIN codings t ON t.code_id = ?2 AND t.doc_id = f.doc_id
				AND t.coder_id = f.coder_id AND t.start = f.start AND t.end = f.end WHERE f.code_id = ?1)`,
			`DELETE FROM codings WHERE id IN (
				SELECT f.id FROM codings f JOIN codings t ON t.code_id = ?2 AND t.doc_id = f.doc_id
				AND t.coder_id = f.coder_id AND t.start = f.start AND t.end = f.end WHERE f.code_id = ?1)`,
			`UPDATE codings SET code_id = ?2 WHERE code_id = ?1`,
			`UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1`,
			`UPDATE memos SET target_id = ?2 WHERE target = 'code' AND target_id = ?1`,
			`DELETE FROM codes WHERE id = ?1`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, from.ID, into.ID); err != nil {
				if isConstraint(err) {
					return fmt.Errorf("%w: a sub-code of %s has the name of one of %s", ErrConflict, from.Path, into.Path)
				}
				return err
			}
		}
		return nil
	})
}

// DeleteCode removes a code. While the code or its sub-codes have codings,
// or it has sub-codes, it refuses with ErrConflict saying how many, unless
// force is set; then the sub-codes, codings and their memos go too.
func (s *Store) DeleteCode(ctx context.Context, ref string, force bool) (Op, error) {
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		c, codes, err := resolveCode(ctx, tx, ref)
		if err != nil {
			return err
		}
		var subtree []int64
		for _, x := range codes {
			if x.ID == c.ID || strings.HasPrefix(x.Path, c.Path+"/") {
				subtree = append(subtree, x.ID)
			}
		}
		ids := joinIDs(subtree)
		var ncodings, ndocs int
		if err := tx.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT doc_id) FROM codings WHERE code_id IN ("+ids+")").
			Scan(&ncodings, &ndocs); err != nil {
			return err
		}
		if (ncodings > 0 || len(subtree) > 1) && !force {
			return fmt.Errorf("%w: code %s has %s in %s and %s; use --force to delete them too",
				ErrConflict, c.Path, plural(ncodings, "coding", "codings"), plural(ndocs, "document", "documents"),
				plural(len(subtree)-1, "sub-code", "sub-codes"))
		}
		*label = fmt.Sprintf("delete code %s (%s)", c.Path, plural(ncodings, "coding", "codings"))
		stmts := []string{
			"DELETE FROM memos WHERE target = 'coding' AND target_id IN (SELECT id FROM codings WHERE code_id IN (" + ids + "))",
			"DELETE FROM codings WHERE code_id IN (" + ids + ")",
			"DELETE FROM memos WHERE target = 'code' AND target_id IN (" + ids + ")",
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		// Children before parents, so the parent key always holds.
		for i := len(subtree) - 1; i >= 0; i-- {
			if _, err := tx.ExecContext(ctx, "DELETE FROM codes WHERE id = ?", subtree[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func isConstraint(err error) bool {
	return err != nil && errors.Is(mapErr(err), ErrConflict)
}
