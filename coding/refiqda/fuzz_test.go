package refiqda

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// fuzzFiles are the text files of every fixture, so that the fuzzer's
// project.qde has sources to find.
var fuzzFiles = []entry{
	{"Sources/" + nvivoSource + ".txt", nvivoText},
	{"Sources/B.txt", "\uFEFF😀😀 hello world\n"},
	{"sources/c.txt", "Third text, from a case without a name.\n"},
	{"sources/a.txt", "Line one.\r\nLine two is here.\r\nLine three.\r\n"},
	{"sources/ok.txt", "A fine text.\n"},
	{"sources/i1.txt", casesInterview},
	{"sources/fg.txt", casesFocus},
}

// FuzzProjectXML feeds arbitrary project.qde files to the reader. Whatever
// it accepts must be a consistent snapshot that WriteProject can write and
// ReadProject read back with the same codings and memos.
func FuzzProjectXML(f *testing.F) {
	// The fixtures, not the shared samples: the fuzzer minimises every
	// new input, which takes minutes on an 80 KB seed.
	for _, s := range []string{nvivoQDE, tolerantQDE, atlasQDE, casesQDE, withSources("")} {
		f.Add([]byte(s))
	}
	// Sources with a times block (times.go), a good one and a garbled one.
	f.Add([]byte(timesSource("Second interview.\n\nqcode times:\n0-32@00:00:01.000-00:00:02.000 20@00:00:01.500\n40-44@00:00:03.000 45-50@00:00:04.000\n73-101@01:00:00.000-01:00:30.250")))
	f.Add([]byte(timesSource("qcode times:\n0-32@00:00:01.000 x@y 5@99:99:99.999 500@00:00:01.000 3-10@00:00:01.000 99999999999999999999@00:00:01.000 20@00:00:05.000 20@00:00:06.000")))
	f.Fuzz(func(t *testing.T, data []byte) {
		z := storedZip(t, append([]entry{{"project.qde", string(data)}}, fuzzFiles...)...)
		snap, _, err := readProject("fuzz.qdpx", bytes.NewReader(z), int64(len(z)))
		if err != nil {
			return
		}
		checkSnapshot(t, snap)
		var buf bytes.Buffer
		if err := WriteProject(&buf, snap, ProjectOptions{}); err != nil {
			t.Fatalf("WriteProject of an accepted file: %v", err)
		}
		back, rep, err := readProject("again.qdpx", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("reading our own export: %v", err)
		}
		if len(rep.Mismatches) != 0 || len(rep.Skipped) != 0 {
			t.Fatalf("reading our own export reported %+v", rep)
		}
		if len(back.Cases) != len(snap.Cases) || people(back) != people(snap) {
			t.Fatalf("round trip: cases and speakers\n%s\nwere\n%s", people(back), people(snap))
		}
		for i, d := range back.Documents {
			if len(d.Turns)+len(d.Anchors) == 0 && i < len(snap.Documents) && len(snap.Documents[i].Turns) > 0 && timesBlock(snap.Documents[i]) == "" {
				continue // turns without times, which Merge finds again
			}
			if i < len(snap.Documents) && strings.Join(timesOf(d), "\n") != strings.Join(timesOf(snap.Documents[i]), "\n") {
				t.Fatalf("round trip: times of %s\n%s\nwere\n%s", d.Name, strings.Join(timesOf(d), "\n"), strings.Join(timesOf(snap.Documents[i]), "\n"))
			}
		}
		if len(back.Codings) != len(snap.Codings) || len(back.Memos) != len(snap.Memos) || len(back.Documents) != len(snap.Documents) {
			t.Fatalf("round trip: %d/%d/%d codings/memos/documents, was %d/%d/%d",
				len(back.Codings), len(back.Memos), len(back.Documents), len(snap.Codings), len(snap.Memos), len(snap.Documents))
		}
	})
}

// storedZip builds an archive without compression (cheap for the fuzzer).
func storedZip(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// people lists the speakers tied to cases, by document name and case
// name, and the cases' attributes.
func people(snap *coding.Snapshot) string {
	return strings.Join(peopleOf(snap), "\n")
}
