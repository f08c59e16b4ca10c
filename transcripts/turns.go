package transcripts

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// lineMode says what an unlabelled paragraph is.
type lineMode uint8

const (
	// paragraphs: blocks of non-blank lines separated by blank lines (.txt, .md).
	paragraphs lineMode = iota
	// eachLine: every non-blank line (.docx, .odt, where a line is a paragraph).
	eachLine
)

// maxNameRunes is the longest speaker name accepted in a label.
const maxNameRunes = 40

// label is what parseLabel finds at the start of a line. Offsets are bytes
// within the line.
type label struct {
	start     int // first non-blank byte: the timestamp or the label
	afterTime int // after the leading timestamp and its blanks (start if none)
	body      int // after the label's colon and blanks: where speech starts
	speaker   string
	time      time.Duration
	hasTime   bool
	known     bool // a label that counts even once (Q, Interviewer, SPEAKER_00...)
	timeAlone bool // the line is a timestamp and nothing else
}

// detectTurns finds the speaker turns of text (NFC, LF line endings).
//
// A turn starts at a line that begins with an optional timestamp ([01:02:03],
// (01:02), 01:02:03.500...) and a speaker label: Name followed by ":" and a
// blank or the end of the line, **Name:** or **Name**: in Markdown bold,
// [SPEAKER_00] as WhisperX writes it, "Name (01:02):" with the time after
// the name, or a line holding only a name and a time ("Speaker 1  0:03", as
// Otter exports, the speech on the next lines). Known labels (Q, A, I, R,
// Interviewer, Respondent, their Russian forms, SPEAKER_nn) always count;
// any other name (1–3 words, at most 40 characters, starting with an
// upper-case letter, no sentence punctuation) counts only when it labels at
// least two lines of the document, so that a lone "Note:" stays text, or
// when it carries a timestamp and at least two such timestamped labels
// occur (so that someone who speaks once in a timestamped transcript, as
// Otter or Rev write them, still gets a turn).
//
// A turn runs to the last non-blank line before the next label, over blank
// lines and unlabelled paragraphs. A line starting with a timestamp but no
// label continues the current turn; when such a line holds only a timestamp
// and the next line is a label without one, the turn starts at the
// timestamp line and takes its time. Text before the first label belongs to
// no turn.
//
// Without any label, every paragraph is a turn with an empty Speaker (in
// eachLine mode every line), and a line starting with a timestamp starts a
// turn too; such a turn has the timestamp's time and its Body after the
// timestamp (Body == Start otherwise).
//
// It fails only when the text has more than MaxTurns turns.
//
// It reads the text twice, line by line, storing nothing per line: first
// to count the labels (a generic name counts only if it recurs), then to
// build the turns.
func detectTurns(text string, mode lineMode, opt Options) ([]Turn, error) {
	var counts map[string]int
	known, named, timed := 0, 0, 0 // known labels; generic ones; generic ones with a time
	for pos := 0; pos < len(text); {
		end := lineEnd(text, pos)
		if l, ok := parseLabel(text[pos:end]); ok && l.speaker != "" {
			if l.known {
				known++
			} else {
				if counts == nil {
					counts = make(map[string]int)
				}
				counts[l.speaker]++
				named++
				if l.hasTime {
					timed++
				}
			}
		}
		pos = end + 1
	}
	accept := acceptance{counts: counts, timed: timed}
	labelled := known > 0 || timed >= 2
	for _, n := range counts {
		labelled = labelled || n >= 2
	}
	var turns []Turn
	ok := false
	if labelled {
		turns, ok = labelledTurns(text, accept, known+named)
	} else {
		turns, ok = paragraphTurns(text, mode)
	}
	if !ok {
		return nil, tooManyTurns()
	}
	return turns, nil
}

// acceptance decides which labels mark turns, from the counts of the first
// pass over the text.
type acceptance struct {
	counts map[string]int // lines labelled with each generic name
	timed  int            // generic labels with a timestamp
}

func (a acceptance) accepts(l *label) bool {
	return l.speaker != "" && (l.known || a.counts[l.speaker] >= 2 || (l.hasTime && a.timed >= 2))
}

func tooManyTurns() error {
	return errorf(ErrTooLarge, "more than %d speaker turns", MaxTurns)
}

// lineEnd returns the offset of the newline ending the line at pos, or
// len(text).
func lineEnd(text string, pos int) int {
	if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(text)
}

// labelledTurns builds the turns that start at the accepted labels; at
// most labels of them are expected. It reports false if there are more
// than MaxTurns.
func labelledTurns(text string, accept acceptance, labels int) ([]Turn, bool) {
	turns := make([]Turn, 0, min(labels, MaxTurns))
	rc := runeCounter{s: text}
	var cur Turn // the open turn; Start and Body in bytes until it is closed
	open := false
	closeAt := func(limit int) {
		if !open {
			return
		}
		end := trimSpaceLeft(text, cur.Start, limit)
		body := min(skipSpace(text, cur.Body, end), end)
		cur.Start = rc.at(cur.Start)
		cur.Body = rc.at(body)
		cur.End = rc.at(end)
		turns = append(turns, cur)
	}
	var prev label // the label of the previous line, if it had one
	prevOK, prevPos := false, 0
	for pos := 0; pos < len(text); {
		end := lineEnd(text, pos)
		l, ok := parseLabel(text[pos:end])
		if ok && accept.accepts(&l) {
			start := pos + l.start
			if !l.hasTime && prevOK && prev.timeAlone {
				start, l.time, l.hasTime = prevPos+prev.start, prev.time, true
			}
			closeAt(start)
			if len(turns) >= MaxTurns {
				return nil, false
			}
			cur = Turn{Speaker: l.speaker, Start: start, Body: pos + l.body, Time: l.time, HasTime: l.hasTime}
			open = true
		}
		prev, prevOK, prevPos = l, ok, pos
		pos = end + 1
	}
	closeAt(len(text))
	return turns, true
}

// paragraphTurns builds the turns of a text without speaker labels: one per
// paragraph (or line), and one per line that starts with a timestamp. It
// reports false if there are more than MaxTurns.
func paragraphTurns(text string, mode lineMode) ([]Turn, bool) {
	var turns []Turn
	rc := runeCounter{s: text}
	open := false     // a turn is being built
	inPara := false   // the previous line was not blank
	joinNext := false // the open turn is a lone timestamp: the next line joins it
	var start, bodyFrom, last int
	var cur Turn
	finish := func() {
		if !open {
			return
		}
		body := min(skipSpace(text, bodyFrom, last), last)
		cur.Start = rc.at(start)
		cur.Body = rc.at(body)
		cur.End = rc.at(last)
		turns = append(turns, cur)
		open = false
	}
	for pos := 0; pos < len(text); {
		end := lineEnd(text, pos)
		first := skipSpace(text, pos, end)
		if first == end {
			inPara = false
			pos = end + 1
			continue
		}
		l, ok := parseLabel(text[pos:end])
		timestamped := ok && l.hasTime && l.afterTime > l.start
		newTurn := timestamped || (!joinNext && (!inPara || mode == eachLine))
		if newTurn {
			finish()
			if len(turns) >= MaxTurns {
				return nil, false
			}
			open, joinNext = true, false
			start, bodyFrom = first, first
			cur = Turn{}
			if timestamped {
				bodyFrom = max(pos+l.afterTime, first)
				cur.Time, cur.HasTime = l.time, true
				joinNext = l.timeAlone
			}
		} else {
			joinNext = false
		}
		last = trimSpaceLeft(text, pos, end)
		inPara = true
		pos = end + 1
	}
	finish()
	return turns, true
}

// runeCounter converts increasing byte offsets of s into code-point offsets,
// counting each byte once.
type runeCounter struct {
	s          string
	byte, rune int
}

func (c *runeCounter) at(b int) int {
	c.rune += utf8.RuneCountInString(c.s[c.byte:b])
	c.byte = b
	return c.rune
}

// trimSpaceLeft returns the end of s[lo:hi] without its trailing white space.
func trimSpaceLeft(s string, lo, hi int) int {
	for hi > lo {
		c := s[hi-1]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' {
				return hi
			}
			hi--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[lo:hi])
		if !unicode.IsSpace(r) {
			return hi
		}
		hi -= size
	}
	return hi
}

// skipSpace returns the offset of the first non-white-space byte of s[b:hi],
// or hi (or b, if b > hi).
func skipSpace(s string, b, hi int) int {
	for b < hi {
		c := s[b]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' {
				return b
			}
			b++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[b:hi])
		if !unicode.IsSpace(r) {
			return b
		}
		b += size
	}
	return b
}

// skipBlanks returns the offset of the first byte of s from i on that is not
// a space or a tab.
func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// parseLabel reads the optional timestamp and the speaker label at the start
// of line. It reports false for a line with neither.
func parseLabel(line string) (l label, ok bool) {
	i := skipBlanks(line, 0)
	if i == len(line) {
		return l, false
	}
	// Most lines of speech start with something that cannot begin a
	// timestamp or a label; reject them before any real work.
	c := line[i]
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(line[i:])
		if !unicode.IsUpper(r) && !unicode.IsTitle(r) {
			return l, false
		}
	} else if !(c == '[' || c == '(' || c == '*' || isDigit(c) || ('A' <= c && c <= 'Z')) {
		return l, false
	}
	l.start = i
	if d, n, ok := parseTimestamp(line[i:]); ok {
		l.time, l.hasTime = d, true
		i = skipBlanks(line, i+n)
		if i == len(line) {
			l.afterTime, l.body, l.timeAlone = i, i, true
			return l, true
		}
	}
	l.afterTime = i
	if speaker, body, d, hasTime, ok := parseSpeaker(line, i); ok {
		l.speaker, l.body, l.known = speaker, body, isKnownLabel(speaker)
		if hasTime && !l.hasTime {
			l.time, l.hasTime = d, true
		}
		return l, true
	}
	if l.hasTime {
		l.body = i
		return l, true
	}
	if speaker, d, ok := parseNameThenTime(line[i:]); ok {
		l.speaker, l.body, l.known = speaker, len(line), isKnownLabel(speaker)
		l.time, l.hasTime = d, true
		return l, true
	}
	return l, false
}

// parseSpeaker reads a speaker label at line[i:]: "Name:", "**Name:**",
// "**Name**:", "[SPEAKER_00]", "[Name]:" or "Name (01:02):", each followed
// by a space, a tab, a no-break space or the end of the line. body is the
// offset after the label and its blanks; d is a time written inside the
// label.
func parseSpeaker(line string, i int) (speaker string, body int, d time.Duration, hasTime, ok bool) {
	rest := line[i:]
	var name string
	after := 0 // offset in rest just after the label, colon included
	switch {
	case strings.HasPrefix(rest, "**"):
		inner := rest[2:]
		end := strings.Index(inner[:min(len(inner), 4*maxNameRunes+8)], "**")
		if end < 0 {
			return
		}
		switch {
		case strings.HasSuffix(inner[:end], ":"):
			name, after = inner[:end-1], 2+end+2
		case end+2 < len(inner) && inner[end+2] == ':':
			name, after = inner[:end], 2+end+3
		default:
			return
		}
		if !isKnownLabel(name) && !isName(name) {
			return
		}
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest[:min(len(rest), 4*maxNameRunes+2)], ']')
		if end < 0 {
			return
		}
		name, after = rest[1:end], end+1
		colon := after < len(rest) && rest[after] == ':'
		if colon {
			after++
		}
		switch {
		case isSpeakerID(name):
		case colon && (isKnownLabel(name) || isName(name)):
		default:
			return
		}
	default:
		j := scanName(rest)
		name = strings.TrimRight(rest[:j], " ")
		switch {
		case j < len(rest) && rest[j] == ':':
			after = j + 1
		case j < len(rest) && j > len(name) && (rest[j] == '(' || rest[j] == '['):
			td, n, tok := parseTimestamp(rest[j:])
			if !tok || j+n >= len(rest) || rest[j+n] != ':' {
				return
			}
			d, hasTime, after = td, true, j+n+1
		default:
			return
		}
		if !isKnownLabel(name) && !isName(name) {
			return
		}
	}
	if after < len(rest) && rest[after] != ' ' && rest[after] != '\t' && !strings.HasPrefix(rest[after:], "\u00a0") {
		return "", 0, 0, false, false
	}
	return name, skipBlanks(line, i+after), d, hasTime, true
}

// parseNameThenTime reads a line that holds only a name and a time, as in
// Otter's export ("Speaker 1  0:03").
func parseNameThenTime(s string) (name string, d time.Duration, ok bool) {
	s = strings.TrimRight(s, " \t")
	if s == "" || !isDigit(s[len(s)-1]) {
		return "", 0, false
	}
	k := strings.LastIndexAny(s, " \t")
	if k < 0 {
		return "", 0, false
	}
	d, n, ok := parseClock(s[k+1:])
	if !ok || k+1+n != len(s) {
		return "", 0, false
	}
	name = strings.TrimRight(s[:k], " \t")
	if !isKnownLabel(name) && !isName(name) {
		return "", 0, false
	}
	return name, d, true
}

// scanName returns the length of the run at the start of s of characters
// that may form a speaker name (letters, digits, marks, - ' ’ _ and
// spaces), stopping early once it is longer than any name can be: more
// than maxNameRunes characters or more than three spaces (three words and
// the space before a "(01:02)").
func scanName(s string) int {
	n, spaces := 0, 0
	for i := 0; i < len(s); {
		if n > maxNameRunes+1 {
			return i
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' {
				if spaces++; spaces > 3 {
					return i
				}
			} else if !(('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || isDigit(c) || c == '-' || c == '\'' || c == '_') {
				return i
			}
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNameRune(r) {
			return i
		}
		i += size
		n++
	}
	return len(s)
}

// isNameRune reports whether r may appear in a speaker name (besides the
// space between words).
func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || r == '\'' || r == '’' || r == '_'
}

// isName reports whether s is a generic speaker name: 1–3 words separated by
// single spaces, at most maxNameRunes characters, starting with an
// upper-case letter, made of letters, digits, marks and - ' ’ _.
func isName(s string) bool {
	if s == "" || len(s) > 4*maxNameRunes {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(first) && !unicode.IsTitle(first) {
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
		if !isNameRune(r) {
			return false
		}
	}
	return !prevSpace && words <= 3 && runes <= maxNameRunes
}

// knownWords are the labels that count as speakers even when they occur
// once; compared without regard to case (though, like every label, they
// must start with a capital: "INTERVIEWER:" counts, "interviewer:" does
// not). Single letters are in isKnownLabel, compared exactly.
var knownWords = []string{
	"Interviewer", "Interviewee", "Respondent",
	"Интервьюер", "Респондент", "Вопрос", "Ответ",
}

// isKnownLabel reports whether name is a label that always marks a turn.
func isKnownLabel(name string) bool {
	switch name {
	case "Q", "A", "I", "R", "И", "Р":
		return true
	}
	if isSpeakerID(name) {
		return true
	}
	if len(name) < 5 || len(name) > 24 {
		return false
	}
	for _, w := range knownWords {
		if strings.EqualFold(name, w) {
			return true
		}
	}
	return false
}

// isSpeakerID reports whether s is a diarisation label: SPEAKER_ and digits.
func isSpeakerID(s string) bool {
	digits, ok := strings.CutPrefix(s, "SPEAKER_")
	if !ok || digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// parseTimestamp reads a timestamp at the start of s: [clock], (clock) or a
// bare clock followed by a blank or the end of s. n is its length in bytes.
func parseTimestamp(s string) (d time.Duration, n int, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	switch s[0] {
	case '[', '(':
		closing := byte(']')
		if s[0] == '(' {
			closing = ')'
		}
		d, n, ok := parseClock(s[1:])
		if !ok || 1+n >= len(s) || s[1+n] != closing {
			return 0, 0, false
		}
		return d, n + 2, true
	default:
		d, n, ok := parseClock(s)
		if !ok || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
			return 0, 0, false
		}
		return d, n, true
	}
}

// parseClock reads H:MM:SS or M:SS (the first group 1–3 digits, the others
// exactly 2, minutes and seconds below 60 where they are not the first
// group) with an optional fraction of 1–9 digits after "." or ",", at the
// start of s. It fails when a digit or ":" follows.
func parseClock(s string) (d time.Duration, n int, ok bool) {
	g := [3]int{}
	groups := 0
	i := 0
	for groups < 3 {
		start := i
		v := 0
		for i < len(s) && isDigit(s[i]) && i-start < 4 {
			v = v*10 + int(s[i]-'0')
			i++
		}
		width := i - start
		if (groups == 0 && (width < 1 || width > 3)) || (groups > 0 && width != 2) {
			return 0, 0, false
		}
		g[groups] = v
		groups++
		if groups == 3 || i >= len(s) || s[i] != ':' {
			break
		}
		i++
	}
	if groups < 2 {
		return 0, 0, false
	}
	var h, m, sec int
	if groups == 3 {
		h, m, sec = g[0], g[1], g[2]
		if m >= 60 {
			return 0, 0, false
		}
	} else {
		m, sec = g[0], g[1]
	}
	if sec >= 60 {
		return 0, 0, false
	}
	d = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',') && isDigit(s[i+1]) {
		i++
		scale := time.Second
		var frac time.Duration
		start := i
		for i < len(s) && isDigit(s[i]) {
			if i-start >= 9 {
				return 0, 0, false
			}
			scale /= 10
			frac += time.Duration(s[i]-'0') * scale
			i++
		}
		d += frac
	}
	if i < len(s) && (isDigit(s[i]) || s[i] == ':') {
		return 0, 0, false
	}
	return d, i, true
}
