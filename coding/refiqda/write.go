package refiqda

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// ProjectOptions tune WriteProject.
type ProjectOptions struct {
	// Origin names the producing program in the file; default "qcode".
	Origin string
}

// ParticipantKey is the attribute that groups documents into cases: one
// case per distinct value, holding the documents that have it.
const ParticipantKey = "participant"

// maxNameRunes caps the excerpt written as a selection's name: enough
// for an importer to check the span, short enough to keep the file small.
const maxNameRunes = 200

// timeLayout is how dates are written: UTC, no fractions.
const timeLayout = "2006-01-02T15:04:05Z"

// minZipTime is the earliest time a zip entry can carry (MS-DOS dates).
var minZipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteProject writes snap as a REFI-QDA project (.qdpx) to w: a zip
// holding project.qde, valid against Project.xsd, and each document's
// stored text as sources/<GUID>.txt (UTF-8, LF, no BOM).
//
// Coders who coded or wrote a memo become Users (the others, such as
// whoever only imported documents or the project, are left out, and a
// document they imported names no creatingUser), codes
// the CodeBook, each coding a
// PlainTextSelection (code points, end exclusive, the selected text as
// its name, at most 200 code points) with one Coding, memos Notes
// attached by NoteRef to the project, document, code or coding they are
// on. Attributes become Variables; the participant attribute makes one
// Case per participant holding that participant's documents, with the
// values all of them share; the other values stay on the documents.
// Documents without a participant belong to no case. An older version of
// a document is named "NAME (version N)".
//
// The project's own cases (speakers' cases, see speakerCases) follow, each
// a Case with its attribute values and a SelectionRef to an uncoded
// PlainTextSelection over each turn of each speaker tied to it; a case
// tied to no speaker is a Case without references. The times of a
// document's turns and its time anchors go into its source's Description
// as a "qcode times:" block (see times.go): REFI-QDA has sync points only
// in the transcripts of audio and video sources, and qcode exports text
// sources.
//
// The output depends only on snap: everything is sorted, GUIDs come from
// the store or are derived from stable names (uuid v5), and times,
// including the zip entries', come from the store.
func WriteProject(w io.Writer, snap *coding.Snapshot, opt ProjectOptions) error {
	if opt.Origin == "" {
		opt.Origin = "qcode"
	}
	p, stamps, err := buildProject(snap, opt)
	if err != nil {
		return err
	}
	var qde strings.Builder
	qde.WriteString(xml.Header)
	enc := xml.NewEncoder(&qde)
	enc.Indent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("write project.qde: %w", err)
	}
	qde.WriteString("\n")

	zw := zip.NewWriter(w)
	put := func(name string, at time.Time, data string) error {
		if at.Before(minZipTime) {
			at = minZipTime
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at.UTC()}
		h.SetMode(0o600)
		f, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if _, err := io.WriteString(f, data); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	if err := put("project.qde", stamps.latest, qde.String()); err != nil {
		return err
	}
	sort.Slice(stamps.docs, func(i, j int) bool { return stamps.docs[i].file < stamps.docs[j].file })
	for _, d := range stamps.docs {
		if err := put("sources/"+d.file, d.at, d.text); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	return nil
}

// zipFiles is what goes into the zip besides project.qde.
type zipFiles struct {
	latest time.Time
	docs   []struct {
		file, text string
		at         time.Time
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// builder turns a snapshot into the project element.
type builder struct {
	snap   *coding.Snapshot
	latest time.Time
	guids  map[string]string // coder name -> GUID in the store
	users  map[string]string // coder name -> user GUID, for those the file names
	memos  map[string][]NoteRef
	coders map[string]bool // who coded or wrote a memo (see coderUser)
}

// seen notes a time written into project.qde; the latest becomes the
// zip entry's time, so that it depends on nothing the file does not say.
func (b *builder) seen(t time.Time) {
	if t.After(b.latest) {
		b.latest = t
	}
}

// user returns the GUID of the coder called name, adding a user for a
// name the snapshot does not list.
func (b *builder) user(name string) string {
	if name == "" {
		return ""
	}
	if g, ok := b.users[name]; ok {
		return g
	}
	g, ok := b.guids[name]
	if !ok {
		g = deriveGUID("user", name)
	}
	b.users[name] = g
	return g
}

// coderUser is user for someone who coded or wrote a memo, and "" for
// someone who only imported: Project.xsd leaves a source's creatingUser
// optional and ties no GUID to the Users list, so a document imported by
// a non-coder carries no creator rather than a User who did no work.
func (b *builder) coderUser(name string) string {
	if b.coders == nil {
		b.coders = map[string]bool{}
		for _, c := range b.snap.Codings {
			b.coders[c.Coder] = true
		}
		for _, m := range b.snap.Memos {
			b.coders[m.Coder] = true
		}
	}
	if !b.coders[name] {
		return ""
	}
	return b.user(name)
}

func buildProject(snap *coding.Snapshot, opt ProjectOptions) (*xProject, *zipFiles, error) {
	b := &builder{snap: snap, guids: map[string]string{}, users: map[string]string{}, memos: map[string][]NoteRef{}}
	b.seen(snap.CreatedAt)
	p := &xProject{
		Xmlns:            ProjectNamespace,
		Name:             xmlSafe(snap.Name),
		Origin:           opt.Origin,
		CreationDateTime: stamp(snap.CreatedAt),
	}
	if p.Name == "" {
		p.Name = "qcode project"
	}
	for _, c := range snap.Coders {
		b.guids[c.Name] = exportGUID("user", c.GUID)
	}

	// Notes first: they say which elements carry a NoteRef.
	notes := append([]coding.SnapshotMemo(nil), snap.Memos...)
	sort.SliceStable(notes, func(i, j int) bool {
		if !notes[i].CreatedAt.Equal(notes[j].CreatedAt) {
			return notes[i].CreatedAt.Before(notes[j].CreatedAt)
		}
		return notes[i].GUID < notes[j].GUID
	})
	var xnotes []xTextSource
	for _, m := range notes {
		g := exportGUID("note", m.GUID)
		text := m.Text
		n := xTextSource{
			GUID:             g,
			Name:             noteName(m.Text),
			CreatingUser:     b.user(m.Coder),
			CreationDateTime: stamp(m.CreatedAt),
			ModifiedDateTime: stamp(m.UpdatedAt),
			PlainTextContent: &text,
		}
		if !m.UpdatedAt.IsZero() {
			n.ModifyingUser = n.CreatingUser
		}
		b.seen(m.CreatedAt)
		b.seen(m.UpdatedAt)
		xnotes = append(xnotes, n)
		key := m.Target + "\x00" + m.TargetGUID
		if m.Target == coding.TargetProject || m.TargetGUID == "" {
			key = coding.TargetProject + "\x00"
		}
		b.memos[key] = append(b.memos[key], NoteRef{TargetGUID: g})
	}
	p.NoteRefs = toXRefs(b.memos[coding.TargetProject+"\x00"])
	if len(xnotes) > 0 {
		p.Notes = &xNotes{Notes: xnotes}
	}

	if codes := b.codes(); len(codes) > 0 {
		p.CodeBook = &ProjectCodeBook{Codes: Codes{Codes: codes}}
	}
	vars, byKey := b.variables()
	speakerCases, turnSels := b.speakerCases(byKey)
	if len(vars) > 0 {
		p.Variables = &xVariables{Variables: vars}
	}
	files := &zipFiles{}
	sources, cases, err := b.sources(byKey, files, turnSels)
	if err != nil {
		return nil, nil, err
	}
	cases = append(cases, speakerCases...)
	if len(cases) > 0 {
		p.Cases = &xCases{Cases: cases}
	}
	if len(sources) > 0 {
		p.Sources = &xSources{Text: sources}
	}

	names := make([]string, 0, len(b.users))
	for n := range b.users {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 0 {
		p.Users = &xUsers{}
		for _, n := range names {
			p.Users.Users = append(p.Users.Users, xUser{GUID: b.users[n], Name: xmlSafe(n)})
		}
	}
	files.latest = b.latest
	return p, files, nil
}

func toXRefs(refs []NoteRef) []xRef {
	var out []xRef
	for _, r := range refs {
		out = append(out, xRef{Target: r.TargetGUID})
	}
	return out
}

// noteName is the first line of a memo, shortened, as the note's name.
func noteName(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.Join(strings.Fields(xmlSafe(line)), " ")
	if utf8.RuneCountInString(line) > 60 {
		line = string([]rune(line)[:59]) + "…"
	}
	return line
}

// codes builds the code tree as export codebook does (TreeCodes), with
// the codes' memos attached.
func (b *builder) codes() []Code {
	tree := TreeCodes(b.snap.Codes)
	notes := map[string][]NoteRef{}
	for _, c := range b.snap.Codes {
		if refs := b.memos[coding.TargetCode+"\x00"+c.GUID]; len(refs) > 0 {
			notes[codeGUID(c.GUID)] = refs
		}
	}
	var attach func([]Code)
	attach = func(cs []Code) {
		for i := range cs {
			cs[i].NoteRefs = notes[cs[i].GUID]
			attach(cs[i].Codes)
		}
	}
	attach(tree)
	return tree
}

// codeGUID is a code's GUID as TreeCodes writes it.
func codeGUID(g string) string {
	n, ok, _ := NormalizeGUID(g)
	if !ok {
		return derivedGUID(g)
	}
	return n
}

// variable is an attribute key as a REFI-QDA variable.
type variable struct {
	guid, typ string
}

var variableTypes = map[string]string{
	coding.TypeText:    "Text",
	coding.TypeInteger: "Integer",
	coding.TypeFloat:   "Float",
	coding.TypeDate:    "Date",
	coding.TypeBoolean: "Boolean",
}

// variables declares one variable per attribute key, of the key's type
// when every value has it and can be written as it, else Text.
func (b *builder) variables() ([]xVariable, map[string]variable) {
	types := map[string]string{}
	var all []coding.Attribute
	for _, d := range b.snap.Documents {
		all = append(all, d.Attributes...)
	}
	for _, c := range b.snap.Cases {
		all = append(all, c.Attributes...)
	}
	{
		for _, a := range all {
			t := variableTypes[a.Type]
			if _, ok := valueOf(t, a.Value); !ok {
				t = "Text"
			}
			if old, ok := types[a.Key]; ok && old != t {
				t = "Text"
			}
			types[a.Key] = t
		}
	}
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]xVariable, 0, len(keys))
	byKey := map[string]variable{}
	for _, k := range keys {
		v := variable{guid: deriveGUID("variable", k), typ: types[k]}
		byKey[k] = v
		out = append(out, xVariable{GUID: v.guid, Name: xmlSafe(k), Type: v.typ})
	}
	return out, byKey
}

// valueOf renders an attribute value as the element of a VariableValue
// of type typ; ok is false when the value cannot be one.
func valueOf(typ, v string) (xVariableValue, bool) {
	var x xVariableValue
	switch typ {
	case "Integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return x, false
		}
		x.IntegerValue = &v
	case "Float":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != f || f > 1e300 || f < -1e300 {
			return x, false
		}
		s := strconv.FormatFloat(f, 'f', -1, 64)
		x.FloatValue = &s
	case "Date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return x, false
		}
		x.DateValue = &v
	case "Boolean":
		if v != "true" && v != "false" {
			return x, false
		}
		x.BooleanValue = &v
	default:
		s := xmlSafe(v)
		x.TextValue = &s
	}
	return x, true
}

// values writes attrs as VariableValues, sorted by key.
func values(attrs []coding.Attribute, byKey map[string]variable) []xVariableValue {
	sorted := append([]coding.Attribute(nil), attrs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	return valuesInOrder(sorted, byKey)
}

// valuesInOrder writes attrs as VariableValues in their order (a case's
// attributes keep the order they have in the project).
func valuesInOrder(attrs []coding.Attribute, byKey map[string]variable) []xVariableValue {
	var out []xVariableValue
	for _, a := range attrs {
		v := byKey[a.Key]
		x, _ := valueOf(v.typ, a.Value)
		x.Variable = xRef{Target: v.guid}
		out = append(out, x)
	}
	return out
}

// exportName is a document's name in the file: older versions carry
// their version, so that names stay distinct.
func exportName(d coding.SnapshotDocument) string {
	if d.Latest {
		return d.Name
	}
	return fmt.Sprintf("%s (version %d)", d.Name, d.Version)
}

// sources builds the text sources and the cases over them, and lists the
// text files for the zip.
func (b *builder) sources(byKey map[string]variable, files *zipFiles, turnSels map[string][]xSelection) ([]xTextSource, []xCase, error) {
	docs := append([]coding.SnapshotDocument(nil), b.snap.Documents...)
	sort.SliceStable(docs, func(i, j int) bool {
		ni, nj := exportName(docs[i]), exportName(docs[j])
		if ni != nj {
			return ni < nj
		}
		return docs[i].GUID < docs[j].GUID
	})
	codings := map[string][]coding.SnapshotCoding{}
	for _, c := range b.snap.Codings {
		codings[c.DocGUID] = append(codings[c.DocGUID], c)
	}
	codes := map[string]bool{}
	for _, c := range b.snap.Codes {
		codes[c.GUID] = true
	}

	// Cases: one per participant, with the values all its documents share.
	type caseInfo struct {
		docs   []coding.SnapshotDocument
		shared []coding.Attribute
	}
	cases := map[string]*caseInfo{}
	var caseNames []string
	participant := func(d coding.SnapshotDocument) (string, bool) {
		for _, a := range d.Attributes {
			if a.Key == ParticipantKey && strings.TrimSpace(a.Value) != "" {
				return a.Value, true
			}
		}
		return "", false
	}
	for _, d := range docs {
		name, ok := participant(d)
		if !ok {
			continue
		}
		c := cases[name]
		if c == nil {
			c = &caseInfo{shared: append([]coding.Attribute(nil), d.Attributes...)}
			cases[name] = c
			caseNames = append(caseNames, name)
		} else {
			var keep []coding.Attribute
			for _, a := range c.shared {
				for _, o := range d.Attributes {
					if o == a {
						keep = append(keep, a)
						break
					}
				}
			}
			c.shared = keep
		}
		c.docs = append(c.docs, d)
	}
	sort.Strings(caseNames)
	var xcases []xCase
	for _, name := range caseNames {
		c := cases[name]
		x := xCase{GUID: deriveGUID("case", name), Name: xmlSafe(name), Values: values(c.shared, byKey)}
		for _, d := range c.docs {
			x.SourceRefs = append(x.SourceRefs, xRef{Target: exportGUID("source", d.GUID)})
		}
		xcases = append(xcases, x)
	}

	var out []xTextSource
	for _, d := range docs {
		g := exportGUID("source", d.GUID)
		b.seen(d.ImportedAt)
		own := d.Attributes
		if name, ok := participant(d); ok {
			own = nil
			for _, a := range d.Attributes {
				shared := false
				for _, s := range cases[name].shared {
					if s == a {
						shared = true
						break
					}
				}
				if !shared {
					own = append(own, a)
				}
			}
		}
		x := xTextSource{
			GUID:             g,
			Name:             xmlSafe(exportName(d)),
			PlainTextPath:    "internal://" + g + ".txt",
			CreatingUser:     b.coderUser(d.ImportedBy),
			CreationDateTime: stamp(d.ImportedAt),
			Description:      withTimes("", timesBlock(d)),
			NoteRefs:         toXRefs(b.memos[coding.TargetDocument+"\x00"+d.GUID]),
			Values:           values(own, byKey),
		}
		runes := []rune(d.Text)
		for _, c := range codings[d.GUID] {
			if c.Start < 0 || c.End > len(runes) || c.Start >= c.End {
				return nil, nil, fmt.Errorf("document %s: coding %s spans %d:%d outside its %d characters", d.Name, c.GUID, c.Start, c.End, len(runes))
			}
			if !codes[c.CodeGUID] {
				return nil, nil, fmt.Errorf("document %s: coding %s has an unknown code %s", d.Name, c.GUID, c.CodeGUID)
			}
			b.seen(c.CreatedAt)
			user := b.user(c.Coder)
			cg := exportGUID("coding", c.GUID)
			out := xSelection{
				GUID:             deriveGUID("selection", cg),
				Name:             excerpt(runes[c.Start:c.End]),
				Start:            strconv.Itoa(c.Start),
				End:              strconv.Itoa(c.End),
				CreatingUser:     user,
				CreationDateTime: stamp(c.CreatedAt),
				Codings: []xCoding{{
					GUID:             cg,
					CreatingUser:     user,
					CreationDateTime: stamp(c.CreatedAt),
					CodeRef:          xRef{Target: codeGUID(c.CodeGUID)},
					NoteRefs:         toXRefs(b.memos[coding.TargetCoding+"\x00"+c.GUID]),
				}},
			}
			x.Selections = append(x.Selections, out)
		}
		x.Selections = append(x.Selections, turnSels[d.GUID]...)
		out = append(out, x)
		files.docs = append(files.docs, struct {
			file, text string
			at         time.Time
		}{g + ".txt", d.Text, d.ImportedAt})
	}
	return out, xcases, nil
}

// excerpt is the selected text as a selection's name: at most
// maxNameRunes code points, cut before any character XML cannot carry so
// that the name stays a true prefix of the selection.
func excerpt(sel []rune) string {
	if len(sel) > maxNameRunes {
		sel = sel[:maxNameRunes]
	}
	for i, r := range sel {
		if !xmlChar(r) {
			sel = sel[:i]
			break
		}
	}
	return string(sel)
}

// xmlChar reports whether XML 1.0 can carry r.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// xmlSafe drops the characters XML cannot carry from names and values.
func xmlSafe(s string) string {
	for _, r := range s {
		if !xmlChar(r) {
			return strings.Map(func(r rune) rune {
				if xmlChar(r) {
					return r
				}
				return -1
			}, s)
		}
	}
	return s
}
