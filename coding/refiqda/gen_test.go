package refiqda

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the generated archives and golden files in testdata/")

// entry is one file of a hand-made archive.
type entry struct {
	name string
	data string
}

// makeZip builds an archive from entries, deflated, with a fixed time.
func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// qde wraps the children of a Project element in a project.qde.
func qde(origin, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Project xmlns="urn:QDA-XML:project:1.0" name="fixture" origin="` + origin + `" creationDateTime="2024-05-06T07:08:09Z">` +
		body + `</Project>`
}

// generated lists the archives under testdata/ that TestGenerate writes
// with -update, by path.
func generated(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"nvivo-windows.qdpx": makeZip(t,
			entry{"project.qde", nvivoQDE},
			entry{"Sources/" + nvivoSource + ".txt", nvivoText},
		),
		"tolerant.qdpx": makeZip(t,
			entry{"Trial.qde", tolerantQDE},
			entry{"Sources/B.txt", "\uFEFF😀😀 hello world\n"},
			entry{"sources/c.txt", "Third text, from a case without a name.\n"},
		),
		"atlas.qdpx": makeZip(t,
			entry{"project.qde", atlasQDE},
			entry{"sources/a.txt", "Line one.\r\nLine two is here.\r\nLine three.\r\n"},
		),
		"cases.qdpx": makeZip(t,
			entry{"project.qde", casesQDE},
			entry{"sources/i1.txt", casesInterview},
			entry{"sources/fg.txt", casesFocus},
		),
	}
}

// TestGenerate rewrites the generated archives with -update, and
// otherwise checks that the committed ones are what the generator makes
// (all but the zip bombs, which take seconds to deflate).
func TestGenerate(t *testing.T) {
	all := generated(t)
	for name, data := range hostile(t, *update) {
		all[filepath.Join("hostile", name)] = data
	}
	for name, data := range all {
		p := filepath.Join("testdata", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGenerate -update)", err)
		}
		if !bytes.Equal(have, data) {
			t.Errorf("%s differs from what the generator makes (run go test -run TestGenerate -update)", p)
		}
	}
}

// The NVivo fixture: Windows NVivo writes the text with a BOM and CRLF and
// counts positions in UTF-16 code units, CR included, BOM not. The
// positions below were counted by hand (see TestReadNVivo).
const (
	nvivoSource = "0d4c1a55-1b3a-4e8f-9a51-6c2a0c3e7f10"
	nvivoText   = "\uFEFFI: Why did you leave?\r\nR: 😀 Fear. 🇬🇪 Tbilisi was open.\r\nR: Мобилизация 😢 пугала.\r\n"
)

var nvivoQDE = qde("NVivo 12.6.1 (Windows)", `<Users><User guid="5C9B2F6E-0E0B-4C43-9F8A-111111111111" id="AN" name="Anna N"/></Users>`+
	`<CodeBook><Codes>`+
	`<Code guid="aaaaaaaa-0000-4000-8000-000000000001" isCodable="true" name="Fear" color="#E15759"><Description/></Code>`+
	`<Code guid="aaaaaaaa-0000-4000-8000-000000000002" isCodable="true" name="Place"/>`+
	`</Codes></CodeBook>`+
	`<Sources><TextSource guid="`+nvivoSource+`" name="R01" plainTextPath="internal://`+nvivoSource+`.txt" richTextPath="internal://`+nvivoSource+`.docx">`+
	`<Description/>`+
	sel("11111111-0000-4000-8000-000000000001", "", 29, 34, "aaaaaaaa-0000-4000-8000-000000000001")+
	sel("11111111-0000-4000-8000-000000000002", "", 40, 47, "aaaaaaaa-0000-4000-8000-000000000002")+
	sel("11111111-0000-4000-8000-000000000003", "", 62, 84, "aaaaaaaa-0000-4000-8000-000000000001")+
	sel("11111111-0000-4000-8000-000000000004", "", 23, 57, "aaaaaaaa-0000-4000-8000-000000000002")+
	sel("11111111-0000-4000-8000-000000000005", "Tbilisi was open", 10, 20, "aaaaaaaa-0000-4000-8000-000000000002")+
	`</TextSource></Sources>`)

// sel is a PlainTextSelection with one Coding by the fixture's user.
func sel(guid, name string, start, end int, code string) string {
	var b strings.Builder
	b.WriteString(`<PlainTextSelection guid="` + guid + `" name="` + name + `" startPosition="` + strconv.Itoa(start) + `" endPosition="` + strconv.Itoa(end) +
		`" creatingUser="5c9b2f6e-0e0b-4c43-9f8a-111111111111" creationDateTime="2024-05-06T08:00:00Z"><Description/>`)
	b.WriteString(`<Coding guid="` + guid[:9] + "c" + guid[10:] + `" creatingUser="5c9b2f6e-0e0b-4c43-9f8a-111111111111" creationDateTime="2024-05-06T08:00:00Z">` +
		`<CodeRef targetGUID="` + code + `"/></Coding></PlainTextSelection>`)
	return b.String()
}

// The tolerant fixture gathers what real producers do (NOTES.md): a .qde
// not called project.qde, a capitalised Sources/ folder, inline text,
// relative:// and bare paths, GUIDs in braces and upper case, rgb() and
// #RGB colours, a '/' in a code name, duplicate names, nameless cases,
// values of every type, notes on everything, non-text sources, sets and
// links. Its positions are code points except in Interview B, whose
// selections are in UTF-16 code units and say so through their names.
var tolerantQDE = qde("QualCoder 3.5", `<Users>`+
	`<User guid="{B1B1B1B1-0000-4000-8000-00000000000A}" name="Boris"/>`+
	`<User guid="b2b2b2b2-0000-4000-8000-00000000000b" id="VK"/>`+
	`</Users>`+
	`<CodeBook><Codes>`+
	`<Code guid="C0DE0000-0000-4000-8000-000000000001" name="Reasons" isCodable="false" color="rgb(78, 121, 167)">`+
	`<Description>Why they left</Description><NoteRef targetGUID="e0000000-0000-4000-8000-000000000001"/>`+
	`<Code guid="c0de0000-0000-4000-8000-000000000002" name="War/Mobilization" isCodable="true" color="#abc"/>`+
	`<Code guid="c0de0000-0000-4000-8000-000000000003" name="Fear" isCodable="1" color="#FF112233"/>`+
	`<Code guid="c0de0000-0000-4000-8000-000000000004" name="fear" isCodable="true"/>`+
	`</Code></Codes></CodeBook>`+
	`<Variables>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000001" name="gender" typeOfVariable="Text"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000002" name="age" typeOfVariable="Integer"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000003" name="height" typeOfVariable="Float"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000004" name="consent" typeOfVariable="Boolean"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000005" name="interviewed" typeOfVariable="Date"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000006" name="stamp" typeOfVariable="DateTime"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000007" name="city" typeOfVariable="Text"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000008" name="wave" typeOfVariable="Text"/>`+
	`</Variables>`+
	`<Cases>`+
	`<Case guid="ca000000-0000-4000-8000-000000000001" name="Anna">`+
	value(1, "TextValue", "female")+value(2, "IntegerValue", "30")+value(3, "FloatValue", "1.70")+
	value(4, "BooleanValue", "1")+value(5, "DateValue", "2022-11-14")+value(6, "DateTimeValue", "2022-11-14T10:00:00Z")+
	`<SourceRef targetGUID="a0000000-0000-4000-8000-00000000000a"/><SourceRef targetGUID="b0000000-0000-4000-8000-00000000000b"/></Case>`+
	`<Case guid="ca000000-0000-4000-8000-000000000002">`+value(7, "TextValue", "Tbilisi")+
	`<SourceRef targetGUID="c0000000-0000-4000-8000-00000000000c"/></Case>`+
	`</Cases>`+
	`<Sources>`+
	`<TextSource guid="a0000000-0000-4000-8000-00000000000a" name="Interview A" creatingUser="{B1B1B1B1-0000-4000-8000-00000000000A}" creationDateTime="2024-05-06T07:30:00Z">`+
	`<Description>Recorded in a café.</Description>`+
	"<PlainTextContent>Cafe\u0301 society. Next line.</PlainTextContent>"+
	`<PlainTextSelection guid="5e000000-0000-4000-8000-0000000000a1" name="society" startPosition="6" endPosition="13" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a">`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000a1" creatingUser="b2b2b2b2-0000-4000-8000-00000000000b" creationDateTime="2024-05-06T09:00:00Z">`+
	`<CodeRef targetGUID="c0de0000-0000-4000-8000-000000000003"/><NoteRef targetGUID="e0000000-0000-4000-8000-000000000003"/></Coding></PlainTextSelection>`+
	`<PlainTextSelection guid="5e000000-0000-4000-8000-0000000000a2" name="Café" startPosition="0" endPosition="5" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a">`+
	`<Description>first word</Description>`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000a2"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000002"/></Coding>`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000a3" creatingUser="dead0000-0000-4000-8000-000000000000"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000004"/></Coding>`+
	`</PlainTextSelection>`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000a4" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/></Coding>`+
	`<NoteRef targetGUID="e0000000-0000-4000-8000-000000000002"/>`+
	value(8, "TextValue", "February")+
	`</TextSource>`+
	`<PDFSource guid="9d000000-0000-4000-8000-000000000001" name="Scan" path="internal://scan.pdf"/>`+
	`<TextSource guid="{B0000000-0000-4000-8000-00000000000B}" name="Interview B" plainTextPath="relative:///B.txt">`+
	`<PlainTextSelection guid="5e000000-0000-4000-8000-0000000000b1" name="hello" startPosition="5" endPosition="10">`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000b1" creatingUser="b2b2b2b2-0000-4000-8000-00000000000b"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>`+
	`<PlainTextSelection guid="5e000000-0000-4000-8000-0000000000b2" name="world" startPosition="11" endPosition="16">`+
	`<Coding guid="c1000000-0000-4000-8000-0000000000b2" creatingUser="b2b2b2b2-0000-4000-8000-00000000000b"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000003"/></Coding></PlainTextSelection>`+
	`</TextSource>`+
	`<AudioSource guid="9d000000-0000-4000-8000-000000000002" name="Recording" path="relative:///rec.m4a"/>`+
	`<TextSource guid="c0000000-0000-4000-8000-00000000000c" plainTextPath="c.txt"/>`+
	`<TextSource guid="d0000000-0000-4000-8000-00000000000d" name="Missing" plainTextPath="internal://gone.txt"/>`+
	`<TextSource guid="ee000000-0000-4000-8000-00000000000e" name="Interview A"><PlainTextContent>Another text with the same name.</PlainTextContent></TextSource>`+
	`<PictureSource guid="9d000000-0000-4000-8000-000000000003" name="Photo" path="internal://p.jpg"/>`+
	`</Sources>`+
	`<Notes>`+
	note(1, "Codes for why people left.")+note(2, "A talkative participant.")+note(3, "Strong word.")+
	note(4, "Project-wide note.")+note(5, "Loose note.")+
	`</Notes>`+
	`<Links><Link guid="11000000-0000-4000-8000-000000000001" originGUID="c0de0000-0000-4000-8000-000000000002" targetGUID="c0de0000-0000-4000-8000-000000000003"/></Links>`+
	`<Sets><Set guid="5e700000-0000-4000-8000-000000000001" name="S"><MemberCode targetGUID="c0de0000-0000-4000-8000-000000000001"/></Set></Sets>`+
	`<NoteRef targetGUID="e0000000-0000-4000-8000-000000000004"/>`)

func value(v int, kind, text string) string {
	return `<VariableValue><VariableRef targetGUID="f0000000-0000-4000-8000-00000000000` + strconv.Itoa(v) + `"/><` + kind + `>` + text + `</` + kind + `></VariableValue>`
}

func note(n int, text string) string {
	return `<Note guid="e0000000-0000-4000-8000-00000000000` + strconv.Itoa(n) + `" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a" creationDateTime="2024-05-06T10:00:00Z"><PlainTextContent>` + text + `</PlainTextContent></Note>`
}

// The ATLAS.ti fixture: CRLF in the file, a line break counted once.
var atlasQDE = qde("ATLAS.ti 9.1.3", `<CodeBook><Codes><Code guid="C32A2BD5-0000-4000-8000-000000000001" name="Line" isCodable="true"/></Codes></CodeBook>`+
	`<Sources><TextSource guid="a7000000-0000-4000-8000-000000000001" name="Doc A" plainTextPath="internal://a.txt">`+
	`<PlainTextSelection guid="a7000000-0000-4000-8000-0000000000e1" name="two is here" startPosition="15" endPosition="26"><Coding guid="a7000000-0000-4000-8000-0000000000c1"><CodeRef targetGUID="C32A2BD5-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>`+
	`<PlainTextSelection guid="a7000000-0000-4000-8000-0000000000e2" name="three" startPosition="33" endPosition="38"><Coding guid="a7000000-0000-4000-8000-0000000000c2"><CodeRef targetGUID="C32A2BD5-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>`+
	`</TextSource></Sources>`)

// The cases fixture, shaped as QualCoder writes cases (an empty
// Description, Text and Float values, SourceRefs for whole files) with
// what other programs add: a case over selections of a focus group (one
// uncoded selection per turn for Oleg, a coded part of a turn for
// Marina), and a case that refers to nothing (QualCoder writes no
// reference for a case tied to parts of texts).
const (
	casesInterview = "Interviewer: Where are you from?\nMaria: From Perm.\nInterviewer: And now?\nMaria: Tbilisi, since March.\n"
	casesFocus     = "Moderator: Who wants to start?\nOleg: I can.\nMarina: Me after him.\nOleg: We left in September.\n"
)

var casesQDE = qde("QualCoder 3.5", `<Users><User guid="b1b1b1b1-0000-4000-8000-00000000000a" name="cp"/></Users>`+
	`<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-0000000000a1" name="Order" isCodable="true"/></Codes></CodeBook>`+
	`<Variables>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000001" name="age" typeOfVariable="Float"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000002" name="gender" typeOfVariable="Text"/>`+
	`<Variable guid="f0000000-0000-4000-8000-000000000003" name="city" typeOfVariable="Text"/>`+
	`</Variables>`+
	`<Cases>`+
	`<Case guid="ca5e0000-0000-4000-8000-000000000001" name="Maria"><Description />`+
	value(1, "FloatValue", "31")+value(2, "TextValue", "female")+
	`<SourceRef targetGUID="50000000-0000-4000-8000-000000000001"/></Case>`+
	`<Case guid="ca5e0000-0000-4000-8000-000000000002" name="Oleg"><Description />`+
	value(1, "FloatValue", "34")+value(2, "TextValue", "male")+value(3, "TextValue", "Perm")+
	`<SelectionRef targetGUID="5e100000-0000-4000-8000-000000000001"/><SelectionRef targetGUID="5e100000-0000-4000-8000-000000000002"/></Case>`+
	`<Case guid="ca5e0000-0000-4000-8000-000000000003" name="Marina"><Description>Met twice.</Description>`+
	value(1, "FloatValue", "29")+
	`<SelectionRef targetGUID="5e100000-0000-4000-8000-000000000003"/></Case>`+
	`<Case guid="ca5e0000-0000-4000-8000-000000000004" name="Zaira"><Description />`+
	value(1, "FloatValue", "45")+value(2, "TextValue", "female")+value(3, "TextValue", "Kazan")+
	`</Case>`+
	`</Cases>`+
	`<Sources>`+
	`<TextSource guid="50000000-0000-4000-8000-000000000001" name="Interview 1" plainTextPath="internal://i1.txt" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a"/>`+
	`<TextSource guid="50000000-0000-4000-8000-000000000002" name="Focus group" plainTextPath="internal://fg.txt" creatingUser="b1b1b1b1-0000-4000-8000-00000000000a">`+
	`<PlainTextSelection guid="5e100000-0000-4000-8000-000000000001" name="Oleg: I can." startPosition="31" endPosition="43"/>`+
	`<PlainTextSelection guid="5e100000-0000-4000-8000-000000000002" name="Oleg: We left in September." startPosition="66" endPosition="93"/>`+
	sel("5e100000-0000-4000-8000-000000000003", "after him", 55, 64, "c0de0000-0000-4000-8000-0000000000a1")+
	`</TextSource>`+
	`</Sources>`)
