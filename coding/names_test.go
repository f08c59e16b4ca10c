package coding_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// TestNamesAreText: every name and value from a user or a file is
// checked by one rule on the way in: control characters, bidirectional
// overrides and invisible format characters are refused in names (and
// removed from memo text, which keeps its lines and tabs), lengths are
// bounded, a coder's name is not blank and a language is a language code.
func TestNamesAreText(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, coding.ImportFile{Path: "R01.txt", Data: []byte("Interviewer: Why?\nRespondent: Because.\n")}); err != nil {
		t.Fatal(err)
	}
	long := func(n int) string { return strings.Repeat("я", n) }
	tests := []struct {
		name string
		do   func() error
		ok   bool
		msg  string
	}{
		{"code name with ESC", func() error { _, _, err := s.AddCode(ctx, coding.NewCode{Path: "Fear\x1b[2J"}); return err }, false, "U+001B"},
		{"code name with U+200B", func() error { _, _, err := s.AddCode(ctx, coding.NewCode{Path: "Fear\u200b"}); return err }, false, "U+200B"},
		{"code name with RLO", func() error { _, _, err := s.AddCode(ctx, coding.NewCode{Path: "Fear\u202e"}); return err }, false, "U+202E"},
		{"code name of 201 characters", func() error { _, _, err := s.AddCode(ctx, coding.NewCode{Path: long(201)}); return err }, false, "at most 200"},
		{"code name of 200 characters", func() error { _, _, err := s.AddCode(ctx, coding.NewCode{Path: long(200)}); return err }, true, ""},
		{"document renamed with U+200B", func() error { _, err := s.RenameDocument(ctx, "R01", "R\u200b01"); return err }, false, "U+200B"},
		{"document renamed to 201 characters", func() error { _, err := s.RenameDocument(ctx, "R01", long(201)); return err }, false, "at most 200"},
		{"file name of 201 characters", func() error {
			_, err := s.Import(ctx, coding.ImportFile{Path: long(201) + ".txt", Data: []byte("A: x\n")})
			return err
		}, false, "at most 200"},
		{"language ../../etc", func() error {
			_, err := s.Import(ctx, coding.ImportFile{Path: "R02.txt", Data: []byte("A: x\n"), Lang: "../../etc"})
			return err
		}, false, "language code"},
		{"language pt-BR", func() error {
			_, err := s.Import(ctx, coding.ImportFile{Path: "R03.txt", Data: []byte("A: x\n"), Lang: "pt-BR"})
			return err
		}, true, ""},
		{"attribute key with ESC", func() error {
			_, err := s.SetAttributes(ctx, "R01", []coding.Attribute{{Key: "age\x1b", Value: "30"}})
			return err
		}, false, "U+001B"},
		{"attribute value with BEL", func() error {
			_, err := s.SetAttributes(ctx, "R01", []coding.Attribute{{Key: "job", Value: "x\x07"}})
			return err
		}, false, "U+0007"},
		{"attribute key of 101 characters", func() error {
			_, err := s.SetAttributes(ctx, "R01", []coding.Attribute{{Key: long(101), Value: "1"}})
			return err
		}, false, "at most 100"},
		{"attribute value of 10,001 characters", func() error {
			_, err := s.SetAttributes(ctx, "R01", []coding.Attribute{{Key: "bio", Value: long(10001)}})
			return err
		}, false, "at most 10000"},
		{"case attribute with RLO", func() error {
			_, err := s.SetSpeaker(ctx, "R01", "Respondent", coding.SpeakerChange{Attributes: []coding.Attribute{{Key: "job", Value: "x\u202e"}}})
			return err
		}, false, "U+202E"},
		{"attribute parsed with OSC", func() error { _, err := coding.ParseAttribute("job=\x1b]0;x\x07"); return err }, false, "U+001B"},
		{"cite template with ESC", func() error { return s.SetSetting(ctx, "cite", "{participant}\x1b[8m") }, false, "U+001B"},
		{"blank coder", func() error {
			_, _, err := s.WithCoder("   ").AddMemo(ctx, coding.TargetProject, "", "a note")
			return err
		}, false, "blank coder name"},
		{"coder of 101 characters", func() error {
			_, _, err := s.WithCoder(long(101)).AddMemo(ctx, coding.TargetProject, "", "a note")
			return err
		}, false, "at most 100"},
		{"coder with U+200B", func() error {
			_, _, err := s.WithCoder("an\u200bna").AddMemo(ctx, coding.TargetProject, "", "a note")
			return err
		}, false, "U+200B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if tt.ok {
				if err != nil {
					t.Fatalf("= %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, coding.ErrInvalid) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("= %v, want ErrInvalid with %q", err, tt.msg)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07\u200b\u202e") {
				t.Errorf("the message %q holds the character it refuses", err)
			}
		})
	}

	// A memo keeps its lines and tabs; other controls are removed.
	m, _, err := s.AddMemo(ctx, coding.TargetProject, "", "line one\r\n\tline two\x1b[31m\u202e\u200b end")
	if err != nil {
		t.Fatal(err)
	}
	memos, err := s.Memos(ctx, coding.TargetProject, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range memos {
		if got.ID == m.ID && got.Text != "line one\n\tline two[31m end" {
			t.Errorf("memo stored as %q", got.Text)
		}
	}
}

// TestFileAttributesAreText: an attribute a file's front matter gives
// with an invisible character is left out with a warning; the others
// are kept.
func TestFileAttributesAreText(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Import(ctx, coding.ImportFile{Path: "R04.md", Data: []byte("---\ngender: fe\u202emale\nage: 30\n---\nInterviewer: Why?\nRespondent: Because.\n")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Document.Attributes) != 1 || res.Document.Attributes[0].Key != "age" {
		t.Errorf("attributes %+v; want only age", res.Document.Attributes)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "attribute left out") {
		t.Errorf("warnings %q; want one about the attribute left out", res.Warnings)
	}
}
