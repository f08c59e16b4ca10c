package coding

import (
	"context"
	"fmt"
	"sort"
)

// ExampleOptions choose the quotes Examples picks from.
type ExampleOptions struct {
	// Coder keeps one coder's codings.
	Coder string
	// Cite is the attribution template; "" uses the project's setting.
	Cite string
	// AllVersions takes in the codings on documents' earlier versions.
	AllVersions bool
}

// Examples picks up to n of the code's own quotes (not its sub-codes'),
// as a codebook or a report shows them: first one from each document in
// document order, then further ones in that order; the picked quotes
// come back in document order. The same project gives the same examples.
func (s *Store) Examples(ctx context.Context, code Code, n int, opt ExampleOptions) ([]Quote, error) {
	if n <= 0 {
		return nil, nil
	}
	quotes, err := s.Quotes(ctx, []string{code.Path}, QuoteOptions{NoSubcodes: true, Coder: opt.Coder, Cite: opt.Cite, AllVersions: opt.AllVersions})
	if err != nil {
		return nil, fmt.Errorf("examples of %s: %w", code.Path, err)
	}
	return PickExamples(quotes, n), nil
}

// PickExamples chooses up to n of quotes (in document order): first one
// from each document, then further ones in order, and returns them in
// document order.
func PickExamples(quotes []Quote, n int) []Quote {
	var picked []int
	taken := map[int]bool{}
	seenDoc := map[string]bool{}
	for i, q := range quotes {
		if len(picked) < n && !seenDoc[q.Document] {
			seenDoc[q.Document] = true
			taken[i] = true
			picked = append(picked, i)
		}
	}
	for i := range quotes {
		if len(picked) < n && !taken[i] {
			picked = append(picked, i)
		}
	}
	sort.Ints(picked)
	out := make([]Quote, len(picked))
	for k, i := range picked {
		out[k] = quotes[i]
	}
	return out
}
