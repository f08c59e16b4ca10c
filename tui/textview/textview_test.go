package textview

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/transcripts"
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
		s, e := tv.Sentence(c.at, nil)
		if got := string(tv.Runes()[s:e]); !strings.HasSuffix(got, c.want) {
			t.Errorf("Sentence(%d) = %q, want %q", c.at, got, c.want)
		}
	}
}

// TestSentenceWithTurns checks the reader's sentence moves against the
// one rule: a sentence stops at a turn and skips its label, a line break
// inside a turn does not end it, ( and ) step over labels.
func TestSentenceWithTurns(t *testing.T) {
	text := "Q: Where did you\ngo? Tbilisi.\nA: Т. е. Грузия… Да!\n\nПотом"
	at := func(sub string) int { return len([]rune(text[:strings.Index(text, sub)])) }
	turns := transcripts.TurnSpans{{Start: 0, Body: 3, End: at("\nA:")}, {Start: at("A:"), Body: at("A:") + 3, End: at("\n\n")}}
	tv := New(text, 80)
	rs := tv.Runes()
	for _, c := range []struct {
		at   int
		want string
	}{
		{0, "Where did you\ngo?"}, // in the label: the turn's first sentence
		{at("go?"), "Where did you\ngo?"},
		{at("Tbilisi"), "Tbilisi."},
		{at("Грузия"), "Т. е. Грузия…"},
		{at("Да!"), "Да!"},
		{at("Потом"), "Потом"},
	} {
		s, e := tv.Sentence(c.at, turns)
		if got := string(rs[s:e]); got != c.want {
			t.Errorf("Sentence(%d) = %q, want %q", c.at, got, c.want)
		}
	}
	// ) walks every sentence start, over the label; ( walks back.
	var starts []string
	for cp := 3; ; {
		starts = append(starts, string(rs[cp:cp+2]))
		next := tv.NextSentence(cp, turns)
		if next == cp {
			break
		}
		cp = next
	}
	want := []string{"Wh", "Tb", "Т.", "Да", "По"}
	if strings.Join(starts, " ") != strings.Join(want, " ") {
		t.Errorf(") visits %q, want %q", starts, want)
	}
	var back []string
	for cp := at("Потом"); ; {
		back = append(back, string(rs[cp:cp+2]))
		prev := tv.PrevSentence(cp, turns)
		if prev == cp {
			break
		}
		cp = prev
	}
	if len(back) != len(want) || back[0] != "По" || back[len(back)-1] != "Wh" {
		t.Errorf("( visits %q, want %q backwards", back, want)
	}
}

// TestRuneWidthIsStringWidth checks that the reader measures a code
// point as the rest of the workbench measures a string, for every code
// point: one width function, whichever path it takes.
func TestRuneWidthIsStringWidth(t *testing.T) {
	bad := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) || r == '\t' { // a tab is drawn as one space
			continue
		}
		if got, want := RuneWidth(r), ansi.StringWidth(string(r)); got != want {
			if bad++; bad <= 10 {
				t.Errorf("RuneWidth(%U) = %d, ansi.StringWidth = %d", r, got, want)
			}
		}
	}
	if bad > 10 {
		t.Errorf("%d code points in all disagree", bad)
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
