package tui

import (
	"unicode"

	"github.com/qcode-dev/qcode/tui/textview"
)

// The coder view: the workbench shows every coder's codings, each
// coder's stripes marked apart, or only one coder's.

// coderLetters gives each coder one character of their name (the first
// free one, lower case, else upper case), so stripes can say who coded
// without colour. Coders are taken in the order given (sorted by name),
// so the letters are stable.
func coderLetters(coders []string) map[string]rune {
	out := make(map[string]rune, len(coders))
	taken := map[rune]bool{}
	pick := func(name string, f func(rune) rune) bool {
		for _, r := range name {
			r = f(r)
			if (unicode.IsLetter(r) || unicode.IsDigit(r)) && textview.RuneWidth(r) == 1 && !taken[r] {
				out[name], taken[r] = r, true
				return true
			}
		}
		return false
	}
	for _, c := range coders {
		if !pick(c, unicode.ToLower) && !pick(c, unicode.ToUpper) {
			for r := '1'; r <= '9'; r++ {
				if !taken[r] {
					out[c], taken[r] = r, true
					break
				}
			}
		}
	}
	return out
}
