package index

import "testing"

// FuzzParseAt checks the reader of the "at" field stored with each
// passage: it never panics, and what it reads back writes the same.
func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"120 40 180 3 2 00:01:05", "5 0 5 1 0 -", "1 2 3", "", "-1 -2 -3 -4 -5 -", "9 9 9 9 9 -00:00:01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := parseAt(s)
		if !ok {
			return
		}
		b, ok := parseAt(a.String())
		if !ok || b != a {
			t.Fatalf("%q reads as %+v, written %q, read back %+v (%v)", s, a, a.String(), b, ok)
		}
	})
}

func TestAtRoundTrip(t *testing.T) {
	for _, a := range []passageAt{
		{end: 120, byteStart: 40, byteEnd: 180, line: 3, turn: 2, time: "00:01:05"},
		{end: 5, byteStart: 0, byteEnd: 5, line: 1},
		{end: 7, byteStart: 2, byteEnd: 9, line: 12, turn: 4, time: "-00:00:01"},
	} {
		b, ok := parseAt(a.String())
		if !ok || b != a {
			t.Errorf("%+v written %q reads back as %+v (%v)", a, a.String(), b, ok)
		}
	}
}
