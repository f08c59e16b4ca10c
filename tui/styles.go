package tui

import (
	"github.com/charmbracelet/lipgloss"
)

// Theme is the semantic palette; every style is derived from it once.
type Theme struct {
	// Color is false under NO_COLOR: attributes (bold, reverse,
	// underline) stay, colours go.
	Color bool
}

// Reader style classes, combined as base | hlBit | selBit, or cursor.
const (
	clsText    = 0
	clsSpeaker = 1
	clsTime    = 2
	hlBit      = 4
	selBit     = 8
	clsCursor  = 16
	clsCount   = 17
)

// styles holds every style of the workbench, built once by newStyles.
type styles struct {
	theme Theme

	pane, paneTitle, paneTitleFocused lipgloss.Style
	sep                               lipgloss.Style
	muted, bold, errText, okText      lipgloss.Style
	item, itemSel, itemSelBlur        lipgloss.Style
	lineNo, lineNoCursor              lipgloss.Style
	status, statusKey, statusMsg      lipgloss.Style
	helpKey, helpDesc                 lipgloss.Style
	box, boxTitle                     lipgloss.Style
	match                             lipgloss.Style
	reader                            [clsCount]lipgloss.Style
	// heat shades heatmap cells by quarters of the largest value.
	heat [4]lipgloss.Style
}

func adaptive(light, dark string) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: light, Dark: dark}
}

func newStyles(t Theme) *styles {
	var (
		fg      lipgloss.TerminalColor = lipgloss.NoColor{}
		muted   lipgloss.TerminalColor = lipgloss.NoColor{}
		accent  lipgloss.TerminalColor = lipgloss.NoColor{}
		speaker lipgloss.TerminalColor = lipgloss.NoColor{}
		timec   lipgloss.TerminalColor = lipgloss.NoColor{}
		selBg   lipgloss.TerminalColor = lipgloss.NoColor{}
		hlBg    lipgloss.TerminalColor = lipgloss.NoColor{}
		barBg   lipgloss.TerminalColor = lipgloss.NoColor{}
		errc    lipgloss.TerminalColor = lipgloss.NoColor{}
		okc     lipgloss.TerminalColor = lipgloss.NoColor{}
	)
	if t.Color {
		fg = adaptive("#1f2328", "#e6edf3")
		muted = adaptive("#6e7781", "#7d8590")
		accent = adaptive("#0969da", "#58a6ff")
		speaker = adaptive("#8250df", "#d2a8ff")
		timec = adaptive("#6e7781", "#7d8590")
		selBg = adaptive("#b6e3ff", "#264f78")
		hlBg = adaptive("#fff8c5", "#4d4420")
		barBg = adaptive("#eaeef2", "#21262d")
		errc = adaptive("#cf222e", "#ff7b72")
		okc = adaptive("#1a7f37", "#3fb950")
	}
	s := &styles{theme: t}
	n := lipgloss.NewStyle()
	s.pane = n
	s.paneTitle = n.Foreground(muted).Bold(true)
	s.paneTitleFocused = n.Foreground(accent).Bold(true).Underline(!t.Color)
	s.sep = n.Foreground(muted)
	s.muted = n.Foreground(muted)
	s.bold = n.Bold(true)
	s.errText = n.Foreground(errc).Bold(true)
	s.okText = n.Foreground(okc)
	s.item = n.Foreground(fg)
	s.itemSel = n.Reverse(true).Bold(true)
	s.itemSelBlur = n.Bold(true).Underline(true)
	s.lineNo = n.Foreground(muted)
	s.lineNoCursor = n.Foreground(accent).Bold(true)
	s.status = n.Background(barBg).Foreground(fg)
	s.statusKey = n.Background(barBg).Foreground(accent).Bold(true)
	s.statusMsg = n.Background(barBg).Foreground(okc)
	s.helpKey = n.Foreground(accent).Bold(true)
	s.helpDesc = n.Foreground(muted)
	s.box = n.Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.boxTitle = n.Foreground(accent).Bold(true)
	s.match = n.Bold(true).Underline(true).Foreground(accent)
	for c := 0; c < clsCursor; c++ {
		st := n
		switch c & 3 {
		case clsSpeaker:
			st = st.Foreground(speaker).Bold(true)
		case clsTime:
			st = st.Foreground(timec)
		}
		if c&hlBit != 0 {
			if t.Color {
				st = st.Background(hlBg)
			} else {
				st = st.Underline(true)
			}
		}
		if c&selBit != 0 {
			if t.Color {
				st = st.Background(selBg)
			} else {
				st = st.Reverse(true)
			}
		}
		s.reader[c] = st
	}
	heat := [4]lipgloss.AdaptiveColor{
		adaptive("#ddf4ff", "#0c2d6b"), adaptive("#b6e3ff", "#0a3069"),
		adaptive("#80ccff", "#1158c7"), adaptive("#54aeff", "#1f6feb"),
	}
	for i, c := range heat {
		s.heat[i] = n
		if t.Color {
			s.heat[i] = n.Background(c).Foreground(fg)
		}
	}
	s.reader[clsCursor] = n.Reverse(true).Bold(true)
	if !t.Color {
		// Selected and cursor cells both reverse; underline the cursor
		// so it stays visible inside a selection.
		s.reader[clsCursor] = n.Reverse(true).Underline(true).Bold(true)
	}
	return s
}

// codeStyles caches the stripe style of each code colour, so a codebook
// load builds them once and View only looks them up.
type codeStyles struct {
	color bool
	m     map[string]lipgloss.Style
	plain lipgloss.Style
}

func newCodeStyles(color bool) *codeStyles {
	return &codeStyles{color: color, m: map[string]lipgloss.Style{}, plain: lipgloss.NewStyle()}
}

// add builds the style of hex, once.
func (c *codeStyles) add(hex string) {
	if _, ok := c.m[hex]; ok || !c.color || hex == "" {
		return
	}
	c.m[hex] = lipgloss.NewStyle().Foreground(lipgloss.Color(hex))
}

func (c *codeStyles) get(hex string) lipgloss.Style {
	if st, ok := c.m[hex]; ok {
		return st
	}
	return c.plain
}

// title renders a pane's title line, w cells wide.
func (st *styles) title(text string, focused bool, w int) string {
	ts := st.paneTitle
	if focused {
		ts = st.paneTitleFocused
	}
	return fit(ts.Render(text), w)
}
