package coding

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/transcripts/synth"
)

func TestQuoteID(t *testing.T) {
	// Expected values computed outside Go: the first five bytes of
	// SHA-256("guid:start:end") in Crockford base 32.
	const guid = "6f1c2a9e-0b7d-4c1e-9a55-3e2f8d7c6b10"
	tests := []struct {
		guid       string
		start, end int
		want       string
	}{
		{guid, 10, 42, "Q-SWDMWB7B"},
		{guid, 10, 43, "Q-2XK9JQ5N"},
		// NVivo writes GUIDs upper-case, some producers in braces: the
		// same document, the same id.
		{strings.ToUpper(guid), 10, 42, "Q-SWDMWB7B"},
		{"{" + guid + "}", 10, 42, "Q-SWDMWB7B"},
	}
	for _, tt := range tests {
		if got := QuoteID(tt.guid, tt.start, tt.end); got != tt.want {
			t.Errorf("QuoteID(%q, %d, %d) = %s, want %s", tt.guid, tt.start, tt.end, got, tt.want)
		}
	}
}

func TestParseQuoteID(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Q-SWDMWB7B", "Q-SWDMWB7B", true},
		{" q-swdmwb7b ", "Q-SWDMWB7B", true},
		{"Q-2XK9JQ5N", "Q-2XK9JQ5N", true},
		{"Q-OI1L0000", "Q-01110000", true},            // O as 0, I and L as 1
		{"Q\u2011SWDMWB7B", "Q-SWDMWB7B", true},       // a non-breaking hyphen, from Word
		{"Q\u2010SWDM\u00adWB7B", "Q-SWDMWB7B", true}, // a typographic hyphen and a soft hyphen
		{"Q–SWDMWB7B\u200b", "Q-SWDMWB7B", true},      // an en dash and a zero-width space
		{"SWDMWB7B", "", false},                       // no prefix: a document name
		{"Q-SWDMWB7", "", false},                      // too short
		{"Q-SWDMWB7BB", "", false},                    // too long
		{"Q-SWDMWB7U", "", false},                     // U is not in the alphabet
		{"Q-ЖWDMWB7B", "", false},
		{"R01", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseQuoteID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseQuoteID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFindQuoteAndFilters(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d := importText(t, s, "R07.txt", interview)
	other := importText(t, s, "R08.txt", "---\ngender: male\nage: 41\n---\nInterviewer: And you?\nRespondent: I left in September, after the mobilisation.\n")
	text, err := s.DocumentText(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	span := MatchSpans(text, "I did not want to be under that flywheel.")[0]
	for _, code := range []string{"Fear", "Leaving"} {
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: code, Spans: []Span{span}, Create: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.WithCoder("boris").Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{span}}); err != nil {
		t.Fatal(err)
	}
	wider := MatchSpans(text, "I understood they would come for NGO people first. I did not want")[0]
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{wider}}); err != nil {
		t.Fatal(err)
	}
	otherText, _ := s.DocumentText(ctx, other.ID)
	sept := MatchSpans(otherText, "I left in September")[0]
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R08", Code: "Leaving", Spans: []Span{sept}}); err != nil {
		t.Fatal(err)
	}

	id := QuoteID(d.GUID, span.Start, span.End)
	for _, ref := range []string{id, strings.ToLower(id)} {
		p, err := s.FindQuote(ctx, ref, "")
		if err != nil {
			t.Fatalf("FindQuote(%s): %v", ref, err)
		}
		if p.ID != id || p.Text != "I did not want to be under that flywheel." || p.Document.Name != "R07" || p.Line != 2 {
			t.Errorf("FindQuote(%s) = %s %q in %s line %d; want %s, the flywheel sentence, R07 line 2 (front matter is not stored)", ref, p.ID, p.Text, p.Document.Name, p.Line, id)
		}
		if p.Turn == nil || p.Turn.Speaker != "Respondent" || p.Attribution != "female, 30, NGO activist" {
			t.Errorf("FindQuote(%s): turn %+v, attribution %q; want Respondent, female, 30, NGO activist", ref, p.Turn, p.Attribution)
		}
		var on []string
		for _, c := range p.Codings {
			on = append(on, c.Code+"/"+c.Coder)
		}
		if got := strings.Join(on, " "); got != "Fear/anna Fear/boris Leaving/anna" {
			t.Errorf("FindQuote(%s) codings = %s, want Fear/anna Fear/boris Leaving/anna", ref, got)
		}
		if len(p.Overlapping) != 1 || p.Overlapping[0].Start != wider.Start {
			t.Errorf("FindQuote(%s) overlapping = %+v, want the wider Fear coding", ref, p.Overlapping)
		}
	}
	if _, err := s.FindQuote(ctx, "Q-00000000", ""); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "Q-00000000") {
		t.Errorf("FindQuote(unknown) = %v, want ErrNotFound naming the id", err)
	}
	if _, err := s.FindQuote(ctx, "R07", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("FindQuote(R07) = %v, want ErrInvalid", err)
	}

	// Every quote carries its id; the filters narrow as search's do.
	qs, err := s.Quotes(ctx, []string{"Fear", "Leaving"}, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 5 {
		t.Fatalf("Quotes = %d, want 5", len(qs))
	}
	for _, q := range qs {
		if q.ID != QuoteID(q.DocumentGUID, q.Start, q.End) || q.DocumentGUID == "" {
			t.Errorf("quote %+v: id %s does not derive from its document and span", q, q.ID)
		}
	}
	count := func(opt QuoteOptions) int {
		t.Helper()
		qs, err := s.Quotes(ctx, []string{"Fear", "Leaving"}, opt)
		if err != nil {
			t.Fatalf("Quotes(%+v): %v", opt, err)
		}
		return len(qs)
	}
	for _, tt := range []struct {
		name string
		opt  QuoteOptions
		want int
	}{
		{"coder", QuoteOptions{Coder: "boris"}, 1},
		{"doc", QuoteOptions{Docs: []string{"R08"}}, 1},
		{"two docs", QuoteOptions{Docs: []string{"R08", "R07"}}, 5},
		{"speaker", QuoteOptions{Speaker: "respondent"}, 5},
		{"no such speaker", QuoteOptions{Speaker: "Interviewer"}, 0},
		{"attr", QuoteOptions{Attrs: []string{"gender=Male"}}, 1},
		{"two attrs", QuoteOptions{Attrs: []string{"gender=female", " age = 30 "}}, 4},
		{"attrs that exclude", QuoteOptions{Attrs: []string{"gender=female", "age=41"}}, 0},
	} {
		if got := count(tt.opt); got != tt.want {
			t.Errorf("Quotes with %s filter = %d, want %d", tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{"gender", "=female", ""} {
		if _, err := s.Quotes(ctx, []string{"Fear"}, QuoteOptions{Attrs: []string{bad}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("Quotes(--attr %q) = %v, want ErrInvalid", bad, err)
		}
	}
	// A new version of R07: its codings follow their text into version
	// 2, which --doc R07 means; R07@1 keeps none.
	changed := strings.Replace(interview, "And your mother?", "And your mother, then?", 1)
	if _, err := s.Import(ctx, ImportFile{Path: "R07.txt", Data: []byte(changed)}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		doc  string
		want int
	}{{"R07", 4}, {"r07", 4}, {"R07@1", 0}, {"R07@2", 4}} {
		if got := count(QuoteOptions{Docs: []string{tt.doc}}); got != tt.want {
			t.Errorf("Quotes with --doc %s = %d, want %d", tt.doc, got, tt.want)
		}
	}
	if _, err := s.Quotes(ctx, []string{"Fear"}, QuoteOptions{Docs: []string{"R99"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Quotes(--doc R99) = %v, want ErrNotFound", err)
	}
}

// FuzzParseQuoteID checks that whatever ParseQuoteID accepts is a
// canonical id that parses to itself, and that every QuoteID parses.
func FuzzParseQuoteID(f *testing.F) {
	for _, s := range []string{"Q-SWDMWB7B", "q-oi1l0000", "Q-", "Q-ЖЖЖЖЖЖЖЖ", "R01", "Q-SWDMWB7BX"} {
		f.Add(s, 3, 9)
	}
	f.Fuzz(func(t *testing.T, s string, start, end int) {
		if id, ok := ParseQuoteID(s); ok {
			if again, ok2 := ParseQuoteID(id); !ok2 || again != id || len(id) != 2+QuoteIDLen {
				t.Fatalf("ParseQuoteID(%q) = %q, which parses to %q, %v", s, id, again, ok2)
			}
		}
		id := QuoteID(s, start, end)
		if got, ok := ParseQuoteID(id); !ok || got != id {
			t.Fatalf("QuoteID(%q, %d, %d) = %q does not parse: %q, %v", s, start, end, id, got, ok)
		}
	})
}

// BenchmarkFindQuote looks up a quote id in a project of 100,000 coded
// spans across 100 generated transcripts: every span is hashed, as the
// store keeps no id column.
func BenchmarkFindQuote(b *testing.B) {
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(b.TempDir(), "find.qcode"), Options{Coder: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	files := synth.Generate(synth.Options{Docs: 100, Words: 500_000, Seed: 3})
	for _, f := range files {
		if _, err := s.Import(ctx, ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			b.Fatal(err)
		}
	}
	for n := 0; n < 100_000; n += 1000 {
		spans := make([]Span, 1000)
		for j := range spans {
			st := j * 20
			spans[j] = Span{st, st + 15}
		}
		doc := fmt.Sprintf("T%04d", 1+n/1000)
		if _, _, err := s.Tag(ctx, TagRequest{Doc: doc, Code: "Theme", Spans: spans, Create: true}); err != nil {
			b.Fatal(err)
		}
	}
	d, err := s.Document(ctx, "T0100", false)
	if err != nil {
		b.Fatal(err)
	}
	id := QuoteID(d.GUID, 999*20, 999*20+15)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := s.FindQuote(ctx, id, "")
		if err != nil || p.Start != 999*20 {
			b.Fatalf("FindQuote(%s) = %+v, %v", id, p.Start, err)
		}
	}
}
