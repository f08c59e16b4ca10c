package coding

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Longest names and values, in characters (code points).
const (
	MaxCodeName  = 200
	MaxDocName   = 200
	MaxCoderName = 100
	MaxAttrKey   = 100
	MaxAttrValue = 10000
)

// checkText refuses a name or value (what names it: "code name",
// "attribute value") that holds a hidden control character (see
// IsHiddenControl) or is longer than max characters. It is the one rule
// every name and value from a user or a file passes on the way in.
func checkText(what, s string, max int) error {
	if i := strings.IndexFunc(s, IsHiddenControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("%w: %s %s holds the invisible control character %U; type it without it", ErrInvalid, what, quoteSafe(s), r)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%w: %s is %d characters long; at most %d", ErrInvalid, what, n, max)
	}
	return nil
}

// quoteSafe quotes s for a message, its control and format characters
// escaped (%+q would escape every non-ASCII letter too).
func quoteSafe(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case IsHiddenControl(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case IsHiddenControl(r) || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// CheckCoderName refuses a coder's name that is blank, too long (more
// than MaxCoderName characters) or holds a hidden control character.
func CheckCoderName(name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: blank coder name; give a name", ErrInvalid)
	}
	return checkText("coder name", name, MaxCoderName)
}

// CleanText removes from a memo's or a setting's text the control and
// format characters a terminal would act on, keeping line breaks and
// tabs (a CR LF becomes a LF). It reports whether anything was removed.
func CleanText(s string) (string, bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	removed := false
	out := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if IsHiddenControl(r) {
			removed = true
			return -1
		}
		return r
	}, s)
	return out, removed
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})?$`)

// CheckLang refuses what is not a language code: 2 to 8 letters with an
// optional region (en, ru, pt-BR, zh_Hant).
func CheckLang(lang string) error {
	if !langRE.MatchString(lang) {
		return fmt.Errorf("%w: language %s: want a language code, 2 to 8 letters with an optional region (en, ru, pt-BR)", ErrInvalid, quoteSafe(lang))
	}
	return nil
}
