// Package demo builds the demo project: seven fictional interviews with
// Russians who left for Tbilisi in 2022, a starter codebook of the themes
// of that migration, and codings by two coders who sometimes disagree, so
// that retrieval, agreement and analysis have something to show.
//
// The interviews are composites written for qcode. They are not real
// interview data.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/qcode-dev/qcode/coding"
)

//go:embed codebook.yaml codings_en.yaml codings_ru.yaml corpus
var files embed.FS

// Coders are the fictional coders of the demo codings.
var Coders = []string{"nino", "pavel"}

type codeSpec struct {
	Name        string     `yaml:"name"`
	Color       string     `yaml:"color"`
	Description string     `yaml:"description"`
	Children    []codeSpec `yaml:"children"`
}

type codingSpec struct {
	Doc   string `yaml:"doc"`
	Code  string `yaml:"code"`
	Coder string `yaml:"coder"`
	Match string `yaml:"match"`
	Memo  string `yaml:"memo"`
}

// Corpus returns the embedded interview files, by name.
func Corpus() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(files, "corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		out[path.Base(p)] = b
		return err
	})
	return out, err
}

// Build creates the demo project in dir, which must not exist or be empty.
// Timestamps come from a fixed clock in December 2022, so two builds hold
// the same data apart from GUIDs.
func Build(ctx context.Context, dir string) error {
	t0 := time.Date(2022, 12, 1, 10, 0, 0, 0, time.UTC)
	tick := 0
	clock := func() time.Time {
		tick++
		return t0.Add(time.Duration(tick) * time.Minute)
	}
	s, err := coding.Create(ctx, dir, coding.Options{Coder: Coders[0], Now: clock})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := build(ctx, s); err != nil {
		return fmt.Errorf("build demo in %s: %w", dir, err)
	}
	return nil
}

func build(ctx context.Context, s *coding.Store) error {
	corpus, err := Corpus()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(corpus))
	for n := range corpus {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := s.Import(ctx, coding.ImportFile{Path: n, Data: corpus[n]}); err != nil {
			return err
		}
	}

	var book []codeSpec
	if err := readYAML("codebook.yaml", &book); err != nil {
		return err
	}
	var add func(parent string, specs []codeSpec) error
	add = func(parent string, specs []codeSpec) error {
		for _, c := range specs {
			if _, _, err := s.AddCode(ctx, coding.NewCode{Path: c.Name, Parent: parent, Color: c.Color, Description: c.Description}); err != nil {
				return err
			}
			p := c.Name
			if parent != "" {
				p = parent + "/" + c.Name
			}
			if err := add(p, c.Children); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add("", book); err != nil {
		return err
	}

	var codings []codingSpec
	for _, f := range []string{"codings_en.yaml", "codings_ru.yaml"} {
		var part []codingSpec
		if err := readYAML(f, &part); err != nil {
			return err
		}
		codings = append(codings, part...)
	}
	texts := map[string]string{}
	for _, c := range codings {
		text, ok := texts[c.Doc]
		if !ok {
			d, err := s.Document(ctx, c.Doc, true)
			if err != nil {
				return err
			}
			text = d.Text
			texts[c.Doc] = text
		}
		spans := coding.MatchSpans(text, c.Match)
		if len(spans) != 1 {
			return fmt.Errorf("demo coding of %s in %s: the match occurs %d times, want once: %q", c.Code, c.Doc, len(spans), c.Match)
		}
		if _, _, err := s.WithCoder(c.Coder).Tag(ctx, coding.TagRequest{Doc: c.Doc, Code: c.Code, Spans: spans, Memo: c.Memo}); err != nil {
			return err
		}
	}
	if _, _, err := s.AddMemo(ctx, coding.TargetProject, "",
		"Demo project: fictional composite interviews written for qcode, not real data. "+
			"Two coders (nino, pavel) coded the same transcripts independently; compare them with the agreement tools."); err != nil {
		return err
	}
	return s.SetSetting(ctx, "demo", "true")
}

func readYAML(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
