package transcripts

import (
	"strings"
	"testing"
)

// TestPathologicalInputs parses inputs built to trigger quadratic work in a
// careless reader. Each must finish promptly (a quadratic reader would not
// finish within the test timeout) and hold the invariants.
func TestPathologicalInputs(t *testing.T) {
	const n = 2 << 20
	tests := []struct{ name, file, in string }{
		{"one long line of <", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n" + strings.Repeat("<", n)},
		{"one long line of {\\", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\n" + strings.Repeat("{\\", n/2)},
		{"one long line of &", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\n" + strings.Repeat("&", n)},
		{"one long line of <v", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n" + strings.Repeat("<v", n/2)},
		{"a cue of many lines", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n" + strings.Repeat("x\n", n/2)},
		{"many cues of one speaker", "a.vtt", "WEBVTT\n\n" + strings.Repeat("00:01.000 --> 00:02.000\n<v A>x</v>\n\n", n/40)},
		{"one long line of **", "a.txt", strings.Repeat("*", n)},
		{"many bold openings", "a.txt", strings.Repeat("**A\n", n/4)},
		{"many labels", "a.txt", strings.Repeat("Q:\n", n/3)},
		{"many blank lines after a label", "a.txt", "Q:" + strings.Repeat("\n \t", n/3) + "x"},
		{"many timestamps", "a.txt", strings.Repeat("[00:00:01]\n", n/11)},
		{"an unclosed front matter", "a.md", "---\n" + strings.Repeat("a: b\n", n/5)},
		{"a long first label candidate", "a.txt", strings.Repeat("Abc ", n/4) + ":"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.file, []byte(tt.in))
			if err == nil {
				checkInvariants(t, doc)
			}
		})
	}
}

func TestTooManyTurns(t *testing.T) {
	tests := []struct{ file, in, msg string }{
		{"a.txt", strings.Repeat("Q:\n", MaxTurns+1), "more than 1000000 speaker turns"},
		{"a.txt", strings.Repeat("x\n\n", MaxTurns+1), "more than 1000000 speaker turns"},
		{"a.srt", strings.Repeat("0:00.000 --> 0:00.000\nx\n\n", MaxTurns+1), "more than 1000000 subtitle cues"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.file, []byte(tt.in))
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Parse(%s of %d bytes) = %v, want %q", tt.file, len(tt.in), err, tt.msg)
		}
	}
}
