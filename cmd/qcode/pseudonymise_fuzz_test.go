package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
	"github.com/qcode-dev/qcode/coding/refiqda"
)

// FuzzPseudonymiseSnapshot: whatever the text and wherever a coding
// begins and ends (inside a name, on its edge, across two), the
// pseudonymised snapshot keeps the coding inside the replaced text and
// not empty, the text and names hold no real value, and the snapshot is
// written as a .qdpx.
func FuzzPseudonymiseSnapshot(f *testing.F) {
	f.Add("Анна: Подруга Анны, Мария Соколова, работала.", 15, 30)
	f.Add("Anna Petrova met Anna and Sasha; sashimi, Ганна.", 2, 14)
	f.Add("AnnaAnna Анне\nАнну Анной", 0, 4)
	f.Add("Sasha", 1, 2)
	entries := []pseudo.Entry{
		{ID: "a", Real: "Анна", Pseudonym: "[Participant 1]", Kind: pseudo.Person},
		{ID: "b", Real: "Мария Соколова", Pseudonym: "[Friend A]", Kind: pseudo.Person},
		{ID: "c", Real: "Мария", Pseudonym: "[Friend A]", Kind: pseudo.Person},
		{ID: "d", Real: "Anna Petrova", Pseudonym: "[Friend B]", Kind: pseudo.Person},
		{ID: "e", Real: "Anna", Pseudonym: "[Friend B]", Kind: pseudo.Person},
		{ID: "f", Real: "Sasha", Pseudonym: "[Colleague]", Kind: pseudo.Person, Doc: "R01"},
	}
	leak := pseudo.NewMatcher(entries)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		n := utf8.RuneCountInString(text)
		if !utf8.ValidString(text) || n == 0 || n > 2000 {
			return
		}
		start, end = min(max(start, 0), n-1), min(max(end, 0), n)
		if start >= end {
			return
		}
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		snap := &coding.Snapshot{GUID: "9a7d6c1e-8a1b-4c5d-9e0f-0123456789ab", Name: "Anna's study", CreatedAt: at,
			Coders: []coding.SnapshotCoder{{GUID: "c0a1b2c3-0000-4000-8000-000000000001", Name: "ana", CreatedAt: at}},
			Codes:  []coding.SnapshotCode{{GUID: "c0a1b2c3-0000-4000-8000-000000000002", Name: "Sasha", CreatedAt: at}},
			Documents: []coding.SnapshotDocument{{GUID: "c0a1b2c3-0000-4000-8000-000000000003", Name: "R01", Version: 1, Format: "txt",
				Text: text, ImportedAt: at, Latest: true, Attributes: []coding.Attribute{{Key: "participant", Type: "text", Value: "Анна"}}}},
			Codings: []coding.SnapshotCoding{{GUID: "c0a1b2c3-0000-4000-8000-000000000004", DocGUID: "c0a1b2c3-0000-4000-8000-000000000003",
				CodeGUID: "c0a1b2c3-0000-4000-8000-000000000002", Start: start, End: end, Coder: "ana", CreatedAt: at}},
		}
		p := newPseudonymiser(entries)
		out := p.snapshot(snap)
		if snap.Documents[0].Text != text || snap.Codings[0].Start != start {
			t.Fatal("the original snapshot was changed")
		}
		d, c := out.Documents[0], out.Codings[0]
		if c.Start < 0 || c.End > utf8.RuneCountInString(d.Text) || c.Start >= c.End {
			t.Fatalf("coding %d:%d became %d:%d of %d code points", start, end, c.Start, c.End, utf8.RuneCountInString(d.Text))
		}
		// (The coding's own text may be a piece of a longer word that
		// reads as a name: "Anna" of "AnnaAnna".)
		for _, s := range []string{d.Text, out.Name, out.Codes[0].Name, d.Attributes[0].Value} {
			if ms := leak.Find("R01", s); len(ms) > 0 {
				t.Fatalf("%q still holds %q", s, ms[0].Entry.Real)
			}
		}
		var buf bytes.Buffer
		if err := refiqda.WriteProject(&buf, out, refiqda.ProjectOptions{}); err != nil {
			t.Fatalf("WriteProject: %v", err)
		}
	})
}

// benchNames makes n distinct names of Cyrillic and Latin syllables.
func benchNames(n int) []string {
	cyr := []string{"ла", "ми", "ро", "ва", "не", "ку", "ти", "са", "до", "ре"}
	lat := []string{"ka", "lo", "mi", "ra", "ne", "su", "to", "va", "di", "be"}
	out := make([]string, n)
	for i := range out {
		syl := cyr
		if i%2 == 1 {
			syl = lat
		}
		s := ""
		for k, j := 0, i; k < 3; k, j = k+1, j/10 {
			s += syl[j%10]
		}
		r := []rune(s)
		out[i] = string(unicode.ToUpper(r[0])) + string(r[1:])
	}
	return out
}

// BenchmarkPseudonymiseSnapshot measures what --pseudonymise adds to
// 'export project': 1M words in 20 documents, 10,000 codings, 500 key
// entries, one word in fifty a name.
func BenchmarkPseudonymiseSnapshot(b *testing.B) {
	names := benchNames(500)
	entries := make([]pseudo.Entry, len(names))
	for i, n := range names {
		entries[i] = pseudo.Entry{ID: fmt.Sprint(i), Real: n, Pseudonym: fmt.Sprintf("[P%d]", i), Kind: pseudo.Person}
	}
	words := []string{"мы", "уехали", "в", "марте", "потом", "позвонили", "we", "left", "in", "march", "and", "then", "they", "called"}
	rnd := rand.New(rand.NewPCG(1, 2))
	snap := &coding.Snapshot{}
	for d := 0; d < 20; d++ {
		var sb strings.Builder
		for w := 0; w < 50_000; w++ {
			if rnd.IntN(50) == 0 {
				sb.WriteString(names[rnd.IntN(len(names))])
			} else {
				sb.WriteString(words[rnd.IntN(len(words))])
			}
			if w%15 == 14 {
				sb.WriteString(".\n")
			} else {
				sb.WriteByte(' ')
			}
		}
		g := fmt.Sprintf("doc-%d", d)
		text := sb.String()
		n := utf8.RuneCountInString(text)
		snap.Documents = append(snap.Documents, coding.SnapshotDocument{GUID: g, Name: g, Text: text})
		for c := 0; c < 500; c++ {
			s := rnd.IntN(n - 200)
			snap.Codings = append(snap.Codings, coding.SnapshotCoding{GUID: fmt.Sprintf("%s-%d", g, c), DocGUID: g, Start: s, End: s + 1 + rnd.IntN(199)})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := newPseudonymiser(entries)
		p.snapshot(snap)
	}
}
