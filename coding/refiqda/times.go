package refiqda

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// How a transcript's times travel in a .qdpx.
//
// REFI-QDA knows times only in the transcripts of audio and video sources
// (Transcript, SyncPoint); a TextSource has no place for them. qcode
// writes them into the TextSource's Description, which Project.xsd allows
// (xsd:string) and other programs show as the source's description, as a
// block a person can read:
//
//	qcode times:
//	0-40@00:00:00.000-00:00:03.200
//	41-110@00:00:03.400-00:00:10.000 99@00:00:08.000
//	111-119@00:00:10.500
//
// The header line is exactly "qcode times:". Each entry after it is
//
//	START-END@FROM-TO   a turn: its span [START, END) and its start time,
//	                    and end time when known (START-END@FROM without it)
//	POS@TIME            an anchor: a time known at POS (a subtitle cue's
//	                    start inside a merged turn, for one)
//
// Positions are code points of the stored text (the source's text file),
// end exclusive, as the PlainTextSelections count them; times are
// HH:MM:SS.mmm (more hour digits past 99 hours). Entries are in the order
// of their positions, a turn before an anchor at the same place; a line
// starts at each turn, and the anchors inside it follow on its line
// (anchors before the first timed turn are on a line of their own). Only
// turns with a time are listed. The block ends at a blank line or the end
// of the description; a document with no time has no block, and a source
// with description text of its own would keep it before the block, after
// a blank line (qcode's documents have none: their memos are Notes).
//
// On import, the block is taken out of what becomes the description memo.
// The text's turns are found as for any imported text (coding.DeriveTurns)
// and the block's times go onto them: a turn entry onto the turn starting
// at START (a turn that started inside another in the exported project,
// a subtitle's speakerless cue for one, is cut out of it again, and a turn
// that ended earlier is ended at END), anchors at their positions. When
// the block gives any time, it gives them all: times the text itself holds
// ([00:01:02] stamps) are not added to them. Entries that cannot be read,
// lie outside the text or fall where no turn can start are left out, with
// one warning per source; a block with no usable entry changes nothing.

// timesHeader opens the block.
const timesHeader = "qcode times:"

// maxTimeHours caps the hours a time may have: far past any recording,
// far below time.Duration's limit.
const maxTimeHours = 999999

// timesBlock writes the times of d's turns and anchors (see above), or ""
// when it has none.
func timesBlock(d coding.SnapshotDocument) string {
	n := utf8.RuneCountInString(d.Text)
	type entry struct {
		pos  int
		turn bool
		text string
	}
	var es []entry
	turns := append([]coding.Turn(nil), d.Turns...)
	sort.SliceStable(turns, func(i, j int) bool { return turns[i].Start < turns[j].Start })
	starts := map[int]bool{}
	for _, t := range turns {
		if t.Time == nil || *t.Time < 0 || t.Start < 0 || t.Start >= t.End || t.End > n || starts[t.Start] {
			continue
		}
		starts[t.Start] = true
		s := strconv.Itoa(t.Start) + "-" + strconv.Itoa(t.End) + "@" + clock(*t.Time)
		if t.EndTime != nil && *t.EndTime >= 0 {
			s += "-" + clock(*t.EndTime)
		}
		es = append(es, entry{t.Start, true, s})
	}
	at := map[int]bool{}
	for _, a := range d.Anchors {
		if a.Pos < 0 || a.Pos > n || a.Time < 0 || at[a.Pos] {
			continue
		}
		at[a.Pos] = true
		es = append(es, entry{a.Pos, false, strconv.Itoa(a.Pos) + "@" + clock(a.Time)})
	}
	if len(es) == 0 {
		return ""
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].pos != es[j].pos {
			return es[i].pos < es[j].pos
		}
		return es[i].turn && !es[j].turn
	})
	var b strings.Builder
	b.WriteString(timesHeader)
	for i, e := range es {
		if i == 0 || e.turn {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(e.text)
	}
	return b.String()
}

// withTimes puts the times block after a description's own text.
func withTimes(desc, block string) string {
	desc = strings.TrimSpace(desc)
	switch {
	case block == "":
		return desc
	case desc == "":
		return block
	}
	return desc + "\n\n" + block
}

// clock writes a time as HH:MM:SS.mmm, to the millisecond (as the store
// keeps it).
func clock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// parseClock reads a time clock wrote.
func parseClock(s string) (time.Duration, bool) {
	h, rest, ok := strings.Cut(s, ":")
	if !ok || len(h) == 0 || len(h) > 6 || len(rest) != len("00:00.000") ||
		rest[2] != ':' || rest[5] != '.' {
		return 0, false
	}
	hours, ok1 := digits(h)
	mins, ok2 := digits(rest[0:2])
	secs, ok3 := digits(rest[3:5])
	ms, ok4 := digits(rest[6:9])
	if !ok1 || !ok2 || !ok3 || !ok4 || hours > maxTimeHours || mins > 59 || secs > 59 {
		return 0, false
	}
	return time.Duration(((hours*60+mins)*60+secs)*1000+ms) * time.Millisecond, true
}

// digits reads a non-empty run of at most 12 ASCII digits.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 12 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// splitTimes takes the times block out of a description: the rest (the
// lines before and after it), the block's lines after the header, and
// whether there was one.
func splitTimes(desc string) (rest string, block []string, found bool) {
	if !strings.Contains(desc, timesHeader) {
		return desc, nil, false
	}
	lines := strings.Split(strings.ReplaceAll(desc, "\r\n", "\n"), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != timesHeader {
			continue
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
			end++
		}
		before := strings.TrimRightFunc(strings.Join(lines[:i], "\n"), unicode.IsSpace)
		after := strings.TrimLeftFunc(strings.Join(lines[end:], "\n"), unicode.IsSpace)
		rest = before + after
		if before != "" && after != "" {
			rest = before + "\n\n" + after
		}
		return rest, lines[i+1 : end], true
	}
	return desc, nil, false
}

// turnTime is a turn entry of a block.
type turnTime struct {
	start, end int
	from, to   time.Duration
	hasTo      bool
}

// timesRead is what a block held that could be used, and what not.
type timesRead struct {
	turns   []turnTime // by start, one per start
	anchors []coding.SnapshotAnchor
	bad     int // not understood, or repeating a position
	outside int // beyond the text
	tooMany bool
}

// parseTimes reads a block's entries for a text of n code points. At
// most 2(n+1) entries are read: no text has more places for a turn and an
// anchor.
func parseTimes(lines []string, n int) timesRead {
	var r timesRead
	limit := 2*n + 2
	count := 0
	turnAt := map[int]bool{}
	anchorAt := map[int]bool{}
	for _, line := range lines {
		for f := range strings.FieldsSeq(line) {
			if count++; count > limit {
				r.tooMany = true
				break
			}
			pos, tm, ok := strings.Cut(f, "@")
			if !ok {
				r.bad++
				continue
			}
			a, b, isTurn := strings.Cut(pos, "-")
			start, ok1 := digits(a)
			end, ok2 := start, true
			if isTurn {
				end, ok2 = digits(b)
			}
			from, to, hasTo := tm, "", false
			if isTurn {
				from, to, hasTo = strings.Cut(tm, "-")
			}
			t1, ok3 := parseClock(from)
			var t2 time.Duration
			ok4 := true
			if hasTo {
				t2, ok4 = parseClock(to)
			}
			switch {
			case !ok1 && len(a) > 12 && strings.Trim(a, "0123456789") == "", !ok2 && len(b) > 12 && strings.Trim(b, "0123456789") == "":
				r.outside++ // a number too long for any text
			case !ok1 || !ok2 || !ok3 || !ok4:
				r.bad++
			case start > n || end > n || isTurn && start >= end:
				r.outside++
			case isTurn:
				if turnAt[start] {
					r.bad++
					continue
				}
				turnAt[start] = true
				r.turns = append(r.turns, turnTime{start: start, end: end, from: t1, to: t2, hasTo: hasTo})
			default:
				if anchorAt[start] {
					r.bad++
					continue
				}
				anchorAt[start] = true
				r.anchors = append(r.anchors, coding.SnapshotAnchor{Pos: start, Time: t1})
			}
		}
		if r.tooMany {
			break
		}
	}
	sort.SliceStable(r.turns, func(i, j int) bool { return r.turns[i].start < r.turns[j].start })
	sort.SliceStable(r.anchors, func(i, j int) bool { return r.anchors[i].Pos < r.anchors[j].Pos })
	return r
}

// applyTimes puts the turn entries onto turns (sorted, not overlapping)
// of text, as the package comment above says, and returns the new turns,
// numbered, and how many entries found no turn.
func applyTimes(text []rune, turns []coding.Turn, entries []turnTime) ([]coding.Turn, int) {
	out := make([]coding.Turn, 0, len(turns))
	unmatched := 0
	j := 0
	// back is where a turn cut at pos ends: before the white space that
	// precedes pos, but not before its body.
	back := func(pos, body int) int {
		for pos > body && unicode.IsSpace(text[pos-1]) {
			pos--
		}
		return pos
	}
	for _, t := range turns {
		t.Time, t.EndTime = nil, nil
		cur, open := t, true
		for j < len(entries) && entries[j].start < t.End {
			e := entries[j]
			j++
			if !open || e.start < cur.Start || e.start > cur.Start && e.start < cur.Body {
				unmatched++ // between turns, or inside a speaker's label
				continue
			}
			if e.start > cur.Start {
				left := cur
				if left.End = back(e.start, cur.Body); left.End > left.Start {
					out = append(out, left) // else only white space: no turn
				}
				cur = coding.Turn{Start: e.start, Body: e.start, End: cur.End}
			}
			from := e.from
			cur.Time = &from
			if e.hasTo {
				to := e.to
				cur.EndTime = &to
			}
			if e.end < cur.End && e.end >= cur.Body {
				rest := e.end
				for rest < cur.End && unicode.IsSpace(text[rest]) {
					rest++
				}
				done := cur
				done.End = e.end
				out = append(out, done)
				if rest < cur.End {
					cur = coding.Turn{Start: rest, Body: rest, End: cur.End}
				} else {
					open = false
				}
			}
		}
		if open {
			out = append(out, cur)
		}
	}
	unmatched += len(entries) - j
	for i := range out {
		out[i].N = i + 1
	}
	return out, unmatched
}

// readTimes gives doc the times of a block from its source's description
// (see above); the document's Turns stay empty, for Merge to find, when
// the block gives no usable time.
func (rd *reader) readTimes(doc *coding.SnapshotDocument, block []string) {
	text := []rune(doc.Text)
	r := parseTimes(block, len(text))
	unmatched := len(r.turns)
	if len(r.turns)+len(r.anchors) > 0 {
		turns := coding.DeriveTurns(doc.Name, doc.Text)
		turns, unmatched = applyTimes(text, turns, r.turns)
		if unmatched < len(r.turns) || len(r.anchors) > 0 {
			doc.Turns, doc.Anchors = turns, r.anchors
		}
	}
	var parts []string
	if r.bad > 0 {
		parts = append(parts, fmt.Sprintf("%d not understood", r.bad))
	}
	if r.outside > 0 {
		parts = append(parts, fmt.Sprintf("%d outside its text", r.outside))
	}
	if unmatched > 0 {
		parts = append(parts, fmt.Sprintf("%d where none of its turns starts", unmatched))
	}
	if r.tooMany {
		parts = append(parts, fmt.Sprintf("and all past the first %d", 2*len(text)+2))
	}
	if len(parts) > 0 {
		rd.warnf("source %s: some of its qcode times were left out (%s)", doc.Name, strings.Join(parts, ", "))
	}
}
