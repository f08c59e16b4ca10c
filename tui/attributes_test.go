package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
)

// attrOf is the value and type of key on the latest version of doc.
func attrOf(t *testing.T, s *coding.Store, doc, key string) (string, string) {
	t.Helper()
	d, err := s.Document(context.Background(), doc, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Attributes {
		if a.Key == key {
			return a.Value, a.Type
		}
	}
	return "", ""
}

// The participants' table reads every document's attributes, edits one in
// place keeping the key's type, adds one, warns when a value does not fit
// the type the key has elsewhere, and is undone like every change.
func TestAttributesView(t *testing.T) {
	s := speakerStore(t)
	d := newDriver(t, s, 100, 30)
	d.keys("T")
	d.wantView("Participants' attributes: 2 documents")
	for _, want := range []string{"gender", "age", "occupation", "female", "34", "designer"} {
		d.wantView(want)
	}

	// olga's age, in the second row and second column.
	d.keys("j", "l")
	d.wantView("olga · age = 34 (integer)")
	d.keys("enter")
	d.send(tea.KeyMsg{Type: tea.KeyBackspace})
	d.send(tea.KeyMsg{Type: tea.KeyBackspace})
	d.typeText("35")
	d.keys("enter")
	if v, typ := attrOf(t, s, "olga", "age"); v != "35" || typ != coding.TypeInteger {
		t.Errorf("olga's age after the edit: %q (%s), want 35 (integer)", v, typ)
	}
	d.wantView("olga · age = 35")

	// A new attribute of the focus group.
	d.keys("k", "a")
	d.typeText("wave=February")
	d.keys("enter")
	if v, _ := attrOf(t, s, "group", "wave"); v != "February" {
		t.Errorf("group's wave: %q, want February", v)
	}
	d.wantView("wave")

	// A value of another type is kept, and the status says so.
	d.keys("j", "l")
	d.wantView("olga · age = 35")
	d.keys("enter")
	d.send(tea.KeyMsg{Type: tea.KeyBackspace})
	d.send(tea.KeyMsg{Type: tea.KeyBackspace})
	d.typeText("thirty")
	d.keys("enter")
	if v, typ := attrOf(t, s, "olga", "age"); v != "thirty" || typ != coding.TypeText {
		t.Errorf("olga's age: %q (%s), want thirty as text", v, typ)
	}
	if v := d.view(); !strings.Contains(v, "as text") {
		t.Errorf("the status does not say the value is text now:\n%s", v)
	}

	d.keys("u")
	if v, _ := attrOf(t, s, "olga", "age"); v != "35" {
		t.Errorf("after undo olga's age is %q, want 35", v)
	}
	d.keys("esc")
	if strings.Contains(d.view(), "Participants' attributes") {
		t.Errorf("esc left the attributes view open")
	}
}
