package coding

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestSamePassage(t *testing.T) {
	tests := []struct {
		name           string
		s1, e1, s2, e2 int
		want           bool
	}{
		{"identical", 10, 50, 10, 50, true},
		{"inside", 10, 50, 20, 30, true},
		{"around", 20, 30, 10, 50, true},
		{"other edges, mostly shared", 10, 50, 14, 56, true},
		{"half of the shorter", 0, 10, 5, 30, true},
		{"a word at the edge", 0, 40, 35, 80, false},
		{"touching", 0, 10, 10, 20, false},
		{"apart", 0, 10, 20, 30, false},
	}
	for _, tt := range tests {
		if got := samePassage(tt.s1, tt.e1, tt.s2, tt.e2); got != tt.want {
			t.Errorf("%s: samePassage(%d:%d, %d:%d) = %v, want %v", tt.name, tt.s1, tt.e1, tt.s2, tt.e2, got, tt.want)
		}
	}
}

// One coder who coded one sentence twice with one code, the second time
// from a word earlier to a few words short, gets one quote over both
// spans; another coder's coding of it,
// another code's, and a neighbouring sentence's stay quotes of their own.
// The joined quote's id finds it with 'show', and its memos are both.
func TestQuotesJoinOverlappingCodings(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d := importText(t, s, "R07.txt", interview)
	text, err := s.DocumentText(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	sentence := MatchSpans(text, "I did not want to be under that flywheel.")[0]
	wider := MatchSpans(text, "first. I did not want to be under")[0]
	before := MatchSpans(text, "I understood they would come for NGO people first.")[0]
	tag := func(s *Store, code string, sp Span) Coding {
		t.Helper()
		cs, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: code, Spans: []Span{sp}, Create: true})
		if err != nil || len(cs) != 1 {
			t.Fatalf("tag %s %v: %v, %v", code, sp, cs, err)
		}
		return cs[0]
	}
	first := tag(s, "Fear", sentence)
	second := tag(s, "Fear", wider)
	tag(s, "Fear", before)
	tag(s, "Leaving", sentence)
	tag(s.WithCoder("boris"), "Fear", sentence)
	for i, c := range []Coding{first, second} {
		if _, _, err := s.AddMemo(ctx, TargetCoding, strconv.FormatInt(c.ID, 10), []string{"first memo", "second memo"}[i]); err != nil {
			t.Fatal(err)
		}
	}

	qs, err := s.Quotes(ctx, []string{"Fear", "Leaving"}, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var joined Quote
	for _, q := range qs {
		got = append(got, q.Code+"/"+q.Coder+" "+q.Text)
		if q.Code == "Fear" && q.Coder == "anna" && q.Start == wider.Start {
			joined = q
		}
	}
	want := []string{
		"Fear/anna I understood they would come for NGO people first.",
		"Fear/anna first. I did not want to be under that flywheel.",
		"Fear/boris I did not want to be under that flywheel.",
		"Leaving/anna I did not want to be under that flywheel.",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("quotes:\n%s\nwant (in any order):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if joined.Start != wider.Start || joined.End != sentence.End || joined.Memo != "first memo\nsecond memo" {
		t.Errorf("joined quote %d:%d memo %q, want %d:%d with both memos", joined.Start, joined.End, joined.Memo, wider.Start, sentence.End)
	}
	p, err := s.FindQuote(ctx, joined.ID, "")
	if err != nil {
		t.Fatalf("FindQuote(%s) of the joined quote: %v", joined.ID, err)
	}
	if p.Start != joined.Start || p.End != joined.End || len(p.Codings) != 4 {
		t.Errorf("FindQuote(%s) = %d:%d with %d codings, want %d:%d with the four inside it", joined.ID, p.Start, p.End, len(p.Codings), joined.Start, joined.End)
	}
}

// A mistyped quote id finds the project's nearest ids; one far from all
// finds none.
func TestNearestQuoteIDs(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d := importText(t, s, "R07.txt", interview)
	text, _ := s.DocumentText(ctx, d.ID)
	sp := MatchSpans(text, "I did not want to be under that flywheel.")[0]
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{sp}, Create: true}); err != nil {
		t.Fatal(err)
	}
	id := QuoteID(d.GUID, sp.Start, sp.End)
	swapped := id[:4] + string(id[5]) + string(id[4]) + id[6:]
	tests := []struct {
		name, typed string
		want        []string
	}{
		{"one short", id[:len(id)-1], []string{id}},
		{"one extra", id + "X", []string{id}},
		{"two swapped", swapped, []string{id}},
		{"lower case", strings.ToLower(id[:len(id)-1]), []string{id}},
		{"far", "Q-ZZZZ", nil},
	}
	for _, tt := range tests {
		got, err := s.NearestQuoteIDs(ctx, tt.typed)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: NearestQuoteIDs(%q) = %q, want %q", tt.name, tt.typed, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want bool
	}{{"Q-FCWF90A", true}, {"q‑fcwf90ab", true}, {"Q-AB", false}, {"R01", false}, {"Q-R01 Anna", false}} {
		if got := LooksLikeQuoteID(tt.in); got != tt.want {
			t.Errorf("LooksLikeQuoteID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, err := s.FindQuote(ctx, id[:len(id)-1]+"0", ""); !errors.Is(err, ErrNotFound) && id[len(id)-1] != '0' {
		t.Errorf("FindQuote of a mistyped id = %v, want ErrNotFound", err)
	}
}
