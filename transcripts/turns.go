package transcripts

import (
	"fmt"
	"regexp"
	"slices"
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

// detectTurns finds the speaker turns of text (NFC, LF line endings).
//
// A turn starts at a line that begins with a speaker label, as the grammar
// of labels.go reads it: an optional timestamp, then "Name:", "**Name:**",
// "[id]", "Name (01:02):", a name and a time alone on the line (Otter), or
// a name alone on its line with the speech on the next. Which labels count
// is decided over the whole document:
//
//   - known labels (Q, A, I, R, Interviewer, Respondent, Int., Moderator,
//     their Russian forms, SPEAKER_nn) always count;
//   - words that name a section, a header field or a sound (Note, Break,
//     Date, Laughs, Примечание...: see nonSpeakerWords) never do;
//   - any other name counts when it labels at least two lines, or when it
//     carries a timestamp and at least two timestamped labels occur, or,
//     used once, when the document is otherwise labelled and labels that
//     recur have the same shape (bold, capitals, timestamp...), so that a
//     servant's single line in a play counts and a lone "Note:" in a memo
//     does not; a name in a script without case must recur;
//   - a name alone on its line counts when at least two names recur alone
//     on their lines, each followed by a line of speech; then a name alone
//     used once counts too when it is written in the same style (capitals
//     or not) as those that recur, comes after the first of them (not in
//     a title page or a list of characters), does not follow another name
//     alone (a list of names) and its speech follows on the very next line
//     (a heading is followed by a blank line), so that a servant's single
//     speech in a play counts; a stage direction alone on the next line
//     ("Sings") or at the start of the speech ("[Within] My lord!") is
//     part of the speech;
//   - a label used once also needs the same layout as those that recur:
//     speech after it on its line, or nothing after its colon ("First
//     Citizen:" with the speech on the next lines) at the start of a
//     paragraph or inside one, so that a verse line "Here: what's the
//     matter?" or "Come:" in the middle of a speech is not a speaker in a
//     play whose labels stand alone at the start of paragraphs;
//   - a label used once that differs only in case from a label that recurs
//     ("ClINTON" where "CLINTON" recurs) counts, as the recurring spelling;
//   - **Name** followed by speech, without a colon, counts when it starts a
//     paragraph or follows a timestamp and at least two such lines occur
//     (podcast transcripts: "0:00:12.9 **Adam** Hello"), or when the name
//     is known;
//   - (NAME): and ?: (an unknown speaker, named "?") count in a document
//     labelled otherwise, even when NAME is a sound ("(CROSSTALK):"): the
//     transcriber wrote them where a speaker label goes;
//   - a label whose first word is a stage direction or a heading (Exit
//     ANNA, Enter Boris, Уходит, ACT II, Scene 3, Явление 3) never counts;
//   - a name written with a no-break space between its words (U+00A0 or
//     U+202F, "ANNA\u00a0BORIS") is the name with a plain space;
//   - in the first lines, before the first turn, a "Key: value" line whose
//     key is used only once, or a known label followed by a name in a block
//     of such lines ("Interviewer: M. Ivanova" next to "Date: ..."), is a
//     header, not a turn.
//
// A turn runs to the last non-blank line before the next label, over blank
// lines and unlabelled paragraphs. A line starting with a timestamp but no
// label continues the current turn and gives it an Anchor; when such a
// line holds only a timestamp and the next non-blank line is a label without
// one, the turn starts at the timestamp line and takes its time. A turn
// ending in an f4transkript stamp (#00:01:23-4#) gets it as EndTime, and
// the next turn, without a time of its own, starts at it. Text before the
// first label belongs to no turn.
//
// Without any label, every paragraph is a turn with an empty Speaker (in
// eachLine mode every line), and a line starting with a timestamp starts a
// turn too; such a turn has the timestamp's time and its Body after the
// timestamp (Body == Start otherwise).
//
// opt.Speakers or opt.SpeakerPattern, when given, replace detection: only
// their labels start turns (see givenLabels.parse). When none of them
// occurs, the text is read as an unlabelled one, one turn without a
// speaker per paragraph, and reviewTurnsWith says so (givenWarning).
//
// It fails only when the text has more than MaxTurns turns.
//
// It reads the text twice, line by line, storing nothing per line: first
// to count the labels, then to build the turns.
func detectTurns(text string, mode lineMode, opt Options) ([]Turn, error) {
	return detectTurnsHinted(text, mode, opt, nil)
}

// labelHint is a label known from formatting rather than text: a bold run
// at the start of a .docx or .odt paragraph.
type labelHint struct {
	line   int    // index of the line in the text, counting every line from 0
	prefix string // the bold text the line starts with (after blanks)
}

// detectTurnsHinted is detectTurns with hints, in increasing line order.
func detectTurnsHinted(text string, mode lineMode, opt Options, hints []labelHint) ([]Turn, error) {
	d := detector{text: text, hints: hints}
	if len(opt.Speakers) > 0 || opt.SpeakerPattern != nil {
		d.given = newGivenLabels(opt)
	} else {
		d.count()
		if !d.labelled {
			turns, ok := paragraphTurns(text, mode)
			if !ok {
				return nil, tooManyTurns()
			}
			return turns, nil
		}
	}
	turns, ok := d.turns()
	if !ok {
		return nil, tooManyTurns()
	}
	if d.given != nil && !hasSpeaker(turns) {
		// None of the given labels occurs: read the text as detection
		// reads an unlabelled one (givenWarning says so).
		turns, ok = paragraphTurns(text, mode)
		if !ok {
			return nil, tooManyTurns()
		}
	}
	return turns, nil
}

// hasSpeaker reports whether one of turns has a speaker.
func hasSpeaker(turns []Turn) bool {
	for _, t := range turns {
		if t.Speaker != "" {
			return true
		}
	}
	return false
}

// givenWarning is the warning for turns found with opt's speakers or
// pattern when none of them occurs in text: then each paragraph is a turn
// without a speaker. It is "" otherwise.
func givenWarning(turns []Turn, opt Options) string {
	if hasSpeaker(turns) || len(turns) == 0 {
		return ""
	}
	switch {
	case opt.SpeakerPattern != nil:
		return fmt.Sprintf("The speaker pattern given (%s) matches at the start of no line: each paragraph is a turn without a speaker.", opt.SpeakerPattern)
	case len(opt.Speakers) > 0:
		names := make([]string, 0, len(opt.Speakers))
		for _, n := range opt.Speakers {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return ""
		}
		return fmt.Sprintf("None of the speakers given (%s) was found at the start of a line: each paragraph is a turn without a speaker.", strings.Join(names, ", "))
	}
	return ""
}

// reviewTurnsWith is reviewTurns for turns found with opt: when opt's
// speakers or pattern occur nowhere, it says so in place of "No speaker
// labels found".
func reviewTurnsWith(text string, turns []Turn, opt Options) []string {
	if w := givenWarning(turns, opt); w != "" {
		return []string{w}
	}
	return reviewTurns(text, turns)
}

// labelCount is what the first pass learns about one generic label.
type labelCount struct {
	n          int      // lines it labels
	alone      int      // of which lines that hold only the name
	styles     styleSet // the styles it is written in (label.style())
	firstAlone int      // the line of its first use alone
}

// detector finds the turns of one text.
type detector struct {
	text  string
	hints []labelHint
	given *givenLabels // labels given by the user: no detection

	counts   map[string]labelCount // generic labels
	styles   styleSet              // styles of labels that recur or are known
	timed    int                   // generic labels with a timestamp
	bareBold int                   // generic **Name** labels without a colon
	labelled bool                  // the document has speaker labels
	alonesOn bool                  // names alone on their lines are labels

	aloneStyles styleSet // styles of the names that recur alone
	aloneFrom   int      // the first line of a name that recurs alone

	// folded maps a name that recurs, in lower case, to its spelling, for
	// the names that differ from it only in case and are used once
	// ("ClINTON" where "CLINTON" recurs); nil when there are none.
	folded map[string]string
}

// tooManyTurns is the error for a text of more than MaxTurns turns.
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

// parse reads the label of line k, text[pos:end], from a hint or the text.
func (d *detector) parse(k, pos, end int, hint *int) (label, bool) {
	line := d.text[pos:end]
	for *hint < len(d.hints) && d.hints[*hint].line < k {
		*hint++
	}
	if *hint < len(d.hints) && d.hints[*hint].line == k {
		if l, ok := hintLabel(line, d.hints[*hint].prefix); ok {
			if l.nbsp {
				l.speaker = nameSpaces(l.speaker)
			}
			return l, true
		}
	}
	if d.given != nil {
		return d.given.parse(line)
	}
	l, ok := parseLabel(line)
	if l.nbsp {
		l.speaker = nameSpaces(l.speaker)
	}
	return l, ok
}

// hintLabel reads a label from a bold prefix of line: the prefix, less a
// colon, must be a name; the speech follows it and its colon (inside or
// after the bold run). A bold name alone on its line is a name alone.
func hintLabel(line, prefix string) (l label, ok bool) {
	i := skipBlanks(line, 0)
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || !strings.HasPrefix(line[i:], prefix) {
		return l, false
	}
	name := strings.TrimSpace(strings.TrimSuffix(prefix, ":"))
	after := i + len(prefix)
	if name != prefix {
		// the colon is inside the bold run
	} else if j := skipBlanks(line, after); j < len(line) && line[j] == ':' {
		after = j + 1
	}
	n, info, ok := scanName(name)
	if !ok || n != len(name) {
		return l, false
	}
	l.start, l.afterTime, l.lineLen = i, i, len(line)
	l.speaker, l.known, l.caps, l.caseless, l.nbsp = name, isKnownLabel(name), info.caps, info.caseless, info.nbsp
	if info.nbsp {
		l.known = isKnownLabel(nameSpaces(name))
	}
	l.body = skipBlanks(line, after)
	l.kind = kindRunBold
	if l.body == len(line) && name == prefix {
		l.kind = kindAlone
	}
	return l, true
}

// nextLine returns the index, start and end of the first non-blank line
// after the line ending at end (line k), or ok false.
func (d *detector) nextLine(k, end int) (int, int, int, bool) {
	for pos := end + 1; pos < len(d.text); {
		k++
		e := lineEnd(d.text, pos)
		if skipSpace(d.text, pos, e) < e {
			return k, pos, e, true
		}
		pos = e + 1
	}
	return 0, 0, 0, false
}

// speechFollows reports whether the first non-blank line after line k
// (ending at end) is speech: a line without a speaker label, or a stage
// direction ("Sings", "Aside", "Reads") before the speech. With next, it
// must also be the very next line.
func (d *detector) speechFollows(k, end int, next bool) bool {
	nk, pos, e, ok := d.nextLine(k, end)
	if !ok || (next && nk != k+1) {
		return false
	}
	h := 0
	l, ok := d.parse(nk, pos, e, &h)
	return !ok || l.speaker == "" || (d.given == nil && isStageDirection(l.speaker))
}

// count is the first pass: it counts the labels of the text and decides
// whether it is labelled.
func (d *detector) count() {
	known, knownAlone := 0, 0
	hint := 0
	k := 0
	paraStart := true
	for pos := 0; pos < len(d.text); k++ {
		end := lineEnd(d.text, pos)
		l, ok := d.parse(k, pos, end, &hint)
		l.paraStart = paraStart
		paraStart = !ok && skipSpace(d.text, pos, end) == end
		if ok && l.speaker != "" && !(l.kind == kindAlone && !d.speechFollows(k, end, false)) {
			switch {
			case l.kind == kindParen || l.kind == kindUnknown:
				// (NAME): and ?: count only in a document labelled
				// otherwise.
			case l.known && l.kind == kindAlone:
				knownAlone++
				d.add(&l, k)
			case l.known:
				known++
				d.styles.add(l.style())
			case isNonSpeakerWord(l.speaker):
			default:
				d.add(&l, k)
				if l.hasTime && l.kind != kindAlone {
					d.timed++
				}
				if l.kind == kindBoldBare && (l.hasTime || l.paraStart) {
					d.bareBold++
				}
			}
		}
		pos = end + 1
	}
	alone := 0 // names that recur alone on their lines
	d.aloneFrom = k
	for name, c := range d.counts {
		if c.alone >= 2 || (c.alone >= 1 && isKnownLabel(name)) {
			alone++
			d.aloneFrom = min(d.aloneFrom, c.firstAlone)
			if c.alone >= 2 {
				d.aloneStyles.union(c.styles)
			}
		}
		if c.n-c.alone >= 2 {
			d.labelled = true
		}
		if c.n >= 2 {
			d.styles.union(c.styles)
		}
	}
	d.alonesOn = alone >= 2
	d.labelled = d.labelled || known > 0 || d.timed >= 2 || d.alonesOn || d.bareBold >= 2
	d.foldNames()
}

// foldNames fills d.folded: for each name used once that differs only in
// case from a name that labels two lines or more, the lower-case form of
// that name and its spelling (the one used most, if several).
func (d *detector) foldNames() {
	once := 0
	for _, c := range d.counts {
		if c.n == 1 && c.alone == 0 {
			once++
		}
	}
	if once == 0 {
		return
	}
	recurring := make(map[string]string)
	for name, c := range d.counts {
		if c.n-c.alone < 2 {
			continue
		}
		key := strings.ToLower(name)
		if prev, ok := recurring[key]; !ok || d.counts[prev].n < c.n || (d.counts[prev].n == c.n && name < prev) {
			recurring[key] = name
		}
	}
	for name, c := range d.counts {
		if c.n != 1 || c.alone != 0 {
			continue
		}
		key := strings.ToLower(name)
		if spelling, ok := recurring[key]; ok {
			if d.folded == nil {
				d.folded = make(map[string]string)
			}
			d.folded[key] = spelling
		}
	}
}

// add counts a generic (or alone) label found on line k.
func (d *detector) add(l *label, k int) {
	if d.counts == nil {
		d.counts = make(map[string]labelCount)
	}
	c := d.counts[l.speaker]
	c.n++
	if l.kind == kindAlone {
		if c.alone == 0 {
			c.firstAlone = k
		}
		c.alone++
	}
	c.styles.add(l.style())
	d.counts[l.speaker] = c
}

// accepts reports whether a label found on line k (ending at end) starts a
// turn, from the counts of the first pass. afterName says whether the
// previous non-blank line is a name alone (not a direction or a heading).
func (d *detector) accepts(l *label, k, end int, afterName bool) bool {
	if l.speaker == "" {
		return false
	}
	if d.given != nil {
		return true
	}
	if l.kind == kindAlone {
		if !d.alonesOn {
			return false
		}
		c := d.counts[l.speaker]
		if c.alone >= 2 || l.known {
			return d.speechFollows(k, end, false)
		}
		// A name alone used once, written like those that recur, after
		// the first of them, not in a list of names, its speech on the
		// next line.
		return c.alone == 1 && c.n == 1 && !l.caseless && k > d.aloneFrom && !afterName &&
			d.aloneStyles.has(l.style()) && d.speechFollows(k, end, true)
	}
	if l.kind == kindParen || l.kind == kindUnknown {
		return d.labelled
	}
	if l.known {
		return true
	}
	if isNonSpeakerWord(l.speaker) {
		return false
	}
	c := d.counts[l.speaker]
	switch {
	case c.n-c.alone >= 2:
		return true
	case l.hasTime && d.timed >= 2:
		return true
	case l.kind == kindBoldBare:
		return d.bareBold >= 2 && (l.hasTime || l.paraStart)
	}
	if c.n == 1 && d.folded != nil {
		if spelling, ok := d.folded[strings.ToLower(l.speaker)]; ok {
			l.speaker = spelling
			return true
		}
	}
	return c.n == 1 && !l.caseless && d.styles.has(l.style())
}

// maxHeaderLines is how far from the top of a document a header block may
// reach.
const maxHeaderLines = 40

// isHeader reports whether an accepted label on line k, text[pos:end],
// before the first turn, is a header line rather than a turn: a key used
// once, or a known label with a name after it in a block of "Key: value"
// lines. headerSeen says whether such a line came before.
func (d *detector) isHeader(l *label, k, pos, end int, headerSeen bool) bool {
	if d.given != nil || k >= maxHeaderLines || (l.kind != kindColon && l.kind != kindBold && l.kind != kindRunBold) {
		return false
	}
	value := d.text[pos+l.body : end]
	if !l.known {
		return d.counts[l.speaker].n == 1 && nameLike(value)
	}
	if !namesList(value) {
		return false
	}
	if headerSeen {
		return true
	}
	nk, npos, nend, ok := d.nextLine(k, end)
	return ok && d.headerish(nk, npos, nend)
}

// headerish reports whether line k, text[pos:end], is a header line that is
// not a label: "Date: ...", a key used once with a short value, or a key of
// several words in lower case ("Interviewed by: ...").
func (d *detector) headerish(k, pos, end int) bool {
	h := 0
	l, ok := d.parse(k, pos, end, &h)
	if ok && l.speaker != "" {
		return isNonSpeakerWord(l.speaker) || (!l.known && d.counts[l.speaker].n == 1 && nameLike(d.text[pos+l.body:end]))
	}
	line := strings.TrimSpace(d.text[pos:end])
	c := strings.IndexByte(line[:min(len(line), 40)], ':')
	return c > 0 && strings.IndexByte(line[:c], ' ') > 0 && (c+1 == len(line) || line[c+1] == ' ' || line[c+1] == '\t')
}

// namesList reports whether v is one or more names separated by commas
// ("M. Ivanova", "Sarah Lindqvist, Tom Okafor").
func namesList(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 200 {
		return false
	}
	for part := range strings.SplitSeq(v, ",") {
		if !isName(strings.TrimSpace(part)) {
			return false
		}
	}
	return true
}

// nameLike reports whether v, the rest of a header line, is a short value
// such as a name rather than speech: at most six words, no question or
// exclamation mark, not ending in sentence punctuation.
func nameLike(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 80 || strings.ContainsAny(v, "?!…") {
		return false
	}
	if strings.Count(v, " ") > 5 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(v)
	return !strings.ContainsRune(".,;:", last) || endsInTitleOrInitial(v)
}

// turns is the second pass: it builds the turns that start at the accepted
// labels. It reports false if there are more than MaxTurns.
func (d *detector) turns() ([]Turn, bool) {
	text := d.text
	var turns []Turn
	rc := runeCounter{s: text}
	var cur Turn      // the open turn; Start and Body in bytes until it is closed
	var anchors []int // byte positions of the open turn's anchors
	var times []time.Duration
	open := false
	var lastEnd time.Duration // the f4 stamp ending the previous turn
	lastEndOK := false
	closeAt := func(limit int) {
		if !open {
			return
		}
		end := trimSpaceLeft(text, cur.Start, limit)
		body := min(skipSpace(text, cur.Body, end), end)
		if dd, ok := trailingStamp(text[cur.Start:end]); ok {
			cur.EndTime = dd
			lastEnd, lastEndOK = dd, true
		} else {
			lastEndOK = false
		}
		cur.Start = rc.at(cur.Start)
		cur.Body = rc.at(body)
		if len(anchors) > 0 {
			cur.Anchors = make([]Anchor, 0, len(anchors))
			for i, a := range anchors {
				if a >= body && a < end {
					cur.Anchors = append(cur.Anchors, Anchor{Pos: rc.at(a), Time: times[i]})
				}
			}
			if len(cur.Anchors) == 0 {
				cur.Anchors = nil
			}
		}
		cur.End = rc.at(end)
		turns = append(turns, cur)
		anchors, times = anchors[:0], times[:0]
		open = false
	}
	var pending label // a timestamp alone on the previous non-blank line
	pendingOK, pendingPos := false, 0
	inHeader, headerSeen := d.given == nil, false
	afterName := false // the previous non-blank line is a name alone
	paraStart := true  // the previous line is blank
	hint := 0
	k := 0
	for pos := 0; pos < len(text); k++ {
		end := lineEnd(text, pos)
		if skipSpace(text, pos, end) == end {
			pos = end + 1
			paraStart = true
			continue
		}
		l, ok := d.parse(k, pos, end, &hint)
		l.paraStart, paraStart = paraStart, false
		acc := ok && d.accepts(&l, k, end, afterName)
		afterName = ok && l.kind == kindAlone && l.speaker != "" && !isNonSpeakerWord(l.speaker)
		if inHeader {
			switch {
			case k >= maxHeaderLines:
				inHeader = false
			case acc && d.isHeader(&l, k, pos, end, headerSeen):
				acc, headerSeen = false, true
			case acc:
			case d.headerish(k, pos, end):
				headerSeen = true
			}
		}
		if acc {
			inHeader = false
			start := pos + l.start
			if pendingOK && !l.hasTime {
				start, l.time, l.hasTime = pendingPos+pending.start, pending.time, true
			} else if pendingOK && open {
				anchors, times = append(anchors, pendingPos+pending.start), append(times, pending.time)
			}
			closeAt(start)
			if len(turns) >= MaxTurns {
				return nil, false
			}
			if !l.hasTime && lastEndOK {
				l.time, l.hasTime = lastEnd, true
			}
			cur = Turn{Speaker: l.speaker, Start: start, Body: pos + l.body, Time: l.time, HasTime: l.hasTime}
			open = true
			pendingOK = false
		} else {
			if open && pendingOK {
				anchors, times = append(anchors, pendingPos+pending.start), append(times, pending.time)
			}
			pendingOK = false
			if ok && l.timeAlone {
				pending, pendingOK, pendingPos = l, true, pos
			} else if open && ok && l.hasTime && l.afterTime > l.start {
				anchors, times = append(anchors, pos+l.start), append(times, l.time)
			}
		}
		pos = end + 1
	}
	if open && pendingOK {
		anchors, times = append(anchors, pendingPos+pending.start), append(times, pending.time)
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

// givenLabels are the speaker labels given in Options: names, or a pattern.
type givenLabels struct {
	names   []string // longest first
	pattern *regexp.Regexp
	speaker int // index of the pattern's "speaker" group
	time    int // index of its "time" group, or -1
}

func newGivenLabels(opt Options) *givenLabels {
	g := &givenLabels{pattern: opt.SpeakerPattern}
	if g.pattern != nil {
		g.speaker = g.pattern.SubexpIndex("speaker")
		g.time = g.pattern.SubexpIndex("time")
		return g
	}
	for _, n := range opt.Speakers {
		if n = strings.TrimSpace(n); n != "" {
			g.names = append(g.names, n)
		}
	}
	slices.SortStableFunc(g.names, func(a, b string) int { return len(b) - len(a) })
	return g
}

// parse reads a given label at the start of line: an optional timestamp,
// then a given name (compared without regard to case) written Name,
// **Name**, **Name:** or [Name], followed by a colon and a blank, or by the
// end of the line, or (**Name** and [Name] only) by a blank and speech; or
// a match of the pattern.
func (g *givenLabels) parse(line string) (l label, ok bool) {
	i := skipBlanks(line, 0)
	if i == len(line) {
		return l, false
	}
	l.start, l.kind, l.lineLen = i, kindGiven, len(line)
	if g.pattern != nil && g.speaker >= 0 {
		m := g.pattern.FindStringSubmatchIndex(line[i:])
		if m != nil && m[0] == 0 && m[2*g.speaker] >= 0 && m[2*g.speaker] < m[2*g.speaker+1] {
			l.afterTime = i
			l.speaker = line[i+m[2*g.speaker] : i+m[2*g.speaker+1]]
			if g.time > 0 && m[2*g.time] >= 0 {
				ts := line[i+m[2*g.time] : i+m[2*g.time+1]]
				if d, n, ok := parseTimestamp(ts); ok && n == len(ts) {
					l.time, l.hasTime = d, true
				}
			}
			l.body = skipBlanks(line, i+m[1])
			return l, true
		}
	}
	if d, n, ok := parseTimestamp(line[i:]); ok {
		l.time, l.hasTime = d, true
		i = skipBlanks(line, i+n)
		l.afterTime, l.body, l.timeAlone = i, i, i == len(line)
		if l.timeAlone || g.pattern != nil {
			return l, true
		}
	}
	l.afterTime = i
	if g.pattern != nil {
		return l, false
	}
	// The name may be in bold or in brackets; then it may be followed by
	// speech without a colon.
	open, closing := 0, ""
	switch {
	case strings.HasPrefix(line[i:], "**"):
		open, closing = 2, "**"
	case strings.HasPrefix(line[i:], "["):
		open, closing = 1, "]"
	}
	for _, name := range g.names {
		n, ok := prefixFold(line[i+open:], name)
		if !ok {
			continue
		}
		j := i + open + n
		colon := false
		if open > 0 {
			// **Name:**, **Name**:, **Name**, [Name]:, [Name]
			if closing == "**" && strings.HasPrefix(line[j:], ":**") {
				j, colon = j+3, true
			} else if strings.HasPrefix(line[j:], closing) {
				j += len(closing)
				if j < len(line) && line[j] == ':' {
					j, colon = j+1, true
				}
			} else {
				continue
			}
			if j < len(line) && line[j] != ' ' && line[j] != '\t' && !strings.HasPrefix(line[j:], "\u00a0") &&
				!(colon && opensSpeech(line[j:])) {
				continue
			}
		} else {
			if j+1 < len(line) && line[j] == ' ' && (line[j+1] == '(' || line[j+1] == '[') {
				if d, m, ok := parseTimestamp(line[j+1:]); ok {
					if !l.hasTime {
						l.time, l.hasTime = d, true
					}
					j += 1 + m
				}
			}
			switch {
			case j < len(line) && line[j] == ':' && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t' || strings.HasPrefix(line[j+1:], "\u00a0")):
				j++
			case skipBlanks(line, j) == len(line):
			default:
				continue
			}
		}
		body := skipBlanks(line, j)
		for strings.HasPrefix(line[body:], "\u00a0") {
			body = skipBlanks(line, body+2)
		}
		l.speaker, l.body = name, body
		return l, true
	}
	if l.hasTime {
		l.body = i
		return l, true
	}
	return l, false
}

// prefixFold reports whether s starts with prefix, compared without regard
// to case (simple folding, rune by rune), and the length of that start of s
// in bytes.
func prefixFold(s, prefix string) (int, bool) {
	i := 0
	for _, pr := range prefix {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != pr && !foldEq(r, pr) {
			return 0, false
		}
		i += size
	}
	return i, true
}

// foldEq reports whether a and b are equal under simple case folding.
func foldEq(a, b rune) bool {
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// Thresholds of reviewTurns.
const (
	// dominantShare is the share of the words held by one speaker above
	// which the other speakers' labels were probably missed.
	dominantShare = 0.9
	// dominantTurns is the share of the labelled turns that speaker must
	// also hold for the warning: in an interview the respondent holds
	// nine tenths of the words but only half of the turns.
	dominantTurns = 0.75
	// reviewMinWords is the fewest words of speech for that share to mean
	// anything.
	reviewMinWords = 100
	// maxOnceWarnings is the most labels seen once that are named one by one.
	maxOnceWarnings = 5
)

// reviewTurns says what is doubtful in the turns found in text, each
// warning one sentence for a person to read: no speaker label at all, one
// speaker holding nearly all the words and most of the turns (other
// labels were probably missed), a label other than a known one (Q, Interviewer...) seen only
// once (is it a speaker?). It reads the text once.
func reviewTurns(text string, turns []Turn) []string {
	var warnings []string
	type tally struct {
		words, turns int
		first        int // index of its first turn
	}
	var speakers map[string]*tally
	var order []string
	total := 0
	bc := byteCounter{s: text}
	for i, t := range turns {
		if t.Speaker == "" {
			continue
		}
		if speakers == nil {
			speakers = make(map[string]*tally)
		}
		s := speakers[t.Speaker]
		if s == nil {
			s = &tally{first: i}
			speakers[t.Speaker] = s
			order = append(order, t.Speaker)
		}
		body, end := bc.at(t.Body), bc.at(t.End)
		n := countWords(text[body:end])
		s.words += n
		s.turns++
		total += n
	}
	if len(speakers) == 0 {
		return []string{"No speaker labels found: each paragraph is a turn without a speaker."}
	}
	if total >= reviewMinWords {
		labelled := 0
		for _, s := range speakers {
			labelled += s.turns
		}
		for _, name := range order {
			// A respondent holds most of the words of a good interview;
			// one who also holds most of the turns has swallowed the
			// other side, whose labels were not seen.
			s := speakers[name]
			if float64(s.words) >= dominantShare*float64(total) && float64(s.turns) >= dominantTurns*float64(labelled) {
				warnings = append(warnings, fmt.Sprintf("One speaker (%s) holds %d%% of the words: other speakers' labels may have been missed.",
					name, s.words*100/total))
				break
			}
		}
	}
	if len(order) < 2 {
		return warnings
	}
	var once []string
	for _, name := range order {
		if speakers[name].turns == 1 && !isKnownLabel(name) && name != "?" && !isNonSpeakerWord(name) {
			once = append(once, name)
		}
	}
	rc := byteCounter{s: text}
	for i, name := range once {
		if i == maxOnceWarnings {
			warnings = append(warnings, fmt.Sprintf("%d more labels are seen only once.", len(once)-i))
			break
		}
		t := turns[speakers[name].first]
		start, body := rc.at(t.Start), rc.at(t.Body)
		written := labelLine(text[start:body])
		if utf8.RuneCountInString(written) > 60 {
			written = string([]rune(written)[:60]) + "…"
		}
		warnings = append(warnings, fmt.Sprintf("The label %q (written %q) is seen only once: check that it is a speaker.", name, written))
	}
	return warnings
}

// labelLine returns the line of s, the text of a turn before its speech,
// that holds the label: the first non-blank line that is not a timestamp
// alone (a turn may start at a time written on the line before its label).
func labelLine(s string) string {
	first := ""
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if l, ok := parseLabel(line); ok && l.timeAlone {
			if first == "" {
				first = line
			}
			continue
		}
		return line
	}
	return first
}

// byteCounter converts increasing code-point offsets of s into byte
// offsets, reading each byte once.
type byteCounter struct {
	s          string
	byte, rune int
}

func (c *byteCounter) at(r int) int {
	for c.rune < r && c.byte < len(c.s) {
		_, size := utf8.DecodeRuneInString(c.s[c.byte:])
		c.byte += size
		c.rune++
	}
	return c.byte
}

// countWords counts the runs of letters and digits in s.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}
