package refiqda

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/qcode-dev/qcode/coding"
)

// How a speaker's case travels in a .qdpx.
//
// A qcode case (a person, with attributes of their own) is a REFI-QDA Case
// with the case's GUID and name and its attributes as VariableValues (of
// the Variables declared for document attributes, one per key). It refers
// to where that person speaks: one SelectionRef per turn of each speaker
// tied to it, to a PlainTextSelection over the turn ([start, end) of the
// whole turn, label included, the turn's text as its name) that carries no
// Coding. Project.xsd allows Case → SelectionRef, and a selection keeps a
// focus group's three participants apart where a SourceRef would give each
// the whole document. A case tied to no speaker is a Case without
// references.
//
// The speakers' roles travel in the Case's Description, which other
// programs show as the case's description and read nothing into:
//
//	qcode role: participant
//
// and, for a speaker whose role differs from that line's (rare: one person
// interviewing in one document and answering in another), a line
//
//	qcode role of "Nino" in "R07": interviewer
//
// with the names quoted as Go quotes them. A Variable "role" would have
// added a column to every case table in other programs and could clash
// with a user's own "role" attribute.
//
// Speakers without a case are not written: on import their roles come
// from their labels, the document's interviewer attribute or who asks, as
// for any imported transcript. Cases made from the participant attribute
// (one per participant, SourceRefs to their documents) are written as
// before and come back as document attributes.

const (
	rolePrefix   = "qcode role: "
	roleOfPrefix = "qcode role of "
)

// caseTie is one speaker of a document tied to a case.
type caseTie struct {
	doc     coding.SnapshotDocument
	speaker coding.SnapshotSpeaker
}

// speakerCases builds a Case for each of the snapshot's cases, and the
// uncoded selections over the turns of their speakers, by document GUID.
func (b *builder) speakerCases(byKey map[string]variable) ([]xCase, map[string][]xSelection) {
	cases := append([]coding.SnapshotCase(nil), b.snap.Cases...)
	sort.SliceStable(cases, func(i, j int) bool {
		if cases[i].Name != cases[j].Name {
			return cases[i].Name < cases[j].Name
		}
		return cases[i].GUID < cases[j].GUID
	})
	docs := append([]coding.SnapshotDocument(nil), b.snap.Documents...)
	sort.SliceStable(docs, func(i, j int) bool {
		ni, nj := exportName(docs[i]), exportName(docs[j])
		if ni != nj {
			return ni < nj
		}
		return docs[i].GUID < docs[j].GUID
	})
	ties := map[string][]caseTie{}
	for _, d := range docs {
		for _, sp := range d.Speakers {
			if sp.CaseGUID != "" {
				ties[sp.CaseGUID] = append(ties[sp.CaseGUID], caseTie{d, sp})
			}
		}
	}
	sels := map[string][]xSelection{}
	runes := map[string][]rune{}
	var out []xCase
	for _, c := range cases {
		cg := exportGUID("case", c.GUID)
		x := xCase{GUID: cg, Name: xmlSafe(c.Name), Description: roleDescription(ties[c.GUID]), Values: valuesInOrder(c.Attributes, byKey)}
		for _, t := range ties[c.GUID] {
			sg := exportGUID("source", t.doc.GUID)
			rs, ok := runes[t.doc.GUID]
			if !ok {
				rs = []rune(t.doc.Text)
				runes[t.doc.GUID] = rs
			}
			turns := t.doc.Turns
			if len(turns) == 0 {
				turns = coding.DeriveTurns(t.doc.Name, t.doc.Text)
			}
			for _, turn := range turns {
				if turn.Speaker != t.speaker.Name || turn.Start < 0 || turn.Start >= turn.End || turn.End > len(rs) {
					continue
				}
				a, e := strconv.Itoa(turn.Start), strconv.Itoa(turn.End)
				g := deriveGUID("turn", sg, cg, a, e)
				sels[t.doc.GUID] = append(sels[t.doc.GUID], xSelection{GUID: g, Name: excerpt(rs[turn.Start:turn.End]), Start: a, End: e})
				x.SelectionRefs = append(x.SelectionRefs, xRef{Target: g})
			}
		}
		out = append(out, x)
	}
	for g := range sels {
		s := sels[g]
		sort.SliceStable(s, func(i, j int) bool {
			ai, _ := strconv.Atoi(s[i].Start)
			aj, _ := strconv.Atoi(s[j].Start)
			return ai < aj
		})
	}
	return out, sels
}

// roleDescription writes the roles of a case's speakers (see above); ""
// for a case tied to no speaker.
func roleDescription(ties []caseTie) string {
	if len(ties) == 0 {
		return ""
	}
	count := map[string]int{}
	for _, t := range ties {
		count[t.speaker.Role]++
	}
	main := ""
	for r, n := range count {
		if main == "" || n > count[main] || n == count[main] && r < main {
			main = r
		}
	}
	lines := []string{rolePrefix + main}
	for _, t := range ties {
		if t.speaker.Role != main {
			lines = append(lines, roleOfPrefix+strconv.Quote(t.speaker.Name)+" in "+strconv.Quote(exportName(t.doc))+": "+t.speaker.Role)
		}
	}
	return xmlSafe(strings.Join(lines, "\n"))
}

// caseRoles reads a Description written by roleDescription: the role of
// most speakers, and the others by document and speaker name. ok is false
// for a description qcode did not write.
func caseRoles(desc string) (main string, others map[[2]string]string, ok bool) {
	desc = strings.TrimSpace(strings.ReplaceAll(desc, "\r\n", "\n"))
	if desc == "" {
		return "", nil, false
	}
	for i, line := range strings.Split(desc, "\n") {
		line = strings.TrimSpace(line)
		if i == 0 {
			r, found := strings.CutPrefix(line, rolePrefix)
			if !found {
				return "", nil, false
			}
			if main, ok = checkRole(r); !ok {
				return "", nil, false
			}
			continue
		}
		rest, found := strings.CutPrefix(line, roleOfPrefix)
		if !found {
			return "", nil, false
		}
		speaker, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return "", nil, false
		}
		rest, found = strings.CutPrefix(rest[len(speaker):], " in ")
		if !found {
			return "", nil, false
		}
		doc, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return "", nil, false
		}
		r, found := strings.CutPrefix(rest[len(doc):], ": ")
		role, valid := checkRole(r)
		if !found || !valid {
			return "", nil, false
		}
		s, _ := strconv.Unquote(speaker)
		d, _ := strconv.Unquote(doc)
		if others == nil {
			others = map[[2]string]string{}
		}
		others[[2]string{d, s}] = role
	}
	return main, others, true
}

// checkRole accepts the three roles exactly as qcode writes them.
func checkRole(r string) (string, bool) {
	r = strings.TrimSpace(r)
	switch r {
	case coding.RoleInterviewer, coding.RoleParticipant, coding.RoleOther:
		return r, true
	}
	return "", false
}

// span is where a selection lies in an imported document: code points of
// its stored text.
type span struct {
	doc        string
	start, end int
}

// touches reports whether a turn and the span share a character (for an
// empty span: whether the turn holds its position).
func (s span) touches(t coding.Turn) bool {
	if s.start == s.end {
		return t.Start <= s.start && s.start < t.End
	}
	return t.Start < s.end && s.start < t.End
}

// readCases reads the variable values and cases. A source's own values
// become its document's attributes. A case whose SelectionRefs fall in
// speakers' turns becomes a qcode case, with its values as the case's
// attributes, tied to those speakers (with the roles its Description
// gives, when qcode wrote it). A case over whole sources (SourceRef), and
// one whose selections fall where no speaker is found, gives its values
// to those documents as attributes, after their own, with its name as the
// participant when it gives none. A case that refers to no document
// imported is kept as a case tied to no speaker, and reported.
func (rd *reader) readCases() {
	vars := map[string]xVariable{}
	if rd.p.Variables != nil {
		for _, v := range rd.p.Variables.Variables {
			if g := normGUID(v.GUID); g != "" {
				vars[g] = v
			}
		}
	}
	attrs := make([][]coding.Attribute, len(rd.snap.Documents))
	set := func(doc int, a coding.Attribute, from string) {
		for _, old := range attrs[doc] {
			if old.Key == a.Key {
				if old.Value != a.Value {
					rd.warnf("document %s: %s is %q and, in %s, %q; kept %q", rd.snap.Documents[doc].Name, a.Key, old.Value, from, a.Value, old.Value)
				}
				return
			}
		}
		attrs[doc] = append(attrs[doc], a)
	}
	if rd.p.Sources != nil {
		for _, src := range rd.p.Sources.Text {
			doc, ok := rd.docs[normGUID(src.GUID)]
			if !ok {
				continue
			}
			for _, v := range src.Values {
				if a, ok := rd.attribute(v, vars); ok {
					set(doc, a, "the document")
				}
			}
		}
	}
	if rd.p.Cases != nil {
		rd.readCaseList(vars, set)
	}
	for i := range rd.snap.Documents {
		rd.snap.Documents[i].Attributes = attrs[i]
		sp := rd.snap.Documents[i].Speakers
		sort.SliceStable(sp, func(a, b int) bool { return sp[a].Name < sp[b].Name })
	}
	sort.SliceStable(rd.snap.Cases, func(i, j int) bool { return rd.snap.Cases[i].Name < rd.snap.Cases[j].Name })
}

// readCaseList reads the Cases (see readCases); set gives a document an
// attribute.
func (rd *reader) readCaseList(vars map[string]xVariable, set func(int, coding.Attribute, string)) {
	turns := map[int][]coding.Turn{}
	turnsOf := func(d int) []coding.Turn {
		t, ok := turns[d]
		if !ok {
			doc := rd.snap.Documents[d]
			if t = doc.Turns; len(t) == 0 {
				t = coding.DeriveTurns(doc.Name, doc.Text)
			}
			turns[d] = t
		}
		return t
	}
	partial := false
	guids := map[string]bool{}
	names := map[string]bool{}
	tied := map[[2]string]string{} // document GUID, speaker -> case name
	for i, c := range rd.p.Cases.Cases {
		name := cleanName(c.Name)
		from := "case " + name
		if name == "" {
			from = "a case"
		}
		var docs []int
		add := func(d int) {
			for _, x := range docs {
				if x == d {
					return
				}
			}
			docs = append(docs, d)
		}
		for _, ref := range c.SourceRefs {
			if d, ok := rd.docs[normGUID(ref.Target)]; ok {
				add(d)
			}
		}
		var hits []hit
		for _, ref := range c.SelectionRefs {
			g := normGUID(ref.Target)
			sp, ok := rd.selSpan[g]
			if !ok {
				// A selection whose span did not hold its text: the
				// document is all that is known.
				if dg, ok := rd.selDoc[g]; ok {
					if d, ok := rd.docs[dg]; ok {
						add(d)
						partial = true
					}
				}
				continue
			}
			d := rd.docs[sp.doc]
			found := false
			for _, t := range turnsOf(d) {
				if t.Speaker != "" && sp.touches(t) {
					found = true
					if !containsHit(hits, d, t.Speaker) {
						hits = append(hits, hit{d, t.Speaker})
					}
				}
			}
			if !found {
				add(d)
				partial = true
			}
		}
		var values []coding.Attribute
		keys := map[string]bool{}
		for _, v := range c.Values {
			a, ok := rd.attribute(v, vars)
			if !ok {
				continue
			}
			if keys[a.Key] {
				rd.warnf("%s gives %s twice; kept the first value", from, a.Key)
				continue
			}
			keys[a.Key] = true
			values = append(values, a)
		}
		main, others, ours := caseRoles(c.Description)
		if !ours && strings.TrimSpace(c.Description) != "" {
			rd.warnf("%s: its description was not imported (qcode keeps none for cases)", from)
		}

		if len(hits) > 0 || len(docs) == 0 {
			if len(hits) == 0 && name == "" && len(values) == 0 {
				rd.warnf("a case without a name, values or anything imported it refers to was left out")
				continue
			}
			g := normGUID(c.GUID)
			if g == "" || guids[g] {
				g = deriveGUID("case", strconv.Itoa(i), name)
			}
			guids[g] = true
			cname := name
			if cname == "" {
				cname = "case " + g[:8]
			}
			for n := 2; names[cname]; n++ {
				cname = fmt.Sprintf("%s (%d)", name, n)
			}
			if cname != name && name != "" {
				rd.warnf("two cases are called %s; the second is %s", name, cname)
			}
			names[cname] = true
			rd.snap.Cases = append(rd.snap.Cases, coding.SnapshotCase{GUID: g, Name: cname, Attributes: values, CreatedAt: rd.projAt})
			if len(hits) == 0 {
				rd.warnf("case %s (%s) refers to no document imported; kept as a case tied to no speaker", cname, plural(len(values), "value", "values"))
			}
			for _, h := range hits {
				doc := &rd.snap.Documents[h.doc]
				if strings.IndexFunc(h.speaker, coding.IsHiddenControl) >= 0 {
					rd.warnf("document %s: speaker %q holds control characters; not tied to case %s", doc.Name, h.speaker, cname)
					continue
				}
				key := [2]string{doc.GUID, h.speaker}
				if prev, ok := tied[key]; ok {
					rd.warnf("document %s: %s is in case %s and in case %s; kept %s", doc.Name, h.speaker, prev, cname, prev)
					continue
				}
				tied[key] = cname
				role := main
				if r, ok := others[[2]string{doc.Name, h.speaker}]; ok {
					role = r
				}
				doc.Speakers = append(doc.Speakers, coding.SnapshotSpeaker{Name: h.speaker, Role: role, CaseGUID: g})
			}
		}
		if len(docs) > 0 {
			whole := values
			if !keys[ParticipantKey] && name != "" {
				whole = append(append([]coding.Attribute(nil), values...), coding.Attribute{Key: ParticipantKey, Type: coding.TypeText, Value: name})
			}
			for _, d := range docs {
				for _, a := range whole {
					set(d, a, from)
				}
			}
		}
	}
	if partial {
		rd.warnf("cases made of parts of documents where no speaker's turn was found give their values to the whole documents")
	}
}

// hit is a speaker of a document a case's selection falls on.
type hit struct {
	doc     int
	speaker string
}

func containsHit(hits []hit, d int, speaker string) bool {
	for _, h := range hits {
		if h.doc == d && h.speaker == speaker {
			return true
		}
	}
	return false
}
