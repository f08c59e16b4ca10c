package coding

import (
	"context"
	"fmt"
	"testing"
	"unicode/utf8"
)

// TestDocumentParts reads parts of several documents at once, more than
// one statement's worth, and checks each against the whole text.
func TestDocumentParts(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	en := importText(t, s, "E01.txt", "I: Where did you go?\nR: To Tbilisi, in September.\n")
	ru := importText(t, s, "R01.txt", "И: Куда вы поехали?\nР: В Тбилиси, в сентябре. Ёлка.\n")
	texts := map[int64]string{}
	for _, d := range []Document{en, ru} {
		text, err := s.DocumentText(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		texts[d.ID] = text
	}
	type want struct {
		doc        int64
		start, end int
	}
	var asks []want
	for i := 0; i < partsAtOnce+37; i++ {
		d := []Document{en, ru}[i%2]
		n := len(texts[d.ID])
		start := (i * 7) % (n + 3) // some past the end
		asks = append(asks, want{d.ID, start, start + i%11})
	}
	asks = append(asks, want{999, 0, 5}) // no such document
	parts := make([]DocPart, len(asks))
	for i, a := range asks {
		parts[i] = DocPart{Doc: a.doc, Start: a.start, End: a.end}
	}
	if err := s.DocumentParts(ctx, parts); err != nil {
		t.Fatal(err)
	}
	for i, a := range asks {
		p := parts[i]
		text, ok := texts[a.doc]
		if p.Found != ok {
			t.Fatalf("part %d of document %d: found %v, want %v", i, a.doc, p.Found, ok)
		}
		if !ok {
			continue
		}
		lo, hi := min(a.start, len(text)), min(a.end, len(text))
		wantName := map[int64]string{en.ID: en.Name, ru.ID: ru.Name}[a.doc]
		if got := fmt.Sprintf("%s|%q|%d", p.Name, p.Text, p.Size); got != fmt.Sprintf("%s|%q|%d", wantName, text[lo:hi], len(text)) {
			t.Errorf("part %d [%d,%d) of %s: got %s", i, a.start, a.end, wantName, got)
		}
	}
}

// TestDocumentTexts reads whole texts up to a size, and only the size of
// longer ones.
func TestDocumentTexts(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	short := importText(t, s, "S.txt", "I: Why?\nR: Because.\n")
	long := importText(t, s, "L.txt", "I: And then?\nR: Then we left for Tbilisi, all of us, in September.\n")
	st, err := s.DocumentText(ctx, short.ID)
	if err != nil {
		t.Fatal(err)
	}
	lt, err := s.DocumentText(ctx, long.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.DocumentTexts(ctx, []int64{long.ID, 999, short.ID}, utf8.RuneCountInString(st))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]DocText{}
	for _, d := range got {
		byID[d.ID] = d
	}
	if len(got) != 2 {
		t.Fatalf("%d texts, want 2 (999 does not exist): %+v", len(got), got)
	}
	if d := byID[short.ID]; !d.Whole || d.Text != st || d.Name != short.Name {
		t.Errorf("short: %+v", d)
	}
	if d := byID[long.ID]; d.Whole || d.Text != "" || len(lt) <= len(st) || d.Name != long.Name {
		t.Errorf("long: %+v", d)
	}
}
