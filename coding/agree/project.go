package agree

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/qcode-dev/qcode/coding"
)

// Unit is what a project's agreement counts as one unit of analysis.
type Unit string

// Units of analysis on a project's codings.
const (
	// Char makes every character of every compared document a unit,
	// coded or not with the code by each coder (as NVivo and ATLAS.ti
	// do).
	Char Unit = "char"
	// Segment makes coded segments the units: a coding agrees with
	// another coder's coding of the same code when they overlap by at
	// least Options.Overlap of their union (as MAXQDA does).
	Segment Unit = "segment"
	// Document makes each compared document a unit: the code is present
	// in it or not, per coder.
	Document Unit = "document"
)

// ParseUnit reads a unit's name.
func ParseUnit(s string) (Unit, error) {
	switch u := Unit(strings.ToLower(s)); u {
	case Char, Segment, Document:
		return u, nil
	}
	return "", fmt.Errorf("%w: unit %q: want char, segment or document", ErrInvalid, s)
}

// DefaultOverlap is the share of their union two codings must overlap to
// be the same segment.
const DefaultOverlap = 0.9

// MaxCoders is how many coders Compute compares at once.
const MaxCoders = 64

// Options choose what Compute compares.
type Options struct {
	// Coders names the coders to compare; default every coder with a
	// coding in the project. At least two.
	Coders []string
	// Codes names the codes to report (name, path or id, as
	// coding.FindCode takes them); default every code. A code's own
	// codings count, not its sub-codes'.
	Codes []string
	// Unit is the unit of analysis; default Char.
	Unit Unit
	// Overlap is the share of their union two codings must overlap to
	// match at the Segment unit; default DefaultOverlap.
	Overlap float64
	// Text fills Disagreement.Text, which reads the documents' text.
	Text bool
	// AllVersions compares the codings on documents' earlier versions
	// too, each version as a document of its own; by default only the
	// latest version of each document is compared, and codings left on
	// an earlier one (orphaned ones) are out of the comparison.
	AllVersions bool
	// Attrs compares only the documents with every one of these
	// attributes ("KEY=VALUE", compared ignoring case).
	Attrs []string
}

// Stats are the agreement statistics on one set of units, each coder
// giving each unit the value 1 (coded) or 0 (not coded). A statistic is
// NaN (null in JSON) when it is undefined: Cohen's kappa unless there are
// exactly two coders, and the kappas and alpha when no coder used the
// code (no variation: chance agreement is total, the statistic 0/0).
//
// With any number of coders, Pairs holds Cohen's kappa of every pair on
// the same units, and Light is Light's kappa, their mean (R. J. Light
// (1971), "Measures of response agreement for qualitative data: some
// generalizations and alternatives", Psychological Bulletin 76(5)). A
// pair whose kappa is undefined (neither of the two used the code, or
// both coded every unit) is left out of the mean; Light is NaN when every
// pair's kappa is undefined. With two coders Light equals Cohen.
type Stats struct {
	// Units counts the units: characters, segments or documents.
	Units int
	// Percent is the share of pairs of coders agreeing on a unit, between
	// 0 and 1 (see Percent).
	Percent float64
	// Cohen is Cohen's kappa, for exactly two coders.
	Cohen float64
	// Fleiss is Fleiss' kappa.
	Fleiss float64
	// Alpha is Krippendorff's alpha, nominal.
	Alpha float64
	// Light is Light's kappa, the mean of the pairs' Cohen's kappas.
	Light float64
	// Pairs holds Cohen's kappa of each pair of coders, in the order of
	// Report.Coders: (1,2), (1,3), ..., (2,3), ...
	Pairs []Pair
}

// Pair is the agreement of two of the compared coders on the same units
// as the Stats that hold it: those of the whole comparison, so it can
// differ from comparing the two alone (a document a third coder did not
// code is left out; at the Segment unit, a segment only a third coder
// coded is one the two agree in not coding).
type Pair struct {
	// Coders names the two, in the order of Report.Coders.
	Coders [2]string
	// Percent is the share of units the two coded alike.
	Percent float64
	// Cohen is their Cohen's kappa; NaN when undefined.
	Cohen float64
}

// MarshalJSON writes an undefined kappa as null.
func (p Pair) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Coders  [2]string `json:"coders"`
		Percent *float64  `json:"percent"`
		Cohen   *float64  `json:"cohen_kappa"`
	}{p.Coders, finite(p.Percent), finite(p.Cohen)})
}

// finite returns a pointer to x, or nil when x is NaN or infinite.
func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// MarshalJSON writes undefined statistics as null.
func (s Stats) MarshalJSON() ([]byte, error) {
	pairs := s.Pairs
	if pairs == nil {
		pairs = []Pair{}
	}
	return json.Marshal(struct {
		Units   int      `json:"units"`
		Percent *float64 `json:"percent"`
		Cohen   *float64 `json:"cohen_kappa"`
		Fleiss  *float64 `json:"fleiss_kappa"`
		Alpha   *float64 `json:"krippendorff_alpha"`
		Light   *float64 `json:"light_kappa"`
		Pairs   []Pair   `json:"pairs"`
	}{s.Units, finite(s.Percent), finite(s.Cohen), finite(s.Fleiss), finite(s.Alpha), finite(s.Light), pairs})
}

// CodeStats is the agreement on one code.
type CodeStats struct {
	CodeID int64  `json:"code_id"`
	Code   string `json:"code"`
	// Codings counts each compared coder's codings of the code in the
	// compared documents.
	Codings map[string]int `json:"codings"`
	Stats   Stats          `json:"stats"`
}

// Doc is a document and the coders who coded something in it.
type Doc struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	// Latest says this is the document's latest version.
	Latest bool     `json:"latest"`
	Length int      `json:"length"`
	Coders []string `json:"coders"`
}

// Disagreement is a place where the compared coders did not all code the
// same: a span of a document that some coded with the code and others did
// not (Char); a segment some coded and the others did not match (Segment);
// a document some coded with the code and others did not (Document, the
// span then runs from the first coding's start to the last's end).
type Disagreement struct {
	DocID    int64  `json:"doc_id"`
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Code     string `json:"code"`
	CodeID   int64  `json:"code_id"`
	// Coded names the coders who coded it, Missing those who did not,
	// both in the order of Report.Coders.
	Coded   []string `json:"coded"`
	Missing []string `json:"missing"`
	// Text is the span's text with surrounding white space trimmed, when
	// Options.Text asked for it.
	Text string `json:"text"`
	// Codings are the compared coders' codings of the code that overlap
	// the span.
	Codings []coding.Coding `json:"codings"`
}

// Report is the agreement of a project's coders.
type Report struct {
	Unit Unit `json:"unit"`
	// Overlap is the matching threshold of the Segment unit.
	Overlap float64  `json:"overlap,omitempty"`
	Coders  []string `json:"coders"`
	// AllVersions reports that documents' earlier versions were compared
	// too (Options.AllVersions).
	AllVersions bool `json:"all_versions,omitempty"`
	// Documents are those compared: every document in which each of the
	// coders has at least one coding (of any code). LeftOut are the
	// documents some but not all of them coded.
	Documents []Doc `json:"documents"`
	LeftOut   []Doc `json:"left_out"`
	// Codes holds a line per code, in codebook order.
	Codes []CodeStats `json:"codes"`
	// Overall pools the units of every code some coder used: each
	// (code, unit) pair is a unit. Codes nobody used are left out of it,
	// so that the size of the codebook does not inflate agreement.
	Overall       Stats          `json:"overall"`
	Disagreements []Disagreement `json:"disagreements"`
}

// patterns counts units by which coders coded them: bit i of the key is
// set when coder i did.
type patterns map[uint64]float64

func (p patterns) add(q patterns) {
	for k, v := range q {
		p[k] += v
	}
}

// stats computes the statistics on binary units counted by pattern, for
// the coders named in order.
func (p patterns) stats(coders []string) Stats {
	m := len(coders)
	keys := make([]uint64, 0, len(p))
	for k, w := range p {
		if w > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	t := &table{m: m, labels: []string{"0", "1"}, nums: []float64{0, 1}, numeric: true}
	for _, k := range keys {
		cats := make([]int, m)
		for c := range cats {
			cats[c] = int(k >> c & 1)
		}
		t.units = append(t.units, cats)
		t.weight = append(t.weight, p[k])
	}
	nan := math.NaN()
	st := Stats{Percent: nan, Cohen: nan, Fleiss: nan, Alpha: nan, Light: nan}
	if r, err := t.percent(); err == nil {
		st.Units = r.Units
		st.Percent = r.Value
	}
	if m == 2 {
		if r, err := t.cohen(Unweighted); err == nil {
			st.Cohen = r.Value
		}
	}
	if r, err := t.fleiss(); err == nil {
		st.Fleiss = r.Value
	}
	if r, err := t.alpha(Nominal); err == nil {
		st.Alpha = r.Value
	}
	st.Pairs, st.Light = p.pairs(coders)
	return st
}

// pairs computes Cohen's kappa of each pair of coders on the units
// counted by pattern, and Light's kappa, the mean of the defined ones.
func (p patterns) pairs(coders []string) ([]Pair, float64) {
	m := len(coders)
	var out []Pair
	sum, n := 0.0, 0
	for i := 0; i < m; i++ {
		for j := i + 1; j < m; j++ {
			// The pair's own 2×2 table: each pattern counts toward the
			// cell of the two coders' bits.
			var cell [2][2]float64
			for k, w := range p {
				cell[k>>i&1][k>>j&1] += w
			}
			pr := Pair{Coders: [2]string{coders[i], coders[j]}, Percent: math.NaN(), Cohen: math.NaN()}
			if r, err := pairTable(cell).percent(); err == nil {
				pr.Percent = r.Value
			}
			if r, err := pairTable(cell).cohen(Unweighted); err == nil {
				pr.Cohen = r.Value
			}
			if !math.IsNaN(pr.Cohen) {
				sum += pr.Cohen
				n++
			}
			out = append(out, pr)
		}
	}
	if n == 0 {
		return out, math.NaN()
	}
	return out, sum / float64(n)
}

// pairTable turns a 2×2 table of two coders' binary values into
// reliability data, a weighted unit per non-empty cell.
func pairTable(cell [2][2]float64) *table {
	t := &table{m: 2, labels: []string{"0", "1"}, nums: []float64{0, 1}, numeric: true}
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			if cell[a][b] > 0 {
				t.units = append(t.units, []int{a, b})
				t.weight = append(t.weight, cell[a][b])
			}
		}
	}
	return t
}

// group is the codings of one code in one compared document.
type group struct {
	doc     int // index into Report.Documents
	codings []coding.Coding
	coder   []int // index into Report.Coders, per coding
}

// Compute measures the agreement of the project's coders on their
// codings, per code and overall, and lists their disagreements sorted by
// document, position and code.
func Compute(ctx context.Context, s *coding.Store, opt Options) (*Report, error) {
	if opt.Unit == "" {
		opt.Unit = Char
	}
	if _, err := ParseUnit(string(opt.Unit)); err != nil {
		return nil, err
	}
	if opt.Overlap == 0 {
		opt.Overlap = DefaultOverlap
	}
	if opt.Overlap <= 0 || opt.Overlap > 1 || math.IsNaN(opt.Overlap) {
		return nil, fmt.Errorf("%w: overlap %g: want a share above 0 and at most 1", ErrInvalid, opt.Overlap)
	}
	codes, err := s.CodeTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	all, err := s.AllCodings(ctx)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	docs, err := s.Documents(ctx, opt.AllVersions)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	filters, err := coding.ParseAttrFilters(opt.Attrs)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	if len(filters) > 0 {
		docs = slices.DeleteFunc(docs, func(d coding.Document) bool { return !filters.Match(d.Attributes) })
	}
	if !opt.AllVersions || len(filters) > 0 {
		// Only the codings on the compared documents count (by default
		// their latest versions), for choosing the coders as for
		// comparing them.
		current := make(map[int64]bool, len(docs))
		for _, d := range docs {
			current[d.ID] = true
		}
		kept := all[:0]
		for _, c := range all {
			if current[c.DocID] {
				kept = append(kept, c)
			}
		}
		all = kept
	}

	coders, err := chooseCoders(ctx, s, all, opt.Coders)
	if err != nil {
		return nil, err
	}
	m := len(coders)
	coderIdx := make(map[string]int, m)
	for i, c := range coders {
		coderIdx[c] = i
	}
	full := uint64(1)<<m - 1

	// The compared documents: every chosen coder coded something there
	// (on the latest versions, unless opt.AllVersions).
	coded := map[int64]uint64{}
	for _, c := range all {
		if i, ok := coderIdx[c.Coder]; ok {
			coded[c.DocID] |= 1 << i
		}
	}
	r := &Report{Unit: opt.Unit, Coders: coders, AllVersions: opt.AllVersions, Documents: []Doc{}, LeftOut: []Doc{}, Codes: []CodeStats{}, Disagreements: []Disagreement{}}
	if opt.Unit == Segment {
		r.Overlap = opt.Overlap
	}
	docIdx := map[int64]int{}
	for _, d := range docs {
		mask := coded[d.ID]
		if mask == 0 {
			continue
		}
		doc := Doc{ID: d.ID, Name: d.Name, Version: d.Version, Latest: d.Latest, Length: d.Length, Coders: names(coders, mask)}
		if mask == full {
			docIdx[d.ID] = len(r.Documents)
			r.Documents = append(r.Documents, doc)
		} else {
			r.LeftOut = append(r.LeftOut, doc)
		}
	}
	if len(r.Documents) == 0 {
		return nil, fmt.Errorf("agreement: %w: no document has codings by each of %s", ErrNoUnits, strings.Join(coders, ", "))
	}

	// The reported codes.
	report := codes
	if len(opt.Codes) > 0 {
		report = nil
		seen := map[int64]bool{}
		for _, ref := range opt.Codes {
			c, err := coding.FindCode(codes, ref)
			if err != nil {
				return nil, fmt.Errorf("agreement: code %q: %w", ref, err)
			}
			if !seen[c.ID] {
				seen[c.ID] = true
				report = append(report, c)
			}
		}
	}
	wanted := map[int64]bool{}
	for _, c := range report {
		wanted[c.ID] = true
	}

	// The compared codings in document order, grouped by code and
	// document.
	compared := make([]int, 0, len(all))
	for i, c := range all {
		_, ok := coderIdx[c.Coder]
		_, in := docIdx[c.DocID]
		if ok && in && wanted[c.CodeID] {
			compared = append(compared, i)
		}
	}
	sort.Slice(compared, func(i, j int) bool {
		a, b := &all[compared[i]], &all[compared[j]]
		if a.DocID != b.DocID {
			return docIdx[a.DocID] < docIdx[b.DocID]
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.ID < b.ID
	})
	groups := map[int64][]*group{}
	last := map[int64]*group{}
	for _, i := range compared {
		c := all[i]
		di := docIdx[c.DocID]
		g := last[c.CodeID]
		if g == nil || g.doc != di {
			g = &group{doc: di}
			groups[c.CodeID] = append(groups[c.CodeID], g)
			last[c.CodeID] = g
		}
		g.codings = append(g.codings, c)
		g.coder = append(g.coder, coderIdx[c.Coder])
	}

	overall := patterns{}
	used := false
	var dis []*found
	for _, code := range report {
		gs := groups[code.ID]
		cs := CodeStats{CodeID: code.ID, Code: code.Path, Codings: map[string]int{}}
		for _, c := range coders {
			cs.Codings[c] = 0
		}
		for _, g := range gs {
			for _, ci := range g.coder {
				cs.Codings[coders[ci]]++
			}
		}
		p := patterns{}
		for di, d := range r.Documents {
			var g *group
			if len(gs) > 0 && gs[0].doc == di {
				g, gs = gs[0], gs[1:]
			}
			var here []found
			switch opt.Unit {
			case Char:
				here = chars(p, d, g, full)
			case Segment:
				here = segments(p, g, full, opt.Overlap)
			case Document:
				here = document(p, g, full)
			}
			for i := range here {
				f := &here[i]
				f.doc = di
				f.DocID, f.Document = d.ID, d.Name
				f.Code, f.CodeID = code.Path, code.ID
				f.Coded = names(coders, f.mask)
				f.Missing = names(coders, full&^f.mask)
			}
			for i := range here {
				dis = append(dis, &here[i])
			}
		}
		cs.Stats = p.stats(coders)
		if p[0] != sum(p) {
			overall.add(p)
			used = true
		}
		r.Codes = append(r.Codes, cs)
	}
	if used {
		r.Overall = overall.stats(coders)
	} else {
		r.Overall = patterns{}.stats(coders)
	}
	// Each code's disagreements are in document order already; this
	// interleaves the codes.
	sort.Slice(dis, func(i, j int) bool {
		a, b := dis[i], dis[j]
		if a.doc != b.doc {
			return a.doc < b.doc
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.mask < b.mask
	})
	r.Disagreements = make([]Disagreement, len(dis))
	for i, f := range dis {
		r.Disagreements[i] = f.Disagreement
	}
	if opt.Text {
		if err := fillText(ctx, s, r.Disagreements); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func sum(p patterns) float64 {
	t := 0.0
	for _, w := range p {
		t += w
	}
	return t
}

// chooseCoders returns the coders to compare, sorted: those asked for,
// else everyone with a coding.
func chooseCoders(ctx context.Context, s *coding.Store, all []coding.Coding, asked []string) ([]string, error) {
	var coders []string
	seen := map[string]bool{}
	if len(asked) > 0 {
		known, err := s.Coders(ctx)
		if err != nil {
			return nil, fmt.Errorf("agreement: %w", err)
		}
		ok := map[string]bool{}
		for _, k := range known {
			ok[k] = true
		}
		for _, c := range asked {
			c = strings.TrimSpace(c)
			if c == "" || seen[c] {
				continue
			}
			if !ok[c] {
				return nil, fmt.Errorf("agreement: no coder named %q (coders: %s): %w", c, strings.Join(known, ", "), coding.ErrNotFound)
			}
			seen[c] = true
			coders = append(coders, c)
		}
	} else {
		for _, c := range all {
			if !seen[c.Coder] {
				seen[c.Coder] = true
				coders = append(coders, c.Coder)
			}
		}
	}
	sort.Strings(coders)
	if len(coders) < 2 {
		return nil, fmt.Errorf("agreement: %w: it needs at least two coders, and %s", ErrCoders, onlyCoders(coders))
	}
	if len(coders) > MaxCoders {
		return nil, fmt.Errorf("agreement: %w: %d coders, at most %d at once", ErrInvalid, len(coders), MaxCoders)
	}
	return coders, nil
}

func onlyCoders(c []string) string {
	if len(c) == 0 {
		return "nobody has coded anything"
	}
	return "only " + c[0] + " is compared"
}

// names lists the coders whose bits are set in mask.
func names(coders []string, mask uint64) []string {
	out := []string{}
	for i, c := range coders {
		if mask>>i&1 == 1 {
			out = append(out, c)
		}
	}
	return out
}

// found is a disagreement with the coders who coded it as a bit mask.
type found struct {
	Disagreement
	mask uint64
	doc  int // index into Report.Documents
}

// overlapping returns the codings of g that overlap [start, end).
func overlapping(g *group, start, end int) []coding.Coding {
	var out []coding.Coding
	for _, c := range g.codings {
		if c.Start < end && c.End > start {
			out = append(out, c)
		}
	}
	return out
}

// fillText sets each disagreement's text, reading each document once.
func fillText(ctx context.Context, s *coding.Store, dis []Disagreement) error {
	var doc int64 = -1
	var text []rune
	for i := range dis {
		d := &dis[i]
		if d.DocID != doc {
			t, err := s.DocumentText(ctx, d.DocID)
			if err != nil {
				return fmt.Errorf("agreement: text of %s: %w", d.Document, err)
			}
			doc, text = d.DocID, []rune(t)
		}
		start, end := max(0, min(d.Start, len(text))), max(0, min(d.End, len(text)))
		d.Text = strings.TrimSpace(string(text[start:end]))
	}
	return nil
}
