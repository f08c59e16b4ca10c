package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CodebookChanges is what merging another codebook into the project did
// (or, for PreviewCodebook, would do). Paths are the project's, after the
// merge; lists follow the other codebook's tree order.
type CodebookChanges struct {
	// Added are the codes that were new, with the other codebook's GUIDs.
	Added []string `json:"added"`
	// ByGUID and ByPath are the project's codes the other codebook's
	// codes were matched to, by GUID or else by path.
	ByGUID []string `json:"matched_by_guid"`
	ByPath []string `json:"matched_by_path"`
	// Filled are the colours and descriptions that were empty here and
	// were taken from the other codebook.
	Filled []CodebookFill `json:"filled"`
	// Conflicts are the differences left as they are here: a code named,
	// placed, described or coloured otherwise in the other codebook.
	Conflicts []CodebookConflict `json:"conflicts"`
}

// CodebookFill is a field of a code filled from the other codebook.
type CodebookFill struct {
	Path  string `json:"path"`
	Field string `json:"field"` // "colour" or "description"
	Value string `json:"value"`
}

// CodebookConflict is a difference between a code here and the code it
// was matched to in the other codebook; the project keeps its own value.
type CodebookConflict struct {
	Path string `json:"path"`
	// GUID is the other codebook's code.
	GUID string `json:"guid"`
	// Field is "name" (renamed there), "parent" (moved there),
	// "description", "colour", or "guid" (two of its codes matched the
	// same code here).
	Field  string `json:"field"`
	Ours   string `json:"ours"`
	Theirs string `json:"theirs"`
}

// Summary is a one-line account of the changes.
func (c CodebookChanges) Summary() string {
	conflicts := "conflicts"
	if len(c.Conflicts) == 1 {
		conflicts = "conflict"
	}
	return fmt.Sprintf("%d added, %d matched by GUID, %d matched by path, %d filled, %d %s",
		len(c.Added), len(c.ByGUID), len(c.ByPath), len(c.Filled), len(c.Conflicts), conflicts)
}

// MergeCodebook merges codes (another codebook, parents before children)
// into the project as one undoable action: codes are matched by GUID,
// then by path (names compared without case); new codes are added with
// their GUIDs under their parents; nothing is deleted; an empty colour or
// description here is filled from theirs; renames, moves and differing
// descriptions or colours are reported as conflicts and not applied.
func (s *Store) MergeCodebook(ctx context.Context, codes []SnapshotCode) (CodebookChanges, Op, error) {
	codes = s.stamped(codes)
	var ch CodebookChanges
	op, err := s.action(ctx, "import codebook", func(tx *sql.Tx, label *string) error {
		coder, err := s.coderID(ctx, tx, s.coder)
		if err != nil {
			return err
		}
		_, ch, err = mergeCodes(ctx, tx, codes, coder)
		*label = "import codebook: " + ch.Summary()
		return err
	})
	if err != nil {
		return CodebookChanges{}, Op{}, err
	}
	return ch, op, nil
}

// PreviewCodebook reports what MergeCodebook would change, changing
// nothing.
func (s *Store) PreviewCodebook(ctx context.Context, codes []SnapshotCode) (CodebookChanges, error) {
	codes = s.stamped(codes)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return CodebookChanges{}, mapErr(err)
	}
	defer tx.Rollback()
	coder, err := s.coderID(ctx, tx, s.coder)
	if err != nil {
		return CodebookChanges{}, mapErr(err)
	}
	_, ch, err := mergeCodes(ctx, tx, codes, coder)
	if err != nil {
		return CodebookChanges{}, mapErr(err)
	}
	return ch, nil
}

// stamped gives codes without a creation time the store's clock.
func (s *Store) stamped(codes []SnapshotCode) []SnapshotCode {
	out := make([]SnapshotCode, len(codes))
	copy(out, codes)
	now := s.now().UTC().Truncate(time.Second)
	for i := range out {
		if out[i].CreatedAt.IsZero() {
			out[i].CreatedAt = now
		}
	}
	return out
}

// mergeCodes merges codes (another codebook: every ParentGUID is "" or
// the GUID of another of them) into the codebook in tx and returns the
// project's code id for each of their GUIDs (as given), with what changed.
// A code is matched by GUID (without case or braces), else by its name under the
// code its parent was matched to (without case, as the sibling index
// compares); an unmatched code is added with its GUID, created by coderID
// at its CreatedAt (or the time of the running action). Nothing is
// deleted, renamed or moved; empty colours and descriptions are filled.
// Names that differ only in case are the same name, as for the sibling
// index. It is shared by MergeCodebook and the merge of whole projects.
func mergeCodes(ctx context.Context, tx *sql.Tx, codes []SnapshotCode, coderID int64) (map[string]int64, CodebookChanges, error) {
	ch := CodebookChanges{Added: []string{}, ByGUID: []string{}, ByPath: []string{}, Filled: []CodebookFill{}, Conflicts: []CodebookConflict{}}
	order, err := mergeOrder(codes)
	if err != nil {
		return nil, ch, err
	}
	ours, err := loadCodebook(ctx, tx, false)
	if err != nil {
		return nil, ch, err
	}
	type node struct {
		id, parent         int64
		guid, name, path   string
		color, description string
	}
	byID := map[int64]*node{}
	byGUID := map[string]*node{}
	for _, c := range ours {
		n := &node{id: c.ID, parent: c.ParentID, guid: c.GUID, name: c.Name, path: c.Path, color: c.Color, description: c.Description}
		byID[c.ID] = n
		byGUID[guidKey(c.GUID)] = n
	}
	// bySibling finds a code by its parent and its name without case; the
	// first in tree order wins.
	type sibKey struct {
		parent int64
		name   string
	}
	bySibling := map[sibKey]*node{}
	for _, c := range ours {
		k := sibKey{c.ParentID, strings.ToLower(c.Name)}
		if bySibling[k] == nil {
			bySibling[k] = byID[c.ID]
		}
	}
	sibling := func(parent int64, name string) *node {
		return bySibling[sibKey{parent, strings.ToLower(name)}]
	}
	pathOf := func(id int64) string {
		if id == 0 {
			return ""
		}
		return byID[id].path
	}

	// Pass 1: GUIDs, so that a path match never takes a code that one of
	// theirs names by GUID.
	matched := map[string]*node{} // their GUID -> ours
	claimed := map[int64]string{} // our id -> their GUID
	for _, i := range order {
		c := codes[i]
		if n := byGUID[guidKey(c.GUID)]; n != nil {
			matched[c.GUID] = n
			claimed[n.id] = c.GUID
		}
	}

	stamp := ""
	ids := make(map[string]int64, len(codes))
	for _, i := range order {
		c := codes[i]
		name, err := checkCodeName(c.Name)
		if err != nil {
			return nil, ch, fmt.Errorf("code %s: %w", c.GUID, err)
		}
		color := ""
		if c.Color != "" {
			if color, err = NormalizeColor(c.Color); err != nil {
				return nil, ch, fmt.Errorf("code %s: %w", name, err)
			}
		}
		var parent int64
		if c.ParentGUID != "" {
			parent = ids[c.ParentGUID]
		}
		n, how := matched[c.GUID], "guid"
		if n == nil {
			how = "path"
			n = sibling(parent, name)
			if n != nil {
				if other, ok := claimed[n.id]; ok {
					ch.Conflicts = append(ch.Conflicts, CodebookConflict{Path: n.path, GUID: c.GUID, Field: "guid", Ours: other, Theirs: c.GUID})
				}
				claimed[n.id] = c.GUID
			}
		}
		if n == nil {
			guid := guidKey(c.GUID)
			at := ""
			if !c.CreatedAt.IsZero() {
				at = c.CreatedAt.UTC().Format(stampLayout)
			} else {
				if stamp == "" {
					if stamp, err = actionStamp(ctx, tx); err != nil {
						return nil, ch, err
					}
				}
				at = stamp
			}
			var p, by any
			if parent != 0 {
				p = parent
			}
			if coderID != 0 {
				by = coderID
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO codes (guid, parent_id, name, color, description, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, guid, p, name, color, c.Description, at, by)
			if err != nil {
				if isConstraint(err) {
					return nil, ch, fmt.Errorf("%w: code %s (%s) clashes with a code in the project", ErrConflict, name, c.GUID)
				}
				return nil, ch, err
			}
			id, _ := r.LastInsertId()
			path := name
			if parent != 0 {
				path = pathOf(parent) + "/" + name
			}
			n = &node{id: id, parent: parent, guid: guid, name: name, path: path, color: color, description: c.Description}
			byID[id] = n
			byGUID[guid] = n
			bySibling[sibKey{parent, strings.ToLower(name)}] = n
			claimed[id] = c.GUID
			ids[c.GUID] = id
			ch.Added = append(ch.Added, path)
			continue
		}
		ids[c.GUID] = n.id
		if how == "guid" {
			ch.ByGUID = append(ch.ByGUID, n.path)
		} else {
			ch.ByPath = append(ch.ByPath, n.path)
		}
		if !strings.EqualFold(n.name, name) {
			ch.Conflicts = append(ch.Conflicts, CodebookConflict{Path: n.path, GUID: c.GUID, Field: "name", Ours: n.name, Theirs: name})
		}
		if n.parent != parent {
			ch.Conflicts = append(ch.Conflicts, CodebookConflict{Path: n.path, GUID: c.GUID, Field: "parent", Ours: pathOf(n.parent), Theirs: pathOf(parent)})
		}
		switch {
		case c.Description == "" || c.Description == n.description:
		case n.description == "":
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET description = ? WHERE id = ?", c.Description, n.id); err != nil {
				return nil, ch, err
			}
			n.description = c.Description
			ch.Filled = append(ch.Filled, CodebookFill{Path: n.path, Field: "description", Value: c.Description})
		default:
			ch.Conflicts = append(ch.Conflicts, CodebookConflict{Path: n.path, GUID: c.GUID, Field: "description", Ours: n.description, Theirs: c.Description})
		}
		switch {
		case color == "" || strings.EqualFold(color, n.color):
		case n.color == "":
			if _, err := tx.ExecContext(ctx, "UPDATE codes SET color = ? WHERE id = ?", color, n.id); err != nil {
				return nil, ch, err
			}
			n.color = color
			ch.Filled = append(ch.Filled, CodebookFill{Path: n.path, Field: "colour", Value: color})
		default:
			ch.Conflicts = append(ch.Conflicts, CodebookConflict{Path: n.path, GUID: c.GUID, Field: "colour", Ours: n.color, Theirs: color})
		}
	}
	return ids, ch, nil
}

// mergeOrder checks codes (unique GUIDs, known parents, no cycles) and
// returns their indexes in the order given, except that a parent comes
// before its children.
func mergeOrder(codes []SnapshotCode) ([]int, error) {
	at := make(map[string]int, len(codes))
	for i, c := range codes {
		if c.GUID == "" {
			return nil, fmt.Errorf("%w: code %q has no GUID", ErrInvalid, c.Name)
		}
		if j, ok := at[c.GUID]; ok {
			return nil, fmt.Errorf("%w: codes %q and %q have the same GUID %s", ErrInvalid, codes[j].Name, c.Name, c.GUID)
		}
		at[c.GUID] = i
	}
	for _, c := range codes {
		d := 0
		for up := c.ParentGUID; up != ""; up = codes[at[up]].ParentGUID {
			if _, ok := at[up]; !ok {
				return nil, fmt.Errorf("%w: code %q: its parent %s is not in the codebook", ErrInvalid, c.Name, up)
			}
			if d++; d > len(codes) {
				return nil, fmt.Errorf("%w: code %q is its own ancestor", ErrInvalid, c.Name)
			}
		}
	}
	// Each code in the given order, after any of its ancestors not yet
	// placed.
	order := make([]int, 0, len(codes))
	placed := make([]bool, len(codes))
	var place func(i int)
	place = func(i int) {
		if placed[i] {
			return
		}
		if p := codes[i].ParentGUID; p != "" {
			place(at[p])
		}
		placed[i] = true
		order = append(order, i)
	}
	for i := range codes {
		place(i)
	}
	return order, nil
}

// guidKey is a GUID as compared and stored: lower-case, without braces.
func guidKey(g string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(g), "{"), "}"))
}

// actionStamp is the time of the action running in tx, or now when none
// is.
func actionStamp(ctx context.Context, tx *sql.Tx) (string, error) {
	var at string
	err := tx.QueryRowContext(ctx, "SELECT o.at FROM ops o JOIN op_state s ON s.op_id = o.id").Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Now().UTC().Format(stampLayout), nil
	}
	return at, err
}
