package refiqda

import "testing"

// TestSourceTextSpans carries positions counted four ways over a text
// with a BOM, a CRLF, an emoji and a decomposed é to the stored text.
//
//	raw (after the BOM):  a \r \n b 😀 c e ◌́ d
//	code points:          0  1  2 3  4 5 6  7 8   (9 at the end)
//	UTF-16 units:         0  1  2 3  4 6 7  8 9   (10)
//	code points, CRLF 1:  0  1  1 2  3 4 5  6 7   (8)
//	UTF-16, CRLF 1:       0  1  1 2  3 5 6  7 8   (9)
//	stored:               a \n b 😀 c é d = 0 1 2 3 4 5 6 (7)
func TestSourceTextSpans(t *testing.T) {
	st := newSourceText("\uFEFFa\r\nb😀ce\u0301d")
	if st.final != "a\nb😀céd" || st.n != 7 || !st.hasAstral || !st.hasCRLF {
		t.Fatalf("stored text %q (%d), astral %v, CRLF %v", st.final, st.n, st.hasAstral, st.hasCRLF)
	}
	cp, u16 := reading{}, reading{utf16: true}
	cp1, u161 := reading{crlfOne: true}, reading{utf16: true, crlfOne: true}
	tests := []struct {
		start, end int
		r          reading
		ok         bool
		want       string
	}{
		{5, 6, cp, true, "c"},
		{6, 7, u16, true, "c"},
		{4, 5, cp1, true, "c"},
		{5, 6, u161, true, "c"},
		{4, 6, u16, true, "😀"},
		{5, 7, u16, false, ""}, // starts inside the emoji
		{6, 8, cp, true, "é"},  // e and its accent
		{6, 7, cp, true, "é"},  // ends inside: rounded up
		{7, 9, cp, true, "éd"}, // starts inside: rounded down
		{1, 3, cp, true, "\n"}, // CR LF is one LF
		{1, 2, cp1, true, "\n"},
		{0, 9, cp, true, "a\nb😀céd"},
		{0, 10, u16, true, "a\nb😀céd"},
		{9, 10, cp, false, ""}, // past the end
		{-1, 2, cp, false, ""},
		{3, 2, cp, false, ""},
	}
	for _, tt := range tests {
		a, b, ok := st.span(tt.start, tt.end, tt.r)
		got := ""
		if ok {
			got = st.slice(a, b)
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("span(%d, %d, %v) = %q, %v; want %q, %v", tt.start, tt.end, tt.r, got, ok, tt.want, tt.ok)
		}
	}
	if got := len(st.readings(u16)); got != 4 {
		t.Errorf("%d readings differ for this text; want 4", got)
	}
	plain := newSourceText("plain text\n")
	if plain.toFinal != nil || len(plain.readings(u16)) != 1 || plain.final != "plain text\n" {
		t.Errorf("a plain text needs no mapping and has one reading")
	}
}

func TestExcerptChecks(t *testing.T) {
	// Stored: "I said:\n  they will come\nfor us." ("they" at 10, the end 32).
	st := newSourceText("I said:\r\n  they will come\r\nfor us.")
	tests := []struct {
		a, b int
		name string
		want bool
	}{
		{8, 32, "they will come for us.", true},   // line break and indent flattened
		{10, 32, "they will come for…", true},     // truncated with an ellipsis
		{10, 32, "they will come fo...", true},    // or three dots
		{10, 24, "they will come for us.", false}, // too short
		{0, 6, "I said", true},
		{1, 6, "I said", false},
	}
	for _, tt := range tests {
		if got := st.holds(tt.a, tt.b, excerptOf(tt.name)); got != tt.want {
			t.Errorf("holds(%d, %d, %q) = %v; want %v (slice %q)", tt.a, tt.b, tt.name, got, tt.want, st.slice(tt.a, tt.b))
		}
	}
}
