package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/qcode-dev/qcode/coding"
)

// oneSegmentProject makes a project of 60 interviews, indexed at once:
// one segment.
func oneSegmentProject(t *testing.T) (*coding.Store, *Index) {
	t.Helper()
	files := map[string]string{}
	for i := 0; i < 60; i++ {
		var b strings.Builder
		for k := 0; k < 6; k++ {
			fmt.Fprintf(&b, "I: What did you fear in week %d?\nR%d: The police came, we feared the police and the draft. Страх перед полицией %d.\n\n", k, i, k)
		}
		files[fmt.Sprintf("M%02d.txt", i)] = b.String()
	}
	s := newProject(t, files)
	return s, openIndex(t, s)
}

// segmentedProject makes a project whose index has several segments:
// a first build, then codings (passages indexed again, in a segment of
// their own) and documents whose names sort before the first ones.
func segmentedProject(t *testing.T) (*coding.Store, *Index) {
	t.Helper()
	ctx := context.Background()
	s, ix := oneSegmentProject(t)
	docs, err := s.Documents(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		if i%7 != 3 {
			continue
		}
		if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: d.Name, Code: "Fear", Create: true,
			Spans: []coding.Span{{Start: 10, End: 40}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("A%02d.txt", i)
		if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: []byte("I: And the police?\nR: The police, always the police.\n")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return s, ix
}

// bleveOrder is what bleve's own sort gives: the passage ids of every
// hit of q, sorted by order key and then id.
func bleveOrder(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	bq, _, err := ix.buildQuery(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(bq, 100000, 0, false)
	req.SortByCustom(search.SortOrder{&search.SortField{Field: "order"}, &search.SortDocID{}})
	res, err := ix.snap.b.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func hitIDs(res Result) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, passageID(h.DocID, h.Passage.Start))
	}
	return ids
}

func segmentFiles(t *testing.T, ix *Index) (zaps, ranks []string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(ix.snap.path, "store"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch {
		case strings.HasSuffix(e.Name(), ".zap"):
			zaps = append(zaps, filepath.Join(ix.snap.path, "store", e.Name()))
		case strings.HasSuffix(e.Name(), ".zap"+rankSuffix):
			ranks = append(ranks, filepath.Join(ix.snap.path, "store", e.Name()))
		}
	}
	return zaps, ranks
}

var orderQueries = []Query{
	{Text: "police"},
	{Text: "feared"},
	{Text: "полиция"},
	{Text: "polic*"},
	{Text: `"the draft"`},
	{Text: "police", Codes: []string{"Fear"}},
	{Text: "week NOT police"},
}

// checkOrder compares the hits of queries, at several limits, with
// bleve's own sort.
func checkOrder(t *testing.T, ix *Index, queries []Query, name string) {
	t.Helper()
	for _, q := range queries {
		want := bleveOrder(t, ix, q)
		for _, limit := range []int{1, 3, 20, 0} {
			q.Limit = limit
			res := find(t, ix, q)
			if int(res.Total) != len(want) {
				t.Errorf("%s: %q: total %d, bleve finds %d", name, q.Text, res.Total, len(want))
			}
			w := want
			if limit > 0 && limit < len(w) {
				w = w[:limit]
			}
			if got := hitIDs(res); strings.Join(got, " ") != strings.Join(w, " ") {
				t.Errorf("%s: %q limit %d:\n got %v\nwant %v", name, q.Text, limit, got, w)
			}
		}
	}
}

// TestDocumentOrderOneSegment checks the first hits in document order
// against bleve's own sort on an index of one segment, ordered by its
// rank table alone.
func TestDocumentOrderOneSegment(t *testing.T) {
	_, ix := oneSegmentProject(t)
	zaps, ranks := segmentFiles(t, ix)
	if len(zaps) != 1 || len(ranks) != 1 {
		t.Fatalf("%d segments, %d rank tables; the test needs one of each", len(zaps), len(ranks))
	}
	var qs []Query
	for _, q := range orderQueries {
		if len(q.Codes) == 0 { // nothing is coded yet
			qs = append(qs, q)
		}
	}
	checkOrder(t, ix, qs, "one segment")
	if !ix.snap.ranks[zaps[0]].ok() {
		t.Fatal("the rank table was not used")
	}
}

// TestDocumentOrderAcrossSegments checks the first hits in document
// order against bleve's own sort, on an index of several segments,
// with rank tables, without them and with damaged ones.
func TestDocumentOrderAcrossSegments(t *testing.T) {
	_, ix := segmentedProject(t)
	queries := orderQueries
	zaps, ranks := segmentFiles(t, ix)
	if len(zaps) < 2 {
		t.Fatalf("the index has %d segments; the test needs several", len(zaps))
	}
	if len(ranks) != len(zaps) {
		t.Fatalf("%d segments and %d rank tables: %v %v", len(zaps), len(ranks), zaps, ranks)
	}
	check := func(name string) { checkOrder(t, ix, queries, name) }
	check("rank tables")
	used := 0
	for _, z := range zaps {
		if ix.snap.ranks[z].ok() {
			used++
		}
	}
	if used != len(zaps) {
		t.Fatalf("%d of %d rank tables were read and used", used, len(zaps))
	}

	// A damaged table is not used: the segment's keys are read instead.
	raw, err := os.ReadFile(ranks[0])
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 0xff
	if err := os.WriteFile(ranks[0], raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, r := range ranks[1:] {
		os.Remove(r)
	}
	ix.snap.ranks = nil
	check("damaged and missing tables")
	for _, z := range zaps {
		if ix.snap.ranks[z].ok() {
			t.Errorf("%s: a damaged or missing table was used", z)
		}
	}
}
