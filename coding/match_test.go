package coding

import (
	"reflect"
	"testing"
)

func TestMatchSpansFolds(t *testing.T) {
	const text = "I didn’t go. “They’ll come”, he said — «ещё» — and left. Ёлка. Case: Didn't."
	tests := []struct {
		needle string
		want   []string
	}{
		{"didn't", []string{"didn’t"}},
		{"didn’t", []string{"didn’t"}},
		{"didn‘t", []string{"didn’t"}},
		{`"They'll come"`, []string{"“They’ll come”"}},
		{"said - \"еще\" - and", []string{"said — «ещё» — and"}},
		{"said – «ещё» – and", []string{"said — «ещё» — and"}},
		{"Елка", []string{"Ёлка"}},
		{"елка", nil},                  // case still counts
		{"Didn't", []string{"Didn't"}}, // and only the capital one
		{"didnt", nil},                 // the apostrophe is not dropped
		{"I didn’t go.", []string{"I didn’t go."}},
	}
	for _, tc := range tests {
		var got []string
		for _, sp := range MatchSpans(text, tc.needle) {
			got = append(got, Slice(text, sp.Start, sp.End))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("MatchSpans(%q) = %q, want %q", tc.needle, got, tc.want)
		}
	}
	// Offsets are code points of the text as stored.
	if sp := MatchSpans(text, "ещё"); len(sp) != 1 || sp[0] != (Span{40, 43}) || Slice(text, 40, 43) != "ещё" {
		t.Errorf("MatchSpans(ещё) = %v, want [40:43]", sp)
	}
}
