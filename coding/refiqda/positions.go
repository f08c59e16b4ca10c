package refiqda

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// reading is one way a producer may count positions in a text file:
// code points or UTF-16 code units, and a CRLF line break as two units
// (as written) or as one (ATLAS.ti).
type reading struct {
	utf16   bool
	crlfOne bool
}

func (r reading) String() string {
	s := "code points"
	if r.utf16 {
		s = "UTF-16 code units"
	}
	if r.crlfOne {
		s += ", CRLF counted once"
	}
	return s
}

// sourceText is a text source as a producer wrote it, turned into the
// text qcode stores (no BOM, LF line endings, NFC), with what is needed
// to carry the producer's positions over to the stored text.
type sourceText struct {
	raw   string // the file's text after any BOM
	rawN  int    // code points of raw
	final string // the stored text
	n     int    // code points of final

	// toFinal maps a code point index of raw (0..rawN) onto one of final,
	// rounding down inside a sequence NFC rewrote; toFinalEnd rounds up.
	// Both are nil when raw is already the stored text.
	toFinal, toFinalEnd []int32

	hasAstral, hasCRLF bool
	units              map[reading][]int32 // cumulative units before each raw code point

	finalOffsets []int32 // byte offset of each code point of final, built on demand
	flat         string  // final with white space collapsed, built on demand
}

// newSourceText prepares raw (valid UTF-8) for import.
func newSourceText(raw string) *sourceText {
	raw = strings.TrimPrefix(raw, "\uFEFF")
	st := &sourceText{raw: raw}
	hasCR := false
	for _, r := range raw {
		st.rawN++
		switch {
		case r >= 0x10000:
			st.hasAstral = true
		case r == '\r':
			hasCR = true
		}
	}
	st.hasCRLF = hasCR && strings.Contains(raw, "\r\n")
	if !hasCR && norm.NFC.IsNormalString(raw) {
		st.final, st.n = raw, st.rawN
		return st
	}

	// Line breaks: CRLF and a lone CR become LF. The CR of a CRLF maps to
	// the position of its LF.
	var b strings.Builder
	b.Grow(len(raw))
	rawToLF := make([]int32, 0, st.rawN+1)
	k := int32(0)
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		rawToLF = append(rawToLF, k)
		switch {
		case r == '\r' && strings.HasPrefix(raw[i+size:], "\n"):
			// dropped: the LF that follows stands for the pair
		case r == '\r':
			b.WriteByte('\n')
			k++
		default:
			b.WriteString(raw[i : i+size])
			k++
		}
		i += size
	}
	rawToLF = append(rawToLF, k)
	lf := b.String()

	// NFC, segment by segment: a segment NFC leaves as long as it was
	// maps code point for code point; inside one it shortened or
	// lengthened, starts round down and ends round up.
	lfN := int(k)
	floor := make([]int32, lfN+1)
	ceil := make([]int32, lfN+1)
	var out strings.Builder
	out.Grow(len(lf))
	var it norm.Iter
	it.InitString(norm.NFC, lf)
	in, o := 0, int32(0)
	for !it.Done() {
		from := it.Pos()
		seg := it.Next()
		to := it.Pos()
		inN := utf8.RuneCountInString(lf[from:to])
		outN := int32(utf8.RuneCount(seg))
		out.Write(seg)
		if int32(inN) == outN {
			for j := 0; j < inN; j++ {
				floor[in+j], ceil[in+j] = o+int32(j), o+int32(j)
			}
		} else {
			floor[in], ceil[in] = o, o
			for j := 1; j < inN; j++ {
				floor[in+j], ceil[in+j] = o, o+outN
			}
		}
		in += inN
		o += outN
	}
	floor[lfN], ceil[lfN] = o, o
	st.final, st.n = out.String(), int(o)

	st.toFinal = make([]int32, st.rawN+1)
	st.toFinalEnd = make([]int32, st.rawN+1)
	for i, m := range rawToLF {
		st.toFinal[i], st.toFinalEnd[i] = floor[m], ceil[m]
	}
	return st
}

// readings lists the ways of counting that give different positions for
// this text, def first (reduced to what differs for this text: UTF-16
// only with characters beyond the BMP, CRLF only with CRLFs).
func (st *sourceText) readings(def reading) []reading {
	def.utf16 = def.utf16 && st.hasAstral
	def.crlfOne = def.crlfOne && st.hasCRLF
	out := []reading{def}
	for _, u := range []bool{false, true} {
		for _, c := range []bool{false, true} {
			r := reading{utf16: u && st.hasAstral, crlfOne: c && st.hasCRLF}
			if r != def && !containsReading(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

func containsReading(rs []reading, r reading) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// unitTable returns the units before each code point of raw under r, or
// nil when r counts code points as they are.
func (st *sourceText) unitTable(r reading) []int32 {
	r.utf16 = r.utf16 && st.hasAstral
	r.crlfOne = r.crlfOne && st.hasCRLF
	if r == (reading{}) {
		return nil
	}
	if t, ok := st.units[r]; ok {
		return t
	}
	t := make([]int32, 0, st.rawN+1)
	u := int32(0)
	for i := 0; i < len(st.raw); {
		c, size := utf8.DecodeRuneInString(st.raw[i:])
		t = append(t, u)
		switch {
		case r.crlfOne && c == '\r' && strings.HasPrefix(st.raw[i+size:], "\n"):
		case r.utf16 && c >= 0x10000:
			u += 2
		default:
			u++
		}
		i += size
	}
	t = append(t, u)
	if st.units == nil {
		st.units = map[reading][]int32{}
	}
	st.units[r] = t
	return t
}

// rawIndex turns position p counted under r into a code point index of
// raw; ok is false when p is outside the text or inside a character
// (the second half of a surrogate pair).
func (st *sourceText) rawIndex(p int, r reading) (int, bool) {
	if p < 0 {
		return 0, false
	}
	t := st.unitTable(r)
	if t == nil {
		return p, p <= st.rawN
	}
	i := sort.Search(len(t), func(i int) bool { return int(t[i]) >= p })
	if i == len(t) || int(t[i]) != p {
		return 0, false
	}
	return i, true
}

// span carries [start, end) counted under r over to the stored text.
func (st *sourceText) span(start, end int, r reading) (int, int, bool) {
	a, ok1 := st.rawIndex(start, r)
	b, ok2 := st.rawIndex(end, r)
	if !ok1 || !ok2 || a > b {
		return 0, 0, false
	}
	if st.toFinal != nil {
		a, b = int(st.toFinal[a]), int(st.toFinalEnd[b])
	}
	return a, b, true
}

// slice returns the stored text of the code points [a, b).
func (st *sourceText) slice(a, b int) string {
	if st.finalOffsets == nil {
		st.finalOffsets = make([]int32, 0, st.n+1)
		for i := range st.final {
			st.finalOffsets = append(st.finalOffsets, int32(i))
		}
		st.finalOffsets = append(st.finalOffsets, int32(len(st.final)))
	}
	return st.final[st.finalOffsets[a]:st.finalOffsets[b]]
}

// wordStart reports whether a selection starting at code point a of the
// stored text starts a word (or at something that is not a letter or a
// digit) rather than in the middle of one.
func (st *sourceText) wordStart(a int) bool {
	if a <= 0 || a >= st.n {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(st.slice(0, a))
	cur, _ := utf8.DecodeRuneInString(st.slice(a, a+1))
	return !isWordRune(prev) || !isWordRune(cur)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// contains reports whether the stored text holds excerpt (already
// flattened with flatten) anywhere.
func (st *sourceText) contains(excerpt string) bool {
	if st.flat == "" {
		st.flat = flatten(st.final)
	}
	return strings.Contains(st.flat, excerpt)
}

// flatten makes text comparable across producers: NFC, white space
// (line breaks included) collapsed to single spaces, trimmed.
func flatten(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// excerptOf returns the part of a selection's name that is the selected
// text, without a trailing ellipsis that marks it as truncated.
func excerptOf(name string) string {
	n := flatten(name)
	for _, e := range []string{"…", "..."} {
		n = strings.TrimSpace(strings.TrimSuffix(n, e))
	}
	return n
}

// holds reports whether the stored text [a, b) holds excerpt (flattened):
// the whole of it, or a prefix for names that producers truncate.
func (st *sourceText) holds(a, b int, excerpt string) bool {
	got := flatten(st.slice(a, b))
	return got == excerpt || (excerpt != "" && strings.HasPrefix(got, excerpt))
}
