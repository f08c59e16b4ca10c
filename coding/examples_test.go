package coding

import (
	"strconv"
	"strings"
	"testing"
)

// TestPickExamples checks the choice of examples: one per document
// first, then the rest in order, returned in document order.
func TestPickExamples(t *testing.T) {
	q := func(doc string, id int64) Quote { return Quote{Document: doc, CodingID: id} }
	in := []Quote{q("R01", 1), q("R01", 2), q("R01", 3), q("R02", 4), q("R03", 5), q("R03", 6)}
	tests := []struct {
		n    int
		want string
	}{
		{0, ""},
		{1, "1"},
		{2, "1 4"},
		{3, "1 4 5"},
		{4, "1 2 4 5"},
		{5, "1 2 3 4 5"},
		{9, "1 2 3 4 5 6"},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range PickExamples(in, tt.n) {
			got = append(got, strconv.FormatInt(p.CodingID, 10))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("PickExamples(n=%d) = %q, want %q", tt.n, g, tt.want)
		}
	}
}
