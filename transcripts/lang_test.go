package transcripts

import (
	"strings"
	"testing"
)

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "en"},
		{"12:30 — 45", "en"},
		{"Q: How did you decide to leave?", "en"},
		{"Q: Как вы решили уехать?", "ru"},
		{"Интервьюер: Tell me about Тбилиси and the first weeks you spent there, please.", "en"}, // 17 of 64 letters
		{"We talked about семья, работа, язык, and the war.", "ru"},                              // 15 of 37 letters
		{"Ёжик", "ru"},
		{"ქართული ენა", "en"},
		{strings.Repeat("english words ", 20000) + strings.Repeat("русские слова ", 100000), "en"}, // beyond the sample
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40] + "..."
		}
		if got := DetectLanguage(tt.in); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", name, got, tt.want)
		}
	}
}
