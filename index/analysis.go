package index

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	// Registers the "custom" analyzer type the mapping builds on.
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/russian"
)

// Analyzer names in the mapping.
const (
	// textAnalyzer folds case and ё, then stems each word with the
	// Russian or the English Snowball stemmer according to its script, so
	// a transcript that mixes the two languages is searchable in both
	// and a query needs no language. Words in other scripts are only
	// lower-cased (the fallback).
	textAnalyzer = "qcode_text"
	// keywordAnalyzer keeps a whole value as one lower-cased term, for
	// filters such as speaker:anna.
	keywordAnalyzer = "qcode_keyword"
	// rawAnalyzer folds case and ё but does not stem: fuzzy, prefix and
	// wildcard queries compare against the words as spoken.
	rawAnalyzer = "qcode_raw"

	foldFilter = "qcode_fold"
	stemFilter = "qcode_stem"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenFilter(foldFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return fold{}, nil
	}))
	must(registry.RegisterTokenFilter(stemFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return stemmer{}, nil
	}))
}

func analyzers() map[string]map[string]interface{} {
	return map[string]map[string]interface{}{
		textAnalyzer: {
			"type":          "custom",
			"tokenizer":     unitok.Name,
			"token_filters": []string{lowercase.Name, foldFilter, stemFilter},
		},
		rawAnalyzer: {
			"type":          "custom",
			"tokenizer":     unitok.Name,
			"token_filters": []string{lowercase.Name, foldFilter},
		},
		keywordAnalyzer: {
			"type":          "custom",
			"tokenizer":     single.Name,
			"token_filters": []string{lowercase.Name},
		},
	}
}

// fold maps ё to е (Russian text is written both ways) and typographic
// apostrophes to ASCII, so that "don’t" and "don't" are one word.
type fold struct{}

func (fold) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !bytes.ContainsAny(t.Term, "ёЁ’ʼ") {
			continue
		}
		t.Term = bytes.ReplaceAll(t.Term, []byte("ё"), []byte("е"))
		t.Term = bytes.ReplaceAll(t.Term, []byte("Ё"), []byte("е"))
		t.Term = bytes.ReplaceAll(t.Term, []byte("’"), []byte("'"))
		t.Term = bytes.ReplaceAll(t.Term, []byte("ʼ"), []byte("'"))
	}
	return in
}

// stemmer applies the Snowball stemmer of each word's script.
type stemmer struct{}

func (stemmer) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		switch scriptOf(t.Term) {
		case cyrillic:
			env := snowballstem.NewEnv(string(t.Term))
			russian.Stem(env)
			t.Term = []byte(env.Current())
		case latin:
			env := snowballstem.NewEnv(string(t.Term))
			english.Stem(env)
			t.Term = []byte(env.Current())
		}
	}
	return in
}

type script int

const (
	other script = iota
	latin
	cyrillic
)

// scriptOf tells the script of a word from its first letter.
func scriptOf(term []byte) script {
	for len(term) > 0 {
		r, n := utf8.DecodeRune(term)
		term = term[n:]
		switch {
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return latin
			}
		case unicode.Is(unicode.Cyrillic, r):
			return cyrillic
		case unicode.Is(unicode.Latin, r):
			return latin
		case unicode.IsLetter(r):
			return other
		}
	}
	return other
}
