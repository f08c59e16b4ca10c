package coding

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
)

// DefaultCite is the attribution template of a new project.
const DefaultCite = "{gender}, {age}, {occupation}"

// Quote is a coded passage ready to cite.
type Quote struct {
	// ID is the quote's stable id (see QuoteID): the same span of the
	// same document has the same id on every machine and in every export.
	ID       string `json:"id"`
	CodingID int64  `json:"coding_id"`
	Code     string `json:"code"`
	Document string `json:"document"`
	// DocumentGUID is the document's GUID, from which ID derives.
	DocumentGUID string `json:"document_guid"`
	Version      int    `json:"version"`
	// Latest reports whether the quote is on the document's latest version.
	Latest      bool   `json:"latest"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Line        int    `json:"line"`
	Turn        int    `json:"turn,omitempty"`
	Speaker     string `json:"speaker"`
	Time        string `json:"time,omitempty"`
	Coder       string `json:"coder"`
	Text        string `json:"text"`
	Attribution string `json:"attribution"`
	Memo        string `json:"memo,omitempty"`
	// Before and After are the sentences around the quote within its
	// speaker's turn, when QuoteOptions.Context asks for them.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// CodedAt is when the coding was made: a fixed time from the store
	// for exports that carry a date.
	CodedAt time.Time `json:"-"`
}

// QuoteOptions filter and shape Quotes.
type QuoteOptions struct {
	// Coder keeps one coder's codings.
	Coder string
	// Cite is the attribution template; "" uses the project's setting.
	Cite string
	// NoSubcodes leaves out codings of the codes' descendants.
	NoSubcodes bool
	// Context is how many sentences before and after each quote to
	// include, within the speaker's turn.
	Context int
	// CodingIDs, when not empty, keeps only these codings (see
	// Table.CodingIDs); with no codes named, these codings are the
	// quotes.
	CodingIDs []int64
	// Docs keeps quotes from these documents (any of them), named as
	// Document takes them; a bare name means its latest version (every
	// version of it with AllVersions), NAME@VERSION or an id just that
	// one.
	Docs []string
	// AllVersions takes in the codings on documents' earlier versions;
	// by default only the latest version of each document is quoted,
	// unless Docs names an earlier one or CodingIDs are given.
	AllVersions bool
	// Speaker keeps quotes from this speaker's turns (case does not
	// matter).
	Speaker string
	// Attrs keeps quotes from documents with every one of these
	// attributes, each KEY=VALUE (case does not matter).
	Attrs []string
}

// attrFilter is a parsed KEY=VALUE of QuoteOptions.Attrs.
type attrFilter struct{ key, value string }

// ParseAttrFilter reads a KEY=VALUE filter on attributes.
func ParseAttrFilter(kv string) (key, value string, err error) {
	k, v, ok := strings.Cut(kv, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fmt.Errorf("%w: attribute filter %q: want KEY=VALUE", ErrInvalid, kv)
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), nil
}

// hasAttrs reports whether attrs hold every filter, ignoring case.
func hasAttrs(attrs []Attribute, filters []attrFilter) bool {
	for _, f := range filters {
		found := false
		for _, a := range attrs {
			if strings.EqualFold(strings.TrimSpace(a.Key), f.key) && strings.EqualFold(strings.TrimSpace(a.Value), f.value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Quotes returns every passage coded with the named codes (and their
// sub-codes), in document order, with speaker, position and attribution.
func (s *Store) Quotes(ctx context.Context, codeRefs []string, opt QuoteOptions) ([]Quote, error) {
	var attrs []attrFilter
	for _, kv := range opt.Attrs {
		k, v, err := ParseAttrFilter(kv)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, attrFilter{k, v})
	}
	var quotes []Quote
	err := s.read(ctx, func(q querier) error {
		cite, citeInterviewer, err := citeTemplates(ctx, q, opt.Cite)
		if err != nil {
			return err
		}
		var docIDs map[int64]bool
		if len(opt.Docs) > 0 {
			docIDs = map[int64]bool{}
			for _, ref := range opt.Docs {
				id, err := resolveDoc(ctx, q, ref)
				if err != nil {
					return err
				}
				docIDs[id] = true
				// With AllVersions, a bare name takes in the earlier
				// versions too: what is left on them (orphaned codings)
				// stays where it was when the file changed.
				if !opt.AllVersions {
					continue
				}
				var name string
				if err := q.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&name); err != nil {
					return err
				}
				if !strings.EqualFold(strings.TrimSpace(ref), name) {
					continue
				}
				rows, err := q.QueryContext(ctx, "SELECT id FROM documents WHERE name = ?", name)
				if err != nil {
					return err
				}
				for rows.Next() {
					var v int64
					if err := rows.Scan(&v); err != nil {
						rows.Close()
						return err
					}
					docIDs[v] = true
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
		}
		codes, err := loadCodebook(ctx, q, false)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		var ids []int64
		for _, ref := range codeRefs {
			i, err := findCode(codes, ref)
			if err != nil {
				return err
			}
			sel := []int64{codes[i].ID}
			if !opt.NoSubcodes {
				sel = Subtree(codes, codes[i])
			}
			for _, id := range sel {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
		// Only the current versions are quoted unless asked otherwise:
		// by AllVersions, by naming documents, or by naming codings.
		current := !opt.AllVersions && docIDs == nil && len(opt.CodingIDs) == 0
		codings, err := codingsOf(ctx, q, CodingFilter{CodeIDs: ids, Coder: opt.Coder, IDs: opt.CodingIDs, Current: current})
		if err != nil {
			return err
		}
		// A coder who coded one passage twice with one code, in spans
		// that overlap, is quoted once, over both spans.
		codings, merged := MergeOverlapping(codings)
		memos := map[int64]string{}
		rows, err := q.QueryContext(ctx, "SELECT target_id, text FROM memos WHERE target = 'coding' ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var t string
			if err := rows.Scan(&id, &t); err != nil {
				rows.Close()
				return err
			}
			if memos[id] != "" {
				t = memos[id] + "\n" + t
			}
			memos[id] = t
		}
		rows.Close()
		// A joined quote's memo is its codings' memos, oldest coding first.
		for into, from := range merged {
			ids := append([]int64{into}, from...)
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			var texts []string
			for _, id := range ids {
				if m := memos[id]; m != "" {
					texts = append(texts, m)
				}
			}
			memos[into] = strings.Join(texts, "\n")
		}
		type docInfo struct {
			guid    string
			text    string
			version int
			latest  bool
			turns   []Turn
			attrs   []Attribute
			anchors []timePoint
			who     *attributor
		}
		docs := map[int64]*docInfo{}
		for _, c := range codings {
			if docIDs != nil && !docIDs[c.DocID] {
				continue
			}
			d := docs[c.DocID]
			if d == nil {
				d = &docInfo{}
				if err := q.QueryRowContext(ctx, `SELECT guid, text, version, version = (SELECT max(version) FROM documents v WHERE v.name = d.name)
					FROM documents d WHERE id = ?`, c.DocID).Scan(&d.guid, &d.text, &d.version, &d.latest); err != nil {
					return err
				}
				if d.turns, err = turnsOf(ctx, q, c.DocID); err != nil {
					return err
				}
				if d.attrs, err = attributesOf(ctx, q, c.DocID); err != nil {
					return err
				}
				if d.anchors, err = anchorsOf(ctx, q, c.DocID); err != nil {
					return err
				}
				if d.who, err = newAttributor(ctx, q, c.DocID, cite, citeInterviewer, d.turns, d.attrs); err != nil {
					return err
				}
				docs[c.DocID] = d
			}
			if !hasAttrs(d.attrs, attrs) {
				continue
			}
			qt := Quote{ID: QuoteID(d.guid, c.Start, c.End), CodingID: c.ID, Code: c.Code,
				Document: c.Document, DocumentGUID: d.guid, Version: d.version, Latest: d.latest,
				Start: c.Start, End: c.End, Coder: c.Coder, Memo: memos[c.ID], CodedAt: c.CreatedAt,
				Text: Slice(d.text, c.Start, c.End), Line: LineOf(d.text, c.Start)}
			qt.Speaker, qt.Attribution = d.who.at(c.Start, c.End)
			lo, hi := 0, -1
			if t := TurnAt(d.turns, c.Start); t != nil {
				qt.Turn = t.N
				if tm, ok := TimeAt(t, d.anchors, c.Start); ok {
					qt.Time = FormatClock(tm)
				}
				lo, hi = t.Body, t.End
			}
			if opt.Speaker != "" && !saidBy(d.turns, c.Start, c.End, opt.Speaker) {
				continue
			}
			if opt.Context > 0 {
				qt.Before, qt.After = contextAround(d.text, lo, hi, c.Start, c.End, opt.Context)
			}
			quotes = append(quotes, qt)
		}
		return nil
	})
	return quotes, err
}

// MergeOverlapping joins the codings of one code by one coder whose spans
// in one document cover one passage (see samePassage) into the first of
// them, stretched to cover all: one passage coded twice is one quote. cs must be in document order, as Codings returns them; the
// order is kept. merged maps each kept coding's id to the ids folded
// into it.
func MergeOverlapping(cs []Coding) (out []Coding, merged map[int64][]int64) {
	type key struct {
		doc, code int64
		coder     string
	}
	last := map[key]int{}
	merged = map[int64][]int64{}
	for _, c := range cs {
		k := key{c.DocID, c.CodeID, c.Coder}
		if i, ok := last[k]; ok && samePassage(out[i].Start, out[i].End, c.Start, c.End) {
			out[i].Start = min(out[i].Start, c.Start)
			out[i].End = max(out[i].End, c.End)
			merged[out[i].ID] = append(merged[out[i].ID], c.ID)
			continue
		}
		last[k] = len(out)
		out = append(out, c)
	}
	return out, merged
}

// samePassage reports whether the spans [s1, e1) and [s2, e2) are one
// passage: they share at least half of the shorter one. A span inside
// another, or the same sentence selected with other edges, is; two
// sentences that share a word at their edges are not.
func samePassage(s1, e1, s2, e2 int) bool {
	shared := min(e1, e2) - max(s1, s2)
	return shared > 0 && 2*shared >= min(e1-s1, e2-s2)
}

// TurnAt returns the turn that holds the code point at pos, or nil.
func TurnAt(turns []Turn, pos int) *Turn {
	i := sort.Search(len(turns), func(i int) bool { return turns[i].End > pos })
	if i < len(turns) && turns[i].Start <= pos {
		return &turns[i]
	}
	return nil
}

// TimeAt returns the time of the passage starting at pos in turn t: the
// last time anchor at or before pos within the turn (a subtitle cue's
// start), else the turn's time.
func TimeAt(t *Turn, anchors []timePoint, pos int) (time.Duration, bool) {
	k := sort.Search(len(anchors), func(k int) bool { return anchors[k].pos > pos })
	if k > 0 && anchors[k-1].pos >= t.Start && anchors[k-1].pos < t.End {
		return anchors[k-1].t, true
	}
	if t.Time != nil {
		return *t.Time, true
	}
	return 0, false
}

// saidBy reports whether any turn that [start, end) touches is the
// speaker's (case does not matter).
func saidBy(turns []Turn, start, end int, speaker string) bool {
	speaker = strings.TrimSpace(speaker)
	i := sort.Search(len(turns), func(i int) bool { return turns[i].End > start })
	for ; i < len(turns) && turns[i].Start < max(end, start+1); i++ {
		if strings.EqualFold(turns[i].Speaker, speaker) {
			return true
		}
	}
	return false
}

// FormatClock renders a duration as HH:MM:SS.
// A time before the recording's zero (mission logs count down) gets a
// minus sign.
func FormatClock(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	s := int(d / time.Second)
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, s/3600, s/60%60, s%60)
}

// Cite fills a template such as "{gender}, {age}, {occupation}" from the
// attributes. A placeholder with no value is dropped together with the
// separator before it (or after it, when it comes first), so missing data
// never leaves ", ," behind.
func Cite(template string, attrs []Attribute) string {
	vals := make(map[string]string, len(attrs))
	for _, a := range attrs {
		vals[strings.ToLower(a.Key)] = a.Value
	}
	type part struct {
		text  string
		field bool
	}
	var parts []part
	rest := template
	for {
		i := strings.Index(rest, "{")
		j := strings.Index(rest[max(i, 0):], "}")
		if i < 0 || j < 0 {
			parts = append(parts, part{text: rest})
			break
		}
		j += i
		parts = append(parts, part{text: rest[:i]}, part{text: rest[i+1 : j], field: true})
		rest = rest[j+1:]
	}
	var b strings.Builder
	pending := ""
	wrote := false
	for _, p := range parts {
		if !p.field {
			pending += p.text
			continue
		}
		v := strings.TrimSpace(vals[strings.ToLower(strings.TrimSpace(p.text))])
		if v == "" {
			if wrote {
				pending = ""
			}
			continue
		}
		if wrote || strings.TrimSpace(pending) != "" && !isSeparator(pending) {
			b.WriteString(pending)
		}
		pending = ""
		b.WriteString(v)
		wrote = true
	}
	if wrote || !isSeparator(pending) {
		b.WriteString(pending)
	}
	return strings.TrimSpace(b.String())
}

func isSeparator(s string) bool {
	return strings.Trim(s, " ,;/-–—|") == ""
}

// contextAround returns up to n sentences before start and after end,
// within [lo, hi) (hi < 0: the whole text), trimmed of surrounding space.
func contextAround(text string, lo, hi, start, end, n int) (before, after string) {
	runes := []rune(text)
	if hi < 0 || hi > len(runes) {
		hi = len(runes)
	}
	lo = max(0, min(lo, start))
	hi = max(hi, end)
	b := start
	for k := 0; k < n && b > lo; k++ {
		b--
		for b > lo && unicode.IsSpace(runes[b]) {
			b--
		}
		for b > lo && !(isSentenceEnd(runes[b-1]) && unicode.IsSpace(runes[b])) {
			b--
		}
	}
	e := end
	for k := 0; k < n && e < hi; k++ {
		for e < hi && unicode.IsSpace(runes[e]) {
			e++
		}
		for e < hi && !(isSentenceEnd(runes[e]) && (e+1 >= hi || unicode.IsSpace(runes[e+1]))) {
			e++
		}
		if e < hi {
			e++
		}
	}
	return strings.TrimSpace(string(runes[b:start])), strings.TrimSpace(string(runes[end:e]))
}

func isSentenceEnd(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }
