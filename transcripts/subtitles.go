package transcripts

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// cue is one subtitle cue as read from the file.
type cue struct {
	start, end time.Duration
	raw        []byte // its text lines as written, joined with spaces
}

// lineReader hands out the lines of a text one at a time, with their
// numbers, and can give the last one back.
type lineReader struct {
	text string
	pos  int    // offset of the next line; len(text)+1 at the end
	n    int    // number of the line last returned (1-based)
	line string // the line last returned
	back bool   // next returns line again
}

func (r *lineReader) next() (string, bool) {
	if r.back {
		r.back = false
		return r.line, true
	}
	if r.pos > len(r.text) {
		return "", false
	}
	end := strings.IndexByte(r.text[r.pos:], '\n')
	if end < 0 {
		r.line, r.pos = r.text[r.pos:], len(r.text)+1
	} else {
		r.line, r.pos = r.text[r.pos:r.pos+end], r.pos+end+1
	}
	r.n++
	return r.line, true
}

// unread makes next return the last line again.
func (r *lineReader) unread() { r.back = true }

// parseVTT reads WebVTT subtitles. The file must start with a WEBVTT line;
// NOTE, STYLE and REGION blocks are skipped, cue identifiers are optional
// and cue settings after the end time are ignored.
func parseVTT(data []byte, opt Options) (*Document, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := &lineReader{text: text}
	if first, _ := r.next(); !hasKeyword(first, "WEBVTT") {
		return nil, errorf(ErrMalformed, "not a WebVTT file: the first line must be WEBVTT")
	}
	for { // header lines, up to a blank line (or, leniently, a cue)
		line, ok := r.next()
		if !ok || isBlank(line) {
			break
		}
		if strings.Contains(line, "-->") {
			r.unread()
			break
		}
	}
	cues, err := readCues(r, true)
	if err != nil {
		return nil, err
	}
	return cueDocument(cues)
}

// parseSRT reads SubRip subtitles: blocks of a cue number, a timing line
// (00:00:01,000 --> 00:00:04,000) and text.
func parseSRT(data []byte, opt Options) (*Document, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	cues, err := readCues(&lineReader{text: text}, false)
	if err != nil {
		return nil, err
	}
	return cueDocument(cues)
}

// hasKeyword reports whether line is word, alone or followed by a blank.
func hasKeyword(line, word string) bool {
	rest, ok := strings.CutPrefix(line, word)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// readCues reads blocks of lines separated by blank lines. A block is a
// cue: an optional identifier line (the cue number in SRT), a timing line
// and text lines; a line with "-->" inside a block starts another cue. A
// block without a timing line continues the text of the previous cue (a
// blank line inside a cue's text). A line meant as timing that does not
// parse is an error naming its line number.
func readCues(r *lineReader, vtt bool) ([]cue, error) {
	var cues []cue
	timing := func(line string, n int) error {
		start, end, ok := parseTiming(line)
		if !ok {
			return errorf(ErrMalformed, "line %d: malformed cue timing %q", n, clip(line))
		}
		if len(cues) >= MaxTurns {
			return errorf(ErrTooLarge, "more than %d subtitle cues", MaxTurns)
		}
		cues = append(cues, cue{start: start, end: end})
		return nil
	}
	addText := func(line string) {
		c := &cues[len(cues)-1]
		if len(c.raw) > 0 {
			c.raw = append(c.raw, ' ')
		}
		c.raw = append(c.raw, line...)
	}
	inBlock := false
	for {
		line, ok := r.next()
		if !ok {
			return cues, nil
		}
		if isBlank(line) {
			inBlock = false
			continue
		}
		if inBlock { // after a timing line or continued text
			if strings.Contains(line, "-->") {
				if err := timing(line, r.n); err != nil {
					return nil, err
				}
			} else {
				addText(line)
			}
			continue
		}
		inBlock = true
		if vtt && (hasKeyword(line, "NOTE") || hasKeyword(line, "STYLE") || hasKeyword(line, "REGION")) {
			for {
				line, ok := r.next()
				if !ok || isBlank(line) {
					break
				}
			}
			inBlock = false
			continue
		}
		if strings.Contains(line, "-->") || looksLikeTiming(line) {
			if err := timing(line, r.n); err != nil {
				return nil, err
			}
			continue
		}
		first, firstN := line, r.n
		second, ok := r.next()
		switch {
		case ok && strings.Contains(second, "-->"),
			ok && isCueNumber(first) && looksLikeTiming(second):
			// first is a cue identifier (or number)
			if err := timing(second, r.n); err != nil {
				return nil, err
			}
			continue
		case len(cues) == 0:
			return nil, errorf(ErrMalformed, "line %d: expected a cue timing line such as 00:00:01.000 --> 00:00:04.000, found %q", firstN, clip(first))
		}
		addText(first)
		if ok {
			r.unread()
		}
	}
}

// isCueNumber reports whether s (trimmed) is all digits.
func isCueNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// looksLikeTiming reports whether s, which has no "-->", still looks like
// a timing line (a timestamp, then an arrow of sorts), to tell a mistyped
// timing line from text.
func looksLikeTiming(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 || !isDigit(s[0]) || !strings.Contains(s[:4], ":") {
		return false
	}
	return strings.Contains(s, "->") || strings.Contains(s, "--") || strings.Contains(s, "—>") || strings.Contains(s, "–>")
}

// clip shortens s for an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "..."
}

// parseTiming reads "start --> end [settings]".
func parseTiming(line string) (start, end time.Duration, ok bool) {
	s := strings.TrimLeft(line, " \t")
	start, n, ok := parseClock(s)
	if !ok {
		return 0, 0, false
	}
	s = strings.TrimLeft(s[n:], " \t")
	s, ok = strings.CutPrefix(s, "-->")
	if !ok {
		return 0, 0, false
	}
	s = strings.TrimLeft(s, " \t")
	end, n, ok = parseClock(s)
	if !ok || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
		return 0, 0, false
	}
	return start, end, true
}

// cueTurn is a turn being assembled from cues.
type cueTurn struct {
	speaker    string
	parts      []string // the texts of its cues
	start, end time.Duration
}

// cueDocument renders cues as a Document: one line per turn, "Speaker: text"
// (or just the text), consecutive cues of the same speaker merged into one
// turn. Cues without a speaker are not merged: each keeps its own time.
//
// A cue's speaker is the name of its first <v Name> (or <v.class Name>)
// tag, else a leading [SPEAKER_00] (WhisperX), else a leading "Name:" as Zoom,
// Teams or Otter write it. Such a name (up to 40 characters) counts only
// when it leads at least two cues or is a known label, so that a lone
// "Note:" stays text. Tags are stripped and the common entities decoded;
// the lines of a cue are joined with a space.
func cueDocument(cues []cue) (*Document, error) {
	type cleaned struct {
		cue
		speaker, text string // <v> speaker, or "" and the whole text
		name, rest    string // a leading "Name:" candidate and the text after it
	}
	cl := make([]cleaned, 0, len(cues))
	var counts map[string]int
	for _, c := range cues {
		raw := string(c.raw)
		speaker := voiceName(raw)
		text := strings.TrimSpace(decodeEntities(stripTags(raw)))
		x := cleaned{cue: c, speaker: speaker, text: text}
		if speaker == "" {
			x.name, x.rest = leadingName(text)
			if x.name != "" && !isKnownLabel(x.name) {
				if counts == nil {
					counts = map[string]int{}
				}
				counts[x.name]++
			}
		}
		cl = append(cl, x)
	}
	var turns []cueTurn
	for _, x := range cl {
		speaker, text := x.speaker, x.text
		if x.name != "" && (isKnownLabel(x.name) || counts[x.name] >= 2) {
			speaker, text = x.name, x.rest
		}
		speaker = nfc(strings.TrimSpace(speaker))
		text = nfc(text)
		if text == "" {
			continue
		}
		if n := len(turns); n > 0 && speaker != "" && turns[n-1].speaker == speaker {
			turns[n-1].parts = append(turns[n-1].parts, text)
			turns[n-1].end = x.end
			continue
		}
		turns = append(turns, cueTurn{speaker: speaker, parts: []string{text}, start: x.start, end: x.end})
	}
	if len(turns) == 0 {
		return nil, errorf(ErrEmpty, "no transcript text (no subtitle cues with text)")
	}
	var b strings.Builder
	doc := &Document{Turns: make([]Turn, 0, len(turns))}
	pos := 0
	for _, t := range turns {
		if b.Len() > 0 {
			b.WriteByte('\n')
			pos++
		}
		turn := Turn{Speaker: t.speaker, Start: pos, Time: t.start, EndTime: t.end, HasTime: true}
		if t.speaker != "" {
			b.WriteString(t.speaker)
			b.WriteString(": ")
			pos += utf8.RuneCountInString(t.speaker) + 2
		}
		turn.Body = pos
		for k, part := range t.parts {
			if k > 0 {
				b.WriteByte(' ')
				pos++
			}
			b.WriteString(part)
			pos += utf8.RuneCountInString(part)
		}
		turn.End = pos
		doc.Turns = append(doc.Turns, turn)
	}
	doc.Text = b.String()
	return doc, nil
}

// voiceName returns the name in the first <v Name> or <v.class Name> tag
// of s, or "".
func voiceName(s string) string {
	for i := 0; ; {
		k := strings.Index(s[i:], "<v")
		if k < 0 {
			return ""
		}
		k += i + 2
		if k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '.') {
			end := strings.IndexByte(s[k:], '>')
			if end < 0 {
				return ""
			}
			tag := s[k : k+end]
			if tag[0] == '.' { // classes: <v.loud.quiet Name>
				sp := strings.IndexAny(tag, " \t")
				if sp < 0 {
					return ""
				}
				tag = tag[sp:]
			}
			return strings.TrimSpace(decodeEntities(tag))
		}
		i = k
	}
}

// stripTags removes markup from cue text: <...> tags (<i>, <c.x>, <v Name>,
// timestamps) and SRT's {\...} positioning codes. A "<" without a closing
// ">" is kept as text.
func stripTags(s string) string {
	if strings.IndexByte(s, '<') < 0 && !strings.Contains(s, "{\\") {
		return s
	}
	var b strings.Builder
	// Once no closing character is left, stop looking for one: a line of
	// a million "<" must not take a million searches to the end.
	noGT, noBrace := false, false
	for i := 0; i < len(s); {
		switch {
		case s[i] == '<' && !noGT:
			if end := strings.IndexByte(s[i:], '>'); end > 0 {
				i += end + 1
				continue
			}
			noGT = true
		case s[i] == '{' && !noBrace && i+1 < len(s) && s[i+1] == '\\':
			if end := strings.IndexByte(s[i:], '}'); end > 0 {
				i += end + 1
				continue
			}
			noBrace = true
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// namedEntities are the character references decoded in cue text.
var namedEntities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "nbsp": " ", "quot": "\"", "apos": "'",
	"lrm": "\u200e", "rlm": "\u200f",
}

// decodeEntities decodes the named references above and numeric ones
// (&#39; &#x27;) in s; a numeric reference to a control character or a
// surrogate is left as written, and so is an unknown name.
func decodeEntities(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s[:min(len(s), 12)], ';')
		if end > 1 {
			name := s[1:end]
			if v, ok := namedEntities[name]; ok {
				b.WriteString(v)
				s = s[end+1:]
				continue
			}
			if r, ok := numericEntity(name); ok {
				b.WriteRune(r)
				s = s[end+1:]
				continue
			}
		}
		b.WriteByte('&')
		s = s[1:]
	}
}

// numericEntity decodes "#39" or "#x27" to a printable rune.
func numericEntity(name string) (rune, bool) {
	num, ok := strings.CutPrefix(name, "#")
	if !ok {
		return 0, false
	}
	base := 10
	if len(num) > 0 && (num[0] == 'x' || num[0] == 'X') {
		num, base = num[1:], 16
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil || v > unicode.MaxRune || (v >= 0xD800 && v < 0xE000) {
		return 0, false
	}
	r := rune(v)
	if unicode.IsControl(r) {
		return 0, false
	}
	return r, true
}

// leadingName finds a speaker written at the start of cue text:
// "[SPEAKER_00]:", "[SPEAKER_00]", "[Name]:" or "Name:" followed by a
// blank. It returns the name and the text after it, or "" and text.
func leadingName(text string) (name, rest string) {
	if strings.HasPrefix(text, "[") {
		end := strings.IndexByte(text[:min(len(text), 4*maxNameRunes+2)], ']')
		if end < 0 {
			return "", text
		}
		name, rest = text[1:end], text[end+1:]
		colon := strings.HasPrefix(rest, ":")
		if colon {
			rest = rest[1:]
		}
		if !(isSpeakerID(name) || colon && isCueName(name)) {
			return "", text
		}
	} else {
		var ok bool
		name, rest, ok = strings.Cut(text[:min(len(text), 4*maxNameRunes+2)], ":")
		if !ok || !isCueName(name) {
			return "", text
		}
		rest = text[len(name)+1:]
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && !strings.HasPrefix(rest, "\u00a0") {
		return "", text
	}
	return name, strings.TrimSpace(rest)
}

// isCueName reports whether s may be a display name leading a cue: at most
// 40 characters and five words, starting with a letter, made of letters,
// digits, marks, single spaces and . - ' ’ _ ( ) / @ & (Zoom names such as
// "Dr. Anna Petrova (she/her)").
func isCueName(s string) bool {
	if s == "" || len(s) > 4*maxNameRunes {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) {
		return false
	}
	words, runes := 1, 0
	prevSpace := false
	for _, r := range s {
		runes++
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			words++
			continue
		}
		prevSpace = false
		if !isNameRune(r) && !strings.ContainsRune(".()/@&", r) {
			return false
		}
	}
	return !prevSpace && words <= 5 && runes <= maxNameRunes
}
