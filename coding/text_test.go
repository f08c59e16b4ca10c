package coding

import "testing"

func TestInvalidUTF8(t *testing.T) {
	cases := []struct {
		in           string
		offset, line int
		ok           bool
	}{
		{"", 0, 0, false},
		{"Анна\nпишет", 0, 0, false},
		{"\xff", 0, 1, true},
		{"ok\nАнна \xe9t\xe9", 12, 2, true},
		{"a\nb\nc\xc3", 5, 3, true},
	}
	for _, c := range cases {
		off, line, ok := InvalidUTF8([]byte(c.in))
		if off != c.offset || line != c.line || ok != c.ok {
			t.Errorf("InvalidUTF8(%q) = %d, %d, %v; want %d, %d, %v", c.in, off, line, ok, c.offset, c.line, c.ok)
		}
	}
}
