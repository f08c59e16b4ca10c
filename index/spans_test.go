package index

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// TestSpansOf checks the spans search hits give to code at each scope:
// in the order of the hits, each span of a document once, with its text,
// grouped by document for the store.
func TestSpansOf(t *testing.T) {
	s := newProject(t, map[string]string{
		"R1.txt": "Q: Why did you leave?\nA: Because of the war. The war took my job.\nThen\nthe war came home.\n",
		"R2.txt": "Q: And you?\nA: The war, again. Nothing else.\n",
	})
	ix := openIndex(t, s)
	ctx := context.Background()
	res := find(t, ix, Query{Text: "war"})
	if len(res.Hits) != 2 {
		t.Fatalf("%d hits, want one passage in each document", len(res.Hits))
	}
	tests := []struct {
		scope string
		want  map[string][]string // document → texts, in order
	}{
		{ScopeMatch, map[string][]string{"R1": {"war", "war", "war"}, "R2": {"war"}}},
		{ScopeSentence, map[string][]string{
			"R1": {"Because of the war.", "The war took my job.", "Then\nthe war came home."},
			"R2": {"The war, again."},
		}},
		{ScopeTurn, map[string][]string{
			"R1": {"Because of the war. The war took my job.\nThen\nthe war came home."},
			"R2": {"The war, again. Nothing else."},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.scope, func(t *testing.T) {
			spans, err := SpansOf(ctx, s, res.Hits, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, sp := range spans {
				text, err := s.DocumentText(ctx, sp.DocID)
				if err != nil {
					t.Fatal(err)
				}
				if sp.Text != coding.Slice(text, sp.Start, sp.End) {
					t.Errorf("span %v has text %q, the document %q", sp.Span, sp.Text, coding.Slice(text, sp.Start, sp.End))
				}
				got[sp.Document] = append(got[sp.Document], sp.Text)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("SpansOf(%s) = %q, want %q", tc.scope, got, tc.want)
			}
			// Grouped for the store: one entry per document, in the
			// order the hits name them, the same spans.
			items := ByDocument(spans)
			if len(items) != 2 || items[0].DocID != res.Hits[0].DocID || items[1].DocID != res.Hits[1].DocID {
				t.Fatalf("ByDocument = %+v, want the hits' two documents in order", items)
			}
			n := 0
			for _, it := range items {
				n += len(it.Spans)
			}
			if n != len(spans) {
				t.Errorf("ByDocument holds %d spans, SpansOf gave %d", n, len(spans))
			}
		})
	}
	// The same hits twice give each span once.
	twice := append(append([]Hit(nil), res.Hits...), res.Hits...)
	once, err := SpansOf(ctx, s, res.Hits, ScopeSentence)
	if err != nil {
		t.Fatal(err)
	}
	again, err := SpansOf(ctx, s, twice, ScopeSentence)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(once, again) {
		t.Errorf("hits given twice: %d spans, once: %d", len(again), len(once))
	}
	// A hit on a document that is gone is an error naming it.
	gone := res.Hits[0]
	gone.DocID, gone.Document = 999, "R9"
	if _, err := SpansOf(ctx, s, []Hit{gone}, ScopeSentence); err == nil || !strings.Contains(err.Error(), "R9") {
		t.Errorf("SpansOf on a missing document: %v, want an error naming R9", err)
	}
}
