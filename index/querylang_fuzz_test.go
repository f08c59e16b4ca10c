package index

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// render writes e back in the query language; ok is false when a value
// holds a quotation mark and cannot be written back quoted.
func render(e *Expr) (string, bool) {
	quoted := func(s string) (string, bool) {
		if strings.ContainsAny(s, "\"“”«»„") {
			return "", false
		}
		return `"` + s + `"`, true
	}
	switch e.Kind {
	case KindWord, KindPrefix:
		return e.Text, true
	case KindFuzzy:
		return fmt.Sprintf("%s~%d", e.Text, e.Fuzz), true
	case KindPhrase:
		q, ok := quoted(e.Text)
		if e.Slop > 0 {
			q += fmt.Sprintf("~%d", e.Slop)
		}
		return q, ok
	case KindNear:
		return fmt.Sprintf("%s NEAR/%d %s", e.Subs[0].Text, e.Slop, e.Subs[1].Text), true
	case KindField:
		q, ok := quoted(e.Value)
		return e.Field + ":" + q, ok
	case KindNot:
		s, ok := render(e.Subs[0])
		return "NOT (" + s + ")", ok
	}
	op := " AND "
	if e.Kind == KindOr {
		op = " OR "
	}
	var parts []string
	for _, s := range e.Subs {
		r, ok := render(s)
		if !ok {
			return "", false
		}
		parts = append(parts, "("+r+")")
	}
	return strings.Join(parts, op), true
}

// FuzzParse checks that no text makes the parser panic, that every
// complaint is a QueryError pointing inside the query, and that what
// it understood, written back, is understood the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"smoke OR smell", `(fear OR "police state"~4) -code:Fear speaker:"Anna K. Petrova"`,
		"fear NEAR/5 police", "мобилиз* ИЛИ мобилизацыя~1 НЕ брат", `«верхний ларс»`, "is:uncoded sort:rank coder:anna",
		`attr:wave="late September" doc:R01 lang:ru`, "((a)", "a))", `"`, "NEAR/0", "x~9", "- + -", "AND OR NOT",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || !errors.Is(err, ErrQuery) {
				t.Fatalf("Parse(%q): %v is not a QueryError", s, err)
			}
			if qe.Pos < 0 || qe.Pos > utf8.RuneCountInString(s)+1 || qe.Reason == "" {
				t.Fatalf("Parse(%q): position %d outside the query, or no reason: %v", s, qe.Pos, err)
			}
			return
		}
		canon := e.String()
		_ = e.Explain()
		if _, err := e.Globals(); err != nil && !errors.Is(err, ErrQuery) {
			t.Fatalf("Globals(%q): %v", s, err)
		}
		if e == nil {
			return
		}
		back, ok := render(e)
		if !ok {
			return
		}
		again, err := Parse(back)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, but its rendering %q does not parse: %v", s, canon, back, err)
		}
		if again.String() != canon {
			t.Fatalf("Parse(%q) = %s, rendered %q, parsed again = %s", s, canon, back, again.String())
		}
	})
}
