package coding

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
	"golang.org/x/text/unicode/norm"

	"github.com/qcode-dev/qcode/transcripts"
)

// How a new version of a document is aligned with the old one.
//
// The old and new texts are diffed over code points (runes) with
// diffmatchpatch, then DiffCleanupSemantic drops coincidental one-letter
// matches, so a rewritten sentence is one replacement and not a scatter
// of letters that happen to agree. A diff is always a correct account of
// the two texts (its equal parts are equal); what a time limit can cost is
// precision: diffmatchpatch gives up on a subproblem at its deadline and
// reports it as one big replacement, which would change or orphan codings
// that did not need it. So the character diff gets AlignTimeout; when it
// runs out, the result is thrown away and the texts are aligned line by
// line first (fast: one symbol per line) and then character by character
// inside each replaced run of lines, both with no time limit. The report
// says which way was taken (Aligned).

// AlignTimeout bounds the first, whole-text character diff before the
// line-then-character fallback takes over.
var AlignTimeout = 2 * time.Second

// Alignment methods, as CarryReport.Aligned gives them.
const (
	AlignChars     = "chars"
	AlignLines     = "lines+chars"
	AlignUnchanged = "unchanged"
)

// seg is a run of code points the old and new texts share: old[o:o+l]
// equals new[n:n+l].
type seg struct{ o, n, l int }

// alignment maps positions of an old text to a new one.
type alignment struct {
	segs         []seg // in order, disjoint, non-empty
	oldN, newN   int   // lengths in code points
	method       string
	oldRs, newRs []rune
	// oldStr and newStr are the texts, kept once relocate needs them.
	oldStr, newStr string
	// replaced is set when every change is a replacement that stands for
	// what it replaced (pseudonyms): a span wholly inside one is carried
	// to the whole replacement instead of being orphaned.
	replaced bool
}

// align diffs old against new (see the comment above).
func align(old, new string) *alignment {
	a := &alignment{oldRs: []rune(old), newRs: []rune(new)}
	a.oldN, a.newN = len(a.oldRs), len(a.newRs)
	if old == new {
		a.method = AlignUnchanged
		if a.oldN > 0 {
			a.segs = []seg{{0, 0, a.oldN}}
		}
		return a
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = AlignTimeout
	began := time.Now()
	diffs := dmp.DiffMainRunes(a.oldRs, a.newRs, false)
	a.method = AlignChars
	if AlignTimeout > 0 && time.Since(began) >= AlignTimeout {
		diffs = alignLines(old, new)
		a.method = AlignLines
	}
	diffs = dmp.DiffCleanupSemantic(diffs)
	a.segs = segments(diffs)
	return a
}

// alignLines diffs by lines, then by characters inside each run of
// replaced lines, with no time limit.
func alignLines(old, new string) []diffmatchpatch.Diff {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	l1, l2, lines := dmp.DiffLinesToRunes(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(l1, l2, false), lines)
	var out []diffmatchpatch.Diff
	var del, ins strings.Builder
	flush := func() {
		switch {
		case del.Len() > 0 && ins.Len() > 0:
			out = append(out, dmp.DiffMainRunes([]rune(del.String()), []rune(ins.String()), false)...)
		case del.Len() > 0:
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffDelete, Text: del.String()})
		case ins.Len() > 0:
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffInsert, Text: ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			del.WriteString(d.Text)
		case diffmatchpatch.DiffInsert:
			ins.WriteString(d.Text)
		default:
			flush()
			out = append(out, d)
		}
	}
	flush()
	return out
}

// segments lists the equal runs of a diff with their positions.
func segments(diffs []diffmatchpatch.Diff) []seg {
	var out []seg
	o, n := 0, 0
	for _, d := range diffs {
		l := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			if l > 0 {
				if k := len(out) - 1; k >= 0 && out[k].o+out[k].l == o && out[k].n+out[k].l == n {
					out[k].l += l
				} else {
					out = append(out, seg{o, n, l})
				}
			}
			o += l
			n += l
		case diffmatchpatch.DiffDelete:
			o += l
		case diffmatchpatch.DiffInsert:
			n += l
		}
	}
	return out
}

// segAt returns the index of the first segment that ends after old
// position p (len(segs) when none does).
func (a *alignment) segAt(p int) int {
	return sort.Search(len(a.segs), func(i int) bool { return a.segs[i].o+a.segs[i].l > p })
}

// start maps the start of a span: a kept character to where it is now,
// a deleted one to the start of what replaced it. Text inserted right
// before a kept character is left outside the span.
func (a *alignment) start(p int) int {
	i := a.segAt(p)
	if i < len(a.segs) && a.segs[i].o <= p {
		return a.segs[i].n + p - a.segs[i].o
	}
	if i == 0 {
		return 0
	}
	s := a.segs[i-1]
	return s.n + s.l
}

// end maps the end of a span (exclusive) by its last character: a kept
// one to just after where it is now, a deleted one to the end of what
// replaced it. Text inserted right after a kept character is left out.
func (a *alignment) end(p int) int {
	if p <= 0 {
		return 0
	}
	i := a.segAt(p - 1)
	if i < len(a.segs) && a.segs[i].o <= p-1 {
		return a.segs[i].n + p - a.segs[i].o
	}
	if i < len(a.segs) {
		return a.segs[i].n
	}
	return a.newN
}

// survives reports whether any character of the old span [s, e) is in
// the new text.
func (a *alignment) survives(s, e int) bool {
	i := a.segAt(s)
	return i < len(a.segs) && a.segs[i].o < e
}

// Carry statuses.
const (
	CarryMoved    = "moved"
	CarryChanged  = "changed"
	CarryOrphaned = "orphaned"
)

// spanCarry is where one old span goes.
type spanCarry struct {
	status   string
	to       Span
	old, new string
	note     string
}

// carrySpan maps the old span [s, e): moved when its text is the same
// in the new version, changed when an edit falls inside it (its ends are
// mapped), orphaned when none of its text is left. An orphan whose text
// occurs exactly once in the new version, entirely in new text (a moved
// paragraph), is moved there.
func (a *alignment) carrySpan(s, e int) spanCarry {
	old := string(a.oldRs[s:e])
	if !a.survives(s, e) && a.replaced {
		if ns, ne := a.start(s), a.end(e); ne > ns {
			return spanCarry{status: CarryChanged, to: Span{ns, ne}, old: old, new: string(a.newRs[ns:ne])}
		}
	}
	if !a.survives(s, e) {
		if sp, ok := a.relocate(old); ok {
			return spanCarry{status: CarryMoved, to: sp, old: old, new: old, note: "found again elsewhere"}
		}
		return spanCarry{status: CarryOrphaned, old: old, note: "its text is gone"}
	}
	ns, ne := a.start(s), a.end(e)
	nt := string(a.newRs[ns:ne])
	st := CarryMoved
	if nt != old {
		st = CarryChanged
	}
	return spanCarry{status: st, to: Span{ns, ne}, old: old, new: nt}
}

// relocateMin is the shortest text an orphan is looked for elsewhere
// with: a word or two may occur anywhere by chance.
const relocateMin = 12

// relocate finds where text went when none of it is left in place: a
// moved paragraph is a deletion and an insertion to the diff. Only text
// found exactly once in the old version (the span itself) and exactly
// once in the new one is taken: then it is the same passage.
func (a *alignment) relocate(text string) (Span, bool) {
	if utf8.RuneCountInString(text) < relocateMin || strings.TrimSpace(text) == "" {
		return Span{}, false
	}
	if a.oldStr == "" {
		a.oldStr, a.newStr = string(a.oldRs), string(a.newRs)
	}
	if strings.Count(a.oldStr, text) != 1 || strings.Count(a.newStr, text) != 1 {
		return Span{}, false
	}
	i := strings.Index(a.newStr, text)
	ns := utf8.RuneCountInString(a.newStr[:i])
	return Span{ns, ns + utf8.RuneCountInString(text)}, true
}

// CarriedSpan is a coding a new version changed or left behind.
type CarriedSpan struct {
	CodingID int64  `json:"coding_id"`
	Code     string `json:"code"`
	Coder    string `json:"coder"`
	From     Span   `json:"from"`
	// To is where the coding is in the new version; nil for an orphan.
	To      *Span  `json:"to,omitempty"`
	OldText string `json:"old_text"`
	NewText string `json:"new_text,omitempty"`
	Note    string `json:"note,omitempty"`
}

// CarryReport says what a new version did with the old one's codings,
// memos and times.
type CarryReport struct {
	Document    string `json:"document"`
	FromVersion int    `json:"from_version"`
	ToVersion   int    `json:"to_version"`
	Moved       int    `json:"moved"`
	Changed     int    `json:"changed"`
	Orphaned    int    `json:"orphaned"`
	// Memos counts the memos on the document that moved to the new version.
	Memos int `json:"memos"`
	// Times counts the time anchors and turn times carried by position
	// (only when the new text gives none of its own).
	Times int `json:"times,omitempty"`
	// Aligned is how the texts were aligned: "chars", or "lines+chars"
	// when the whole-text character diff ran out of time.
	Aligned      string        `json:"aligned"`
	ChangedSpans []CarriedSpan `json:"changed_spans"`
	Orphans      []CarriedSpan `json:"orphans"`
	DryRun       bool          `json:"dry_run,omitempty"`
}

// Summary is the report in one line: "14 codings moved, 2 changed, 1
// orphaned".
func (r *CarryReport) Summary() string {
	return fmt.Sprintf("%s moved, %d changed, %d orphaned", plural(r.Moved, "coding", "codings"), r.Changed, r.Orphaned)
}

type carryCoding struct {
	id             int64
	guid           string
	codeID, coder  int64
	code, coderNm  string
	start, end     int
	to             spanCarry
	collidesWithID int64
}

// carry moves what hangs on version from (id) to version to (id) of a
// document inside tx: codings (updated in place, each recorded in
// carried), memos on the document, and — when the new version's text
// gives no times — time anchors and turn times by position.
func (s *Store) carry(ctx context.Context, tx *sql.Tx, from, to int64) (*CarryReport, error) {
	return s.carryAligned(ctx, tx, from, to, nil)
}

// carryAligned is carry with the alignment given (nil: diff the texts).
func (s *Store) carryAligned(ctx context.Context, tx *sql.Tx, from, to int64, al *alignment) (*CarryReport, error) {
	rep := &CarryReport{ChangedSpans: []CarriedSpan{}, Orphans: []CarriedSpan{}}
	var oldText, newText string
	if err := tx.QueryRowContext(ctx, "SELECT name, version, text FROM documents WHERE id = ?", from).Scan(&rep.Document, &rep.FromVersion, &oldText); err != nil {
		return nil, fmt.Errorf("carry: old version: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT version, text FROM documents WHERE id = ?", to).Scan(&rep.ToVersion, &newText); err != nil {
		return nil, fmt.Errorf("carry: new version: %w", err)
	}
	if al == nil {
		al = align(oldText, newText)
	}
	rep.Aligned = al.method

	rows, err := tx.QueryContext(ctx, `SELECT g.id, g.guid, g.code_id, g.coder_id, g.start, g.end, c.name
		FROM codings g JOIN coders c ON c.id = g.coder_id WHERE g.doc_id = ? ORDER BY g.start, g.end, g.id`, from)
	if err != nil {
		return nil, fmt.Errorf("carry: codings: %w", err)
	}
	var cs []*carryCoding
	for rows.Next() {
		c := &carryCoding{}
		if err := rows.Scan(&c.id, &c.guid, &c.codeID, &c.coder, &c.start, &c.end, &c.coderNm); err != nil {
			rows.Close()
			return nil, fmt.Errorf("carry: codings: %w", err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("carry: codings: %w", err)
	}
	codes, err := loadCodebook(ctx, tx, false)
	if err != nil {
		return nil, fmt.Errorf("carry: codebook: %w", err)
	}
	paths := make(map[int64]string, len(codes))
	for _, c := range codes {
		paths[c.ID] = c.Path
	}
	type key struct {
		code, coder int64
		sp          Span
	}
	taken := map[key]int64{}
	for _, c := range cs {
		c.code = paths[c.codeID]
		if c.start < 0 || c.end > al.oldN || c.start >= c.end {
			c.to = spanCarry{status: CarryOrphaned, note: fmt.Sprintf("span %d:%d is outside the old text", c.start, c.end)}
			continue
		}
		c.to = al.carrySpan(c.start, c.end)
		if c.to.status == CarryOrphaned {
			continue
		}
		k := key{c.codeID, c.coder, c.to.to}
		if other, dup := taken[k]; dup {
			// Two codings of one code by one coder would become one: the
			// second stays behind rather than vanish.
			c.to = spanCarry{status: CarryOrphaned, old: c.to.old, note: fmt.Sprintf("the new version has it already as coding %d", other)}
			continue
		}
		taken[k] = c.id
	}
	upd, err := tx.PrepareContext(ctx, "UPDATE codings SET doc_id = ?, start = ?, end = ? WHERE id = ?")
	if err != nil {
		return nil, err
	}
	defer upd.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO carried (coding_id, coding_guid, from_doc, from_start, from_end, to_doc, status, old_text, new_text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	for _, c := range cs {
		if c.to.status != CarryOrphaned {
			if _, err := upd.ExecContext(ctx, to, c.to.to.Start, c.to.to.End, c.id); err != nil {
				return nil, fmt.Errorf("carry coding %d: %w", c.id, err)
			}
		}
		if _, err := ins.ExecContext(ctx, c.id, c.guid, from, c.start, c.end, to, c.to.status, c.to.old, c.to.new); err != nil {
			return nil, fmt.Errorf("carry coding %d: %w", c.id, err)
		}
		cspan := CarriedSpan{CodingID: c.id, Code: c.code, Coder: c.coderNm, From: Span{c.start, c.end}, OldText: c.to.old, Note: c.to.note}
		switch c.to.status {
		case CarryMoved:
			rep.Moved++
		case CarryChanged:
			rep.Changed++
			sp := c.to.to
			cspan.To, cspan.NewText = &sp, c.to.new
			rep.ChangedSpans = append(rep.ChangedSpans, cspan)
		case CarryOrphaned:
			rep.Orphaned++
			rep.Orphans = append(rep.Orphans, cspan)
		}
	}

	res, err := tx.ExecContext(ctx, "UPDATE memos SET target_id = ? WHERE target = 'document' AND target_id = ?", to, from)
	if err != nil {
		return nil, fmt.Errorf("carry memos: %w", err)
	}
	n, _ := res.RowsAffected()
	rep.Memos = int(n)

	if rep.Times, err = carryTimes(ctx, tx, from, to, al); err != nil {
		return nil, fmt.Errorf("carry times: %w", err)
	}
	return rep, nil
}

// carryTimes gives the new version the old one's time anchors and turn
// times, mapped by the alignment, when its own text gives none (a
// subtitle's times are not in its stored text, so an edited text loses
// them otherwise). It returns how many were carried.
func carryTimes(ctx context.Context, tx *sql.Tx, from, to int64, al *alignment) (int, error) {
	var own int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM anchors WHERE doc_id = ?1)
		+ (SELECT count(*) FROM turns WHERE doc_id = ?1 AND time_ms IS NOT NULL)`, to).Scan(&own); err != nil {
		return 0, err
	}
	if own > 0 {
		return 0, nil
	}
	anchors, err := anchorsOf(ctx, tx, from)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range anchors {
		if p.pos >= al.oldN {
			continue
		}
		res, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO anchors (doc_id, pos, time_ms) VALUES (?, ?, ?)", to, al.start(p.pos), p.t.Milliseconds())
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	old, err := turnsOf(ctx, tx, from)
	if err != nil {
		return n, err
	}
	var pts []timePoint
	for _, t := range old {
		if t.Time != nil && t.Start < al.oldN {
			pts = append(pts, timePoint{al.start(t.Start), *t.Time})
		}
	}
	if len(pts) == 0 {
		return n, nil
	}
	newTurns, err := turnsOf(ctx, tx, to)
	if err != nil {
		return n, err
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].pos < pts[j].pos })
	for _, t := range newTurns {
		k := sort.Search(len(pts), func(k int) bool { return pts[k].pos >= t.Start })
		if k < len(pts) && pts[k].pos < max(t.End, t.Start+1) {
			if _, err := tx.ExecContext(ctx, "UPDATE turns SET time_ms = ? WHERE doc_id = ? AND n = ?", pts[k].t.Milliseconds(), to, t.N); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// errDryRun rolls back an action whose outcome was only to be shown.
var errDryRun = errors.New("dry run")

// ReplaceDocument makes file the next version of the document ref names,
// whatever the file's name, and carries its codings across (see
// CarryReport) as one undoable action. A file that gives the same text
// is Unchanged. With dryRun the report is made and nothing is written.
func (s *Store) ReplaceDocument(ctx context.Context, ref string, f ImportFile, dryRun bool) (ImportResult, error) {
	d, err := s.Document(ctx, ref, false)
	if err != nil {
		return ImportResult{}, fmt.Errorf("replace %s: %w", ref, err)
	}
	if !d.Latest {
		return ImportResult{}, fmt.Errorf("replace %s: %w: %s@%d is not the latest version; replace %s", ref, ErrInvalid, d.Name, d.Version, d.Name)
	}
	f.NewVersion = true
	return s.importFile(ctx, f, importOpts{name: d.Name, dryRun: dryRun, prev: d, verb: "replace"})
}

// EditDocument makes text the next version of the document ref names,
// read as the stored text of its format (turns are found again in it),
// and carries its codings across as one undoable action. The same text
// is Unchanged. With dryRun nothing is written.
func (s *Store) EditDocument(ctx context.Context, ref, text string, dryRun bool) (ImportResult, error) {
	d, err := s.Document(ctx, ref, true)
	if err != nil {
		return ImportResult{}, fmt.Errorf("edit %s: %w", ref, err)
	}
	if !d.Latest {
		return ImportResult{}, fmt.Errorf("edit %s: %w: %s@%d is not the latest version; edit %s", ref, ErrInvalid, d.Name, d.Version, d.Name)
	}
	if !utf8.ValidString(text) {
		return ImportResult{}, fmt.Errorf("edit %s: %w: the edited text is not valid UTF-8", ref, ErrInvalid)
	}
	text = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(text, "\ufeff"), "\r\n", "\n"), "\r", "\n"))
	if text == d.Text {
		return ImportResult{Status: Unchanged, Document: d}, nil
	}
	if strings.TrimSpace(text) == "" {
		return ImportResult{}, fmt.Errorf("edit %s: %w: the edited text is empty", ref, ErrInvalid)
	}
	turns, err := transcripts.DetectTurns(text, d.Format, transcripts.Options{})
	if err != nil {
		return ImportResult{}, fmt.Errorf("edit %s: %w", ref, err)
	}
	doc := &transcripts.Document{Format: d.Format, Text: text, Turns: turns, Lang: d.Lang}
	f := ImportFile{Path: d.Name + ".txt", Data: []byte(text), Lang: d.Lang, NewVersion: true}
	return s.importFile(ctx, f, importOpts{name: d.Name, dryRun: dryRun, prev: d, parsed: doc, verb: "edit"})
}

// Orphan is a coding left on an earlier version of a document because a
// later one no longer has its text.
type Orphan struct {
	Coding
	Version int    `json:"version"`
	Text    string `json:"text"`
	// Note says why it was left behind, when a new version said so.
	Note string `json:"note,omitempty"`
}

// Orphans lists the codings on earlier versions of the document ref
// names (any version reference names the document), in version and
// text order, with their text.
func (s *Store) Orphans(ctx context.Context, ref string) ([]Orphan, error) {
	out := []Orphan{}
	err := s.read(ctx, func(q querier) error {
		id, err := resolveDoc(ctx, q, ref)
		if err != nil {
			return err
		}
		var name string
		if err := q.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&name); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT id, version, text FROM documents WHERE name = ?
			AND version < (SELECT max(version) FROM documents WHERE name = ?) ORDER BY version`, name, name)
		if err != nil {
			return err
		}
		type ver struct {
			id      int64
			version int
			text    string
		}
		var vs []ver
		for rows.Next() {
			var v ver
			if err := rows.Scan(&v.id, &v.version, &v.text); err != nil {
				rows.Close()
				return err
			}
			vs = append(vs, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, v := range vs {
			cs, err := codingsOf(ctx, q, CodingFilter{DocID: v.id})
			if err != nil {
				return err
			}
			sl := newRuneSlicer(v.text)
			for _, c := range cs {
				o := Orphan{Coding: c, Version: v.version, Text: sl.slice(c.Start, c.End)}
				var st string
				err := q.QueryRowContext(ctx, `SELECT status FROM carried WHERE coding_id = ? AND coding_guid = ? AND from_doc = ?
					ORDER BY id DESC LIMIT 1`, c.ID, c.GUID, v.id).Scan(&st)
				switch {
				case err == nil && st == CarryOrphaned:
					o.Note = "its text is not in the next version"
				case errors.Is(err, sql.ErrNoRows):
					o.Note = "coded before versions carried codings"
				case err != nil:
					return err
				}
				out = append(out, o)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("orphans of %s: %w", ref, err)
	}
	return out, nil
}

// removeSource deletes a file this process wrote into sources/ for an
// import that did not happen.
func (s *Store) removeSource(name string) {
	if name != "" {
		os.Remove(filepath.Join(s.dir, SourcesDir, name))
	}
}
