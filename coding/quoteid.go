package coding

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// QuoteIDLen is the number of base-32 characters after "Q-" in a quote
// id: 8 characters are 40 bits, so among 10,000 quoted spans the chance
// that any two share an id is about 1 in 22,000 (n²/2⁴¹), and among
// 100,000 about 1 in 220; FindQuote reports a clash rather than pick one.
const QuoteIDLen = 8

// crockford is Crockford's base-32 alphabet: digits and upper-case
// letters without I, L, O and U, so an id read aloud or copied by hand
// from a printed paper survives.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// QuoteID returns the stable id of the span [start, end) of the document
// with the given GUID: "Q-" and the first 40 bits of
// SHA-256("guid:start:end") in Crockford base 32. The GUID is taken in
// lower case without braces, as REFI-QDA producers differ in both, so
// the id survives an export and an import on another machine.
func QuoteID(docGUID string, start, end int) string {
	v := quoteBits(quoteKey(docGUID), start, end, nil)
	out := make([]byte, QuoteIDLen)
	for i := QuoteIDLen - 1; i >= 0; i-- {
		out[i] = crockford[v&31]
		v >>= 5
	}
	return "Q-" + string(out)
}

// quoteKey is the hashed prefix for a document: its GUID, normalised,
// and a colon.
func quoteKey(docGUID string) []byte {
	return []byte(strings.ToLower(strings.Trim(strings.TrimSpace(docGUID), "{}")) + ":")
}

// quoteBits returns the 40 bits of a quote id for key (see quoteKey) and
// the span; buf is scratch space, reused to save allocations in a scan.
func quoteBits(key []byte, start, end int, buf []byte) uint64 {
	buf = append(buf[:0], key...)
	buf = strconv.AppendInt(buf, int64(start), 10)
	buf = append(buf, ':')
	buf = strconv.AppendInt(buf, int64(end), 10)
	sum := sha256.Sum256(buf)
	var v uint64
	for _, b := range sum[:5] {
		v = v<<8 | uint64(b)
	}
	return v
}

// idBits decodes the 40 bits of a canonical quote id.
func idBits(id string) uint64 {
	var v uint64
	for i := 2; i < len(id); i++ {
		v = v<<5 | uint64(strings.IndexByte(crockford, id[i]))
	}
	return v
}

// idCleaner undoes what word processors do to an id copied out of a
// paper: typographic and non-breaking hyphens become "-", soft hyphens
// and zero-width characters go.
var idCleaner = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2212", "-",
	"\u00ad", "", "\u200b", "", "\u2060", "", "\ufeff", "")

// ParseQuoteID reads a quote id as a person may have copied it from a
// paper: in any case, with any kind of hyphen, O read as 0 and I or L
// as 1. The "Q-" prefix is required: it
// is what tells a quote id from a document name. ok is false when s is
// not a quote id.
func ParseQuoteID(s string) (id string, ok bool) {
	s = strings.ToUpper(strings.TrimSpace(idCleaner.Replace(s)))
	rest, found := strings.CutPrefix(s, "Q-")
	if !found || len(rest) != QuoteIDLen {
		return "", false
	}
	b := []byte(rest)
	for i, c := range b {
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if strings.IndexByte(crockford, c) < 0 {
			return "", false
		}
		b[i] = c
	}
	return "Q-" + string(b), true
}

// QuotePlace is a quoted span found by its id, with what is around it.
type QuotePlace struct {
	ID       string   `json:"id"`
	Document Document `json:"document"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Line     int      `json:"line"`
	// Turn is the speaker turn that holds the quote, if any.
	Turn *Turn  `json:"turn,omitempty"`
	Time string `json:"time,omitempty"`
	Text string `json:"text"`
	// Speaker is who says the passage ("A and B" when it spans two).
	Speaker     string `json:"speaker,omitempty"`
	Attribution string `json:"attribution"`
	// Codings are those on exactly this span, of any code and coder.
	Codings []Coding `json:"codings"`
	// Overlapping are the other codings that share part of the span.
	Overlapping []Coding `json:"overlapping"`
	// Carried is set when the id names a passage of an earlier version
	// that a new version carried here: "moved from R01@1 120:180", or
	// "changed from R01@1 120:180" when its text was edited since.
	Carried string `json:"carried,omitempty"`
	// Changed is set when the carried passage's text was edited.
	Changed bool `json:"changed,omitempty"`
}

// FindQuote finds the coded span whose QuoteID is id, in any version of
// any document; an id of a passage that a new version carried on (see
// CarryReport) finds it where it is now, saying so in Carried. The
// document comes with its text. cite is the
// attribution template ("" uses the project's). An id no coded span has
// is ErrNotFound; two spans with the same id (a hash clash) are
// ErrConflict, naming both.
func (s *Store) FindQuote(ctx context.Context, id, cite string) (QuotePlace, error) {
	want, ok := ParseQuoteID(id)
	if !ok {
		return QuotePlace{}, fmt.Errorf("%w: %q is not a quote id (Q- and %d letters or digits, as 'qcode quotes' prints)", ErrInvalid, id, QuoteIDLen)
	}
	type hit struct {
		doc        int64
		name       string
		version    int
		start, end int
	}
	var hits []hit
	var p QuotePlace
	err := s.read(ctx, func(q querier) error {
		// The store keeps no id column: hash every coded span. Codings
		// are read bare and documents once, so the cost is the hashing
		// and one table scan.
		type docRow struct {
			key     []byte
			name    string
			version int
		}
		docs := map[int64]docRow{}
		rows, err := q.QueryContext(ctx, "SELECT id, guid, name, version FROM documents")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var d docRow
			var guid string
			if err := rows.Scan(&id, &guid, &d.name, &d.version); err != nil {
				rows.Close()
				return err
			}
			d.key = quoteKey(guid)
			docs[id] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, "SELECT doc_id, start, end FROM codings")
		if err != nil {
			return err
		}
		seen := map[hit]bool{}
		bits := idBits(want)
		buf := make([]byte, 0, 128)
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.doc, &h.start, &h.end); err != nil {
				rows.Close()
				return err
			}
			d := docs[h.doc]
			if quoteBits(d.key, h.start, h.end, buf) == bits {
				h.name, h.version = d.name, d.version
				if !seen[h] {
					seen[h] = true
					hits = append(hits, h)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(hits) == 0 {
			// A quote over two overlapping codings of one code by one
			// coder (see MergeOverlapping) has the id of their union.
			all, err := codingsOf(ctx, q, CodingFilter{})
			if err != nil {
				return err
			}
			kept, merged := MergeOverlapping(all)
			for _, c := range kept {
				if len(merged[c.ID]) == 0 {
					continue
				}
				d := docs[c.DocID]
				h := hit{doc: c.DocID, start: c.Start, end: c.End, name: d.name, version: d.version}
				if quoteBits(d.key, c.Start, c.End, buf) == bits && !seen[h] {
					seen[h] = true
					hits = append(hits, h)
				}
			}
		}
		if len(hits) == 0 {
			// A passage of an earlier version, carried on since.
			if p.Carried, p.Changed, err = findCarried(ctx, q, bits, func(doc int64) ([]byte, string, int) {
				d := docs[doc]
				return d.key, d.name, d.version
			}, func(doc int64, start, end int) {
				h := hit{doc: doc, start: start, end: end}
				h.name, h.version = docs[doc].name, docs[doc].version
				if !seen[h] {
					seen[h] = true
					hits = append(hits, h)
				}
			}); err != nil {
				return err
			}
		}
		sort.Slice(hits, func(i, j int) bool {
			a, b := hits[i], hits[j]
			if a.name != b.name {
				return a.name < b.name
			}
			if a.version != b.version {
				return a.version < b.version
			}
			if a.start != b.start {
				return a.start < b.start
			}
			return a.end < b.end
		})
		switch {
		case len(hits) == 0:
			return fmt.Errorf("quote %s: %w: no coded passage in this project has this id (ids come from 'qcode quotes'; was the passage uncoded, or is this another project?)", want, ErrNotFound)
		case len(hits) > 1:
			var places []string
			for _, h := range hits {
				places = append(places, fmt.Sprintf("%s@%d %d:%d", h.name, h.version, h.start, h.end))
			}
			return fmt.Errorf("quote %s: %w: two passages share this id: %s", want, ErrConflict, strings.Join(places, ", "))
		}
		h := hits[0]
		if p.Document, err = s.documentByID(ctx, q, h.doc); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, "SELECT text FROM documents WHERE id = ?", h.doc).Scan(&p.Document.Text); err != nil {
			return err
		}
		turns, err := turnsOf(ctx, q, h.doc)
		if err != nil {
			return err
		}
		p.ID, p.Start, p.End = want, h.start, h.end
		p.Text = Slice(p.Document.Text, h.start, h.end)
		p.Line = LineOf(p.Document.Text, h.start)
		cite, citeInterviewer, err := citeTemplates(ctx, q, cite)
		if err != nil {
			return err
		}
		who, err := newAttributor(ctx, q, h.doc, cite, citeInterviewer, turns, p.Document.Attributes)
		if err != nil {
			return err
		}
		p.Speaker, p.Attribution = who.at(h.start, h.end)
		anchors, err := anchorsOf(ctx, q, h.doc)
		if err != nil {
			return err
		}
		if t := TurnAt(turns, h.start); t != nil {
			tc := *t
			p.Turn = &tc
			if tm, ok := TimeAt(t, anchors, h.start); ok {
				p.Time = FormatClock(tm)
			}
		}
		all, err := codingsOf(ctx, q, CodingFilter{DocID: h.doc, Overlapping: Span{h.start, h.end}})
		if err != nil {
			return err
		}
		// The codings on the span; for a quote joined from overlapping
		// codings (no coding has its span), those it joined.
		exact := false
		for _, c := range all {
			exact = exact || c.Start == h.start && c.End == h.end
		}
		p.Codings, p.Overlapping = []Coding{}, []Coding{}
		for _, c := range all {
			on := c.Start == h.start && c.End == h.end
			if !exact {
				on = c.Start >= h.start && c.End <= h.end
			}
			if on {
				p.Codings = append(p.Codings, c)
			} else {
				p.Overlapping = append(p.Overlapping, c)
			}
		}
		byCode := func(cs []Coding) {
			sort.SliceStable(cs, func(i, j int) bool {
				if cs[i].Code != cs[j].Code {
					return cs[i].Code < cs[j].Code
				}
				return cs[i].Coder < cs[j].Coder
			})
		}
		byCode(p.Codings)
		return nil
	})
	return p, err
}

// findCarried looks for the quote id bits among the old places of
// carried codings and calls found with each coding's place now. It
// says how the first was carried ("moved from R01@1 120:180") and
// whether its text changed on the way (in that or a later version).
func findCarried(ctx context.Context, q querier, bits uint64, doc func(int64) ([]byte, string, int),
	found func(doc int64, start, end int)) (string, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.coding_id, r.from_doc, r.from_start, r.from_end, g.doc_id, g.start, g.end
		FROM carried r JOIN codings g ON g.id = r.coding_id AND g.guid = r.coding_guid
		WHERE r.status <> 'orphaned' ORDER BY r.id`)
	if err != nil {
		return "", false, err
	}
	type match struct {
		row, coding int64
		from        string
	}
	var ms []match
	buf := make([]byte, 0, 128)
	for rows.Next() {
		var row, coding, from, now int64
		var fs, fe, ns, ne int
		if err := rows.Scan(&row, &coding, &from, &fs, &fe, &now, &ns, &ne); err != nil {
			rows.Close()
			return "", false, err
		}
		key, name, version := doc(from)
		if key == nil || quoteBits(key, fs, fe, buf) != bits {
			continue
		}
		ms = append(ms, match{row, coding, fmt.Sprintf("%s@%d %d:%d", name, version, fs, fe)})
		found(now, ns, ne)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ms) == 0 {
		return "", false, err
	}
	var changed int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM carried WHERE coding_id = ? AND id >= ? AND status = 'changed'",
		ms[0].coding, ms[0].row).Scan(&changed); err != nil {
		return "", false, err
	}
	if changed > 0 {
		return "changed from " + ms[0].from, true, nil
	}
	return "moved from " + ms[0].from, false, nil
}

// LooksLikeQuoteID reports whether s was meant as a quote id, well
// formed or not: "Q-" (any case, any hyphen) and four to twelve letters
// or digits. A mistyped id (one character short, a stray letter) is then
// answered as a quote id, with the nearest ones, not as a missing
// document.
func LooksLikeQuoteID(s string) bool {
	s = strings.ToUpper(strings.TrimSpace(idCleaner.Replace(s)))
	rest, ok := strings.CutPrefix(s, "Q-")
	if !ok || len(rest) < 4 || len(rest) > 12 {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// MaxQuoteIDDistance is how many characters a typed quote id may differ
// from a project's id (by edit distance) for NearestQuoteIDs to offer it.
const MaxQuoteIDDistance = 3

// NearestQuoteIDs returns the ids of the project's coded passages
// nearest to id by edit distance (insertions, deletions and
// substitutions of characters after "Q-"), in order, when they are at
// most MaxQuoteIDDistance away; nil when none is.
func (s *Store) NearestQuoteIDs(ctx context.Context, id string) ([]string, error) {
	typed := strings.ToUpper(strings.TrimSpace(idCleaner.Replace(id)))
	typed = strings.TrimPrefix(typed, "Q-")
	typed = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(typed)
	best := MaxQuoteIDDistance + 1
	var nearest []string
	err := s.read(ctx, func(q querier) error {
		guids := map[int64]string{}
		rows, err := q.QueryContext(ctx, "SELECT id, guid FROM documents")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var guid string
			if err := rows.Scan(&id, &guid); err != nil {
				rows.Close()
				return err
			}
			guids[id] = guid
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		all, err := codingsOf(ctx, q, CodingFilter{})
		if err != nil {
			return err
		}
		// The ids of coded spans and of quotes joined from overlapping
		// codings.
		kept, _ := MergeOverlapping(all)
		seen := map[string]bool{}
		for _, c := range append(all, kept...) {
			qid := QuoteID(guids[c.DocID], c.Start, c.End)
			if seen[qid] {
				continue
			}
			seen[qid] = true
			d := editDistance(typed, qid[2:])
			switch {
			case d < best:
				best, nearest = d, []string{qid}
			case d == best:
				nearest = append(nearest, qid)
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapErr(err)
	}
	sort.Strings(nearest)
	return nearest, nil
}

// editDistance is the Levenshtein distance between two ASCII strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
