package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
	"github.com/qcode-dev/qcode/index"
)

// outFlags are the flags every export shares, for what leaves the
// machine: --pseudonymise (with --key) replaces every real value of the
// pseudonym key with its pseudonym, --encrypt-to encrypts the output to
// an age public key.
type outFlags struct {
	pseudonymise bool
	key          string
	encryptTo    []string
	recipients   []age.Recipient
}

// register adds the flags to cmd.
func (o *outFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&o.pseudonymise, "pseudonymise", false, "replace every real value of the pseudonym key (names, places, in any case form) with its pseudonym; see 'qcode pseudo'")
	fl.BoolVar(&o.pseudonymise, "pseudonymize", false, "same as --pseudonymise")
	fl.MarkHidden("pseudonymize")
	fl.StringVar(&o.key, "key", "", "the pseudonym key file for --pseudonymise (default: $QCODE_KEY, else the project's key in your config folder)")
	fl.StringArrayVar(&o.encryptTo, "encrypt-to", nil, "encrypt the output to this age public key (age1…); a file gets .age added to its name (repeatable: each recipient can decrypt)")
}

// check refuses bad flags before any work and returns the path to write:
// out with .age added when the output is encrypted to a file whose name
// does not end so. out "" or "-" is standard output, which must not be a
// terminal when encrypting.
func (o *outFlags) check(a *app, out string) (string, error) {
	if o.key != "" && !o.pseudonymise {
		return "", errors.New("--key names the pseudonym key for --pseudonymise; add --pseudonymise")
	}
	o.recipients = o.recipients[:0]
	for _, r := range o.encryptTo {
		rec, err := age.ParseX25519Recipient(strings.TrimSpace(r))
		if err != nil {
			return "", fmt.Errorf("--encrypt-to %q: not an age public key (age1… from 'age-keygen'): %w", r, err)
		}
		o.recipients = append(o.recipients, rec)
	}
	if len(o.recipients) == 0 {
		return out, nil
	}
	if out == "" || out == "-" {
		if isTerminal(a.stdout) {
			return "", errors.New("--encrypt-to writes encrypted bytes, not for a terminal: give -o FILE, or redirect the output")
		}
		return out, nil
	}
	if !strings.HasSuffix(strings.ToLower(out), ".age") {
		out += ".age"
		if err := a.checkOutput(out); err != nil {
			return "", err
		}
	}
	return out, nil
}

// encrypting reports whether the output is encrypted.
func (o *outFlags) encrypting() bool { return len(o.recipients) > 0 }

// write writes data to path, or to standard output when path is "" or
// "-", encrypted when --encrypt-to asks.
func (o *outFlags) write(a *app, path string, data []byte) error {
	if o.encrypting() {
		var buf bytes.Buffer
		w, err := age.Encrypt(&buf, o.recipients...)
		if err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
		data = buf.Bytes()
	}
	if path == "" || path == "-" {
		_, err := a.stdout.Write(data)
		return err
	}
	return writeFileAtomic(path, data)
}

// stream makes what a command prints to standard output go through age
// when --encrypt-to asks, for commands that print as they go (search,
// show); finish closes the encryption and gives back standard output.
// It is called as: defer func() { err = finish(err) }().
func (o *outFlags) stream(a *app) (finish func(error) error, err error) {
	if !o.encrypting() {
		return func(err error) error { return err }, nil
	}
	orig := a.stdout
	w, err := age.Encrypt(orig, o.recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	a.stdout = w
	return func(err error) error {
		a.stdout = orig
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("encrypt: %w", cerr)
		}
		return err
	}, nil
}

// pseudonymiser is nil unless --pseudonymise asks; then it holds the
// project's key in force, read through pseudo.KeyFor. A key that holds
// no entry, or lacks entries the project has in force (another
// machine's key), is refused: the output would carry real values.
func (o *outFlags) pseudonymiser(a *app, s *coding.Store) (*pseudonymiser, error) {
	if !o.pseudonymise {
		return nil, nil
	}
	override := o.key
	if override == "" {
		override = a.getenv("QCODE_KEY")
	}
	k, err := pseudo.InForce(a.ctx, s, override)
	if err != nil {
		return nil, fmt.Errorf("--pseudonymise: %w", err)
	}
	if len(k.Entries) == 0 {
		return nil, fmt.Errorf("--pseudonymise: the project has no pseudonyms yet (key %s): nothing would be replaced; add pairs with 'qcode pseudo add REAL PSEUDONYM'", k.Path)
	}
	return newPseudonymiser(k.Entries), nil
}

// workbenchPseudonyms reads the key for the workbench's pseudonymised
// view, from $QCODE_KEY or the default place.
func (a *app) workbenchPseudonyms(s *coding.Store) func(ctx context.Context) (*pseudo.Matcher, error) {
	return func(ctx context.Context) (*pseudo.Matcher, error) {
		k, err := pseudo.InForce(ctx, s, a.getenv("QCODE_KEY"))
		if err != nil {
			return nil, err
		}
		return pseudo.NewMatcher(k.Entries), nil
	}
}

// pseudonymiser replaces the key's real values in what an export writes.
// A text of a document is replaced whole and every position in it is
// moved with pseudo.Shift, so that a span which begins or ends inside a
// name covers the whole pseudonym and never a piece of the name. Quote
// ids stay those of the real text: they are derived from the real
// positions, so a quote cited from a pseudonymised export is found again
// with 'qcode show ID'.
type pseudonymiser struct {
	m *pseudo.Matcher
	// docs are the documents some entry is limited to, for text that
	// belongs to no document (a code's description, a case's name).
	docs []string
	// views caches each document's replaced text, by GUID.
	views map[string]*docView
}

// docView is one document's text with the key applied.
type docView struct {
	name    string // the real name, which limits entries to it
	real    string
	text    string
	matches []pseudo.Match
	shift   *pseudo.Shifter
	runes   []rune // of real, made when first needed
}

func newPseudonymiser(entries []pseudo.Entry) *pseudonymiser {
	p := &pseudonymiser{m: pseudo.NewMatcher(entries), views: map[string]*docView{}}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Doc != "" && !seen[e.Doc] {
			seen[e.Doc] = true
			p.docs = append(p.docs, e.Doc)
		}
	}
	return p
}

// in replaces the real values in s, a text of the document named doc.
func (p *pseudonymiser) in(doc, s string) string {
	if p == nil || s == "" {
		return s
	}
	out, _ := p.m.Replace(doc, s)
	return out
}

// anywhere replaces the real values in s, a text of no one document:
// the entries of every document apply.
func (p *pseudonymiser) anywhere(s string) string {
	if p == nil {
		return s
	}
	s = p.in("", s)
	for _, d := range p.docs {
		s = p.in(d, s)
	}
	return s
}

// view is the document's text with the key applied, computed once.
func (p *pseudonymiser) view(guid, name, text string) *docView {
	if v, ok := p.views[guid]; ok && v.real == text {
		return v
	}
	out, ms := p.m.Replace(name, text)
	v := &docView{name: name, real: text, text: out, matches: ms, shift: pseudo.NewShifter(ms)}
	p.views[guid] = v
	return v
}

// viewOf is the view of the stored document with this GUID.
func (p *pseudonymiser) viewOf(a *app, s *coding.Store, guid string) (*docView, error) {
	if v, ok := p.views[guid]; ok {
		return v, nil
	}
	d, err := s.Document(a.ctx, guid, true)
	if err != nil {
		return nil, err
	}
	return p.view(guid, d.Name, d.Text), nil
}

// viewByID is viewOf for a document's numeric id.
func (p *pseudonymiser) viewByID(a *app, s *coding.Store, id int64) (*docView, error) {
	d, err := s.DocumentByID(a.ctx, id, false)
	if err != nil {
		return nil, err
	}
	if v, ok := p.views[d.GUID]; ok {
		return v, nil
	}
	if d, err = s.DocumentByID(a.ctx, id, true); err != nil {
		return nil, err
	}
	return p.view(d.GUID, d.Name, d.Text), nil
}

// start and end move a position of the real text to the replaced one.
func (v *docView) start(pos int) int { return v.shift.Shift(pos, true) }
func (v *docView) end(pos int) int   { return v.shift.Shift(pos, false) }

// span moves [start, end) to the replaced text.
func (v *docView) span(sp coding.Span) coding.Span {
	return coding.Span{Start: v.start(sp.Start), End: v.end(sp.End)}
}

// slice is the replaced text of the real span [start, end).
func (v *docView) slice(start, end int) string {
	return coding.Slice(v.text, v.start(start), v.end(end))
}

// around is the replaced text of context, which the real text holds
// ending at pos (before) or starting at pos (after), apart from the
// white space between; when it does not, context is replaced as it is.
func (p *pseudonymiser) around(v *docView, context string, pos int, before bool) string {
	if context == "" {
		return ""
	}
	if v.runes == nil {
		v.runes = []rune(v.real)
	}
	rs := v.runes
	n := utf8.RuneCountInString(context)
	if before {
		e := pos
		for e > 0 && e <= len(rs) && unicode.IsSpace(rs[e-1]) {
			e--
		}
		if b := e - n; b >= 0 && e <= len(rs) && string(rs[b:e]) == context {
			return strings.TrimSpace(coding.Slice(v.text, v.start(b), v.start(pos)))
		}
	} else {
		b := pos
		for b < len(rs) && unicode.IsSpace(rs[b]) {
			b++
		}
		if e := b + n; b >= 0 && e <= len(rs) && string(rs[b:e]) == context {
			return strings.TrimSpace(coding.Slice(v.text, v.end(pos), v.end(e)))
		}
	}
	return p.in(v.name, context)
}

// quotes pseudonymises quotes: texts, context, speakers, attributions,
// memos, document and code names, and positions (of the replaced text).
// The ids stay those of the real passages.
func (p *pseudonymiser) quotes(a *app, s *coding.Store, qs []coding.Quote) ([]coding.Quote, error) {
	if p == nil {
		return qs, nil
	}
	out := make([]coding.Quote, len(qs))
	for i, q := range qs {
		v, err := p.viewOf(a, s, q.DocumentGUID)
		if err != nil {
			return nil, fmt.Errorf("pseudonymise: %w", err)
		}
		doc := q.Document
		q.Before = p.around(v, q.Before, q.Start, true)
		q.After = p.around(v, q.After, q.End, false)
		q.Text = v.slice(q.Start, q.End)
		q.Start, q.End = v.start(q.Start), v.end(q.End)
		q.Speaker = p.in(doc, q.Speaker)
		q.Attribution = p.in(doc, q.Attribution)
		q.Memo = p.in(doc, q.Memo)
		q.Code = p.anywhere(q.Code)
		q.Document = p.in(doc, doc)
		out[i] = q
	}
	return out, nil
}

// codes pseudonymises the names, paths and descriptions of codes.
func (p *pseudonymiser) codes(cs []coding.Code) []coding.Code {
	if p == nil {
		return cs
	}
	out := make([]coding.Code, len(cs))
	for i, c := range cs {
		c.Name, c.Path, c.Description = p.anywhere(c.Name), p.anywhere(c.Path), p.anywhere(c.Description)
		out[i] = c
	}
	return out
}

// document pseudonymises a document shown whole with its turns and
// codings: its text, name, source, attributes, speakers, and every
// position. The text's hash is of the replaced text, and the source
// file's hash is left out: either would let anyone holding the output
// test a guessed name.
func (p *pseudonymiser) document(d coding.Document, turns []coding.Turn, cs []coding.Coding) (coding.Document, []coding.Turn, []coding.Coding) {
	if p == nil {
		return d, turns, cs
	}
	v := p.view(d.GUID, d.Name, d.Text)
	return p.doc(v, d), p.turns(v, turns), p.codings(v, cs)
}

// doc is d with the key applied (its text from v).
func (p *pseudonymiser) doc(v *docView, d coding.Document) coding.Document {
	name := d.Name
	if d.Text != "" {
		d.Text = v.text
		d.Length = utf8.RuneCountInString(v.text)
		sum := sha256.Sum256([]byte(v.text))
		d.TextSHA256 = hex.EncodeToString(sum[:])
	}
	d.SourceSHA256 = ""
	d.Source = p.in(name, d.Source)
	d.Attributes = p.attributes(name, d.Attributes)
	d.Name = p.in(name, name)
	return d
}

func (p *pseudonymiser) attributes(doc string, attrs []coding.Attribute) []coding.Attribute {
	if len(attrs) == 0 {
		return attrs
	}
	out := make([]coding.Attribute, len(attrs))
	for i, at := range attrs {
		at.Value = p.in(doc, at.Value)
		out[i] = at
	}
	return out
}

func (p *pseudonymiser) turns(v *docView, turns []coding.Turn) []coding.Turn {
	if p == nil || len(turns) == 0 {
		return turns
	}
	out := make([]coding.Turn, len(turns))
	for i, t := range turns {
		t.Speaker = p.in(v.name, t.Speaker)
		t.Start, t.Body, t.End = v.start(t.Start), v.start(t.Body), v.end(t.End)
		out[i] = t
	}
	return out
}

// turnsOf pseudonymises the turns of the document with this GUID, whose
// view was made before (by a quote or a document shown).
func (p *pseudonymiser) turnsOf(guid string, turns []coding.Turn) []coding.Turn {
	if p == nil || p.views[guid] == nil {
		return turns
	}
	return p.turns(p.views[guid], turns)
}

func (p *pseudonymiser) codings(v *docView, cs []coding.Coding) []coding.Coding {
	if p == nil || len(cs) == 0 {
		return cs
	}
	out := make([]coding.Coding, len(cs))
	for i, c := range cs {
		c.Start, c.End = v.start(c.Start), v.end(c.End)
		c.Document = p.in(v.name, c.Document)
		c.Code = p.anywhere(c.Code)
		out[i] = c
	}
	return out
}

// memos pseudonymises memos on the document v (nil: on no document).
func (p *pseudonymiser) memos(v *docView, ms []coding.Memo) []coding.Memo {
	if p == nil || len(ms) == 0 {
		return ms
	}
	out := make([]coding.Memo, len(ms))
	for i, m := range ms {
		if v != nil {
			m.Text = p.in(v.name, m.Text)
		} else {
			m.Text = p.anywhere(m.Text)
		}
		out[i] = m
	}
	return out
}

// place pseudonymises a quote found by its id, for 'show Q-…'.
func (p *pseudonymiser) place(pl coding.QuotePlace) coding.QuotePlace {
	if p == nil {
		return pl
	}
	d := pl.Document
	v := p.view(d.GUID, d.Name, d.Text)
	pl.Text = v.slice(pl.Start, pl.End)
	pl.Start, pl.End = v.start(pl.Start), v.end(pl.End)
	if pl.Turn != nil {
		t := p.turns(v, []coding.Turn{*pl.Turn})[0]
		pl.Turn = &t
	}
	pl.Speaker = p.in(d.Name, pl.Speaker)
	pl.Attribution = p.in(d.Name, pl.Attribution)
	pl.Carried = p.in(d.Name, pl.Carried)
	pl.Codings = p.codings(v, pl.Codings)
	pl.Overlapping = p.codings(v, pl.Overlapping)
	pl.Document = p.doc(v, d)
	return pl
}

// search pseudonymises search hits: positions move to the replaced text,
// the fragment is replaced (its highlights moved with it), speakers,
// documents and codes are replaced.
func (p *pseudonymiser) search(a *app, s *coding.Store, res index.Result) (index.Result, error) {
	if p == nil {
		return res, nil
	}
	hits := make([]index.Hit, len(res.Hits))
	for i, h := range res.Hits {
		v, err := p.viewByID(a, s, h.DocID)
		if err != nil {
			return res, fmt.Errorf("pseudonymise: %w", err)
		}
		doc := h.Document
		h.Start, h.End = v.start(h.Start), v.end(h.End)
		h.Passage = v.span(h.Passage)
		ms := make([]coding.Span, len(h.Matches))
		for j, sp := range h.Matches {
			ms[j] = v.span(sp)
		}
		h.Matches = ms
		frag, fm := p.m.Replace(doc, h.Fragment)
		hl := make([]coding.Span, len(h.Highlights))
		for j, sp := range h.Highlights {
			hl[j] = coding.Span{Start: pseudo.Shift(fm, sp.Start, true), End: pseudo.Shift(fm, sp.End, false)}
		}
		h.Fragment, h.Highlights = frag, hl
		h.Speaker = p.in(doc, h.Speaker)
		cs := make([]string, len(h.Codes))
		for j, c := range h.Codes {
			cs[j] = p.anywhere(c)
		}
		h.Codes = cs
		h.Document = p.in(doc, doc)
		hits[i] = h
	}
	res.Hits = hits
	pend := make([]string, len(res.Pending))
	for i, d := range res.Pending {
		pend[i] = p.in(d, d)
	}
	res.Pending = pend
	return res, nil
}

// snapshot is a copy of snap with the key applied everywhere a real
// value may stand: each document's text (every coding, turn and time
// anchor moved to the replaced text), its name, source and attributes,
// speakers, cases, memos, codes and the project's name. Coders are the
// researchers and keep their names.
func (p *pseudonymiser) snapshot(snap *coding.Snapshot) *coding.Snapshot {
	if p == nil {
		return snap
	}
	out := *snap
	out.Name = p.anywhere(snap.Name)
	views := map[string]*docView{}
	out.Documents = make([]coding.SnapshotDocument, len(snap.Documents))
	for i, d := range snap.Documents {
		v := p.view(d.GUID, d.Name, d.Text)
		views[d.GUID] = v
		name := d.Name
		d.Text = v.text
		sum := sha256.Sum256([]byte(v.text))
		d.TextSHA256 = hex.EncodeToString(sum[:])
		d.Turns = p.turns(v, d.Turns)
		sps := make([]coding.SnapshotSpeaker, len(d.Speakers))
		for j, sp := range d.Speakers {
			sp.Name = p.in(name, sp.Name)
			sps[j] = sp
		}
		d.Speakers = sps
		as := make([]coding.SnapshotAnchor, len(d.Anchors))
		for j, an := range d.Anchors {
			an.Pos = v.start(an.Pos)
			as[j] = an
		}
		d.Anchors = as
		d.Attributes = p.attributes(name, d.Attributes)
		d.Source = p.in(name, d.Source)
		d.Name = p.in(name, name)
		out.Documents[i] = d
	}
	out.Codes = make([]coding.SnapshotCode, len(snap.Codes))
	for i, c := range snap.Codes {
		c.Name, c.Description = p.anywhere(c.Name), p.anywhere(c.Description)
		out.Codes[i] = c
	}
	docOf := map[string]string{}
	out.Codings = make([]coding.SnapshotCoding, len(snap.Codings))
	for i, c := range snap.Codings {
		docOf[c.GUID] = c.DocGUID
		if v := views[c.DocGUID]; v != nil {
			c.Start, c.End = v.start(c.Start), v.end(c.End)
		}
		out.Codings[i] = c
	}
	out.Memos = make([]coding.SnapshotMemo, len(snap.Memos))
	for i, m := range snap.Memos {
		var v *docView
		switch m.Target {
		case coding.TargetDocument:
			v = views[m.TargetGUID]
		case coding.TargetCoding:
			v = views[docOf[m.TargetGUID]]
		}
		if v != nil {
			m.Text = p.in(v.name, m.Text)
		} else {
			m.Text = p.anywhere(m.Text)
		}
		out.Memos[i] = m
	}
	out.Cases = make([]coding.SnapshotCase, len(snap.Cases))
	for i, c := range snap.Cases {
		c.Name = p.anywhere(c.Name)
		attrs := make([]coding.Attribute, len(c.Attributes))
		for j, at := range c.Attributes {
			at.Value = p.anywhere(at.Value)
			attrs[j] = at
		}
		c.Attributes = attrs
		out.Cases[i] = c
	}
	return &out
}

// pseudonymiseQuotes applies --pseudonymise to quotes and to what the
// writers print besides them (the codes' headings, the title).
func (a *app) pseudonymiseQuotes(s *coding.Store, o *outFlags, qs []coding.Quote, opt quotefmt.Options) ([]coding.Quote, quotefmt.Options, error) {
	p, err := o.pseudonymiser(a, s)
	if err != nil || p == nil {
		return qs, opt, err
	}
	if qs, err = p.quotes(a, s, qs); err != nil {
		return nil, opt, err
	}
	opt.Codes = p.codes(opt.Codes)
	opt.Title = p.anywhere(opt.Title)
	return qs, opt, nil
}

// stats pseudonymises the codes of a codebook export.
func (p *pseudonymiser) stats(st []codebookStat) []codebookStat {
	if p == nil {
		return st
	}
	out := make([]codebookStat, len(st))
	for i, c := range st {
		c.Code = p.codes([]coding.Code{c.Code})[0]
		out[i] = c
	}
	return out
}

// pseudonymiseHits applies --pseudonymise to search hits.
func (a *app) pseudonymiseHits(s *coding.Store, o *outFlags, res index.Result) (index.Result, error) {
	p, err := o.pseudonymiser(a, s)
	if err != nil || p == nil {
		return res, err
	}
	return p.search(a, s, res)
}

// docMemos pseudonymises the memos on the document with this GUID, whose
// view was made before.
func (p *pseudonymiser) docMemos(guid string, ms []coding.Memo) []coding.Memo {
	if p == nil {
		return ms
	}
	return p.memos(p.views[guid], ms)
}
