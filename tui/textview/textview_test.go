package textview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

type plain struct{}

func (plain) Classes(int, int, []uint8) {}

// TestRowsFillWidth checks that every rendered row is exactly the width,
// for Latin, Cyrillic, CJK (two cells a character) and mixed text, and
// that the rows cover the text without gaps.
func TestRowsFillWidth(t *testing.T) {
	texts := map[string]string{
		"latin":    strings.Repeat("Before we start, just to confirm, you're fine with me recording? ", 20),
		"cyrillic": strings.Repeat("Респондент: Мы уехали в сентябре, потому что объявили мобилизацию. ", 20),
		"cjk":      strings.Repeat("我们在九月离开了，因为宣布了动员。", 30),
		"mixed":    strings.Repeat("I: Как вы? R: Fine, 谢谢, normal.\n\n", 15),
		"longword": strings.Repeat("x", 300) + " " + strings.Repeat("ж", 300),
	}
	styles := make([]lipgloss.Style, 17)
	for name, s := range texts {
		for _, w := range []int{8, 13, 40, 79, 169} {
			tv := New(s, w)
			var buf []uint8
			next := 0
			for i := 0; i < tv.Rows(); i++ {
				r := tv.Row(i)
				if int(r.Start) < next {
					t.Fatalf("%s/%d: row %d starts at %d, before %d", name, w, i, r.Start, next)
				}
				next = int(r.End)
				got := tv.RenderRow(i, plain{}, styles, &buf)
				if n := ansi.StringWidth(got); n != w {
					t.Fatalf("%s/%d: row %d is %d cells, want %d: %q", name, w, i, n, w, got)
				}
			}
			if next != tv.Len() {
				t.Fatalf("%s/%d: rows end at %d, text at %d", name, w, next, tv.Len())
			}
		}
	}
}

func TestSentence(t *testing.T) {
	tv := New("R: Okay. So, I'm thirty. Мы уехали! Done", 80)
	for _, c := range []struct {
		at   int
		want string
	}{{4, "Okay."}, {10, "So, I'm thirty."}, {27, "Мы уехали!"}, {38, "Done"}} {
		s, e := tv.Sentence(c.at)
		if got := string(tv.Runes()[s:e]); !strings.HasSuffix(got, c.want) {
			t.Errorf("Sentence(%d) = %q, want %q", c.at, got, c.want)
		}
	}
}

// A control character in the text is drawn as U+FFFD, never sent to the
// terminal, and positions stay one for one.
func TestControlsNotDrawn(t *testing.T) {
	in := "Hello \x1b]0;PWNED\x07 there \x1b[2J ok\u0085."
	tv := New(in, 80)
	if tv.Len() != len([]rune(in)) {
		t.Fatalf("Len = %d, want %d", tv.Len(), len([]rune(in)))
	}
	var buf []uint8
	row := tv.RenderRow(0, plain{}, nil, &buf)
	if strings.ContainsAny(row, "\x1b\x07\u0085") || !strings.Contains(row, "Hello \uFFFD]0;PWNED\uFFFD there") {
		t.Errorf("row drawn as %q", row)
	}
}

// The transcript pane and every other part of the workbench must agree on
// how wide a character is, or wrapped rows and the panes beside them
// drift apart.
func TestRuneWidthAgreesWithStrings(t *testing.T) {
	cases := []struct {
		name string
		r    rune
		want int
	}{
		{"latin", 'a', 1},
		{"cyrillic", 'Ж', 1},
		{"georgian", 'თ', 1},
		{"greek", 'λ', 1},
		{"combining acute", '\u0301', 0},
		{"hebrew", 'ש', 1},
		{"cjk", '中', 2},
		{"hangul", '한', 2},
		{"fullwidth", 'Ａ', 2},
		{"emoji", '😀', 2},
		{"zero width space", '\u200b', 0},
		{"em dash", '—', 1},
		{"replacement", '\ufffd', 1},
	}
	for _, c := range cases {
		if got := RuneWidth(c.r); got != c.want {
			t.Errorf("%s %U: RuneWidth = %d, want %d", c.name, c.r, got, c.want)
		}
		if got := ansi.StringWidth(string(c.r)); got != RuneWidth(c.r) {
			t.Errorf("%s %U: ansi.StringWidth = %d, RuneWidth = %d", c.name, c.r, got, RuneWidth(c.r))
		}
	}
}
