package coding

import (
	"context"
	"reflect"
	"sort"
	"testing"
)

// TestAllCodings: AllCodings gives the same codings as Codings, every
// field filled, in its own order.
func TestAllCodings(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", interview)
	importText(t, s, "R02.txt", "Interviewer: And then?\nRespondent: Then we left.\n")
	tagAs := func(coder, doc, code string, spans ...Span) {
		t.Helper()
		if _, _, err := s.WithCoder(coder).Tag(ctx, TagRequest{Doc: doc, Code: code, Spans: spans, Create: true}); err != nil {
			t.Fatal(err)
		}
	}
	tagAs("anna", "R01", "Reasons/Fear", Span{10, 40}, Span{50, 60})
	tagAs("boris", "R01", "Reasons/Fear", Span{12, 40})
	tagAs("boris", "R02", "Family", Span{0, 5})
	want, err := s.Codings(ctx, CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AllCodings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := func(cs []Coding) { sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID }) }
	byID(want)
	byID(got)
	if len(got) != 4 || !reflect.DeepEqual(got, want) {
		t.Errorf("AllCodings = %+v\nwant %+v", got, want)
	}
	if got[0].Code != "Reasons/Fear" || got[0].Document != "R01" || got[0].Coder != "anna" || got[0].GUID == "" || got[0].CreatedAt.IsZero() {
		t.Errorf("AllCodings[0] = %+v, want every field filled", got[0])
	}
}
