package transcripts

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file is the one rule for what a speaker label and a timestamp look
// like at the start of a line of a transcript. detectTurns (turns.go)
// decides, over the whole document, which of the labels found here start
// turns; the subtitle reader uses the same name rule for the names that
// lead cues.
//
// A line may start with (spaces and tabs first are ignored):
//
//	timestamp? label timestamp? speech
//
// where a timestamp is [clock], (clock), \[clock\] (Markdown escapes the
// brackets), #clock-t# (f4/f5transkript; t is tenths) or a bare clock
// followed by a blank, a clock is [-]D:HH:MM:SS,
// H:MM:SS or M:SS with an optional fraction (see parseClockN), and a label
// is one of
//
//	Name:               Anna K. Petrova:  Dr. Ko:  Е. В. Смирнова:  PLT:
//	Name (qualifier):   Respondent 3 (mother):  Берег 2 (Соколов):
//	Name (time):        Anna (01:02):  Anna [00:01:02]:
//	Name, title:        ANDERSON COOPER, CNN ANCHOR:  (the speaker is the
//	                    name before the comma, see affiliation)
//	**Name:**, **Name**:  Markdown bold
//	**Name** speech     bold without a colon, speech after a blank
//	[id] or [Name]:     [id1]  [P03]:  [SPEAKER_00]
//	(NAME):             (UNKNOWN):  (CROSSTALK):  the speaker is NAME
//	?:                  an unknown speaker, named "?"
//	Name  time          a name and a time alone on the line (Otter)
//	Name                a name alone on the line, the speech on the next
//
// A noise annotation may stand before the label, after the timestamp:
// "(APPLAUSE) TRUMP: And...", "[BELL RINGS] Anna: ...", "(смех) ИВАНОВ: ..."
// (in parentheses or brackets, in capitals or one of noiseWords; see
// noiseAnnotation). The label then starts at the annotation, so that the
// turn it opens holds the whole line.
//
// A colon must be followed by a blank, a no-break space, the end of the
// line, or speech that opens with an ellipsis or a dash ("Кедр:… огни",
// "Anna:...", "Anna:—"). A Name is 1–5 words of at most maxNameRunes
// characters in all, separated by single spaces (or single no-break spaces,
// U+00A0 or U+202F, as some e-texts join two names: the detector reads
// them as plain spaces, see nameSpaces): each word starts with a capital
// letter (or a letter of a script without case), or is a number ("Speaker
// 2"), an initial ("K.", "Е.В."), a title ("Dr.", "Mrs.", "Int.") or a
// particle ("von", "de"); a word is made of letters, digits, marks and
// - ' ’ _.
//
// [X] without a colon is a label only when X is an id (letters, then
// digits: id1, P03, S2, SPEAKER_00) or a known label ([Interviewer]); a
// bare word in brackets at the start of a line is a stage direction or a
// note ([Within] My lord!, [Laughs]). A name alone on its line must not mix
// a word in capitals with words in lower case ("Exit ANNA" is a stage
// direction), and a name whose first word is a stage direction or a
// heading ("Exit", "Enter", "Уходит", "ACT II", "Явление 3") is never a
// speaker (see isNonSpeakerWord).

// labelKind is the written shape of a label.
type labelKind uint8

const (
	kindNone     labelKind = iota
	kindColon              // Name:
	kindBold               // **Name:** or **Name**:
	kindBracket            // [id] or [Name]:
	kindNameTime           // Name  0:03, alone on the line
	kindAlone              // Name alone on the line
	kindRunBold            // a bold run at the start of a .docx/.odt paragraph
	kindGiven              // a name given in Options.Speakers or SpeakerPattern
	kindBoldBare           // **Name** followed by speech, without a colon
	kindParen              // (NAME): a name in parentheses before a colon
	kindUnknown            // ?: an unknown speaker
)

// shapeNames describe the kinds in warnings.
var shapeNames = [...]string{
	kindNone:     "",
	kindColon:    "Name:",
	kindBold:     "**Name:**",
	kindBracket:  "[Name]",
	kindNameTime: "Name and time on a line",
	kindAlone:    "name alone on a line",
	kindRunBold:  "bold name",
	kindGiven:    "given name",
	kindBoldBare: "**Name**",
	kindParen:    "(NAME):",
	kindUnknown:  "?:",
}

// maxNameRunes is the longest speaker name accepted in a label, qualifier
// excluded.
const maxNameRunes = 40

// maxQualifierRunes is the longest parenthesised qualifier after a name.
const maxQualifierRunes = 30

// maxNameWords is the most words in a name.
const maxNameWords = 5

// label is what parseLabel finds at the start of a line. Offsets are bytes
// within the line.
type label struct {
	start     int // first non-blank byte: the timestamp or the label
	afterTime int // after the leading timestamp and its blanks (start if none)
	body      int // after the label, its colon and blanks: where speech starts
	speaker   string
	time      time.Duration
	hasTime   bool
	known     bool // a label that counts even once (Q, Interviewer, SPEAKER_00...)
	timeAlone bool // the line is a timestamp and nothing else
	kind      labelKind
	caps      bool // the name is written in capitals (two letters or more)
	caseless  bool // the name is in a script without case: it must recur
	nbsp      bool // the name has a no-break space between its words
	lineLen   int  // the length of the line
	paraStart bool // set by the detector: the line starts a paragraph
}

// style is the label's shape as a small number (below 256): a label seen
// once counts only if labels that recur have the same style. It holds the
// kind, whether a time is written, whether the name is in capitals, and
// the layout: speech after the label on its line, or the label alone on
// its line (with nothing after a colon, "First Citizen:") at the start of a
// paragraph or inside one ("Come:" in the middle of verse).
func (l *label) style() uint {
	s := uint(l.kind) << 4
	if l.alone() {
		s |= 4
		if !l.paraStart {
			s |= 8
		}
	}
	if l.hasTime {
		s |= 2
	}
	if l.caps {
		s |= 1
	}
	return s
}

// alone reports whether a colon label stands alone on its line, the speech
// on the lines after it ("First Citizen:").
func (l *label) alone() bool {
	return l.speaker != "" && l.kind != kindAlone && l.kind != kindNameTime && l.body == l.lineLen
}

// styleSet is a set of label styles.
type styleSet [4]uint64

func (s *styleSet) add(style uint)     { s[style>>6&3] |= 1 << (style & 63) }
func (s styleSet) has(style uint) bool { return s[style>>6&3]&(1<<(style&63)) != 0 }
func (s *styleSet) union(o styleSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

// parseLabel reads the optional timestamp and the speaker label at the start
// of line. It reports false for a line with neither; a line with only a
// timestamp at its start has an empty speaker.
func parseLabel(line string) (l label, ok bool) {
	l.lineLen = len(line)
	i := skipBlanks(line, 0)
	if i == len(line) {
		return l, false
	}
	// Most lines of speech start with something that cannot begin a
	// timestamp or a label; reject them before any real work.
	c := line[i]
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(line[i:])
		if !startsName(r) {
			return l, false
		}
	} else if !(c == '[' || c == '(' || c == '*' || c == '#' || c == '\\' || c == '?' || isDigit(c) || ('A' <= c && c <= 'Z')) {
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
	if parseSpeaker(line, i, &l) {
		return l, true
	}
	l.kind = kindNone
	// (APPLAUSE) TRUMP: a noise annotation before the label; the label
	// starts at the annotation.
	if n := noiseAnnotation(line[i:]); n > 0 {
		if j := skipBlanks(line, i+n); j > i+n && parseSpeaker(line, j, &l) && l.kind != kindAlone && l.kind != kindNameTime {
			return l, true
		}
		l.speaker, l.kind, l.body = "", kindNone, 0
	}
	if l.hasTime {
		l.body = i
		return l, true
	}
	return l, false
}

// parseSpeaker reads a speaker label at line[i:] into l (speaker, body,
// kind, known, caps, caseless, and a time written in or after the label
// when l has none). It reports whether there is one.
func parseSpeaker(line string, i int, l *label) bool {
	rest := line[i:]
	var name string
	after := 0 // offset in rest just after the label, colon included
	var info nameInfo
	colonEnd := false // the label ends in a colon
	switch {
	case strings.HasPrefix(rest, "**"):
		inner := rest[2:]
		end := strings.Index(inner[:min(len(inner), 4*(maxNameRunes+maxQualifierRunes)+8)], "**")
		if end <= 0 {
			return false
		}
		l.kind, colonEnd = kindBold, true
		switch {
		case strings.HasSuffix(inner[:end], ":"):
			name, after = inner[:end-1], 2+end+2
		case end+2 < len(inner) && inner[end+2] == ':':
			name, after = inner[:end], 2+end+3
		case end+2 < len(inner) && (inner[end+2] == ' ' || inner[end+2] == '\t') && skipBlanks(inner, end+2) < len(inner):
			// **Name** speech: bold without a colon, speech after it.
			name, after = inner[:end], 2+end+2
			l.kind, colonEnd = kindBoldBare, false
		default:
			return false
		}
		n, in, ok := scanName(name)
		if !ok || n != len(name) {
			return false
		}
		info = in
	case strings.HasPrefix(rest, "("):
		// (UNKNOWN): a name in parentheses, then a colon.
		end := strings.IndexByte(rest[:min(len(rest), 4*maxNameRunes+2)], ')')
		if end < 0 || end+1 >= len(rest) || rest[end+1] != ':' {
			return false
		}
		name, after = rest[1:end], end+2
		n, in, ok := scanName(name)
		if !ok || n != len(name) {
			return false
		}
		info, l.kind, colonEnd = in, kindParen, true
	case strings.HasPrefix(rest, "?:"):
		// ?: an unknown speaker.
		name, after = "?", 2
		l.kind, colonEnd = kindUnknown, true
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest[:min(len(rest), 4*maxNameRunes+2)], ']')
		if end < 0 {
			return false
		}
		name, after = rest[1:end], end+1
		colon := after < len(rest) && rest[after] == ':'
		if colon {
			after++
		}
		n, in, ok := scanName(name)
		switch {
		case isBracketID(name):
			info.caps = isSpeakerID(name)
		case ok && n == len(name) && (colon || isKnownLabel(name)):
			// Without a colon a bracketed word is a stage direction or
			// a note ([Within], [Aside], [To KING]) unless it is a
			// known label.
			info = in
		default:
			return false
		}
		colonEnd = colon
		l.kind = kindBracket
	default:
		n, in, ok := scanName(rest)
		if !ok {
			return false
		}
		name, info = rest[:n], in
		j := n
		if j < len(rest) && rest[j] == ' ' && j+1 < len(rest) && (rest[j+1] == '(' || rest[j+1] == '[' || rest[j+1] == '#') {
			// Anna (01:02): a time inside the label.
			if d, m, ok := parseTimestamp(rest[j+1:]); ok && j+1+m < len(rest) && rest[j+1+m] == ':' {
				if !l.hasTime {
					l.time, l.hasTime = d, true
				}
				j += 1 + m
			}
		}
		switch {
		case j < len(rest) && rest[j] == ':':
			after = j + 1
			l.kind, colonEnd = kindColon, true
		case j+1 < len(rest) && rest[j] == ',' && rest[j+1] == ' ':
			// ANDERSON COOPER, CNN ANCHOR: a title or an affiliation
			// after a comma; the speaker is the name before it.
			m := affiliation(rest[j+2:])
			if m == 0 || isNonSpeakerWord(name) {
				return false
			}
			after = j + 2 + m + 1
			l.kind, colonEnd = kindColon, true
		default:
			k := skipBlanks(rest, j)
			if k == len(rest) {
				// A name alone on its line: the speech follows. A
				// name in capitals among words in lower case is a
				// stage direction ("Exit ANNA").
				if mixesCapitalWords(name) {
					return false
				}
				l.kind, after = kindAlone, k
				break
			}
			if k == j {
				return false
			}
			// Speaker 1  0:03: a name and a time alone on the line.
			d, m, ok := parseTimestamp(rest[k:])
			if !ok || skipBlanks(rest, k+m) != len(rest) || l.hasTime {
				return false
			}
			l.time, l.hasTime = d, true
			l.kind, after = kindNameTime, len(rest)
		}
	}
	if after < len(rest) && rest[after] != ' ' && rest[after] != '\t' && !strings.HasPrefix(rest[after:], "\u00a0") &&
		!(colonEnd && opensSpeech(rest[after:])) {
		return false
	}
	body := skipBlanks(line, i+after)
	for strings.HasPrefix(line[body:], "\u00a0") {
		body = skipBlanks(line, body+2)
	}
	// A timestamp right after the label: PLT: [00:01:02] text.
	if body < len(line) && (line[body] == '[' || line[body] == '(' || line[body] == '#') {
		if d, m, ok := parseTimestamp(line[body:]); ok {
			if !l.hasTime {
				l.time, l.hasTime = d, true
			}
			body = skipBlanks(line, body+m)
		}
	}
	l.speaker, l.body = name, body
	l.known = isKnownLabel(name)
	if info.nbsp {
		l.known = isKnownLabel(nameSpaces(name))
	}
	l.caps, l.caseless, l.nbsp = info.caps, info.caseless, info.nbsp
	return true
}

// maxAffiliationRunes is the longest title or affiliation after a name and
// a comma in a label ("ANDERSON COOPER, CNN ANCHOR:").
const maxAffiliationRunes = 60

// affiliation reads a title or an affiliation at the start of s, up to a
// colon: 1–10 words of letters, digits, marks and - ' ’ . & / ( ) ,, each
// starting with a capital letter, a digit or a parenthesis, or a short
// word in lower case ("of", "the", "for", "and"), at most
// maxAffiliationRunes characters. It returns the offset of the colon, or
// 0.
func affiliation(s string) int {
	words, runes := 0, 0
	for i := 0; i < len(s) && runes <= maxAffiliationRunes; {
		start := i
		for i < len(s) && s[i] != ' ' && s[i] != ':' && runes <= maxAffiliationRunes {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isNameRune(r) && !strings.ContainsRune(".&/(),", r) {
				return 0
			}
			i += size
			runes++
		}
		if i == start {
			return 0
		}
		w := strings.TrimRight(s[start:i], ",")
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !(startsName(r) || unicode.IsDigit(r) || r == '(' || affiliationWords.has(w)) {
			return 0
		}
		if words++; words > 10 {
			return 0
		}
		if i < len(s) && s[i] == ':' {
			if s[i-1] == ',' {
				return 0
			}
			return i
		}
		if i+1 >= len(s) || s[i+1] == ' ' {
			return 0
		}
		i++
		runes++
	}
	return 0
}

// affiliationWords are the words in lower case that may stand in a title
// or an affiliation.
var affiliationWords = newWordSet("of", "the", "for", "and", "on", "at", "in", "to", "from", "de", "du", "la", "и", "в", "по", "при")

// noiseAnnotation reads a noise annotation at the start of s, a sound or
// an event in parentheses or brackets written where a label may follow:
// "(APPLAUSE)", "[BELL RINGS]", "(смех)". It is in capitals (two letters or
// more, no letter in lower case) or one of noiseWords. It returns its
// length in bytes, or 0.
func noiseAnnotation(s string) int {
	if s == "" || (s[0] != '(' && s[0] != '[') {
		return 0
	}
	closing := byte(')')
	if s[0] == '[' {
		closing = ']'
	}
	end := strings.IndexByte(s[:min(len(s), 4*maxNameRunes+2)], closing)
	if end < 2 {
		return 0
	}
	inner := s[1:end]
	if noiseWords.has(inner) {
		return end + 1
	}
	upper := 0
	for _, r := range inner {
		switch {
		case unicode.IsLower(r):
			return 0
		case unicode.IsUpper(r):
			upper++
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == ',' || r == '.' || unicode.IsDigit(r):
		default:
			return 0
		}
	}
	if upper < 2 {
		return 0
	}
	return end + 1
}

// noiseWords are the sounds and events a transcriber notes in parentheses
// or brackets, compared without regard to case.
var noiseWords = newWordSet(
	"applause", "laughter", "laughs", "crosstalk", "inaudible", "bell rings", "booing", "cheers",
	"cheering", "music", "silence", "unintelligible", "coughs", "pause",
	"аплодисменты", "смех", "смеётся", "смеется", "неразборчиво", "шум", "музыка", "пауза", "звонок",
)

// opensSpeech reports whether s, the text right after a label's colon,
// starts speech without a blank: an ellipsis or a dash ("Кедр:… огни",
// "Anna:...", "Anna:—").
func opensSpeech(s string) bool {
	return strings.HasPrefix(s, "…") || strings.HasPrefix(s, "...") || strings.HasPrefix(s, "—") || strings.HasPrefix(s, "–")
}

// nameSep returns the length in bytes of the separator between two words
// of a name at s[i:]: a space, a no-break space (U+00A0) or a narrow
// no-break space (U+202F); or 0.
func nameSep(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == ' ':
		return 1
	case strings.HasPrefix(s[i:], "\u00a0"):
		return 2
	case strings.HasPrefix(s[i:], "\u202f"):
		return 3
	}
	return 0
}

// nameSpaces returns name with its no-break spaces made plain spaces: the
// detector names a speaker written "ANNA\u00a0BORIS" as "ANNA BORIS", so
// that both spellings are one speaker.
func nameSpaces(name string) string {
	return noBreakSpaces.Replace(name)
}

var noBreakSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

// mixesCapitalWords reports whether name has a word in capitals (two
// letters or more) and a word with lower-case letters, titles, initials
// and particles aside: "Exit ANNA" does, "Dr. KO", "HAMLET" and "First
// Clown" do not.
func mixesCapitalWords(name string) bool {
	capsWord, lowerWord := false, false
	for i := 0; i < len(name); {
		j := i
		for j < len(name) && nameSep(name, j) == 0 {
			j++
		}
		w := name[i:j]
		if !isTitle(w) && !isInitials(w) && !isParticle(w) {
			upper, lower := 0, 0
			for _, r := range w {
				if unicode.IsUpper(r) || unicode.IsTitle(r) {
					upper++
				} else if unicode.IsLower(r) {
					lower++
				}
			}
			capsWord = capsWord || (upper >= 2 && lower == 0)
			lowerWord = lowerWord || lower > 0
		}
		i = j + max(1, nameSep(name, j))
	}
	return capsWord && lowerWord
}

// nameInfo is what scanName learns about a name besides its length.
type nameInfo struct {
	caps     bool // every cased letter is a capital, and there are two or more
	caseless bool // the first letter belongs to a script without case
	nbsp     bool // words are separated by a no-break space
}

// startsName reports whether r may begin a name: a capital letter or a
// letter of a script without case.
func startsName(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsTitle(r) || (unicode.IsLetter(r) && !unicode.IsLower(r))
}

// scanName reads a speaker name at the start of s (see the grammar at the
// top of this file), with an optional parenthesised qualifier after it
// ("Respondent 3 (mother)"). n is its length in bytes, without trailing
// blanks. It reads at most a bounded prefix of s, so it costs O(1) per line.
func scanName(s string) (n int, info nameInfo, ok bool) {
	words, runes, upper, lower := 0, 0, 0, 0
	i := 0
	for {
		start := i
		wordRunes := 0
		for i < len(s) && wordRunes <= maxNameRunes {
			r, size := rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			if !isNameRune(r) && r != '.' {
				break
			}
			if unicode.IsUpper(r) || unicode.IsTitle(r) {
				upper++
			} else if unicode.IsLower(r) {
				lower++
			}
			i += size
			wordRunes++
		}
		if i == start || !nameWord(s[start:i], words == 0, &info) {
			return 0, nameInfo{}, false
		}
		words++
		runes += wordRunes
		if words > maxNameWords || runes+words-1 > maxNameRunes {
			return 0, nameInfo{}, false
		}
		// Another word follows after a single space (or no-break space).
		if sep := nameSep(s, i); sep > 0 && i+sep < len(s) && s[i+sep] != ' ' && s[i+sep] != '(' && s[i+sep] != '[' && s[i+sep] != '#' {
			r, _ := utf8.DecodeRuneInString(s[i+sep:])
			if isNameRune(r) {
				if sep > 1 {
					info.nbsp = true
				}
				i += sep
				continue
			}
		}
		break
	}
	last := s[:i]
	if strings.HasSuffix(last, ".") && !endsInTitleOrInitial(last) {
		return 0, nameInfo{}, false
	}
	if words == 1 && isTitle(last) && !isKnownLabel(last) {
		return 0, nameInfo{}, false // "Dr." alone
	}
	if w := lastWord(last); isParticle(w) {
		return 0, nameInfo{}, false
	}
	info.caps = upper >= 2 && lower == 0
	// A qualifier: " (mother)", "(Соколов)".
	if i+1 < len(s) && s[i] == ' ' && s[i+1] == '(' {
		j := i + 2
		q := 0
		for j < len(s) && q <= maxQualifierRunes {
			c := s[j]
			if c == ')' {
				break
			}
			if c == '(' || c == '[' || c == ']' || c == ':' || c == '\n' {
				return i, info, true
			}
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
			q++
		}
		if j < len(s) && s[j] == ')' && q > 0 && q <= maxQualifierRunes && !isClockStart(s[i+2:j]) {
			return j + 1, info, true
		}
	}
	return i, info, true
}

// isClockStart reports whether s starts like a clock, so that "(01:02)"
// is read as a time and not as a qualifier.
func isClockStart(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	_, _, ok := parseClockN(s, 4)
	return ok
}

// lastWord returns the last word of s, words separated as in a name.
func lastWord(s string) string {
	for k := len(s) - 1; k >= 0; k-- {
		if n := nameSep(s, k); n > 0 {
			return s[k+n:]
		}
	}
	return s
}

// firstWord returns the first word of s, words separated as in a name,
// and whether another word follows.
func firstWord(s string) (string, bool) {
	for k := 0; k < len(s); k++ {
		if nameSep(s, k) > 0 {
			return s[:k], true
		}
	}
	return s, false
}

// endsInTitleOrInitial reports whether the last word of s, which ends in a
// period, is a title or initials.
func endsInTitleOrInitial(s string) bool {
	w := lastWord(s)
	return isTitle(w) || isInitials(w)
}

// nameWord reports whether w is one word of a name; first says whether it
// is the first word. It sets info.caseless for a first word in a script
// without case.
func nameWord(w string, first bool, info *nameInfo) bool {
	r, _ := utf8.DecodeRuneInString(w)
	last, _ := utf8.DecodeLastRuneInString(w)
	if last == '-' || last == '\'' || last == '’' {
		return false
	}
	if strings.ContainsRune(w, '.') {
		if isTitle(w) {
			return true
		}
		// Initials, possibly fused with the surname: "Е.", "Е.В.", "A.Smith".
		k := initialsPrefix(w)
		if k == 0 {
			return false
		}
		if k == len(w) {
			return true
		}
		rest := w[k:]
		return !strings.ContainsRune(rest, '.') && nameWord(rest, first, info)
	}
	switch {
	case unicode.IsUpper(r) || unicode.IsTitle(r):
		return true
	case unicode.IsLetter(r) && !unicode.IsLower(r):
		if first {
			info.caseless = true
		}
		return true
	case isDigit(byte(r)) && r < utf8.RuneSelf:
		if first {
			return false
		}
		for i := 0; i < len(w); i++ {
			if !isDigit(w[i]) && !('a' <= w[i] && w[i] <= 'z') && !('A' <= w[i] && w[i] <= 'Z') {
				return false
			}
		}
		return true
	}
	return !first && isParticle(w)
}

// initialsPrefix returns the length of the leading run of initials in w:
// one capital letter and a period, repeated ("Е.В."), or 0.
func initialsPrefix(w string) int {
	i := 0
	for i < len(w) {
		r, size := utf8.DecodeRuneInString(w[i:])
		if !(unicode.IsUpper(r) || unicode.IsTitle(r)) || i+size >= len(w) || w[i+size] != '.' {
			break
		}
		i += size + 1
	}
	return i
}

// isInitials reports whether w is only initials ("K.", "Е.В.").
func isInitials(w string) bool {
	k := initialsPrefix(w)
	return k > 0 && k == len(w)
}

// titles are the abbreviations with a period that may stand in a name.
var titles = newWordSet(
	"Dr.", "Mr.", "Mrs.", "Ms.", "Mx.", "Prof.", "Rev.", "Fr.", "Sr.", "Jr.", "St.",
	"Sgt.", "Capt.", "Cpt.", "Lt.", "Col.", "Gen.", "Cmdr.", "Hon.", "Mme.", "Mlle.",
	"Int.", "Resp.", "Mod.", "Part.", "Sen.", "Rep.", "Gov.", "Amb.", "Pres.",
	"Д-р.", "Др.", "Проф.", "Г-н.", "Г-жа.", "Инт.", "Респ.", "Мод.",
)

// isTitle reports whether w is one of titles, compared without regard to
// case.
func isTitle(w string) bool {
	if len(w) < 3 || len(w) > 10 || w[len(w)-1] != '.' {
		return false
	}
	return titles.has(w)
}

// isParticle reports whether w is a lower-case particle of a surname.
func isParticle(w string) bool {
	switch w {
	case "von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das",
		"la", "le", "ten", "ter", "bin", "ibn", "al", "el", "y":
		return true
	}
	return false
}

// isNameRune reports whether r may appear in a speaker name (besides the
// space between words and the period of an initial or a title).
func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || isDigit(c) || c == '-' || c == '\'' || c == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '’'
}

// isName reports whether s, all of it, is a speaker name by the grammar of
// this file (qualifier included).
func isName(s string) bool {
	n, _, ok := scanName(s)
	return ok && n == len(s)
}

// isBracketID reports whether s is an identifier written in brackets at
// the start of a paragraph: letters, an optional "_", then digits ("id1",
// "P03", "S2", "SPEAKER_00").
func isBracketID(s string) bool {
	if len(s) < 2 || len(s) > 20 {
		return false
	}
	i := 0
	for i < len(s) && (('a' <= s[i] && s[i] <= 'z') || ('A' <= s[i] && s[i] <= 'Z')) {
		i++
	}
	if i == 0 {
		return false
	}
	if i < len(s) && s[i] == '_' {
		i++
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// interviewerWords are the labels of an interviewer, compared without
// regard to case; single letters are compared exactly.
var interviewerWords = newWordSet(
	"Interviewer", "Int", "Int.", "Moderator", "Mod.", "Facilitator", "Question",
	"Интервьюер", "Инт", "Инт.", "Модератор", "Мод.", "Вопрос", "Ведущий", "Ведущая",
)

// otherKnownWords are the other labels that count as speakers even when
// they occur once.
var otherKnownWords = newWordSet(
	"Interviewee", "Respondent", "Resp", "Resp.", "Answer", "Participant", "Narrator",
	"Респондент", "Респ.", "Ответ", "Информант", "Рассказчик", "Рассказчица",
	"Unidentified Male", "Unidentified Female", "Unidentified Speaker", "Unidentified Voice",
	"Unknown Speaker", "Неизвестный", "Неизвестная", "Неизвестный голос",
)

// IsInterviewerLabel reports whether name, a speaker label as written
// ("Interviewer", "I", "Q", "Int.", "Moderator 2", "Интервьюер (Анна)",
// "И", "В", "Вопрос"), names the interviewer's side of the conversation.
func IsInterviewerLabel(name string) bool {
	base := labelBase(strings.TrimSpace(name))
	switch base {
	case "I", "Q", "И", "В":
		return true
	}
	return foldIn(base, interviewerWords)
}

// labelBase is name without a trailing qualifier and number:
// "Interviewer 2 (Anna)" gives "Interviewer".
func labelBase(name string) string {
	if k := strings.Index(name, " ("); k > 0 {
		name = name[:k]
	}
	if k := strings.LastIndexByte(name, ' '); k > 0 {
		digits := true
		for i := k + 1; i < len(name); i++ {
			digits = digits && isDigit(name[i])
		}
		if digits {
			name = name[:k]
		}
	}
	return name
}

// wordSet is a list of words compared without regard to case, grouped by
// their length in bytes, so that a look-up compares only a few of them.
// (Letters whose folding changes their length, such as the Kelvin sign,
// are not matched; the lists hold Latin and Cyrillic words.)
type wordSet map[int][]string

// newWordSet groups words by length.
func newWordSet(words ...string) wordSet {
	set := wordSet{}
	for _, w := range words {
		set[len(w)] = append(set[len(w)], w)
	}
	return set
}

// has reports whether s is one of the set's words, without regard to case.
func (set wordSet) has(s string) bool {
	for _, w := range set[len(s)] {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// foldIn reports whether s equals one of words without regard to case.
func foldIn(s string, words wordSet) bool {
	if len(s) < 2 || len(s) > 40 {
		return false
	}
	return words.has(s)
}

// isKnownLabel reports whether name is a label that always marks a turn:
// an interviewer's or respondent's label (Q, A, I, R, Interviewer,
// Respondent, their Russian forms, numbered or qualified) or SPEAKER_nn.
func isKnownLabel(name string) bool {
	if isSpeakerID(name) {
		return true
	}
	base := labelBase(name)
	switch base {
	case "Q", "A", "I", "R", "И", "Р", "В", "О":
		return base == name
	}
	return IsInterviewerLabel(base) || foldIn(base, otherKnownWords)
}

// nonSpeakerWords are words that, before a colon, name a section, a
// header field or a sound rather than a speaker; a label made of one of
// them never starts a turn. Compared without regard to case.
var nonSpeakerWords = newWordSet(
	// sections and notes
	"Note", "Notes", "NB", "N.B.", "PS", "P.S.", "Break", "Pause", "Summary", "Comment", "Comments",
	"Translation", "Context", "Update", "Example", "Remark", "Remarks", "Aside", "Correction",
	"Description", "Observation", "Observations", "Memo", "Conclusion", "Background", "Abstract",
	"Introduction", "Warning", "Reminder", "Edit", "Editor", "Addendum", "Appendix", "Chapter",
	"Section", "Part", "Characters", "Cast", "Dramatis Personae", "Scene", "Act", "Setting", "Transcript", "Transcription",
	"Full Transcript", "Transcript Excerpt", "Rush Transcript", "Partial Transcript", "Full Text", "Caption", "Footnote", "Source", "Sources",
	"Then", "So", "Also", "However", "Meanwhile", "Yes", "No", "Okay", "OK", "Well", "Right",
	"Sure", "Thanks", "Hello", "Hi", "End", "Continued", "Tags", "Keywords", "Themes", "Codes",
	// header fields
	"Title", "Date", "Time", "Location", "Place", "Venue", "Duration", "Length", "Project",
	"Recording", "Recorded", "File", "Filename", "Audio", "Video", "Language", "Languages",
	"Participants", "Attendees", "Present", "Subject", "Topic", "Interview", "Session",
	"Transcriber", "Consent", "Age", "Gender", "Occupation", "Name", "Country",
	"City", "Version", "Status", "Format",
	// sounds
	"Laughs", "Laughter", "Laughing", "Inaudible", "Crosstalk", "Silence", "Music", "Applause",
	"Coughs", "Sighs", "Unclear", "Overlapping", "Noise", "Background noise",
	// Russian
	"Примечание", "Примечания", "Прим.", "Пауза", "Перерыв", "Комментарий", "Комментарии",
	"Перевод", "Контекст", "Итог", "Итоги", "Резюме", "Заметка", "Заметки", "Ремарка",
	"Обновление", "Пример", "Кстати", "Итак", "Потом", "Затем", "Да", "Нет", "Ну", "Хорошо",
	"Ладно", "Спасибо", "Понятно", "Ага", "Угу", "Конец", "Введение", "Заключение",
	"Название", "Дата", "Время", "Место", "Длительность", "Продолжительность", "Тема",
	"Проект", "Файл", "Запись", "Язык", "Участники", "Расшифровка", "Расшифровщик",
	"Транскрипт", "Транскрипция", "Полный транскрипт", "Полная расшифровка", "Стенограмма", "Полный текст",
	"Интервью", "Сессия", "Действующие лица", "Действие", "Сцена", "Частота", "Возраст", "Пол", "Профессия", "Имя", "Город", "Страна", "Согласие",
	"Врезка", "Вставка", "Sidebar", "Смех", "Смеётся", "Смеется", "Неразборчиво", "Тишина", "Музыка", "Шум", "Вздыхает",
	"Явление",
)

// stageWords are stage directions: a label that is one of them, or whose
// first word is one of them ("Exit ANNA", "Enter Boris", "Уходит Анна"),
// is never a speaker, and a line holding one between a name alone and its
// speech is part of the speech. Compared without regard to case.
var stageWords = newWordSet(
	"Exit", "Exits", "Exeunt", "Enter", "Enters", "Re-enter", "Re-enters", "Reenter", "Reenters",
	"Reads", "Flourish", "Dies", "Sings", "Aside", "Within", "Manet", "Manent", "Alarum", "Alarums",
	"Sennet", "Curtain", "Pause", "Laughs", "Sighs",
	"Уходит", "Уходят", "Входит", "Входят", "Выходит", "Выходят", "Поёт", "Поет", "В сторону",
	"Занавес", "Пауза", "Смеётся", "Смеется", "Читает", "Умирает",
)

// headingWords start a heading of two words or more ("ACT II", "Scene 3",
// "Chapter 2", "Явление 3"), never a speaker. Compared without regard to
// case.
var headingWords = newWordSet(
	"Act", "Scene", "Chapter", "Part", "Section", "Dramatis",
	"Действие", "Явление", "Сцена", "Картина", "Глава", "Часть", "Акт",
)

// isNonSpeakerWord reports whether name is one of nonSpeakerWords, a
// stage direction (isStageDirection) or a heading: one of headingWords
// followed by more words.
func isNonSpeakerWord(name string) bool {
	if foldIn(name, nonSpeakerWords) || isStageDirection(name) {
		return true
	}
	w, more := firstWord(name)
	return more && headingWords.has(w)
}

// isStageDirection reports whether name is one of stageWords or starts
// with one of them.
func isStageDirection(name string) bool {
	if stageWords.has(name) {
		return true
	}
	w, more := firstWord(name)
	return more && stageWords.has(w)
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

// parseTimestamp reads a timestamp at the start of s: [clock], (clock),
// [-clock] (a time before the reference, as mission transcripts write the
// countdown), #clock-t# (f4/f5transkript: t is tenths of a second) or a
// bare clock followed by a blank or the end of s. The clock may have four
// groups (days:hours:minutes:seconds) inside brackets or bare. n is the
// timestamp's length in bytes.
func parseTimestamp(s string) (d time.Duration, n int, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	switch s[0] {
	case '\\':
		// \[0:00:43.4\]: Markdown escapes the brackets.
		if len(s) < 2 || s[1] != '[' {
			return 0, 0, false
		}
		d, m, ok := parseClockN(s[2:], 4)
		if !ok || !strings.HasPrefix(s[2+m:], "\\]") {
			return 0, 0, false
		}
		return d, 2 + m + 2, true
	case '[', '(':
		closing := byte(']')
		if s[0] == '(' {
			closing = ')'
		}
		j := 1
		neg := j < len(s) && s[j] == '-'
		if neg {
			j++
		}
		d, m, ok := parseClockN(s[j:], 4)
		if !ok || j+m >= len(s) || s[j+m] != closing {
			return 0, 0, false
		}
		if neg {
			d = -d
		}
		return d, j + m + 1, true
	case '#':
		d, m, ok := parseClockN(s[1:], 3)
		if !ok {
			return 0, 0, false
		}
		j := 1 + m
		if j+1 < len(s) && s[j] == '-' && isDigit(s[j+1]) {
			d += time.Duration(s[j+1]-'0') * 100 * time.Millisecond
			j += 2
		}
		if j >= len(s) || s[j] != '#' {
			return 0, 0, false
		}
		return d, j + 1, true
	default:
		d, n, ok := parseClockN(s, 4)
		if !ok || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
			return 0, 0, false
		}
		return d, n, true
	}
}

// trailingStamp reads an f4/f5transkript timestamp (#00:01:23-4#) at the
// end of s, as those tools write at the end of each paragraph.
func trailingStamp(s string) (time.Duration, bool) {
	if !strings.HasSuffix(s, "#") || len(s) < 6 {
		return 0, false
	}
	k := strings.LastIndexByte(s[max(0, len(s)-20):len(s)-1], '#')
	if k < 0 {
		return 0, false
	}
	k += max(0, len(s)-20)
	d, n, ok := parseTimestamp(s[k:])
	if !ok || k+n != len(s) {
		return 0, false
	}
	return d, true
}

// parseClock reads H:MM:SS or M:SS (the first group 1–3 digits, the others
// exactly 2, minutes and seconds below 60 where they are not the first
// group) with an optional fraction of 1–9 digits after "." or ",", at the
// start of s. It fails when a digit or ":" follows.
func parseClock(s string) (d time.Duration, n int, ok bool) {
	return parseClockN(s, 3)
}

// parseClockN is parseClock allowing up to groups groups (2, 3 or 4); with
// four, the first counts days and the hours are below 24.
func parseClockN(s string, groups int) (d time.Duration, n int, ok bool) {
	g := [4]int{}
	count := 0
	i := 0
	for count < groups {
		start := i
		v := 0
		for i < len(s) && isDigit(s[i]) && i-start < 4 {
			v = v*10 + int(s[i]-'0')
			i++
		}
		width := i - start
		if (count == 0 && (width < 1 || width > 3)) || (count > 0 && width != 2) {
			return 0, 0, false
		}
		g[count] = v
		count++
		if count == groups || i >= len(s) || s[i] != ':' {
			break
		}
		i++
	}
	if count < 2 {
		return 0, 0, false
	}
	var day, h, m, sec int
	switch count {
	case 4:
		day, h, m, sec = g[0], g[1], g[2], g[3]
		if h >= 24 || m >= 60 {
			return 0, 0, false
		}
	case 3:
		h, m, sec = g[0], g[1], g[2]
		if m >= 60 {
			return 0, 0, false
		}
	default:
		m, sec = g[0], g[1]
	}
	if sec >= 60 {
		return 0, 0, false
	}
	d = time.Duration(day)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
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

// isDisplayName reports whether s may be a display name leading a subtitle
// cue: a name by the grammar of this file, or a name as video-call
// software lets people write it, at most 40 characters and five words,
// starting with a letter, made of letters, digits, marks, single spaces
// and . - ' ’ _ ( ) / @ & ("Dr. Anna Petrova (she/her)", "anna.k").
func isDisplayName(s string) bool {
	if isName(s) {
		return true
	}
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
	return !prevSpace && words <= maxNameWords && runes <= maxNameRunes
}

// cueLeadingName finds a speaker written at the start of cue text:
// "[SPEAKER_00]:", "[SPEAKER_00]", "[id1]", "[Name]:" or "Name:" followed
// by a blank, where Name is a display name. It returns the name and the
// text after it, or "" and text.
func cueLeadingName(text string) (name, rest string) {
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
		if !(isBracketID(name) || colon && isDisplayName(name)) {
			return "", text
		}
	} else {
		var ok bool
		name, rest, ok = strings.Cut(text[:min(len(text), 4*maxNameRunes+2)], ":")
		if !ok || !isDisplayName(name) {
			return "", text
		}
		rest = text[len(name)+1:]
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && !strings.HasPrefix(rest, "\u00a0") {
		return "", text
	}
	return name, strings.TrimSpace(rest)
}
