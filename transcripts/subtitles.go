package transcripts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// cue is one subtitle cue as read from the file.
type cue struct {
	start, end time.Duration
	// text is its text lines as written, separated by LF (blank lines
	// inside the cue included).
	text string
	// to is the offset in the file just after text, while text is a slice
	// of the file; -1 once it is a copy.
	to int
}

// lineReader hands out the lines of a text one at a time, with their
// numbers and offsets, and can give the last one back.
type lineReader struct {
	text string
	pos  int    // offset of the next line; len(text)+1 at the end
	off  int    // offset of the line last returned
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
	r.off = r.pos
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

// parseVTT reads WebVTT subtitles as Teams, Zoom, Otter and YouTube write
// them. The file must start with a WEBVTT line; NOTE, STYLE and REGION
// blocks are skipped, cue identifiers (numbers or text) are optional and
// cue settings after the end time are ignored. See cueDocument for what
// becomes of the cues.
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
	return cueDocument(cues, opt)
}

// parseSRT reads SubRip subtitles: blocks of a cue number, a timing line
// (00:00:01,000 --> 00:00:04,000) and text, as Whisper, Rev and most
// subtitle editors write them. The cue numbers may be missing.
func parseSRT(data []byte, opt Options) (*Document, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	cues, err := readCues(&lineReader{text: text}, false)
	if err != nil {
		return nil, err
	}
	return cueDocument(cues, opt)
}

// hasKeyword reports whether line is word, alone or followed by a blank.
func hasKeyword(line, word string) bool {
	rest, ok := strings.CutPrefix(line, word)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// readCues reads blocks of lines separated by blank lines. A block is a
// cue: an optional identifier line (the cue number in SRT, any text in
// WebVTT), a timing line and text lines; a timing line inside a block
// starts another cue. A block without a timing line continues the text of
// the previous cue (a blank line inside a cue's text), unless a NOTE,
// STYLE or REGION block came between them. A line meant as timing that
// does not parse is an error naming its line number, and so is text where
// a cue must start.
func readCues(r *lineReader, vtt bool) ([]cue, error) {
	cues := make([]cue, 0, min(strings.Count(r.text, "-->"), MaxTurns)+1)
	timing := func(line string, n int) error {
		start, end, ok := parseTiming(line)
		if !ok {
			return errorf(ErrMalformed, "line %d: malformed cue timing %q", n, clip(line))
		}
		if len(cues) >= MaxTurns {
			return errorf(ErrTooLarge, "more than %d subtitle cues", MaxTurns)
		}
		cues = append(cues, cue{start: start, end: end, to: -1})
		return nil
	}
	addText := func(line string, off int) {
		c := &cues[len(cues)-1]
		end := off + len(line)
		switch {
		case c.text == "":
			c.text, c.to = line, end
		case c.to >= 0 && c.to <= off && isBlank(r.text[c.to:off]):
			// The lines of a cue are one slice of the file, blank lines
			// and all: no copy.
			c.text, c.to = r.text[c.to-len(c.text):end], end
		default:
			c.text, c.to = c.text+"\n"+line, -1
		}
	}
	expected := func(line string, n int) error {
		return errorf(ErrMalformed, "line %d: expected a cue timing line such as 00:00:01.000 --> 00:00:04.000, found %q", n, clip(line))
	}
	inBlock := false   // the previous line was part of a cue
	afterNote := false // a NOTE, STYLE or REGION block came after the last cue
	for {
		line, ok := r.next()
		if !ok {
			return cues, nil
		}
		if isBlank(line) {
			inBlock = false
			continue
		}
		if inBlock { // after a timing line or text
			if isTimingInCue(line) {
				if err := timing(line, r.n); err != nil {
					return nil, err
				}
			} else {
				addText(line, r.off)
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
			inBlock, afterNote = false, true
			continue
		}
		if strings.Contains(line, "-->") || looksLikeTiming(line) {
			if err := timing(line, r.n); err != nil {
				return nil, err
			}
			afterNote = false
			continue
		}
		first, firstN, firstOff := line, r.n, r.off
		second, ok := r.next()
		if ok && (strings.Contains(second, "-->") || looksLikeTiming(second)) {
			// first is a cue identifier: a number, or text such as
			// Teams' "3f1c2a9e-1/14-0".
			if err := timing(second, r.n); err != nil {
				return nil, err
			}
			afterNote = false
			continue
		}
		if len(cues) == 0 || afterNote {
			return nil, expected(first, firstN)
		}
		addText(first, firstOff)
		if ok {
			r.unread()
		}
	}
}

// looksLikeTiming reports whether s, a line where a cue may start, looks
// like a timing line even without "-->": a digit and a colon at its start
// and an arrow of sorts, to tell a mistyped timing line from text.
func looksLikeTiming(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 || !isDigit(s[0]) || !strings.Contains(s[:4], ":") {
		return false
	}
	return strings.Contains(s, "->") || strings.Contains(s, "--") || strings.Contains(s, "—>") || strings.Contains(s, "–>")
}

// isTimingInCue reports whether line, which follows text or a timing
// line in a block, is a timing line (starting another cue) rather than
// text: "-->" after a leading digit, or a time, an arrow with a ">" and
// another time ("00:00:02.000 -> 00:00:03.000", a mistyped one).
func isTimingInCue(line string) bool {
	s := strings.TrimLeft(line, " \t")
	if s == "" || !isDigit(s[0]) {
		return false
	}
	if strings.Contains(s, "-->") {
		return true
	}
	_, n, ok := parseCueClock(s)
	if !ok {
		return false
	}
	s = strings.TrimLeft(s[n:], " \t")
	arrow := false
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if r != '-' && r != '=' && r != '>' && r != '–' && r != '—' {
			break
		}
		arrow = arrow || r == '>'
		s = s[size:]
	}
	s = strings.TrimLeft(s, " \t")
	return arrow && s != "" && isDigit(s[0])
}

// clip shortens s for an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "..."
}

// parseTiming reads "start --> end [settings]", each time as parseCueClock
// reads it.
func parseTiming(line string) (start, end time.Duration, ok bool) {
	s := strings.TrimLeft(line, " \t")
	start, n, ok := parseCueClock(s)
	if !ok {
		return 0, 0, false
	}
	s = strings.TrimLeft(s[n:], " \t")
	s, ok = strings.CutPrefix(s, "-->")
	if !ok {
		return 0, 0, false
	}
	s = strings.TrimLeft(s, " \t")
	end, n, ok = parseCueClock(s)
	if !ok || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
		return 0, 0, false
	}
	return start, end, true
}

// parseCueClock reads a cue time at the start of s: H:M:S or M:S, the first
// group of 1–3 digits, the others of 1 or 2 digits below 60, then an
// optional fraction of 1–9 digits after "." or ",". Leading zeros are
// optional, as Teams writes "0:0:5.1". n is the length read; it fails when
// a digit, ":", "." or "," follows.
func parseCueClock(s string) (d time.Duration, n int, ok bool) {
	var g [3]int
	groups, i := 0, 0
	for {
		start, v := i, 0
		for i < len(s) && isDigit(s[i]) && i-start < 3 {
			v = v*10 + int(s[i]-'0')
			i++
		}
		width := i - start
		if width == 0 || (groups > 0 && (width > 2 || v >= 60)) {
			return 0, 0, false
		}
		g[groups] = v
		groups++
		if groups == 3 || i >= len(s) || s[i] != ':' {
			break
		}
		i++
	}
	switch groups {
	case 2:
		d = time.Duration(g[0])*time.Minute + time.Duration(g[1])*time.Second
	case 3:
		d = time.Duration(g[0])*time.Hour + time.Duration(g[1])*time.Minute + time.Duration(g[2])*time.Second
	default:
		return 0, 0, false
	}
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',') && isDigit(s[i+1]) {
		i++
		scale := time.Second
		for start := i; i < len(s) && isDigit(s[i]); i++ {
			if i-start == 9 {
				return 0, 0, false
			}
			scale /= 10
			d += time.Duration(s[i]-'0') * scale
		}
	}
	if i < len(s) && (isDigit(s[i]) || s[i] == ':' || s[i] == '.' || s[i] == ',') {
		return 0, 0, false
	}
	return d, i, true
}

// cuePart is what one voice says in a cue: the whole cue, or a run of its
// lines (a "- " dialogue line and the lines wrapped after it, or the lines
// after a <v> tag naming another voice).
type cuePart struct {
	cue   int32  // index of its cue
	rest  int32  // where the text after name starts in text
	voice string // the <v> name; after resolution, the speaker
	text  string // cleaned text, its lines joined with spaces
	name  string // a leading "Name:" in text
	// alone reports that name stands alone on the cue's first line.
	alone bool
	// given reports that name is one of Options.Speakers or a match of
	// Options.SpeakerPattern.
	given bool
	// dash reports that the part is a dialogue line ("- Who?").
	dash bool
}

// maxCueParts bounds the parts of all cues, like MaxTurns the turns.
const maxCueParts = MaxTurns

// cueDocument renders cues as a Document: one line per turn, "Speaker: text"
// (or just the text), consecutive cues of one speaker merged into one
// turn. Cues without a speaker are not merged: each keeps its own time.
// A merged turn keeps each further cue's start as an Anchor where that
// cue's text starts.
//
// A cue's speaker is the name of its <v Name> (or <v.class Name>) tag,
// else a leading [SPEAKER_00] (WhisperX), else a leading "Name:" as Zoom,
// Teams or Otter write it, or "Name (01:02):" as Rev does (the time is
// dropped: the cue's is kept). Such a name counts only when it leads at
// least two cues or is a known label, so that a lone "Note:" stays text;
// a name alone on the first line of a cue ("MAN:", the speech below it)
// also counts once when written in capitals. Lines starting with a
// dialogue dash ("- ", "– ", "— ") are each another speaker's: the dash
// is dropped and the line is a turn of its own, with the speaker of its
// own <v> tag or leading name, else none.
//
// Tags (<i>, <c.x>, <v Name>, karaoke times) are stripped and the common
// entities decoded; the lines of a part are joined with a space.
//
// With opt's speakers or pattern, a leading name is one of them (or a
// match), even once, and nothing else; <v> tags still name their voices.
//
// It warns when no cue has a speaker, and when what looks like a name
// (each word capitalised) leads one cue only and was kept as text.
func cueDocument(cues []cue, opt Options) (*Document, error) {
	parts, err := cueParts(cues)
	if err != nil {
		return nil, err
	}
	var given *givenLabels
	if len(opt.Speakers) > 0 || opt.SpeakerPattern != nil {
		given = newGivenLabels(opt)
	}
	var counts map[string]int
	for i := range parts {
		p := &parts[i]
		if p.voice != "" {
			continue
		}
		if given != nil {
			if l, ok := given.parse(p.text); ok && l.speaker != "" {
				p.name, p.rest, p.given = l.speaker, int32(l.body), true
			}
			continue
		}
		var rest string
		p.name, rest = cueLabel(p.text)
		p.rest = int32(len(p.text) - len(rest))
		if p.name != "" && !isKnownLabel(p.name) {
			if counts == nil {
				counts = map[string]int{}
			}
			counts[p.name]++
		}
	}
	var once []string // names kept as text, for the warning
	var lastRaw, last string
	for i := range parts {
		p := &parts[i]
		speaker, text := p.voice, p.text
		if p.name != "" {
			if p.given || isKnownLabel(p.name) || counts[p.name] >= 2 || (p.alone && isCapitals(p.name)) {
				speaker, text = p.name, p.text[p.rest:]
			} else if len(once) < 4 && isTitleCase(p.name) && !slices.Contains(once, p.name) {
				once = append(once, p.name)
			}
		}
		if speaker != lastRaw { // a speaker's cues mostly follow each other
			lastRaw, last = speaker, nfc(strings.TrimSpace(speaker))
		}
		p.voice = last
		p.text = text
	}
	if given == nil {
		carrySpeakers(parts)
	}

	// A turn is a run of parts: the parts of one turn are consecutive.
	type run struct{ first, last int }
	runs := make([]run, 0, len(parts))
	size, labelled := 0, false
	for i := range parts {
		p := &parts[i]
		if p.text == "" {
			continue
		}
		size += len(p.text) + 1
		if n := len(runs); n > 0 && p.voice != "" && parts[runs[n-1].first].voice == p.voice {
			runs[n-1].last = i
			continue
		}
		if len(runs) >= MaxTurns {
			return nil, errorf(ErrTooLarge, "more than %d speaker turns", MaxTurns)
		}
		runs = append(runs, run{i, i})
		if p.voice != "" {
			labelled = true
			size += len(p.voice) + 2
		}
	}
	if len(runs) == 0 {
		return nil, errorf(ErrEmpty, "no transcript text (no subtitle cues with text)")
	}

	var b strings.Builder
	b.Grow(size)
	doc := &Document{Turns: make([]Turn, 0, len(runs))}
	pos := 0
	for _, rn := range runs {
		if b.Len() > 0 {
			b.WriteByte('\n')
			pos++
		}
		first := &parts[rn.first]
		turn := Turn{Speaker: first.voice, Start: pos, HasTime: true,
			Time: cues[first.cue].start, EndTime: cues[parts[rn.last].cue].end}
		if turn.Speaker != "" {
			b.WriteString(turn.Speaker)
			b.WriteString(": ")
			pos += utf8.RuneCountInString(turn.Speaker) + 2
		}
		turn.Body = pos
		lastCue := first.cue
		for k := rn.first; k <= rn.last; k++ {
			p := &parts[k]
			if p.text == "" {
				continue
			}
			if k > rn.first {
				b.WriteByte(' ')
				pos++
				if p.cue != lastCue {
					turn.Anchors = append(turn.Anchors, Anchor{Pos: pos, Time: cues[p.cue].start})
					lastCue = p.cue
				}
			}
			b.WriteString(p.text)
			pos += utf8.RuneCountInString(p.text)
		}
		turn.End = pos
		doc.Turns = append(doc.Turns, turn)
	}
	doc.Text = b.String()
	if !labelled {
		doc.Warnings = append(doc.Warnings, "No speaker labels found: each cue is a turn without a speaker.")
	}
	if len(once) > 0 {
		doc.Warnings = append(doc.Warnings, onceWarning(once))
	}
	return doc, nil
}

// onceWarning says that names (up to three of them, a fourth meaning
// more) were each seen before a colon in a single cue and kept as text.
func onceWarning(names []string) string {
	q := make([]string, 0, 3)
	for _, n := range names[:min(len(names), 3)] {
		q = append(q, strconv.Quote(n+":"))
	}
	if len(names) == 1 {
		return fmt.Sprintf("%s leads only one cue, so it was kept as text, not taken as a speaker label.", q[0])
	}
	list := strings.Join(q, ", ")
	if len(names) > 3 {
		list += " and others"
	}
	return fmt.Sprintf("%s each lead only one cue, so they were kept as text, not taken as speaker labels.", list)
}

// carrySpeakers gives a part without a speaker the speaker of the part
// before it, when the file names speakers on some cues only: podcast and caption
// tools (Descript, Buzzsprout, Rev) name the speaker on the first cue of
// a turn only, and the cues after it are still theirs. A dialogue line
// ("- Who?") is a new voice and keeps none, and so does a part that
// starts like a label not taken ("Note:"), and what follows either.
//
// Files that name the speaker of (nearly) every cue, as Zoom and Teams
// write them, are left as they are: there a cue without a name is an
// exception, not the speaker going on.
func carrySpeakers(parts []cuePart) {
	named, bare := 0, 0
	for i := range parts {
		switch p := &parts[i]; {
		case p.voice != "":
			named++
		case !startsUpper(p.name) && !p.dash && p.text != "":
			bare++
		}
	}
	if named == 0 || bare < 3 || bare*4 < len(parts) {
		return
	}
	last := ""
	for i := range parts {
		p := &parts[i]
		switch {
		case p.dash:
			last = ""
		case p.voice != "":
			last = p.voice
		case startsUpper(p.name):
			// "Note:", "He said:": text that may be someone else's.
			last = ""
		case p.text != "":
			p.voice = last
		}
	}
}

// startsUpper reports whether s starts with an upper-case letter.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

// isTitleCase reports whether every word of s starts with a capital, a
// digit or "(", as names do ("Speaker 1", "Dr. Anna Petrova (she/her)")
// and the start of a sentence ("Дальше было проще") does not.
func isTitleCase(s string) bool {
	for w := range strings.FieldsSeq(s) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsTitle(r) && !unicode.IsDigit(r) && r != '(' {
			return false
		}
	}
	return true
}

// isCapitals reports whether s has letters and none of them lower-case,
// as captions for the hard of hearing write names ("MAN", "ANNA PETROVA").
func isCapitals(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

// cueParts splits each cue into the parts said by one voice, with their
// text cleaned; lines left empty by cleaning are dropped, and so are
// cues left without text.
func cueParts(cues []cue) ([]cuePart, error) {
	parts := make([]cuePart, 0, len(cues)+len(cues)/8)
	var buf []byte    // the open part's text once it has two pieces
	var single string // the open part's text while it has one piece
	pieces := 0       // pieces of text in the open part
	flush := func() {
		if pieces == 0 {
			return
		}
		p := &parts[len(parts)-1]
		if pieces == 1 {
			p.text = single
		} else {
			p.text = string(buf)
		}
		pieces = 0
	}
	var err error
	var ci int
	voice := ""       // the <v> name of the cue's lines without a dash
	canAlone := false // the open part's first line may be a name alone
	dashed := false   // the line started with a dash not yet used
	// add takes a piece of a line: the whole line, or the run of it that
	// a <v> tag starts.
	add := func(seg string) {
		v := voiceName(seg)
		t, dash := cutDash(cleanCueLine(seg))
		dash = dash || dashed
		if t == "" {
			dashed = dash
			if v != "" && !dash {
				voice = v
			}
			return
		}
		dashed = false
		if dash || pieces == 0 || (v != "" && v != parts[len(parts)-1].voice) {
			flush()
			if len(parts) >= maxCueParts {
				err = errorf(ErrTooLarge, "more than %d subtitle cues and dialogue lines", maxCueParts)
				return
			}
			if !dash && v != "" {
				voice = v
			}
			p := cuePart{cue: int32(ci), voice: v, dash: dash}
			if !dash {
				p.voice = voice
			}
			canAlone = len(parts) == 0 || int(parts[len(parts)-1].cue) != ci
			canAlone = canAlone && !dash && p.voice == ""
			parts = append(parts, p)
			single, pieces = t, 1
			return
		}
		if pieces == 1 {
			if canAlone {
				if name, after := leadingName(single); name != "" && after == "" {
					parts[len(parts)-1].alone = true
				}
			}
			buf = append(buf[:0], single...)
		}
		buf = append(buf, ' ')
		buf = append(buf, t...)
		pieces++
	}
	for ci = range cues {
		voice, canAlone = "", false
		for rest := cues[ci].text; rest != "" && err == nil; {
			var line string
			line, rest, _ = strings.Cut(rest, "\n")
			if isBlank(line) {
				continue
			}
			dashed = false
			voiceRuns(line, add)
		}
		if err != nil {
			return nil, err
		}
		flush()
	}
	return parts, nil
}

// voiceRuns calls f with the runs of line that each <v> tag starts, and
// first with the text before the first tag, if any: "<v A>Hi.</v> <v B>Hello.</v>"
// is two runs, one for each voice.
func voiceRuns(line string, f func(string)) {
	start := 0
	for i := 0; ; {
		k := strings.Index(line[i:], "<v")
		if k < 0 {
			break
		}
		k += i
		j := k + 2
		if j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '.') {
			end := strings.IndexByte(line[j:], '>')
			if end < 0 {
				break // no tag can close after this
			}
			if k > start {
				f(line[start:k])
			}
			start, i = k, j+end+1
			continue
		}
		i = j
	}
	f(line[start:])
}

// cleanCueLine strips the markup of a line of cue text, decodes its
// entities and trims it. The line is NFC, as the whole text is; what
// cleaning changed is normalised again.
func cleanCueLine(line string) string {
	t := decodeEntities(stripTags(line))
	if len(t) != len(line) {
		t = nfc(t)
	}
	return strings.TrimSpace(t)
}

// cutDash removes a leading dialogue dash ("- ", "– " or "— ", or the dash
// alone) from a cleaned line and reports whether there was one.
func cutDash(t string) (string, bool) {
	for _, d := range [...]string{"-", "–", "—"} {
		if rest, ok := strings.CutPrefix(t, d); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.TrimLeft(rest, " \t"), true
		}
	}
	return t, false
}

// cueLabel finds a speaker written at the start of cleaned cue text, as
// leadingName does, or as Rev writes it with a time: "Name (01:02):". It
// returns the name and the text after the label, or "" and text.
func cueLabel(text string) (name, rest string) {
	if name, rest = leadingName(text); name != "" {
		return name, rest
	}
	head := text[:min(len(text), 4*maxNameRunes)]
	i := strings.Index(head, " (")
	if i <= 0 {
		return "", text
	}
	_, n, ok := parseCueClock(text[i+2:])
	after, ok2 := strings.CutPrefix(text[i+2+n:], "):")
	if !ok || !ok2 {
		return "", text
	}
	if name, rest = leadingName(text[:i] + ":" + after); name == text[:i] {
		return name, rest
	}
	return "", text
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
// timestamps) and SRT's {\...} positioning codes. A "<" that starts no tag
// (one followed by a blank, or without a closing ">") is kept as text.
func stripTags(s string) string {
	if strings.IndexByte(s, '<') < 0 && !strings.Contains(s, "{\\") {
		return s
	}
	// What is kept is s[from:to] while it is one run (a line inside one
	// tag, the common case), copied into b once it is more.
	from, to := -1, -1
	var b []byte
	keep := func(i, j int) {
		switch {
		case i == j:
		case from < 0:
			from, to = i, j
		default:
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[from:to]...)
			}
			b = append(b, s[i:j]...)
		}
	}
	// Once no closing character is left, stop looking for one: a line of
	// a million "<" must not take a million searches to the end.
	noGT, noBrace := false, !strings.Contains(s, "{\\")
	run := 0 // start of the text not yet kept
	for i := 0; i < len(s); i++ {
		if noBrace {
			if noGT {
				break
			}
			k := strings.IndexByte(s[i:], '<')
			if k < 0 {
				break
			}
			i += k
		}
		closing := byte(0)
		switch {
		case s[i] == '<' && !noGT && i+1 < len(s) && isTagStart(s[i+1]):
			closing = '>'
		case s[i] == '{' && !noBrace && i+1 < len(s) && s[i+1] == '\\':
			closing = '}'
		default:
			continue
		}
		end := strings.IndexByte(s[i:], closing)
		if end < 0 {
			noGT, noBrace = noGT || closing == '>', noBrace || closing == '}'
			continue
		}
		keep(run, i)
		i += end
		run = i + 1
	}
	keep(run, len(s))
	switch {
	case b != nil:
		return string(b)
	case from < 0:
		return ""
	}
	return s[from:to]
}

// isTagStart reports whether c may follow the "<" of a tag: a letter
// (<i>, <v Name>, <c.x>), "/" or a digit (<00:00:01.000>), so that
// "a < b > c" stays text.
func isTagStart(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '/' || isDigit(c)
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
	return cueLeadingName(text)
}

// isCueName reports whether s may be a display name leading a cue: at most
// 40 characters and five words, starting with a letter, made of letters,
// digits, marks, single spaces and . - ' ’ _ ( ) / @ & (Zoom names such as
// "Dr. Anna Petrova (she/her)").
func isCueName(s string) bool {
	return isDisplayName(s)
}
