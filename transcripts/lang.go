package transcripts

import (
	"unicode"
	"unicode/utf8"
)

// langSample is how much of a text DetectLanguage looks at: enough to be
// sure, little enough to be instant on a book-length transcript.
const langSample = 200 << 10

// DetectLanguage guesses the language of a transcript for the search
// index: "ru" when at least 30% of the letters in (the first 200 KB of)
// text are Cyrillic, else "en". Parse does not call it; the caller does
// when Document.Lang is empty.
func DetectLanguage(text string) string {
	if len(text) > langSample {
		cut := langSample
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	letters, cyrillic := 0, 0
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				letters++
			}
		case r >= 0x0400 && r <= 0x04FF && (r <= 0x0481 || r >= 0x048A): // Cyrillic letters
			letters++
			cyrillic++
		case unicode.IsLetter(r):
			letters++
			if unicode.Is(unicode.Cyrillic, r) {
				cyrillic++
			}
		}
	}
	if letters > 0 && cyrillic*10 >= letters*3 {
		return "ru"
	}
	return "en"
}
