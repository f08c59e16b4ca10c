package tui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Layout helpers shared by every pane and layer: the split of the
// screen, and lines cut, padded, wrapped and laid over each other.

// statusRows are the status bar and the help line under every layer.
const statusRows = 2

// bodyHeight is the height above the status bar of an h-row terminal.
func bodyHeight(h int) int { return max(h-statusRows, 3) }

// screenRows is how many lines are drawn above the status bar.
func screenRows(h int) int { return max(h-statusRows, 1) }

// paneWidths splits a w-wide terminal into the documents, transcript
// and codes panes, with a separator between each; below 70 columns the
// documents pane goes.
func paneWidths(w int) (docs, reader, codes int) {
	docs = min(max(w/6, 14), 30)
	codes = min(max(w/5, 18), 36)
	if w < 70 {
		docs = 0
	}
	reader = max(w-docs-codes-2, 10)
	if docs == 0 {
		reader = max(w-codes-1, 10)
	}
	return docs, reader, codes
}

// fit truncates or pads a rendered line to exactly w cells.
func fit(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// overlay draws box over the screen lines, centred.
func overlay(screen []string, box []string, w int) []string {
	if len(box) == 0 {
		return screen
	}
	bw := ansi.StringWidth(box[0])
	x := max((w-bw)/2, 0)
	y := max((len(screen)-len(box))/2-1, 0)
	out := append([]string(nil), screen...)
	for i, b := range box {
		if y+i >= len(out) {
			break
		}
		line := out[y+i]
		left := ansi.Truncate(line, x, "")
		right := ansi.TruncateLeft(line, x+bw, "")
		if strings.Contains(line, "\x1b") {
			// Styles open in the cut line must not bleed into the box.
			left += "\x1b[0m"
			b += "\x1b[0m"
		}
		out[y+i] = left + b + right
	}
	return out
}

// keepVisible returns the first row to show so that row sel is among the
// rows shown from it.
func keepVisible(sel, top, rows int) int {
	if sel < top {
		return sel
	}
	if sel >= top+rows {
		return sel - rows + 1
	}
	return top
}

// wrapWords wraps plain text to width at spaces.
func wrapWords(s string, width int) string {
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(s) {
		n := ansi.StringWidth(w)
		if i > 0 && col+1+n > width {
			b.WriteByte('\n')
			col = 0
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

// excerpt is s on one line, cut in the middle to n runes.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n/2]) + "…" + string(r[len(r)-n/2:])
	}
	return s
}

// oneLine keeps a name from a file on one line and free of terminal
// controls.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// shortenMiddle cuts s to w cells by taking out its middle, so that
// names that differ only at the end (zoom_GMT20240125…, recordings of
// one day) stay told apart: a third of the room keeps the start, the
// rest the end.
func shortenMiddle(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w <= 1 {
		return ansi.Truncate(s, w, "")
	}
	rs := []rune(s)
	head := max((w-1)/3, 1)
	tail := w - 1 - head
	var b strings.Builder
	used := 0
	for _, r := range rs {
		n := ansi.StringWidth(string(r))
		if used+n > head {
			break
		}
		b.WriteRune(r)
		used += n
	}
	b.WriteString("…")
	var end []rune
	used = 0
	for i := len(rs) - 1; i >= 0; i-- {
		n := ansi.StringWidth(string(rs[i]))
		if used+n > tail {
			break
		}
		end = append(end, rs[i])
		used += n
	}
	for i := len(end) - 1; i >= 0; i-- {
		b.WriteRune(end[i])
	}
	return b.String()
}

// shortenDistinct cuts s to w cells keeping what tells it apart from
// others: the start it shares with the closest of them goes first
// (zoom_GMT20240125-140312_Recording beside …-161544_Recording shows
// as zoo…140312_Recording in 20 cells, …140312_R… in 10); a name like
// no other is shortened in the middle.
func shortenDistinct(s string, w int, others []string) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	p := 0
	for _, o := range others {
		if o != s {
			p = max(p, commonPrefix(rs, []rune(o)))
		}
	}
	// Start the distinct part at the number or word it is in.
	for back := 0; p > 0 && back < 6; back++ {
		if !unicode.IsLetter(rs[p-1]) && !unicode.IsDigit(rs[p-1]) {
			break
		}
		p--
	}
	if p <= 1 || p >= len(rs) {
		return shortenMiddle(s, w)
	}
	rest := string(rs[p:])
	if ansi.StringWidth(rest)+2 > w {
		return ansi.Truncate("…"+rest, w, "…")
	}
	return ansi.Truncate(s, w-1-ansi.StringWidth(rest), "") + "…" + rest
}

// commonPrefix is how many runes a and b share at the start.
func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
