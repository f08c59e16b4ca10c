package coding

import (
	"context"
	"fmt"
	"testing"
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
