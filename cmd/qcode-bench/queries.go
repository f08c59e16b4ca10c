package main

import (
	"math"
	"math/rand"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/index"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// Query kinds, in the order the report lists them.
const (
	kindTerm     = "term"
	kindPhrase   = "phrase"
	kindPrefix   = "prefix"
	kindTwoWord  = "two-word"
	kindFiltered = "filtered"
)

var kinds = []string{kindTerm, kindPhrase, kindPrefix, kindTwoWord, kindFiltered}

// query is one search, in a form every engine can be given.
type query struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	// Words are the words of the query: one term, the two words of a
	// phrase or a two-word query, or the prefix (without the star).
	Words []string `json:"words"`
	// Code is the path of the code a filtered query keeps, and CodeIDs
	// the ids of it and its sub-codes (for FTS5).
	Code    string  `json:"code,omitempty"`
	CodeIDs []int64 `json:"code_ids,omitempty"`
}

// text is the query in qcode's query language, as a user types it; two
// words are asked for with OR, as rg and FTS5 are.
func (q query) text() string {
	switch q.Kind {
	case kindPhrase:
		return `"` + q.Words[0] + " " + q.Words[1] + `"`
	case kindPrefix:
		return q.Words[0] + "*"
	case kindTwoWord:
		return q.Words[0] + " OR " + q.Words[1]
	}
	return q.Words[0]
}

// engine is the query for index.Search.
func (q query) engine(rank bool) index.Query {
	iq := index.Query{Text: q.text(), Limit: resultLimit, Rank: rank}
	if q.Code != "" {
		iq.Codes = []string{q.Code}
	}
	return iq
}

// command is the argument list of 'qcode search' after the project flag.
func (q query) command(rank bool) []string {
	args := []string{"search", q.text(), "--limit", strconv.Itoa(resultLimit)}
	if q.Code != "" {
		args = append(args, "--code", q.Code)
	}
	if rank {
		args = append(args, "--rank")
	}
	return args
}

// ripgrep is the argument list of rg before the corpus folder: fixed
// strings, case-insensitive, for terms and phrases; a word-start regex for
// a prefix. rg cannot filter by code, so a filtered query runs as its term.
func (q query) ripgrep() []string {
	args := []string{"--no-config", "--count", "--ignore-case", "--no-messages"}
	switch q.Kind {
	case kindPhrase:
		return append(args, "--fixed-strings", "--", q.Words[0]+" "+q.Words[1])
	case kindPrefix:
		return append(args, "--", `\b`+regexp.QuoteMeta(q.Words[0])+`\w*`)
	case kindTwoWord:
		return append(args, "--fixed-strings", "-e", q.Words[0], "-e", q.Words[1])
	}
	return append(args, "--fixed-strings", "--", q.Words[0])
}

// fts5 is the query as an FTS5 MATCH expression.
func (q query) fts5() string {
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	switch q.Kind {
	case kindPhrase:
		return quote(q.Words[0] + " " + q.Words[1])
	case kindPrefix:
		return quote(q.Words[0]) + " *"
	case kindTwoWord:
		return quote(q.Words[0]) + " OR " + quote(q.Words[1])
	}
	return quote(q.Words[0])
}

// resultLimit is the number of hits every engine is asked for: a screen.
const resultLimit = 20

// Term ranks the queries draw from: frequent enough to be searched for,
// below the function words.
const (
	minRank = 50
	maxRank = 2000
)

// vocab is what the query picker knows of one language of the corpus.
type vocab struct {
	words []string       // by frequency, most frequent first
	rank  map[string]int // word → index in words
	count map[string]int
}

func (v *vocab) add(w string) {
	if v.count == nil {
		v.count = map[string]int{}
	}
	v.count[w]++
}

func (v *vocab) sort() {
	v.words = v.words[:0]
	for w := range v.count {
		v.words = append(v.words, w)
	}
	sort.Slice(v.words, func(i, j int) bool {
		a, b := v.words[i], v.words[j]
		if v.count[a] != v.count[b] {
			return v.count[a] > v.count[b]
		}
		return a < b
	})
	v.rank = make(map[string]int, len(v.words))
	for i, w := range v.words {
		v.rank[w] = i
	}
}

// ranks returns the range of ranks queries draw from, narrowed for a
// small corpus.
func (v *vocab) ranks() (lo, hi int) {
	hi = min(maxRank, len(v.words)-1)
	lo = min(minRank, hi/2)
	return lo, hi
}

// pick draws a word with a log-uniform rank in the query range, so that
// frequent and rarer words are both represented, avoiding repeats while
// it can.
func (v *vocab) pick(r *rand.Rand, seen map[string]bool, ok func(string) bool) string {
	lo, hi := v.ranks()
	var w string
	for try := 0; try < 200; try++ {
		x := math.Exp(math.Log(float64(lo+1)) + r.Float64()*(math.Log(float64(hi+1))-math.Log(float64(lo+1))))
		w = v.words[min(int(x)-1, len(v.words)-1)]
		if (ok == nil || ok(w)) && !seen[w] {
			break
		}
	}
	seen[w] = true
	return w
}

// corpusWords is the result of reading the generated corpus once.
type corpusWords struct {
	vocab   map[string]*vocab // by language
	phrases map[string][][2]string
}

// turnBody returns the text of a turn line after its "[hh:mm:ss] Speaker: "
// label, or false for a line that is no turn.
func turnBody(line string) (string, bool) {
	if !strings.HasPrefix(line, "[") {
		return "", false
	}
	_, body, ok := strings.Cut(line, ": ")
	return body, ok
}

// readCorpus counts the words of every turn and keeps, per language, a
// uniform sample of share[lang] adjacent word pairs (separated by one
// space, so they are a phrase in every engine) of which at least one word
// is not a function word.
func readCorpus(files []synth.File, n int, r *rand.Rand) (corpusWords, map[string]int) {
	cw := corpusWords{vocab: map[string]*vocab{}, phrases: map[string][][2]string{}}
	bodies := func(f synth.File, fn func(body string)) {
		for _, line := range strings.Split(string(f.Data), "\n") {
			if body, ok := turnBody(line); ok {
				fn(body)
			}
		}
	}
	// First pass: the vocabulary, so that function words are known.
	for _, f := range files {
		v := cw.vocab[f.Lang]
		if v == nil {
			v = &vocab{}
			cw.vocab[f.Lang] = v
		}
		bodies(f, func(body string) {
			for _, tok := range strings.Fields(body) {
				if w := wordOf(tok); w != "" {
					v.add(w)
				}
			}
		})
	}
	for _, v := range cw.vocab {
		v.sort()
	}
	share := langShare(n, cw.vocab)
	seen := map[string]int{}
	for _, f := range files {
		v, want := cw.vocab[f.Lang], share[f.Lang]
		bodies(f, func(body string) {
			toks := strings.Split(body, " ")
			for i := 0; i+1 < len(toks); i++ {
				a, b := toks[i], toks[i+1]
				if wordOf(a) != strings.ToLower(a) || wordOf(b) == "" {
					continue // punctuation between them
				}
				a, b = strings.ToLower(a), wordOf(b)
				if v.rank[a] < minRank/2 && v.rank[b] < minRank/2 {
					continue // "and the": nobody searches for that
				}
				// Reservoir sampling: a uniform choice in one pass.
				seen[f.Lang]++
				if len(cw.phrases[f.Lang]) < want {
					cw.phrases[f.Lang] = append(cw.phrases[f.Lang], [2]string{a, b})
				} else if j := r.Intn(seen[f.Lang]); j < want {
					cw.phrases[f.Lang][j] = [2]string{a, b}
				}
			}
		})
	}
	return cw, share
}

// wordOf returns the lower-cased letters of a token, or "" when it has
// anything but letters and trailing punctuation.
func wordOf(tok string) string {
	tok = strings.TrimRight(tok, ".,?!…")
	if tok == "" {
		return ""
	}
	for _, c := range tok {
		if !unicode.IsLetter(c) {
			return ""
		}
	}
	return strings.ToLower(tok)
}

// langShare returns how many of n queries are Russian: one in five, as
// the corpus.
func langShare(n int, langs map[string]*vocab) map[string]int {
	out := map[string]int{}
	if langs["ru"] != nil && len(langs["ru"].words) > 0 {
		out["ru"] = n / 5
	}
	out["en"] = n - out["ru"]
	return out
}

// pickQueries chooses n queries of each kind except filtered, which
// needs the codings (see tagCorpus), and returns the vocabularies too.
// Every fifth query is Russian, as every fifth transcript.
func pickQueries(files []synth.File, n int, seed int64) (map[string][]query, map[string]*vocab) {
	r := rand.New(rand.NewSource(seed))
	cw, share := readCorpus(files, n, r)
	langOf := func(i int) string {
		if share["ru"] > 0 && i%5 == 4 {
			return "ru"
		}
		return "en"
	}
	out := map[string][]query{}
	seen := map[string]map[string]bool{}
	for _, k := range []string{kindTerm, kindPrefix, kindTwoWord} {
		seen[k] = map[string]bool{}
	}
	phraseAt := map[string]int{}
	for i := 0; i < n; i++ {
		lang := langOf(i)
		v := cw.vocab[lang]
		out[kindTerm] = append(out[kindTerm], query{Kind: kindTerm, Lang: lang, Words: []string{v.pick(r, seen[kindTerm], nil)}})
		if ps := cw.phrases[lang]; len(ps) > 0 {
			p := ps[phraseAt[lang]%len(ps)]
			phraseAt[lang]++
			out[kindPhrase] = append(out[kindPhrase], query{Kind: kindPhrase, Lang: lang, Words: []string{p[0], p[1]}})
		}
		// A prefix of 4 letters of a word of 7 or more (3 of a shorter
		// one), so that it survives stemming; ё is folded by the index
		// and left out.
		w := v.pick(r, seen[kindPrefix], func(w string) bool {
			return utf8.RuneCountInString(w) >= 5 && !strings.ContainsRune(w, 'ё')
		})
		rs := []rune(w)
		k := 3
		if len(rs) >= 7 {
			k = 4
		}
		out[kindPrefix] = append(out[kindPrefix], query{Kind: kindPrefix, Lang: lang, Words: []string{string(rs[:min(k, len(rs))])}})
		a := v.pick(r, seen[kindTwoWord], nil)
		b := v.pick(r, seen[kindTwoWord], nil)
		out[kindTwoWord] = append(out[kindTwoWord], query{Kind: kindTwoWord, Lang: lang, Words: []string{a, b}})
	}
	return out, cw.vocab
}
