package refiqda

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// minimal is a valid project.qde with one code and one text source whose
// file is sources/ok.txt, around which the hostile archives are built.
var minimal = qde("test", `<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="Code" isCodable="true"/></Codes></CodeBook>`+
	`<Sources><TextSource guid="0c000000-0000-4000-8000-000000000001" name="ok" plainTextPath="internal://ok.txt"/>%s</Sources>`)

func withSources(extra string) string { return strings.Replace(minimal, "%s", extra, 1) }

// hostile lists the archives under testdata/hostile/, by file name.
// The zip bombs are made only when bombs is set (they take seconds).
func hostile(t testing.TB, bombs bool) map[string][]byte {
	ok := entry{"sources/ok.txt", "A fine text.\n"}
	out := map[string][]byte{
		// Entries and paths that lead outside the archive.
		"zip-slip.qdpx": makeZip(t, entry{"project.qde", withSources(
			`<TextSource guid="0c000000-0000-4000-8000-000000000002" name="slip" plainTextPath="internal://../../evil.txt"/>` +
				`<TextSource guid="0c000000-0000-4000-8000-000000000003" name="../../escape" plainTextPath="internal://ok.txt"/>`)},
			ok, entry{"../../evil.txt", "outside\n"}, entry{"sources/../../evil.txt", "outside\n"}),
		"absolute.qdpx": makeZip(t, entry{"project.qde", withSources(
			`<TextSource guid="0c000000-0000-4000-8000-000000000002" name="abs" plainTextPath="absolute:///etc/passwd"/>` +
				`<TextSource guid="0c000000-0000-4000-8000-000000000003" name="abs2" plainTextPath="/etc/passwd"/>`)},
			ok, entry{"/etc/passwd", "root:x:0:0\n"}, entry{"C:/evil.txt", "x\n"}),
		"doctype.qdpx": makeZip(t, entry{"project.qde", `<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			`<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>`}, ok),
		"entity.qdpx":  makeZip(t, entry{"project.qde", `<Project xmlns="urn:QDA-XML:project:1.0" name="&lol;"/>`}, ok),
		"no-qde.qdpx":  makeZip(t, ok),
		"two-qde.qdpx": makeZip(t, entry{"a.qde", withSources("")}, entry{"b.qde", withSources("")}, ok),
		"deep.qdpx":    makeZip(t, entry{"project.qde", `<Project name="x">` + strings.Repeat("<a>", maxXMLDepth+1) + strings.Repeat("</a>", maxXMLDepth+1) + `</Project>`}, ok),
		"not-xml.qdpx": makeZip(t, entry{"project.qde", "PK this is not XML"}, ok),
		"not-zip.qdpx": []byte("This is a text file renamed .qdpx.\n"),
		"truncated.qdpx": func() []byte {
			z := makeZip(t, entry{"project.qde", withSources("")}, ok)
			return z[:len(z)/2]
		}(),
		// A source referenced but missing, one not UTF-8, one binary.
		"missing-source.qdpx": makeZip(t, entry{"project.qde", withSources(
			`<TextSource guid="0c000000-0000-4000-8000-000000000002" name="gone" plainTextPath="internal://gone.txt"/>` +
				`<TextSource guid="0c000000-0000-4000-8000-000000000003" name="latin1" plainTextPath="internal://latin1.txt"/>` +
				`<TextSource guid="0c000000-0000-4000-8000-000000000004" name="binary" plainTextPath="internal://bin.txt"/>`)},
			ok, entry{"sources/latin1.txt", "caf\xe9\n"}, entry{"sources/bin.txt", "a\x00b\n"}),
	}
	if bombs {
		// 64 MiB and a byte of text from 64 KiB.
		out["bomb-text.qdpx"] = makeZip(t, entry{"project.qde", withSources("")},
			entry{"sources/ok.txt", strings.Repeat("a", maxTextSize+1)})
		// project.qde over its cap.
		out["bomb-qde.qdpx"] = makeZip(t, entry{"project.qde", withSources("") + strings.Repeat(" ", maxQDESize)}, ok)
	}
	return out
}

// TestHostile reads each hostile archive and checks the outcome: a clear
// error that names the problem, or an import that warns and skips.
func TestHostile(t *testing.T) {
	tests := []struct {
		file    string
		err     string   // "" when the import goes ahead
		skipped []string // reasons of the sources skipped, in order
		warn    string   // a warning that must be given
		docs    int      // documents imported, each "A fine text."; default 1
	}{
		{file: "zip-slip.qdpx", skipped: []string{`path "internal://../../evil.txt" leads outside the archive`}, warn: `ignored archive entry "../../evil.txt"`, docs: 2},
		{file: "absolute.qdpx", skipped: []string{"absolute:///etc/passwd is outside the archive", `path "/etc/passwd" leads outside`}, warn: `ignored archive entry "/etc/passwd"`},
		{file: "bomb-text.qdpx", err: "sources/ok.txt inflates beyond 64 MiB"},
		{file: "bomb-qde.qdpx", err: "project.qde inflates beyond 256 MiB"},
		{file: "doctype.qdpx", err: "project.qde: XML with a DOCTYPE or ENTITY declaration is refused"},
		{file: "entity.qdpx", err: "project.qde: XML syntax error on line 1: invalid character entity &lol;"},
		{file: "no-qde.qdpx", err: "no project.qde in the archive"},
		{file: "two-qde.qdpx", err: "2 .qde files in the archive and none called project.qde"},
		{file: "deep.qdpx", err: "XML nested deeper than 1000 elements"},
		{file: "not-xml.qdpx", err: "project.qde: no XML in it"},
		{file: "not-zip.qdpx", err: "not a zip archive"},
		{file: "truncated.qdpx", err: "not a zip archive"},
		{file: "missing-source.qdpx", skipped: []string{"internal://gone.txt is missing from the archive", "sources/latin1.txt is not UTF-8 text (bad byte at offset 3)", "sources/bin.txt holds NUL bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "hostile", tt.file)
			snap, rep, err := ReadProject(path)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("ReadProject(%s) succeeded; want an error with %q", tt.file, tt.err)
				}
				if !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), path) || !errors.Is(err, ErrHostile) {
					t.Fatalf("ReadProject(%s) error = %q; want ErrHostile naming the file and %q", tt.file, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadProject(%s): %v", tt.file, err)
			}
			if tt.docs == 0 {
				tt.docs = 1
			}
			if len(snap.Documents) != tt.docs {
				t.Errorf("%d documents; want %d", len(snap.Documents), tt.docs)
			}
			for _, d := range snap.Documents {
				if d.Text != "A fine text.\n" {
					t.Errorf("document %s holds %q; want only the fine text", d.Name, d.Text)
				}
			}
			var reasons []string
			for _, s := range rep.Skipped {
				reasons = append(reasons, s.Reason)
			}
			if len(reasons) != len(tt.skipped) {
				t.Fatalf("skipped %q; want %d like %q", reasons, len(tt.skipped), tt.skipped)
			}
			for i, want := range tt.skipped {
				if !strings.Contains(reasons[i], want) {
					t.Errorf("skipped[%d] = %q; want it to say %q", i, reasons[i], want)
				}
			}
			if tt.warn != "" && !strings.Contains(strings.Join(rep.Warnings, "\n"), tt.warn) {
				t.Errorf("warnings %q; want one with %q", rep.Warnings, tt.warn)
			}
		})
	}
}

// TestHostileNames checks that a source named like a path becomes a
// harmless document name (the store names a file in sources/ after it).
func TestHostileNames(t *testing.T) {
	snap, _, err := ReadProject(filepath.Join("testdata", "hostile", "zip-slip.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Documents {
		if strings.ContainsAny(d.Name, `/\`) || strings.HasPrefix(d.Name, ".") {
			t.Errorf("document name %q could name a path", d.Name)
		}
	}
}

// TestHostileControlNames reads a project whose names hold characters a
// terminal acts on (U+009B starts an escape sequence) or that reverse the
// text around them (U+202E): the names come without them, as they read.
func TestHostileControlNames(t *testing.T) {
	body := `<Users><User guid="b7000000-0000-4000-8000-000000000001" name="ev` + "\u009b" + `il` + "\u202e" + `"/></Users>` +
		`<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="Co` + "\u2066" + `de" isCodable="true"/></Codes></CodeBook>` +
		`<Sources><TextSource guid="0c000000-0000-4000-8000-000000000001" name="Doc` + "\u009b" + `31m A` + "\u202e" + `" plainTextPath="internal://ok.txt">` +
		`<PlainTextSelection guid="5e100000-0000-4000-8000-000000000001" startPosition="0" endPosition="4">` +
		`<Coding guid="c0d10000-0000-4000-8000-000000000001" creatingUser="b7000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/></Coding>` +
		`</PlainTextSelection></TextSource></Sources>`
	data := makeZip(t, entry{"project.qde", strings.Replace(qde("test", body), `name="fixture"`, `name="fix`+"\u202e"+`ture"`, 1)},
		entry{"sources/ok.txt", "A fine text.\n"})
	snap, _, err := readProject("control.qdpx", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	names = append(names, snap.Name)
	for _, c := range snap.Coders {
		names = append(names, c.Name)
	}
	for _, c := range snap.Codes {
		names = append(names, c.Name)
	}
	for _, d := range snap.Documents {
		names = append(names, d.Name)
	}
	want := []string{"fixture", "evil", "Code", "Doc31m A"}
	if !slices.Equal(names, want) {
		t.Errorf("names read = %q, want %q", names, want)
	}
}

func TestReadProjectFolder(t *testing.T) {
	dir := t.TempDir()
	_, _, err := ReadProject(dir)
	if err == nil || !strings.Contains(err.Error(), "a folder, not a .qdpx file") {
		t.Errorf("ReadProject(folder) error = %v", err)
	}
	_, _, err = ReadProject(filepath.Join(dir, "none.qdpx"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadProject(missing) error = %v; want not exist", err)
	}
}

// TestDeclaredEncoding reads a codebook and a project that declare
// windows-1252 but hold only ASCII, as some exporters write: the text is
// the same in UTF-8, so both read. A byte that is not UTF-8 is refused.
func TestDeclaredEncoding(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="windows-1252"?>` + "\n"
	codebook := decl + `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a1000000-0000-4000-8000-000000000001" name="Fear" isCodable="true"/></Codes></CodeBook>`
	codes, _, err := ReadCodebook(strings.NewReader(codebook), "cp1252.qdc")
	if err != nil || len(codes) != 1 || codes[0].Name != "Fear" {
		t.Errorf("ReadCodebook(cp1252.qdc) = %+v, %v; want the code Fear", codes, err)
	}
	project := strings.Replace(minimal, `<?xml version="1.0" encoding="UTF-8"?>`+"\n", decl, 1)
	project = strings.Replace(project, "%s", "", 1)
	data := makeZip(t, entry{"project.qde", project}, entry{"sources/ok.txt", "A fine text.\n"})
	snap, _, err := readProject("cp1252.qdpx", bytes.NewReader(data), int64(len(data)))
	if err != nil || len(snap.Documents) != 1 {
		t.Errorf("readProject(cp1252.qdpx) = %v; want its document", err)
	}
	latin := strings.Replace(project, `name="ok"`, "name=\"caf\xe9\"", 1)
	data = makeZip(t, entry{"project.qde", latin}, entry{"sources/ok.txt", "A fine text.\n"})
	if _, _, err := readProject("latin.qdpx", bytes.NewReader(data), int64(len(data))); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("readProject(latin.qdpx) = %v; want an error saying it is not UTF-8", err)
	}
}
