package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// codebook is the benchmark's codebook: three themes of the study the
// tool was built for, four sub-codes each, fifteen codes in all.
var codebook = map[string][]string{
	"Identity": {"Identity loss", "Language", "Belonging", "Home"},
	"Safety":   {"Fear of repression", "Surveillance", "Border crossing", "Documents"},
	"Ties":     {"Relatives who stayed", "Donations", "Volunteering", "Translocal life"},
}

// importCorpus imports every file of the corpus folder, in name order,
// and returns the ids of the documents.
func importCorpus(ctx context.Context, s *coding.Store, dir string, names []string) ([]int64, error) {
	ids := make([]int64, 0, len(names))
	for _, name := range names {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		res, err := s.Import(ctx, coding.ImportFile{Path: path, Data: data})
		if err != nil {
			return nil, err
		}
		ids = append(ids, res.Document.ID)
	}
	return ids, nil
}

// addCodebook adds the codebook and returns the code paths, parents
// first.
func addCodebook(ctx context.Context, s *coding.Store) ([]string, error) {
	parents := make([]string, 0, len(codebook))
	for p := range codebook {
		parents = append(parents, p)
	}
	sort.Strings(parents)
	var paths []string
	for _, p := range parents {
		if _, _, err := s.AddCode(ctx, coding.NewCode{Path: p}); err != nil {
			return nil, err
		}
		paths = append(paths, p)
		for _, c := range codebook[p] {
			if _, _, err := s.AddCode(ctx, coding.NewCode{Path: p + "/" + c}); err != nil {
				return nil, err
			}
			paths = append(paths, p+"/"+c)
		}
	}
	return paths, nil
}

// tagCorpus spreads about n codings over the documents, as an analyst
// would: mostly sub-codes, on a whole speaker turn or a run of words in
// it, one Tag call (one transaction) per document and code. It returns
// the number of codings made and n filtered queries, each a word inside
// a coded passage with that passage's code or its parent, so that every
// filtered query has a hit.
func tagCorpus(ctx context.Context, s *coding.Store, docs []int64, paths []string, n, nq int, vocabs map[string]*vocab, seed int64) (int, []query, error) {
	r := rand.New(rand.NewSource(seed + 1))
	codes, err := s.Codes(ctx)
	if err != nil {
		return 0, nil, err
	}
	byPath := map[string]coding.Code{}
	for _, c := range codes {
		byPath[c.Path] = c
	}
	var leaves []string
	for _, p := range paths {
		if strings.Contains(p, "/") {
			leaves = append(leaves, p)
		}
	}
	type cand struct {
		code, word, lang string
	}
	var cands []cand
	seenCand := 0
	made := 0
	for i, id := range docs {
		per := n / len(docs)
		if i < n%len(docs) {
			per++
		}
		doc, err := s.DocumentByID(ctx, id, true)
		if err != nil {
			return 0, nil, err
		}
		turns, err := s.Turns(ctx, id)
		if err != nil {
			return 0, nil, err
		}
		if len(turns) == 0 || per == 0 {
			continue
		}
		runes := []rune(doc.Text)
		spans := map[string]map[coding.Span]bool{}
		for j := 0; j < per; j++ {
			t := turns[r.Intn(len(turns))]
			code := leaves[r.Intn(len(leaves))]
			if r.Intn(10) == 0 {
				code = paths[r.Intn(len(paths))]
			}
			sp := wordRun(runes, t.Body, t.End, r)
			if sp.End <= sp.Start {
				continue
			}
			if spans[code] == nil {
				spans[code] = map[coding.Span]bool{}
			}
			spans[code][sp] = true
			// Reservoir of candidates for the filtered queries.
			w := pickWord(string(runes[sp.Start:sp.End]), vocabs[doc.Lang], r)
			if w == "" {
				continue
			}
			filter := code
			if parent, _, ok := strings.Cut(code, "/"); ok && r.Intn(2) == 0 {
				filter = parent // the whole theme, through the code tree
			}
			seenCand++
			c := cand{code: filter, word: w, lang: doc.Lang}
			if len(cands) < nq {
				cands = append(cands, c)
			} else if k := r.Intn(seenCand); k < nq {
				cands[k] = c
			}
		}
		codeNames := make([]string, 0, len(spans))
		for c := range spans {
			codeNames = append(codeNames, c)
		}
		sort.Strings(codeNames)
		for _, c := range codeNames {
			list := make([]coding.Span, 0, len(spans[c]))
			for sp := range spans[c] {
				list = append(list, sp)
			}
			sort.Slice(list, func(a, b int) bool { return list[a].Start < list[b].Start })
			if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: strconv.FormatInt(id, 10), Code: c, Spans: list}); err != nil {
				return 0, nil, fmt.Errorf("tag %s: %w", doc.Name, err)
			}
			made += len(list)
		}
	}
	qs := make([]query, 0, len(cands))
	for _, c := range cands {
		qs = append(qs, query{Kind: kindFiltered, Lang: c.lang, Words: []string{c.word}, Code: c.code,
			CodeIDs: coding.Subtree(codes, byPath[c.code])})
	}
	return made, qs, nil
}

// wordRun returns the span of a whole turn body or, half the time, of a
// run of 5 to 40 words in it, in code points.
func wordRun(runes []rune, start, end int, r *rand.Rand) coding.Span {
	for end > start && unicode.IsSpace(runes[end-1]) {
		end--
	}
	if r.Intn(2) == 0 {
		return coding.Span{Start: start, End: end}
	}
	var starts []int
	for i := start; i < end; i++ {
		if i == start || unicode.IsSpace(runes[i-1]) && !unicode.IsSpace(runes[i]) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return coding.Span{Start: start, End: end}
	}
	a := r.Intn(len(starts))
	b := a + 5 + r.Intn(36)
	if b >= len(starts) {
		return coding.Span{Start: starts[a], End: end}
	}
	e := starts[b]
	for e > starts[a] && unicode.IsSpace(runes[e-1]) {
		e--
	}
	return coding.Span{Start: starts[a], End: e}
}

// pickWord returns a word of text in the query rank range, else any word
// that is not a function word, else "".
func pickWord(text string, v *vocab, r *rand.Rand) string {
	if v == nil {
		return ""
	}
	lo, hi := v.ranks()
	var inRange, other []string
	for _, tok := range strings.Fields(text) {
		w := wordOf(tok)
		rank, ok := v.rank[w]
		switch {
		case w == "" || !ok:
		case rank >= lo && rank <= hi:
			inRange = append(inRange, w)
		case rank >= lo:
			other = append(other, w)
		}
	}
	if len(inRange) > 0 {
		return inRange[r.Intn(len(inRange))]
	}
	if len(other) > 0 {
		return other[r.Intn(len(other))]
	}
	return ""
}

// dirSize is the apparent size of the files under dir, and the number of
// bleve segment files among them.
func dirSize(dir string) (bytes int64, segments int, err error) {
	err = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // a segment merged away while we walked
			}
			return err
		}
		if info.Mode().IsRegular() {
			bytes += info.Size()
			if strings.HasSuffix(path, ".zap") {
				segments++
			}
		}
		return nil
	})
	return bytes, segments, err
}

// settle waits until the index folder stops changing (scorch merges
// segments in the background after the last batch), polling every
// 250 ms for at most limit, and returns when it last saw a change.
func settle(ctx context.Context, dir string, limit time.Duration) (time.Duration, error) {
	t0 := time.Now()
	changed := t0
	var lastBytes int64
	lastSegs, stable := -1, 0
	for time.Since(t0) < limit {
		b, n, err := dirSize(dir)
		if err != nil {
			return 0, err
		}
		if b == lastBytes && n == lastSegs {
			stable++
			if stable == 4 {
				return changed.Sub(t0), nil
			}
		} else {
			stable, changed = 0, time.Now()
		}
		lastBytes, lastSegs = b, n
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return time.Since(t0), nil
}
