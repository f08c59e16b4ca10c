package index

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// expectedHit remakes a hit's place, speaker, turn, time, line, fragment
// and codes the slow way, from the whole document in the store: its
// passages split again, its turns and the codings overlapping the
// passage. Hits are made from fields stored in the index instead; both
// must agree.
func expectedHit(t *testing.T, ctx context.Context, s *coding.Store, h Hit) Hit {
	t.Helper()
	text, err := s.DocumentText(ctx, h.DocID)
	if err != nil {
		t.Fatal(err)
	}
	turns, err := s.Turns(ctx, h.DocID)
	if err != nil {
		t.Fatal(err)
	}
	var p *passage
	for _, q := range splitPassages(text, turns) {
		if q.Start == h.Passage.Start {
			p = &q
			break
		}
	}
	if p == nil {
		t.Fatalf("%s: no passage starts at %d", h.Document, h.Passage.Start)
	}
	want := h
	want.Speaker, want.Turn, want.Passage, want.Time = p.Speaker, p.Turn, coding.Span{Start: p.Start, End: p.End}, ""
	if p.Turn > 0 && p.Turn <= len(turns) && turns[p.Turn-1].Time != nil {
		want.Time = coding.FormatClock(*turns[p.Turn-1].Time)
	}
	want.Line = 1
	cp := 0
	for _, r := range text {
		if cp >= h.Start {
			break
		}
		if r == '\n' {
			want.Line++
		}
		cp++
	}
	want.Fragment, want.Highlights = fragment(*p, h.Start, h.Matches)
	codings, err := s.Codings(ctx, coding.CodingFilter{DocID: h.DocID, Overlapping: want.Passage})
	if err != nil {
		t.Fatal(err)
	}
	want.Codes = []string{}
	for _, c := range codings {
		want.Codes = appendOnce(want.Codes, c.Code)
	}
	return want
}

// TestHitsAgreeWithStore checks every field of every hit, for queries of
// each kind on the golden corpus and a subtitle file with times and
// multi-line turns, against the store: with hits cut from whole
// documents, and from passages read alone (as for documents over
// wholeDocMax).
func TestHitsAgreeWithStore(t *testing.T) {
	for _, limit := range []int{wholeDocMax, 0} {
		t.Run(fmt.Sprintf("whole documents up to %d bytes", limit), func(t *testing.T) {
			old := wholeDocMax
			wholeDocMax = limit
			defer func() { wholeDocMax = old }()
			hitsAgreeWithStore(t)
		})
	}
}

func hitsAgreeWithStore(t *testing.T) {
	ctx := context.Background()
	s := goldenCorpus(t)
	vtt := "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nAnna: the police came at night\n\n00:01:05.000 --> 00:01:09.000\nBoris: fear, then smoke\nand the smell of it\n\n01:02:03.000 --> 01:02:05.000\nAnna: полиция и страх\n"
	if _, err := s.Import(ctx, coding.ImportFile{Path: "night.vtt", Data: []byte(vtt)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "night", Code: "Fear/Night", Create: true, Spans: []coding.Span{{Start: 10, End: 40}}}); err != nil {
		t.Fatal(err)
	}
	ix, _, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	queries := []Query{
		{Text: "fear"}, {Text: "police OR полиция"}, {Text: `"the smell"`}, {Text: "smok*"},
		{Text: "страх"}, {Text: "polize~1"}, {Text: "fear", Rank: true}, {Text: "night", Limit: 1},
		{Codes: []string{"Fear"}}, {Text: "smell", Speaker: "Boris"},
	}
	seen := map[string]bool{}
	for _, q := range queries {
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%+v: no hits", q)
		}
		for _, h := range res.Hits {
			want := expectedHit(t, ctx, s, h)
			if !reflect.DeepEqual(h, want) {
				t.Errorf("%+v in %s at %d:\n got %+v\nwant %+v", q, h.Document, h.Start, h, want)
			}
			if h.Time != "" {
				seen["time"] = true
			}
			if len(h.Codes) > 0 {
				seen["codes"] = true
			}
			if h.Line > 1 {
				seen["line"] = true
			}
			if h.Speaker != "" {
				seen["speaker"] = true
			}
			if !utf8.ValidString(h.Fragment) {
				t.Errorf("%s: fragment not UTF-8", h.Document)
			}
		}
	}
	for _, k := range []string{"time", "codes", "line", "speaker"} {
		if !seen[k] {
			t.Errorf("no hit had a %s: the test checks nothing there", k)
		}
	}
}

// TestPatternHighlights checks the places of prefix, wildcard and fuzzy
// matches, which are found again in the passage (the raw field keeps no
// positions): every match is a word the pattern matches, every hit has
// one.
func TestPatternHighlights(t *testing.T) {
	ctx := context.Background()
	s := goldenCorpus(t)
	ix, _, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		query string
		want  func(word string) bool
	}{
		{"mobili*", func(w string) bool { return strings.HasPrefix(strings.ToLower(w), "mobili") }},
		{"mob*tion", func(w string) bool {
			w = strings.ToLower(w)
			return strings.HasPrefix(w, "mob") && strings.HasSuffix(w, "tion")
		}},
		{"мобилиз*", func(w string) bool { return strings.HasPrefix(strings.ToLower(w), "мобилиз") }},
		{"polise~1", func(w string) bool { return strings.EqualFold(w, "police") }},
		{"fear -smok*", func(w string) bool { return !strings.HasPrefix(strings.ToLower(w), "smok") }},
		{`"foreign agent" AND NOT (mobiliz* OR polic~1)`, func(w string) bool { return strings.EqualFold(w, "foreign agent") }},
	}
	for _, tt := range tests {
		res, err := ix.Search(ctx, Query{Text: tt.query})
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", tt.query)
		}
		for _, h := range res.Hits {
			text, err := s.DocumentText(ctx, h.DocID)
			if err != nil {
				t.Fatal(err)
			}
			runes := []rune(text)
			if len(h.Matches) == 0 {
				t.Errorf("%s: hit in %s at %d has no match", tt.query, h.Document, h.Passage.Start)
			}
			for _, m := range h.Matches {
				if w := string(runes[m.Start:m.End]); !tt.want(w) {
					t.Errorf("%s: %s marks %q", tt.query, h.Document, w)
				}
			}
		}
	}
}

// TestKeptOpenIndexFollowsChanges searches with one index kept open, as
// the workbench does, across a rename of a document and of a code and a
// new coding: each search after a change shows it.
func TestKeptOpenIndexFollowsChanges(t *testing.T) {
	ctx := context.Background()
	s := goldenCorpus(t)
	ix, _, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	first := func(q Query) Hit {
		t.Helper()
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%+v: no hits", q)
		}
		return res.Hits[0]
	}
	h := first(Query{Text: "lawyer"})
	if _, err := s.RenameDocument(ctx, h.Document, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if got := first(Query{Text: "lawyer", Docs: []string{"Renamed"}}); got.Document != "Renamed" || got.Passage != h.Passage {
		t.Errorf("after the rename the hit is in %q at %v, want Renamed at %v", got.Document, got.Passage, h.Passage)
	}
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "Renamed", Code: "Lawyers", Create: true, Spans: []coding.Span{h.Passage}}); err != nil {
		t.Fatal(err)
	}
	got := first(Query{Text: "lawyer", Codes: []string{"Lawyers"}})
	if got.Document != "Renamed" {
		t.Errorf("the coded hit is in %q, want Renamed", got.Document)
	}
	if !contains(got.Codes, "Lawyers") {
		t.Errorf("after coding, the hit's codes are %v, want Lawyers among them", got.Codes)
	}
	if _, err := s.RenameCode(ctx, "Lawyers", "Legal"); err != nil {
		t.Fatal(err)
	}
	if got := first(Query{Text: "lawyer", Codes: []string{"Legal"}}); !contains(got.Codes, "Legal") {
		t.Errorf("after renaming the code, the hit's codes are %v, want Legal among them", got.Codes)
	}
}
