package report

import (
	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

// pseudonymise applies f to every text of the report that may hold a
// real value: the project's name, documents, participants and their
// attributes, codes, memos, tables and the agreement. The coders are
// the researchers and keep their names; the example quotes were
// replaced when they were read (see Pseudonymiser.Quotes).
func (r *Report) pseudonymise(f func(string) string) {
	each := func(ss []string) {
		for i := range ss {
			ss[i] = f(ss[i])
		}
	}
	r.Project = f(r.Project)
	for i := range r.Documents {
		d := &r.Documents[i]
		d.Name, d.Title, d.Participant = f(d.Name), f(d.Title), f(d.Participant)
	}
	each(r.AttrKeys)
	for i := range r.Shared {
		r.Shared[i].Key, r.Shared[i].Value = f(r.Shared[i].Key), f(r.Shared[i].Value)
	}
	for i := range r.Participants {
		p := &r.Participants[i]
		p.Name = f(p.Name)
		each(p.Documents)
		each(p.Values)
	}
	for i := range r.Memos {
		r.Memos[i].Text = f(r.Memos[i].Text)
	}
	for i := range r.Codes {
		c := &r.Codes[i]
		c.Name, c.Path, c.Description = f(c.Name), f(c.Path), f(c.Description)
		for j := range c.Memos {
			c.Memos[j].Text = f(c.Memos[j].Text)
		}
	}
	for i := range r.Tables {
		t := &r.Tables[i]
		t.Title, t.Note = f(t.Title), f(t.Note)
		each(t.Heads)
		for j := range t.Rows {
			t.Rows[j].Label = f(t.Rows[j].Label)
		}
	}
	if a := r.Agreement; a != nil {
		each(a.Documents)
		each(a.LeftOut)
		for i := range a.Rows {
			a.Rows[i].Code = f(a.Rows[i].Code)
		}
	}
}

// pseudonymiseInput applies f to the names in what the figures are
// drawn from: codes, documents, attribute values.
func pseudonymiseInput(in FigureInput, f func(string) string) FigureInput {
	out := FigureInput{}
	for _, st := range in.Stats {
		st.Code, st.Name = f(st.Code), f(st.Name)
		out.Stats = append(out.Stats, st)
	}
	table := func(t *coding.Table) *coding.Table {
		if t == nil {
			return nil
		}
		c := *t
		c.Rows = mapped(t.Rows, f)
		c.Cols = mapped(t.Cols, f)
		return &c
	}
	out.Documents = table(in.Documents)
	for _, t := range in.ByAttr {
		out.ByAttr = append(out.ByAttr, table(t))
	}
	out.Cooc = table(in.Cooc)
	if in.Agreement != nil {
		a := *in.Agreement
		a.Codes = make([]agree.CodeStats, len(in.Agreement.Codes))
		for i, c := range in.Agreement.Codes {
			c.Code = f(c.Code)
			a.Codes[i] = c
		}
		a.Documents = make([]agree.Doc, len(in.Agreement.Documents))
		for i, d := range in.Agreement.Documents {
			d.Name = f(d.Name)
			a.Documents[i] = d
		}
		a.LeftOut = make([]agree.Doc, len(in.Agreement.LeftOut))
		for i, d := range in.Agreement.LeftOut {
			d.Name = f(d.Name)
			a.LeftOut[i] = d
		}
		a.Disagreements = nil
		out.Agreement = &a
	}
	return out
}

func mapped(ss []string, f func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}
