package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query language, the same in 'qcode search', 'qcode autocode' and
// the workbench:
//
//	fear police            both words (two words with no operator mean AND)
//	fear OR smell          either; AND, OR and NOT are operators only in
//	                       capitals ("or" is a word); И, ИЛИ, НЕ as well
//	NOT police, -police    without the word
//	+police                the word (every word is required anyway)
//	(a OR b) c             parentheses group
//	"upper lars"           the words in a row; «…» and “…” quote too
//	"fear police"~5        the words within 5 words of each other, any order
//	fear NEAR/5 police     the same for two words
//	mobiliz*               words that start with mobiliz (* anywhere in a word)
//	mobilisation~1         words one edit away (at most 2)
//	speaker:"Anna K. Petrova"  code:Fear  -code:Fear  notcode:Fear
//	is:uncoded  is:coded  doc:R01  attr:wave=September  coder:anna
//	lang:ru  sort:rank
//
// NOT binds tighter than AND, and AND tighter than OR: "a OR b c" is
// "a OR (b AND c)". coder: and sort:rank apply to the whole query, so
// they may not stand under OR, NOT or in parentheses.

// Kind is what an Expr node is.
type Kind int

// The kinds of Expr nodes.
const (
	// KindWord is a word, searched in every form (stemmed).
	KindWord Kind = iota
	// KindPhrase is words in a row, or within Slop words of each other
	// when Slop > 0.
	KindPhrase
	// KindPrefix is a word with * in it: a pattern of spellings.
	KindPrefix
	// KindFuzzy is a word and the spellings Fuzz edits away from it.
	KindFuzzy
	// KindNear is two words within Slop words of each other.
	KindNear
	// KindAnd, KindOr and KindNot combine Subs.
	KindAnd
	KindOr
	KindNot
	// KindField is a filter: Field and Value.
	KindField
)

// Fields a query may filter on.
var queryFields = []string{"speaker", "code", "notcode", "doc", "attr", "coder", "lang", "is", "sort"}

// Expr is a parsed query, or a part of one.
type Expr struct {
	Kind Kind
	// Text is the word, the phrase's text, or the pattern.
	Text string
	// Slop is the distance of a proximity phrase or NEAR, in words.
	Slop int
	// Fuzz is a fuzzy word's edit distance.
	Fuzz int
	// Field and Value are a filter's (Field is "speaker", "code", ...).
	Field, Value string
	// Subs are the operands of AND, OR, NOT and NEAR.
	Subs []*Expr
	// Pos is the code-point column (from 1) where the part starts.
	Pos int
}

// QueryError says where a query cannot be read and why. It wraps
// ErrQuery.
type QueryError struct {
	// Query is the text, Pos the code-point column (from 1) of the
	// trouble, Reason what it is.
	Query  string
	Pos    int
	Reason string
}

func (e *QueryError) Error() string {
	if e.Pos <= 0 {
		return fmt.Sprintf("%v: %s", ErrQuery, e.Reason)
	}
	return fmt.Sprintf("%v at column %d: %s", ErrQuery, e.Pos, e.Reason)
}

// Unwrap makes a QueryError an ErrQuery.
func (e *QueryError) Unwrap() error { return ErrQuery }

// token kinds
type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tField
	tAnd
	tOr
	tNot
	tNear
	tOpen
	tClose
	tMinus
	tPlus
	tEOF
)

type token struct {
	kind tokKind
	text string // word, phrase text, field value
	// field name (for tField); the phrase's ~N; NEAR's /N
	field string
	num   int
	hasN  bool
	pos   int // code point column, from 1
	raw   string
}

// quote pairs: an opening quote and what closes it.
var quoteClose = map[rune]rune{'"': '"', '“': '”', '«': '»', '„': '“'}

func isClosingQuote(r rune) bool { return r == '"' || r == '”' || r == '»' || r == '“' }

type lexer struct {
	src  []rune
	i    int
	text string
}

func (lx *lexer) fail(pos int, format string, a ...any) error {
	return &QueryError{Query: lx.text, Pos: pos, Reason: fmt.Sprintf(format, a...)}
}

func isBreak(r rune) bool {
	if unicode.IsSpace(r) || r == '(' || r == ')' {
		return true
	}
	_, q := quoteClose[r]
	return q
}

// readQuoted reads a quoted stretch starting at lx.i (an opening quote)
// and returns its inside.
func (lx *lexer) readQuoted() (string, error) {
	open := lx.i
	closer := quoteClose[lx.src[lx.i]]
	lx.i++
	start := lx.i
	for lx.i < len(lx.src) {
		r := lx.src[lx.i]
		if r == closer || (closer == '"' && isClosingQuote(r)) || (r == '"') {
			s := string(lx.src[start:lx.i])
			lx.i++
			return s, nil
		}
		lx.i++
	}
	return "", lx.fail(open+1, "a quotation mark opened at %d is not closed", open+1)
}

// readTilde reads "~N" or "~" at lx.i, if there.
func (lx *lexer) readTilde() (n int, has, ok bool, err error) {
	if lx.i >= len(lx.src) || lx.src[lx.i] != '~' {
		return 0, false, false, nil
	}
	at := lx.i
	lx.i++
	j := lx.i
	for lx.i < len(lx.src) && lx.src[lx.i] >= '0' && lx.src[lx.i] <= '9' {
		lx.i++
	}
	if j == lx.i {
		return 0, false, true, nil
	}
	n, err = strconv.Atoi(string(lx.src[j:lx.i]))
	if err != nil || n > 1000 {
		return 0, false, true, lx.fail(at+1, "the number after ~ is too large")
	}
	return n, true, true, nil
}

func (lx *lexer) tokens() ([]token, error) {
	var out []token
	for {
		for lx.i < len(lx.src) && unicode.IsSpace(lx.src[lx.i]) {
			lx.i++
		}
		if lx.i >= len(lx.src) {
			out = append(out, token{kind: tEOF, pos: len(lx.src) + 1})
			return out, nil
		}
		pos := lx.i + 1
		r := lx.src[lx.i]
		switch {
		case r == '(':
			lx.i++
			out = append(out, token{kind: tOpen, pos: pos, raw: "("})
			continue
		case r == ')':
			lx.i++
			out = append(out, token{kind: tClose, pos: pos, raw: ")"})
			continue
		case r == '-' || r == '+':
			// A sign before a word, phrase, field or parenthesis.
			if lx.i+1 < len(lx.src) && !unicode.IsSpace(lx.src[lx.i+1]) && lx.src[lx.i+1] != ')' && lx.src[lx.i+1] != r {
				lx.i++
				k := tMinus
				if r == '+' {
					k = tPlus
				}
				out = append(out, token{kind: k, pos: pos, raw: string(r)})
				continue
			}
		}
		if _, ok := quoteClose[r]; ok {
			s, err := lx.readQuoted()
			if err != nil {
				return nil, err
			}
			t := token{kind: tPhrase, text: s, pos: pos}
			n, has, ok, err := lx.readTilde()
			if err != nil {
				return nil, err
			}
			if ok && !has {
				return nil, lx.fail(lx.i, `a phrase's ~ needs a number of words: "fear police"~5`)
			}
			t.num, t.hasN = n, has
			if lx.i < len(lx.src) && !isBreak(lx.src[lx.i]) {
				return nil, lx.fail(lx.i+1, "put a space after the closing quotation mark")
			}
			out = append(out, t)
			continue
		}
		// A bare word, perhaps name:value.
		start := lx.i
		for lx.i < len(lx.src) && !isBreak(lx.src[lx.i]) && lx.src[lx.i] != ':' {
			lx.i++
		}
		if lx.i < len(lx.src) && lx.src[lx.i] == ':' && lx.i > start && allLetters(lx.src[start:lx.i]) {
			name := strings.ToLower(string(lx.src[start:lx.i]))
			if !knownField(name) {
				return nil, lx.fail(pos, "%s: is not a field; the fields are %s", string(lx.src[start:lx.i]), strings.Join(fieldList(), ", "))
			}
			lx.i++
			v, err := lx.readValue()
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(v) == "" {
				return nil, lx.fail(pos, "a field name (like %s:) has no value after it", name)
			}
			out = append(out, token{kind: tField, field: name, text: v, pos: pos, raw: string(lx.src[start:lx.i])})
			continue
		}
		for lx.i < len(lx.src) && !isBreak(lx.src[lx.i]) {
			lx.i++
		}
		w := string(lx.src[start:lx.i])
		if !hasWordChar(w) && !strings.ContainsAny(w, "*~") {
			continue // punctuation alone, a dash between words: nothing to search
		}
		t := token{kind: tWord, text: w, pos: pos, raw: w}
		switch w {
		case "AND", "И":
			t.kind = tAnd
		case "OR", "ИЛИ":
			t.kind = tOr
		case "NOT", "НЕ":
			t.kind = tNot
		default:
			if rest, ok := strings.CutPrefix(w, "NEAR"); ok && (rest == "" || rest[0] == '/') {
				n, err := strconv.Atoi(strings.TrimPrefix(rest, "/"))
				if rest == "" || err != nil || n < 1 || n > 1000 {
					return nil, lx.fail(pos, "NEAR needs a distance in words, from 1 to 1000: fear NEAR/5 police")
				}
				t.kind, t.num = tNear, n
			}
		}
		out = append(out, t)
	}
}

// readValue reads a field's value: bare characters and quoted stretches
// up to a space or parenthesis outside quotes.
func (lx *lexer) readValue() (string, error) {
	var b strings.Builder
	for lx.i < len(lx.src) {
		r := lx.src[lx.i]
		if _, ok := quoteClose[r]; ok {
			s, err := lx.readQuoted()
			if err != nil {
				return "", err
			}
			b.WriteString(s)
			continue
		}
		if unicode.IsSpace(r) || r == '(' || r == ')' {
			break
		}
		b.WriteRune(r)
		lx.i++
	}
	return b.String(), nil
}

func allLetters(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func knownField(name string) bool {
	if name == "-code" {
		return true
	}
	for _, f := range queryFields {
		if f == name {
			return true
		}
	}
	return false
}

func fieldList() []string {
	out := make([]string, len(queryFields))
	for i, f := range queryFields {
		out[i] = f + ":"
	}
	return out
}

// parser is a recursive-descent parser over the tokens.
type parser struct {
	lx   *lexer
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

// Parse reads a query. Empty text gives a nil Expr (every passage). The
// error, an ErrQuery, names the column and the reason.
func Parse(text string) (*Expr, error) {
	if len(text) > MaxQueryLength {
		return nil, &QueryError{Query: text, Reason: fmt.Sprintf("the query is %d characters long; the limit is %d", len(text), MaxQueryLength)}
	}
	if !utf8.ValidString(text) {
		return nil, &QueryError{Query: text, Reason: "the query is not valid UTF-8"}
	}
	lx := &lexer{src: []rune(text), text: text}
	toks, err := lx.tokens()
	if err != nil {
		return nil, err
	}
	p := &parser{lx: lx, toks: toks}
	if p.peek().kind == tEOF {
		return nil, nil
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tClose {
			return nil, lx.fail(t.pos, "a parenthesis closed at %d was never opened", t.pos)
		}
		return nil, lx.fail(t.pos, "%s is not expected here", t.raw)
	}
	if err := p.checkGlobal(e, true); err != nil {
		return nil, err
	}
	return e, nil
}

// maxDepth bounds nesting, so a query of a thousand parentheses is an
// error and not a deep recursion.
const maxDepth = 100

func (p *parser) or(depth int) (*Expr, error) {
	if depth > maxDepth {
		return nil, p.lx.fail(p.peek().pos, "the query nests more than %d levels deep", maxDepth)
	}
	if t := p.peek(); t.kind == tOr {
		return nil, p.lx.fail(t.pos, "%s at %d has nothing before it", t.raw, t.pos)
	}
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	subs := []*Expr{first}
	for p.peek().kind == tOr {
		op := p.next()
		if k := p.peek().kind; k == tEOF || k == tClose || k == tOr || k == tAnd {
			return nil, p.lx.fail(op.pos, "%s at %d has nothing after it", op.raw, op.pos)
		}
		e, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		subs = append(subs, e)
	}
	if len(subs) == 1 {
		return first, nil
	}
	return &Expr{Kind: KindOr, Subs: flatten(KindOr, subs), Pos: first.Pos}, nil
}

func flatten(k Kind, subs []*Expr) []*Expr {
	var out []*Expr
	for _, s := range subs {
		if s.Kind == k {
			out = append(out, s.Subs...)
		} else {
			out = append(out, s)
		}
	}
	return out
}

func startsUnary(k tokKind) bool {
	switch k {
	case tWord, tPhrase, tField, tNot, tOpen, tMinus, tPlus:
		return true
	}
	return false
}

func (p *parser) and(depth int) (*Expr, error) {
	if t := p.peek(); t.kind == tAnd {
		return nil, p.lx.fail(t.pos, "%s at %d has nothing before it", t.raw, t.pos)
	}
	first, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	subs := []*Expr{first}
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.next()
			if k := p.peek().kind; !startsUnary(k) {
				return nil, p.lx.fail(t.pos, "%s at %d has nothing after it", t.raw, t.pos)
			}
		} else if !startsUnary(t.kind) {
			break
		}
		e, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		subs = append(subs, e)
	}
	if len(subs) == 1 {
		return first, nil
	}
	return &Expr{Kind: KindAnd, Subs: flatten(KindAnd, subs), Pos: first.Pos}, nil
}

func (p *parser) unary(depth int) (*Expr, error) {
	t := p.peek()
	switch t.kind {
	case tNot, tMinus:
		p.next()
		if !startsUnary(p.peek().kind) {
			return nil, p.lx.fail(t.pos, "%s at %d has nothing after it", t.raw, t.pos)
		}
		if t.kind == tMinus && (p.peek().kind == tMinus || p.peek().kind == tNot || p.peek().kind == tPlus) {
			return nil, p.lx.fail(t.pos, "- must stand right before a word, a phrase, a field or a parenthesis")
		}
		sub, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: KindNot, Subs: []*Expr{sub}, Pos: t.pos}, nil
	case tPlus:
		p.next()
		if k := p.peek().kind; k != tWord && k != tPhrase && k != tField && k != tOpen {
			return nil, p.lx.fail(t.pos, "+ must stand right before a word, a phrase, a field or a parenthesis")
		}
		return p.near(depth)
	}
	return p.near(depth)
}

func (p *parser) near(depth int) (*Expr, error) {
	if t := p.peek(); t.kind == tNear {
		return nil, p.lx.fail(t.pos, "%s needs a word on each side", t.raw)
	}
	left, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tNear {
		p.next()
		if left.Kind != KindWord || p.peek().kind != tWord {
			return nil, p.lx.fail(t.pos, "%s needs a word on each side", t.raw)
		}
		right, err := p.primary(depth)
		if err != nil {
			return nil, err
		}
		if right.Kind != KindWord {
			return nil, p.lx.fail(t.pos, "%s needs a word on each side", t.raw)
		}
		if p.peek().kind == tNear {
			n := p.peek()
			return nil, p.lx.fail(n.pos, "NEAR joins two words; for more, write (a NEAR/5 b) AND (b NEAR/5 c)")
		}
		return &Expr{Kind: KindNear, Slop: t.num, Subs: []*Expr{left, right}, Pos: left.Pos}, nil
	}
	return left, nil
}

func (p *parser) primary(depth int) (*Expr, error) {
	t := p.next()
	switch t.kind {
	case tOpen:
		if p.peek().kind == tClose {
			return nil, p.lx.fail(t.pos, "the parentheses at %d have nothing inside", t.pos)
		}
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tClose {
			if c.kind == tEOF {
				return nil, p.lx.fail(t.pos, "a parenthesis opened at %d is never closed", t.pos)
			}
			return nil, p.lx.fail(c.pos, "%s is not expected here", c.raw)
		}
		p.next()
		return e, nil
	case tPhrase:
		words := strings.Fields(t.text)
		if len(words) == 0 {
			return nil, p.lx.fail(t.pos, "the quotation marks at %d have nothing inside", t.pos)
		}
		return &Expr{Kind: KindPhrase, Text: strings.Join(words, " "), Slop: t.num, Pos: t.pos}, nil
	case tField:
		return p.field(t)
	case tWord:
		return p.word(t)
	case tEOF:
		return nil, p.lx.fail(t.pos, "the query ends too early")
	}
	return nil, p.lx.fail(t.pos, "%s is not expected here", t.raw)
}

func (p *parser) word(t token) (*Expr, error) {
	w := t.text
	if !hasWordChar(w) {
		if strings.ContainsRune(w, '*') {
			return nil, p.lx.fail(t.pos, "* needs letters with it: mobiliz*")
		}
		return nil, p.lx.fail(t.pos, "%s has no letters or digits to search for", w)
	}
	if i := strings.LastIndexByte(w, '~'); i >= 0 && i > 0 {
		n := 1
		if num := w[i+1:]; num != "" {
			v, err := strconv.Atoi(num)
			if err != nil {
				return &Expr{Kind: KindWord, Text: w, Pos: t.pos}, nil
			}
			n = v
		}
		if n < 1 || n > 2 {
			return nil, p.lx.fail(t.pos, "a fuzzy word allows 1 or 2 edits (word~1, word~2), not %d", n)
		}
		base := w[:i]
		if strings.ContainsRune(base, '*') {
			return nil, p.lx.fail(t.pos, "a word cannot be both a pattern (*) and fuzzy (~)")
		}
		if !hasWordChar(base) {
			return nil, p.lx.fail(t.pos, "~ must follow a word")
		}
		return &Expr{Kind: KindFuzzy, Text: base, Fuzz: n, Pos: t.pos}, nil
	}
	if strings.ContainsRune(w, '*') {
		if !hasWordChar(w) {
			return nil, p.lx.fail(t.pos, "* needs letters with it: mobiliz*")
		}
		return &Expr{Kind: KindPrefix, Text: w, Pos: t.pos}, nil
	}
	return &Expr{Kind: KindWord, Text: w, Pos: t.pos}, nil
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func (p *parser) field(t token) (*Expr, error) {
	name, v := t.field, strings.TrimSpace(t.text)
	e := &Expr{Kind: KindField, Field: name, Value: v, Pos: t.pos}
	switch name {
	case "-code", "notcode":
		e.Field = "code"
		return &Expr{Kind: KindNot, Subs: []*Expr{e}, Pos: t.pos}, nil
	case "is":
		if v != "uncoded" && v != "coded" {
			return nil, p.lx.fail(t.pos, "is: takes uncoded or coded, not %q", v)
		}
	case "sort":
		if v != "rank" {
			return nil, p.lx.fail(t.pos, "sort: takes rank (by relevance), not %q; document order is the default", v)
		}
	case "attr":
		k, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, p.lx.fail(t.pos, "attr: wants KEY=VALUE, like attr:wave=September")
		}
		e.Value = strings.TrimSpace(k) + "=" + strings.TrimSpace(val)
	}
	return e, nil
}

// checkGlobal refuses coder: and sort:rank anywhere but at the top, alone
// or among ANDed parts: they apply to the whole query.
func (p *parser) checkGlobal(e *Expr, top bool) error {
	switch e.Kind {
	case KindField:
		if !top && (e.Field == "coder" || e.Field == "sort") {
			return p.lx.fail(e.Pos, "%s:%s applies to the whole query; it cannot stand under OR or NOT", e.Field, e.Value)
		}
	case KindAnd:
		for _, s := range e.Subs {
			if err := p.checkGlobal(s, top); err != nil {
				return err
			}
		}
	default:
		for _, s := range e.Subs {
			if err := p.checkGlobal(s, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// Globals are the parts of a query that apply to all of it.
type Globals struct {
	// Coder narrows code:, -code: and is:uncoded to that coder's
	// codings (see Query.Coder); Rank orders by relevance.
	Coder string
	Rank  bool
}

// Globals returns the coder: and sort:rank of the query (a nil Expr has
// none). Two different coder: values are an error.
func (e *Expr) Globals() (Globals, error) {
	var g Globals
	var walk func(x *Expr) error
	walk = func(x *Expr) error {
		switch {
		case x == nil:
		case x.Kind == KindField && x.Field == "sort":
			g.Rank = true
		case x.Kind == KindField && x.Field == "coder":
			if g.Coder != "" && g.Coder != x.Value {
				return &QueryError{Pos: x.Pos, Reason: fmt.Sprintf("coder:%s and coder:%s: one coder per query", g.Coder, x.Value)}
			}
			g.Coder = x.Value
		case x.Kind == KindAnd:
			for _, s := range x.Subs {
				if err := walk(s); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return g, walk(e)
}

// String is the query as understood: fully parenthesised, each part with
// the field it searches (text: stemmed words, raw: spellings as written;
// code:X/* is the code and its sub-codes).
func (e *Expr) String() string {
	if e == nil {
		return "(every passage)"
	}
	var b strings.Builder
	e.write(&b, true)
	return b.String()
}

func quoteValue(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\"()«»“”:") {
		return strconv.Quote(v)
	}
	return v
}

func (e *Expr) write(b *strings.Builder, top bool) {
	switch e.Kind {
	case KindWord:
		b.WriteString("text:" + quoteValue(e.Text))
	case KindPhrase:
		b.WriteString("text:" + strconv.Quote(e.Text))
		if e.Slop > 0 {
			fmt.Fprintf(b, "~%d", e.Slop)
		}
	case KindPrefix:
		b.WriteString("raw:" + quoteValue(e.Text))
	case KindFuzzy:
		fmt.Fprintf(b, "raw:%s~%d", quoteValue(e.Text), e.Fuzz)
	case KindNear:
		fmt.Fprintf(b, "text:%s NEAR/%d text:%s", quoteValue(e.Subs[0].Text), e.Slop, quoteValue(e.Subs[1].Text))
	case KindField:
		v := quoteValue(e.Value)
		if e.Field == "code" {
			v = quoteValue(e.Value + "/*")
		}
		b.WriteString(e.Field + ":" + v)
	case KindNot:
		b.WriteString("NOT ")
		e.Subs[0].writeSub(b)
	case KindAnd, KindOr:
		op := " AND "
		if e.Kind == KindOr {
			op = " OR "
		}
		for i, s := range e.Subs {
			if i > 0 {
				b.WriteString(op)
			}
			s.writeSub(b)
		}
	}
}

func (e *Expr) writeSub(b *strings.Builder) {
	if e.Kind == KindAnd || e.Kind == KindOr || e.Kind == KindNear {
		b.WriteString("(")
		e.write(b, false)
		b.WriteString(")")
		return
	}
	e.write(b, false)
}

// Explain says in words how the query is understood: the canonical form,
// then one line for each word, phrase or filter.
func (e *Expr) Explain() string {
	var b strings.Builder
	b.WriteString(e.String())
	b.WriteString("\n")
	var walk func(x *Expr, not string)
	walk = func(x *Expr, not string) {
		if x == nil {
			return
		}
		switch x.Kind {
		case KindWord:
			fmt.Fprintf(&b, "  %s%s: the word in any form (searched as %s)\n", not, x.Text, strings.Join(analyzeText(x.Text), " "))
		case KindPhrase:
			terms := strings.Join(analyzeText(x.Text), " ")
			if x.Slop > 0 {
				fmt.Fprintf(&b, "  %s%q~%d: the words %s within %d words of each other, in any order\n", not, x.Text, x.Slop, terms, x.Slop)
			} else {
				fmt.Fprintf(&b, "  %s%q: the words in a row, in any form (%s)\n", not, x.Text, terms)
			}
		case KindPrefix:
			fmt.Fprintf(&b, "  %s%s: words spelled like %s (* is any letters), not stemmed\n", not, x.Text, foldTerm(x.Text))
		case KindFuzzy:
			fmt.Fprintf(&b, "  %s%s~%d: words within %d edits of %s, not stemmed\n", not, x.Text, x.Fuzz, x.Fuzz, foldTerm(x.Text))
		case KindNear:
			fmt.Fprintf(&b, "  %s%s NEAR/%d %s: both words, at most %d words apart\n", not, x.Subs[0].Text, x.Slop, x.Subs[1].Text, x.Slop)
			return
		case KindField:
			fmt.Fprintf(&b, "  %s%s:%s: %s\n", not, x.Field, quoteValue(x.Value), fieldMeaning(x.Field, x.Value))
		case KindNot:
			if not == "" {
				not = "NOT "
			} else {
				not = ""
			}
		}
		for _, s := range x.Subs {
			walk(s, not)
		}
	}
	walk(e, "")
	return b.String()
}

func fieldMeaning(field, v string) string {
	switch field {
	case "speaker":
		return "passages of that speaker (case ignored)"
	case "code":
		return "passages coded with the code or any of its sub-codes"
	case "doc":
		return "passages of that document"
	case "attr":
		return "passages of documents with that attribute value"
	case "coder":
		return "code:, -code: and is:uncoded count only that coder's codings"
	case "lang":
		return "passages of documents in that language"
	case "is":
		if v == "coded" {
			return "passages with some coding"
		}
		return "passages with no coding"
	case "sort":
		return "most relevant first, instead of document order"
	}
	return ""
}

// Explain says how the whole search is understood: its text parsed (see
// Parse) and ANDed with its filters, as Expr.Explain writes it.
func (q Query) Explain() (string, error) {
	e, err := Parse(q.Text)
	if err != nil {
		return "", err
	}
	var parts []*Expr
	if e != nil {
		parts = append(parts, e)
	}
	field := func(name, v string) *Expr { return &Expr{Kind: KindField, Field: name, Value: v} }
	anyOf := func(name string, vs []string) {
		var subs []*Expr
		for _, v := range vs {
			subs = append(subs, field(name, v))
		}
		switch len(subs) {
		case 0:
		case 1:
			parts = append(parts, subs[0])
		default:
			parts = append(parts, &Expr{Kind: KindOr, Subs: subs})
		}
	}
	anyOf("code", q.Codes)
	for _, c := range q.NotCodes {
		parts = append(parts, &Expr{Kind: KindNot, Subs: []*Expr{field("code", c)}})
	}
	if q.Uncoded {
		parts = append(parts, field("is", "uncoded"))
	}
	if q.Speaker != "" {
		parts = append(parts, field("speaker", q.Speaker))
	}
	anyOf("doc", q.Docs)
	for _, kv := range q.Attrs {
		parts = append(parts, field("attr", kv))
	}
	if q.Coder != "" {
		parts = append(parts, field("coder", q.Coder))
	}
	if q.Rank {
		parts = append(parts, field("sort", "rank"))
	}
	switch len(parts) {
	case 0:
		return (*Expr)(nil).Explain(), nil
	case 1:
		return parts[0].Explain(), nil
	}
	return (&Expr{Kind: KindAnd, Subs: flatten(KindAnd, parts)}).Explain(), nil
}
