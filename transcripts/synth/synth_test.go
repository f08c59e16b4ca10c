package synth

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestGenerate(t *testing.T) {
	files := Generate(Options{Docs: 10, Words: 20000, Seed: 1})
	if len(files) != 10 {
		t.Fatalf("Generate made %d files, want 10", len(files))
	}
	total, ru := 0, 0
	for _, f := range files {
		total += f.Words
		if f.Lang == "ru" {
			ru++
		}
		if !utf8.Valid(f.Data) {
			t.Errorf("%s is not valid UTF-8", f.Name)
		}
		if !bytes.HasPrefix(f.Data, []byte("---\n")) {
			t.Errorf("%s has no front matter", f.Name)
		}
	}
	if total != 20000 {
		t.Errorf("total words = %d, want 20000", total)
	}
	if ru != 2 {
		t.Errorf("%d Russian files, want 2 (one fifth)", ru)
	}
	again := Generate(Options{Docs: 10, Words: 20000, Seed: 1})
	if !bytes.Equal(again[3].Data, files[3].Data) {
		t.Error("the same seed gave a different corpus")
	}
}
