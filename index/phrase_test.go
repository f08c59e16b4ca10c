package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// phraseAnswer is what a phrase query found: each passage with its
// score and the positions of the locations it kept, term by term.
func phraseAnswer(t *testing.T, b bleve.Index, q query.Query) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.IncludeLocations = true
	req.SortByCustom(search.SortOrder{&search.SortDocID{}})
	res, err := b.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		var locs []string
		for term, ls := range h.Locations["text"] {
			for _, l := range ls {
				locs = append(locs, fmt.Sprintf("%s@%d:%d-%d", term, l.Pos, l.Start, l.End))
			}
		}
		sort.Strings(locs)
		out = append(out, fmt.Sprintf("%s %.9f %s", h.ID, h.Score, strings.Join(locs, ",")))
	}
	return out
}

// TestPhraseMatchesBleve checks the phrase query against bleve's own on
// every run of two, three and four words of the golden corpus, English
// and Russian, and on phrases that repeat a word or find nothing: the
// same passages, the same scores, the same locations kept.
func TestPhraseMatchesBleve(t *testing.T) {
	s := goldenCorpus(t)
	ix := openIndex(t, s)
	if _, err := ix.Search(context.Background(), Query{Text: "a"}); err != nil {
		t.Fatal(err)
	}
	b := ix.snap.b
	phrases := map[string][]string{}
	for _, lang := range []string{"en", "ru"} {
		for _, sentence := range goldenSentences[lang] {
			terms := analyzeText(sentence)
			for n := 2; n <= 4; n++ {
				for i := 0; i+n <= len(terms); i++ {
					phrases[strings.Join(terms[i:i+n], " ")] = terms[i : i+n]
				}
			}
		}
	}
	for _, extra := range [][]string{{"the", "the"}, {"police", "police"}, {"fear", "nothing", "fear"}, {"не", "не"}, {"police", "came"}, {"zzz", "police"}} {
		phrases[strings.Join(extra, " ")] = extra
	}
	found := 0
	for name, terms := range phrases {
		want := phraseAnswer(t, b, bleve.NewPhraseQuery(terms, "text"))
		got := phraseAnswer(t, b, &phraseQuery{terms: terms, field: "text"})
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\n got %v\nwant %v", name, got, want)
		}
		found += len(want)
	}
	if len(phrases) < 100 || found < 100 {
		t.Fatalf("%d phrases found %d passages: too few to compare", len(phrases), found)
	}
}
