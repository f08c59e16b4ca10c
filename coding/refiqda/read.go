package refiqda

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/qcode-dev/qcode/coding"
)

// Report tells what an import could not carry over as it was. The
// standard asks importers to say what they dropped; so does qcode.
type Report struct {
	// Origin is the program that wrote the file, as it says.
	Origin string `json:"origin"`
	// Skipped lists the sources not imported, in file order.
	Skipped []Skipped `json:"skipped"`
	// Mismatches lists the selections whose span does not hold the text
	// their name gives; their codings are not imported.
	Mismatches []Mismatch `json:"mismatches"`
	// Converted lists the sources whose positions were not counted in
	// code points, and how they were read.
	Converted []Converted `json:"converted"`
	// Warnings are the other changes and losses, one sentence each.
	Warnings []string `json:"warnings"`
}

// Skipped is a source that was not imported.
type Skipped struct {
	Kind   string `json:"kind"` // "text", "PDF", "picture", "audio", "video"
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Mismatch is a selection whose span, read every way the file may mean
// it, does not hold its name's text.
type Mismatch struct {
	Source    string `json:"source"`
	Selection string `json:"selection"` // its GUID
	Start     int    `json:"start"`     // as written in the file
	End       int    `json:"end"`
	Name      string `json:"name"` // the text the selection claims
	Text      string `json:"text"` // what the span holds; "" when outside the text
	Codings   int    `json:"codings"`
}

// Converted is a source whose positions were read in another unit.
type Converted struct {
	Source  string `json:"source"`
	Reading string `json:"reading"`
}

// KindCount is a number of skipped sources of one kind.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// SkippedByKind counts the skipped sources by kind, sorted by kind.
func (r Report) SkippedByKind() []KindCount {
	n := map[string]int{}
	for _, s := range r.Skipped {
		n[s.Kind]++
	}
	var out []KindCount
	for k, c := range n {
		out = append(out, KindCount{k, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// ReadProject reads a REFI-QDA project (.qdpx) into a snapshot, as
// tolerant of real producers as NOTES.md asks, and reports what it could
// not take over.
//
// Text sources come from sources/ inside the archive (internal://,
// relative:// and bare paths) or from inline PlainTextContent; qcode never
// reads files outside the archive. Texts are stored without BOM, with LF
// line endings, NFC, and every position is carried over to that text.
// Positions are code points, except from NVivo (UTF-16 code units) and
// ATLAS.ti (a CRLF counts once); where a source's selections name their
// text, the reading under which most of them match is used instead, and
// a selection that matches under none is reported, not imported.
// Non-text sources (PDF, pictures, audio, video) are skipped and listed.
//
// A source's Description becomes a memo on its document, except for the
// "qcode times:" block qcode writes there (see times.go), which gives the
// document's turns their times and its time anchors back.
//
// Users become coders, codes keep their GUIDs, hierarchy and colours,
// variables become document attributes, and cases are read as readCases
// says: a case over speakers' turns becomes a case tied to those
// speakers, a case over whole documents gives its values to them (its
// name becomes the participant attribute when the case gives none); notes
// become memos on what refers to them.
//
// An error (wrapping ErrHostile for unsafe or malformed archives) means
// nothing could be imported.
func ReadProject(name string) (*coding.Snapshot, Report, error) {
	// A .qdpx is read out of order, which a named pipe or a device cannot
	// do, and opening a pipe would wait for a writer.
	f, st, err := coding.OpenRegular(name, 0, "a .qdpx file")
	if errors.Is(err, coding.ErrNotRegular) {
		return nil, Report{}, fmt.Errorf("read: %w: %w", ErrHostile, err)
	}
	if err != nil {
		return nil, Report{}, fmt.Errorf("read: %w", err)
	}
	defer f.Close()
	snap, rep, err := readProject(name, f, st.Size())
	if err != nil {
		return nil, rep, fmt.Errorf("read %s: %w", name, err)
	}
	return snap, rep, nil
}

// readProject reads a .qdpx from r.
func readProject(name string, r io.ReaderAt, size int64) (*coding.Snapshot, Report, error) {
	return readProjectWithin(name, r, size, maxTotal)
}

// readProjectWithin is readProject with a budget of total inflated bytes
// for the whole archive.
func readProjectWithin(name string, r io.ReaderAt, size, total int64) (*coding.Snapshot, Report, error) {
	rd := &reader{}
	a, err := openArchive(name, r, size, rd.warnf)
	if err != nil {
		return nil, rd.rep, err
	}
	a.total = total
	rd.arc = a
	f, err := a.qde()
	if err != nil {
		return nil, rd.rep, err
	}
	rc, err := a.open(f, maxQDESize)
	if err != nil {
		return nil, rd.rep, err
	}
	// The bytes decoded are kept to find the line of each code: the
	// guarded decoder counts no lines of its own.
	var qde bytes.Buffer
	p, err := decodeProject(io.TeeReader(rc, &qde))
	rc.Close()
	if err != nil {
		if errors.Is(err, errOverCap) {
			return nil, rd.rep, a.readErr(f, maxQDESize, err)
		}
		return nil, rd.rep, fmt.Errorf("%w: %s: %v", ErrHostile, f.Name, err)
	}
	setCodeLines(p, qde.Bytes())
	snap, err := rd.convert(p)
	return snap, rd.rep, err
}

// setCodeLines gives each code of p's codebook the line of its <Code>
// start tag in data, the project XML p was decoded from, so that a
// warning about a code names the line it is on.
func setCodeLines(p *xProject, data []byte) {
	if p.CodeBook != nil {
		setLines(p.CodeBook.Codes.Codes, codeLines(data))
	}
}

// codeLines lists the line of each <Code> start tag inside a <CodeBook>
// of the XML data, in the order of the file: the order in which a
// depth-first walk of the codebook meets the codes. The line is where
// the tag begins, even when its attributes run over several lines.
func codeLines(data []byte) []int {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = asUTF8
	var lines []int
	inBook := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.RawToken()
		if err != nil {
			return lines
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "CodeBook":
				inBook++
			case t.Name.Local == "Code" && inBook > 0:
				lines = append(lines, line)
			}
		case xml.EndElement:
			if t.Name.Local == "CodeBook" && inBook > 0 {
				inBook--
			}
		}
	}
}

// setLines gives the codes of tree, depth first, the lines in order.
func setLines(tree []Code, lines []int) {
	i := 0
	var walk func(cs []Code)
	walk = func(cs []Code) {
		for k := range cs {
			if i < len(lines) {
				cs[k].Line = lines[i]
			}
			i++
			walk(cs[k].Codes)
		}
	}
	walk(tree)
}

// reader carries the state of one import.
type reader struct {
	arc *archive
	rep Report
	p   *xProject

	users    map[string]string // user GUID -> coder name
	coders   map[string]coding.SnapshotCoder
	codes    map[string]bool
	codePath map[string]string
	docs     map[string]int       // source GUID -> index in snap.Documents
	memoOn   map[string][2]string // note GUID -> target, target GUID
	seen     map[string]bool      // coding GUIDs and keys taken
	selDoc   map[string]string    // selection GUID -> document GUID
	selSpan  map[string]span      // selection GUID -> where it lies, when it was read
	memos    map[string]bool      // memo GUIDs taken
	projAt   time.Time
	snap     *coding.Snapshot
	dupes    int
}

func (rd *reader) warnf(format string, args ...any) {
	rd.rep.Warnings = append(rd.rep.Warnings, fmt.Sprintf(format, args...))
}

// parseTime reads an xsd:dateTime, or gives the zero time.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Truncate(time.Second)
		}
	}
	return time.Time{}
}

// cleanName makes a name from a file fit for qcode: NFC, white space
// collapsed, without the control characters and bidirectional overrides
// a code name may not hold.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if coding.IsHiddenControl(r) {
			return -1
		}
		return r
	}, strings.Join(strings.Fields(xmlSafe(s)), " "))
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

func (rd *reader) convert(p *xProject) (*coding.Snapshot, error) {
	rd.p = p
	rd.rep.Origin = p.Origin
	if p.XMLName.Space != "" && !strings.HasPrefix(p.XMLName.Space, "urn:QDA-XML:") {
		rd.warnf("project.qde uses the namespace %q; read as %s", p.XMLName.Space, ProjectNamespace)
	}
	rd.projAt = parseTime(p.CreationDateTime)
	rd.snap = &coding.Snapshot{Name: cleanName(p.Name), CreatedAt: rd.projAt}
	rd.users = map[string]string{}
	rd.coders = map[string]coding.SnapshotCoder{}
	rd.codes = map[string]bool{}
	rd.codePath = map[string]string{}
	rd.docs = map[string]int{}
	rd.memoOn = map[string][2]string{}
	rd.seen = map[string]bool{}
	rd.selDoc = map[string]string{}
	rd.selSpan = map[string]span{}
	rd.memos = map[string]bool{}

	rd.readUsers()
	if p.CodeBook != nil {
		if err := rd.readCodes(p.CodeBook.Codes.Codes); err != nil {
			return nil, err
		}
	}
	for _, ref := range p.NoteRefs {
		rd.attachNote(ref.Target, coding.TargetProject, "")
	}
	if err := rd.readSources(); err != nil {
		return nil, err
	}
	rd.readCases()
	if err := rd.readNotes(); err != nil {
		return nil, err
	}
	if d := strings.TrimSpace(p.Description); d != "" {
		rd.addMemo(deriveGUID("description", "project"), coding.TargetProject, "", d, "", rd.projAt, rd.projAt)
	}
	for _, c := range []struct {
		one, many string
		n         *xCounted
	}{{"link", "links", p.Links}, {"set", "sets", p.Sets}, {"graph", "graphs", p.Graphs}} {
		if c.n != nil && len(c.n.Items) > 0 {
			rd.warnf("%s not imported (qcode has none)", plural(len(c.n.Items), c.one, c.many))
		}
	}
	if rd.dupes > 0 {
		rd.warnf("%s a coding of the same code, span and coder; kept once",
			plural(rd.dupes, "coding repeated", "codings repeated"))
	}

	for _, c := range rd.coders {
		rd.snap.Coders = append(rd.snap.Coders, c)
	}
	sort.Slice(rd.snap.Coders, func(i, j int) bool { return rd.snap.Coders[i].Name < rd.snap.Coders[j].Name })
	rd.sortSnapshot()
	return rd.snap, nil
}

// readUsers maps user GUIDs to coder names.
func (rd *reader) readUsers() {
	if rd.p.Users == nil {
		return
	}
	for _, u := range rd.p.Users.Users {
		name := cleanName(u.Name)
		if name == "" {
			name = cleanName(u.ID)
		}
		g := normGUID(u.GUID)
		if name == "" {
			if g == "" {
				rd.warnf("ignored a user with neither a GUID nor a name")
				continue
			}
			name = "user " + g[:8]
		}
		if g == "" {
			rd.warnf("user %s has no valid GUID (%q); one was derived", name, u.GUID)
			g = deriveGUID("user", name)
		}
		if _, dup := rd.users[g]; dup {
			continue
		}
		rd.users[g] = name
		rd.coder(name, g)
	}
}

// userName returns the coder name for a user reference, or "" when it names
// no user of the file (QualCoder writes such references).
func (rd *reader) userName(ref string) string {
	return rd.users[normGUID(ref)]
}

// coder makes sure a coder called name exists.
func (rd *reader) coder(name, guid string) string {
	if _, ok := rd.coders[name]; !ok {
		if guid == "" {
			guid = deriveGUID("user", name)
		}
		rd.coders[name] = coding.SnapshotCoder{GUID: guid, Name: name, CreatedAt: rd.projAt}
	}
	return name
}

// pickCoder returns the first of refs that names a user, else "unknown".
func (rd *reader) pickCoder(refs ...string) string {
	for _, r := range refs {
		if n := rd.userName(r); n != "" {
			return n
		}
	}
	return rd.coder("unknown", "")
}

// readCodes reads the codebook as import-codebook does (SnapshotCodes:
// the same names, GUIDs and colours from a .qdc and a .qdpx), and
// attaches the codes' notes.
func (rd *reader) readCodes(tree []Code) error {
	codes, warns, err := SnapshotCodes(tree, "project.qde")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrHostile, err)
	}
	for _, w := range warns {
		if w.Kind != "guid-case" { // upper-case GUIDs are standard
			rd.warnf("%s", w.String())
		}
	}
	// SnapshotCodes lists the codes in the tree's pre-order.
	i := 0
	var walk func([]Code)
	walk = func(cs []Code) {
		for _, c := range cs {
			if i < len(codes) {
				for _, ref := range c.NoteRefs {
					rd.attachNote(ref.TargetGUID, coding.TargetCode, codes[i].GUID)
				}
			}
			i++
			walk(c.Codes)
		}
	}
	walk(tree)
	for i := range codes {
		c := &codes[i]
		// A description is kept as written, its trailing spaces and
		// line breaks too: a round trip gives back the same text.
		c.Description = norm.NFC.String(c.Description)
		c.CreatedAt = rd.projAt
		p := c.Name
		if c.ParentGUID != "" {
			p = rd.codePath[c.ParentGUID] + "/" + p
		}
		rd.codes[c.GUID] = true
		rd.codePath[c.GUID] = p
	}
	rd.snap.Codes = codes
	return nil
}

// attachNote records that note g is on target (the first reference wins).
func (rd *reader) attachNote(g, target, targetGUID string) {
	g = normGUID(g)
	if g == "" {
		return
	}
	if old, ok := rd.memoOn[g]; ok {
		if old != [2]string{target, targetGUID} {
			rd.warnf("note %s is attached to several things; kept on the first", g)
		}
		return
	}
	rd.memoOn[g] = [2]string{target, targetGUID}
}

// sourcePath strips a path's scheme; ok is false for a file outside the
// archive.
func sourcePath(p string) (string, bool) {
	p = strings.TrimSpace(p)
	lower := strings.ToLower(p)
	switch {
	case strings.HasPrefix(lower, "internal://"):
		p = p[len("internal://"):]
	case strings.HasPrefix(lower, "relative://"):
		p = strings.TrimLeft(p[len("relative://"):], "/")
	case strings.HasPrefix(lower, "absolute://"), strings.HasPrefix(lower, "file:"):
		return p, false
	}
	return p, true
}

// readText reads a source's text: the inline content or its file.
// A problem is returned as the reason to skip the source.
func (rd *reader) readText(src *xTextSource) (string, string, error) {
	if src.PlainTextContent != nil {
		if src.PlainTextPath != "" {
			rd.warnf("source %s has both inline text and a file (%s); the inline text was used", src.Name, src.PlainTextPath)
		}
		return *src.PlainTextContent, "", nil
	}
	if src.PlainTextPath == "" {
		if src.RichTextPath != "" {
			return "", "only a rich-text file (" + src.RichTextPath + "), no plain text to index positions by", nil
		}
		return "", "no text: neither PlainTextContent nor plainTextPath", nil
	}
	p, inside := sourcePath(src.PlainTextPath)
	if !inside {
		return "", fmt.Sprintf("its text %s is outside the archive; qcode reads only files inside it", src.PlainTextPath), nil
	}
	if !safeEntryName(p) {
		return "", fmt.Sprintf("its path %q leads outside the archive", src.PlainTextPath), nil
	}
	f, ok := rd.arc.lookup(p)
	if !ok {
		return "", fmt.Sprintf("its text file %s is missing from the archive", src.PlainTextPath), nil
	}
	data, err := rd.arc.read(f, maxTextSize)
	if err != nil {
		return "", "", err
	}
	text, reason := decodeText(data)
	if reason != "" {
		return "", f.Name + " " + reason, nil
	}
	return text, "", nil
}

// decodeText reads a text file as UTF-8 (a BOM is fine) or as UTF-16 with
// a BOM; reason says why it cannot be read.
func decodeText(data []byte) (string, string) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "is not valid UTF-16"
		}
		data = out
	}
	if !utf8.Valid(data) {
		off, _, _ := coding.InvalidUTF8(data)
		return "", fmt.Sprintf("is not UTF-8 text (bad byte at offset %d)", off)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "holds NUL bytes: binary, not text"
	}
	return string(data), ""
}

// readSources imports the text sources and lists the others as skipped.
func (rd *reader) readSources() error {
	if rd.p.Sources == nil {
		return nil
	}
	s := rd.p.Sources
	for _, k := range []struct {
		kind string
		list []xMedia
	}{{"PDF", s.PDF}, {"picture", s.Picture}, {"audio", s.Audio}, {"video", s.Video}} {
		for _, m := range k.list {
			name := cleanName(m.Name)
			if name == "" {
				name = path.Base(m.Path)
			}
			rd.rep.Skipped = append(rd.rep.Skipped, Skipped{Kind: k.kind, Name: name, Reason: "qcode imports text sources only"})
		}
	}
	if err := rd.measureTexts(s.Text); err != nil {
		return err
	}
	names := map[string]bool{}
	for i := range s.Text {
		if err := rd.readSource(&s.Text[i], i, names); err != nil {
			return err
		}
	}
	return nil
}

// measureTexts inflates, without keeping, every text file the sources
// name, so that their total is checked against the archive's budget
// before any of them is held in memory.
func (rd *reader) measureTexts(srcs []xTextSource) error {
	var files []*zip.File
	for _, src := range srcs {
		if src.PlainTextContent != nil || src.PlainTextPath == "" {
			continue
		}
		p, inside := sourcePath(src.PlainTextPath)
		if !inside || !safeEntryName(p) {
			continue
		}
		if f, ok := rd.arc.lookup(p); ok {
			files = append(files, f)
		}
	}
	return rd.arc.measure(files, maxTextSize)
}

// docName makes a source's name a safe document name: qcode names the
// document's file in sources/ after it, so no path separators, no leading
// dot, and not too long.
func docName(s string) string {
	s = cleanName(s)
	s = strings.NewReplacer("/", "-", "\\", "-").Replace(s)
	s = strings.TrimLeft(s, ". ")
	// File names are at most 255 bytes; leave room for ".v12-3.txt".
	for len(s) > 200 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return strings.TrimSpace(s)
}

func (rd *reader) readSource(src *xTextSource, index int, names map[string]bool) error {
	name := docName(src.Name)
	if name == "" {
		if p, _ := sourcePath(src.PlainTextPath); p != "" {
			name = docName(strings.TrimSuffix(path.Base(p), path.Ext(p)))
		}
	}
	g := normGUID(src.GUID)
	if name == "" {
		name = g
	}
	if name == "" {
		name = fmt.Sprintf("source %d", index+1)
	}
	skip := func(reason string) {
		rd.rep.Skipped = append(rd.rep.Skipped, Skipped{Kind: "text", Name: name, Reason: reason})
	}
	text, reason, err := rd.readText(src)
	if err != nil {
		return err
	}
	if reason != "" {
		skip(reason)
		return nil
	}
	if strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF")) == "" {
		skip("its text is empty")
		return nil
	}
	if _, dup := rd.docs[g]; g == "" || dup {
		old := src.GUID
		g = deriveGUID("source", strconv.Itoa(index), name)
		rd.warnf("source %s has no valid or unique GUID (%q); one was derived", name, old)
	}
	base := name
	for n := 2; names[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s (%d)", base, n)
	}
	if name != base {
		rd.warnf("two sources are called %s; the second is %s", base, name)
	}
	names[strings.ToLower(name)] = true

	st := newSourceText(text)
	sum := sha256.Sum256([]byte(st.final))
	at := parseTime(src.CreationDateTime)
	if at.IsZero() {
		at = rd.projAt
	}
	by := ""
	if n := rd.userName(src.CreatingUser); n != "" {
		by = n
	}
	doc := coding.SnapshotDocument{
		GUID: g, Name: name, Version: 1, Format: "txt", Text: st.final,
		TextSHA256: hex.EncodeToString(sum[:]), ImportedAt: at, ImportedBy: by, Latest: true,
	}
	rd.docs[g] = len(rd.snap.Documents)
	rd.snap.Documents = append(rd.snap.Documents, doc)
	for _, ref := range src.NoteRefs {
		rd.attachNote(ref.Target, coding.TargetDocument, g)
	}
	desc, times, timed := splitTimes(src.Description)
	if timed {
		rd.readTimes(&rd.snap.Documents[len(rd.snap.Documents)-1], times)
	}
	if d := strings.TrimSpace(desc); d != "" {
		rd.addMemo(deriveGUID("description", g), coding.TargetDocument, g, d, by, at, at)
	}
	rd.readSelections(src, st, &rd.snap.Documents[len(rd.snap.Documents)-1])
	return nil
}

// defaultReading is how the file's producer counts positions.
func (rd *reader) defaultReading() reading {
	o := strings.ToLower(strings.TrimSpace(rd.p.Origin))
	return reading{utf16: strings.HasPrefix(o, "nvivo"), crlfOne: strings.Contains(o, "atlas.ti")}
}

// selection is a PlainTextSelection with its positions parsed.
type selection struct {
	x          *xSelection
	start, end int
	excerpt    string
}

func (rd *reader) readSelections(src *xTextSource, st *sourceText, doc *coding.SnapshotDocument) {
	var sels []selection
	for i := range src.Selections {
		x := &src.Selections[i]
		a, err1 := strconv.Atoi(strings.TrimSpace(x.Start))
		b, err2 := strconv.Atoi(strings.TrimSpace(x.End))
		if err1 != nil || err2 != nil {
			rd.warnf("source %s: selection %s has positions %q:%q that are not numbers; left out", doc.Name, x.GUID, x.Start, x.End)
			continue
		}
		sels = append(sels, selection{x: x, start: a, end: b, excerpt: excerptOf(x.Name)})
	}

	// Choose the reading under which most named selections hold their
	// name, then most spans fit the text, then most start a word; the
	// producer's own way wins ties.
	def := rd.defaultReading()
	best, bestScore := def, [3]int{-1, -1, -1}
	for _, r := range st.readings(def) {
		var score [3]int
		for _, s := range sels {
			a, b, ok := st.span(s.start, s.end, r)
			if !ok {
				continue
			}
			score[1]++
			if s.excerpt != "" && st.holds(a, b, s.excerpt) {
				score[0]++
			}
			if st.wordStart(a) {
				score[2]++
			}
		}
		if better(score, bestScore) {
			best, bestScore = r, score
		}
	}
	if best != (reading{}) && len(sels) > 0 && (best.utf16 && st.hasAstral || best.crlfOne && st.hasCRLF) {
		rd.rep.Converted = append(rd.rep.Converted, Converted{Source: doc.Name, Reading: best.String()})
	}

	for _, s := range sels {
		if g := normGUID(s.x.GUID); g != "" {
			rd.selDoc[g] = doc.GUID
		}
		a, b, ok := st.span(s.start, s.end, best)
		if ok && s.excerpt != "" && !st.holds(a, b, s.excerpt) && st.contains(s.excerpt) {
			ok = false
		}
		if !ok {
			m := Mismatch{Source: doc.Name, Selection: s.x.GUID, Start: s.start, End: s.end, Name: s.x.Name, Codings: len(s.x.Codings)}
			if a, b, in := st.span(s.start, s.end, best); in {
				m.Text = st.slice(a, b)
			}
			rd.rep.Mismatches = append(rd.rep.Mismatches, m)
			continue
		}
		if g := normGUID(s.x.GUID); g != "" {
			if _, dup := rd.selSpan[g]; !dup {
				rd.selSpan[g] = span{doc: doc.GUID, start: a, end: b}
			}
		}
		if a == b {
			if len(s.x.Codings) > 0 {
				rd.warnf("source %s: selection %s is empty (%d:%d); its codings were left out", doc.Name, s.x.GUID, s.start, s.end)
			}
			rd.selectionNotes(s.x, doc, "")
			continue
		}
		first := ""
		for j := range s.x.Codings {
			c := &s.x.Codings[j]
			g := rd.addCoding(c, doc, a, b, s.x.GUID, j, s.x.CreatingUser, s.x.CreationDateTime)
			if first == "" {
				first = g
			}
		}
		rd.selectionNotes(s.x, doc, first)
	}
	for j := range src.Codings {
		rd.addCoding(&src.Codings[j], doc, 0, st.n, doc.GUID, j, src.CreatingUser, src.CreationDateTime)
	}
}

func better(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// selectionNotes attaches a selection's notes and description to its
// first coding, or to the document when it has none.
func (rd *reader) selectionNotes(x *xSelection, doc *coding.SnapshotDocument, coding1 string) {
	target, tg := coding.TargetCoding, coding1
	if coding1 == "" {
		target, tg = coding.TargetDocument, doc.GUID
	}
	for _, ref := range x.NoteRefs {
		rd.attachNote(ref.Target, target, tg)
	}
	if d := strings.TrimSpace(x.Description); d != "" {
		rd.addMemo(deriveGUID("description", doc.GUID, x.GUID), target, tg, d, rd.userName(x.CreatingUser), parseTime(x.CreationDateTime), parseTime(x.CreationDateTime))
	}
}

// addCoding adds one Coding over [a, b) of doc and returns its GUID, or
// "" when it was left out.
func (rd *reader) addCoding(c *xCoding, doc *coding.SnapshotDocument, a, b int, sel string, j int, selUser, selAt string) string {
	code := normGUID(c.CodeRef.Target)
	if !rd.codes[code] {
		rd.warnf("source %s: a coding refers to code %q, which the codebook does not have; left out", doc.Name, c.CodeRef.Target)
		return ""
	}
	coder := rd.pickCoder(c.CreatingUser, selUser)
	at := parseTime(c.CreationDateTime)
	if at.IsZero() {
		at = parseTime(selAt)
	}
	if at.IsZero() {
		at = doc.ImportedAt
	}
	g := normGUID(c.GUID)
	if g == "" || rd.seenCoding(g) {
		g = deriveGUID("coding", doc.GUID, sel, strconv.Itoa(j), code)
	}
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%d", doc.GUID, code, coder, a, b)
	if rd.seenCoding(key) {
		rd.dupes++
		return ""
	}
	rd.markCoding(g)
	rd.markCoding(key)
	rd.snap.Codings = append(rd.snap.Codings, coding.SnapshotCoding{
		GUID: g, DocGUID: doc.GUID, CodeGUID: code, Start: a, End: b, Coder: coder, CreatedAt: at,
	})
	for _, ref := range c.NoteRefs {
		rd.attachNote(ref.Target, coding.TargetCoding, g)
	}
	return g
}

func (rd *reader) seenCoding(k string) bool { return rd.seen[k] }

func (rd *reader) markCoding(k string) { rd.seen[k] = true }

// attribute reads one VariableValue; ok is false when it has no usable
// value.
func (rd *reader) attribute(v xVariableValue, vars map[string]xVariable) (coding.Attribute, bool) {
	x, ok := vars[normGUID(v.Variable.Target)]
	if !ok {
		rd.warnf("a value refers to variable %q, which the file does not declare; left out", v.Variable.Target)
		return coding.Attribute{}, false
	}
	key := cleanName(x.Name)
	if key == "" {
		return coding.Attribute{}, false
	}
	var typ string
	var val *string
	switch {
	case v.TextValue != nil:
		typ, val = coding.TypeText, v.TextValue
	case v.BooleanValue != nil:
		typ, val = coding.TypeBoolean, v.BooleanValue
	case v.IntegerValue != nil:
		typ, val = coding.TypeInteger, v.IntegerValue
	case v.FloatValue != nil:
		typ, val = coding.TypeFloat, v.FloatValue
	case v.DateValue != nil:
		typ, val = coding.TypeDate, v.DateValue
	case v.DateTimeValue != nil:
		typ, val = coding.TypeText, v.DateTimeValue
	default:
		rd.warnf("a value of %s has no value element; left out", key)
		return coding.Attribute{}, false
	}
	value := strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(*val, "\r\n", "\n")))
	if value == "" {
		return coding.Attribute{}, false
	}
	if typ != coding.TypeText {
		cv, err := coding.CheckType(typ, value)
		if err != nil {
			rd.warnf("%s: %q is not a valid %s; kept as text", key, value, typ)
			typ = coding.TypeText
		} else {
			value = cv
		}
	}
	return coding.Attribute{Key: key, Type: typ, Value: value}, true
}

// readNotes turns notes into memos on what refers to them; a note nothing
// refers to is a project memo.
func (rd *reader) readNotes() error {
	if rd.p.Notes == nil {
		return nil
	}
	for i := range rd.p.Notes.Notes {
		n := &rd.p.Notes.Notes[i]
		g := normGUID(n.GUID)
		text, reason, err := rd.readText(n)
		if err != nil {
			return err
		}
		if reason != "" {
			rd.warnf("note %s left out: %s", n.GUID, reason)
			continue
		}
		target := rd.memoOn[g]
		if g == "" || target[0] == "" {
			target = [2]string{coding.TargetProject, ""}
		}
		if g == "" {
			g = deriveGUID("note", strconv.Itoa(i))
		}
		rd.addMemo(g, target[0], target[1], text, rd.userName(n.CreatingUser), parseTime(n.CreationDateTime), parseTime(n.ModifiedDateTime))
	}
	return nil
}

// addMemo adds a memo; empty texts are dropped.
func (rd *reader) addMemo(g, target, targetGUID, text, coder string, created, updated time.Time) {
	text = strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(text, "\uFEFF"), "\r\n", "\n"), "\r", "\n")))
	if text == "" {
		return
	}
	if rd.memos[g] {
		g = deriveGUID("memo", g, strconv.Itoa(len(rd.snap.Memos)))
	}
	rd.memos[g] = true
	if coder == "" {
		coder = rd.pickCoder()
	}
	if created.IsZero() {
		created = rd.projAt
	}
	if updated.IsZero() {
		updated = created
	}
	if target == coding.TargetProject {
		targetGUID = ""
	}
	rd.snap.Memos = append(rd.snap.Memos, coding.SnapshotMemo{
		GUID: g, Target: target, TargetGUID: targetGUID, Text: text, Coder: coder, CreatedAt: created, UpdatedAt: updated,
	})
}

// sortSnapshot puts documents in name order and codings in document
// order, then by start, end, code path and coder, as Store.Snapshot does.
func (rd *reader) sortSnapshot() {
	s := rd.snap
	sort.SliceStable(s.Documents, func(i, j int) bool { return s.Documents[i].Name < s.Documents[j].Name })
	rank := map[string]int{}
	for i, d := range s.Documents {
		rank[d.GUID] = i
	}
	sort.SliceStable(s.Codings, func(i, j int) bool {
		a, b := s.Codings[i], s.Codings[j]
		switch {
		case rank[a.DocGUID] != rank[b.DocGUID]:
			return rank[a.DocGUID] < rank[b.DocGUID]
		case a.Start != b.Start:
			return a.Start < b.Start
		case a.End != b.End:
			return a.End < b.End
		case rd.codePath[a.CodeGUID] != rd.codePath[b.CodeGUID]:
			return rd.codePath[a.CodeGUID] < rd.codePath[b.CodeGUID]
		}
		return a.Coder < b.Coder
	})
}
