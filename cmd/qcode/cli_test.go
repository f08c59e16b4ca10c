package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests drive the command line through run, as a shell would, on
// real project folders in t.TempDir() with a real SQLite store. The
// project is given with -p and the coder as $QCODE_CODER (through
// runEnv, for this run only): the global --coder flag would also filter
// read commands to that coder's codings.

// defaultCoder is who makes the changes in qc.
const defaultCoder = "ana"

// qc runs qcode with args on the project dir as defaultCoder and returns
// what it wrote and the error it returned.
func qc(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return qcAs(t, dir, defaultCoder, args...)
}

// qcAs is qc for another coder. An empty dir runs without -p.
func qcAs(t *testing.T, dir, coder string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var full []string
	if dir != "" {
		full = append(full, "-p", dir)
	}
	full = append(full, args...)
	getenv := func(k string) string {
		if k == "QCODE_CODER" && coder != "" {
			return coder
		}
		return os.Getenv(k)
	}
	var out, errOut bytes.Buffer
	err = runEnv(context.Background(), full, getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustQC is qc that fails the test on an error.
func mustQC(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, err := qc(t, dir, args...)
	if err != nil {
		t.Fatalf("run(%q) = %v, want nil; stderr:\n%s", args, err, errOut)
	}
	return out
}

// qcJSON runs a command that prints JSON and decodes its output into v,
// failing unless stdout holds exactly one JSON document.
func qcJSON(t *testing.T, dir string, v any, args ...string) {
	t.Helper()
	out := mustQC(t, dir, args...)
	decodeOne(t, out, v, args)
}

func decodeOne(t *testing.T, out string, v any, args []string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("run(%q): stdout is not JSON: %v\n%s", args, err, out)
	}
	if dec.More() {
		t.Fatalf("run(%q): stdout holds more than one JSON document:\n%s", args, out)
	}
}

// wantErr runs a command that must fail and returns its error text and
// stderr.
func wantErr(t *testing.T, dir string, args ...string) (msg, stdout, stderr string) {
	t.Helper()
	out, errOut, err := qc(t, dir, args...)
	if err == nil {
		t.Fatalf("run(%q) = nil, want an error; stdout:\n%s", args, out)
	}
	return err.Error(), out, errOut
}

// The shapes of the JSON the commands print, as a script reads them.

type attrJSON struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

type docJSON struct {
	ID         int64      `json:"id"`
	GUID       string     `json:"guid"`
	Name       string     `json:"name"`
	Version    int        `json:"version"`
	Format     string     `json:"format"`
	Lang       string     `json:"lang"`
	Source     string     `json:"source"`
	Length     int        `json:"length"`
	Words      int        `json:"words"`
	Turns      int        `json:"turn_count"`
	Codings    int        `json:"coding_count"`
	Latest     bool       `json:"latest"`
	Attributes []attrJSON `json:"attributes"`
}

func (d docJSON) attr(key string) (attrJSON, bool) {
	for _, a := range d.Attributes {
		if a.Key == key {
			return a, true
		}
	}
	return attrJSON{}, false
}

type docsJSON struct {
	Documents []docJSON `json:"documents"`
}

type codeJSON struct {
	ID          int64  `json:"id"`
	GUID        string `json:"guid"`
	ParentID    int64  `json:"parent_id"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Color       string `json:"color"`
	Description string `json:"description"`
	Depth       int    `json:"depth"`
	Codings     int    `json:"codings"`
	Documents   int    `json:"documents"`
}

type codesJSON struct {
	Codes []codeJSON `json:"codes"`
}

type codingJSON struct {
	ID       int64  `json:"id"`
	GUID     string `json:"guid"`
	DocID    int64  `json:"doc_id"`
	Document string `json:"document"`
	CodeID   int64  `json:"code_id"`
	Code     string `json:"code"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Coder    string `json:"coder"`
}

type turnJSONOut struct {
	N       int    `json:"n"`
	Speaker string `json:"speaker"`
	Start   int    `json:"start"`
	Body    int    `json:"body"`
	End     int    `json:"end"`
	Time    string `json:"time"`
	TimeMS  *int64 `json:"time_ms"`
}

type memoJSON struct {
	ID       int64  `json:"id"`
	Target   string `json:"target"`
	TargetID int64  `json:"target_id"`
	Text     string `json:"text"`
	Coder    string `json:"coder"`
}

type showOut struct {
	Document docJSON       `json:"document"`
	Text     string        `json:"text"`
	Turns    []turnJSONOut `json:"turns"`
	Codings  []codingJSON  `json:"codings"`
	Memos    []memoJSON    `json:"memos"`
}

type quoteJSON struct {
	ID          string `json:"id"`
	CodingID    int64  `json:"coding_id"`
	Code        string `json:"code"`
	Document    string `json:"document"`
	DocGUID     string `json:"document_guid"`
	Version     int    `json:"version"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Line        int    `json:"line"`
	Turn        int    `json:"turn"`
	Speaker     string `json:"speaker"`
	Time        string `json:"time"`
	Coder       string `json:"coder"`
	Text        string `json:"text"`
	Attribution string `json:"attribution"`
	Memo        string `json:"memo"`
}

type quotesJSON struct {
	Quotes []quoteJSON `json:"quotes"`
}

type opJSON struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Coder string `json:"coder"`
}

type historyJSON struct {
	History []opJSON `json:"history"`
}

type importJSON struct {
	Files []struct {
		File     string `json:"file"`
		Status   string `json:"status"`
		Document string `json:"document"`
		Version  int    `json:"version"`
		Error    string `json:"error"`
		Carry    *struct {
			Moved    int `json:"moved"`
			Changed  int `json:"changed"`
			Orphaned int `json:"orphaned"`
		} `json:"carry"`
	} `json:"files"`
}

// Small readers of the listings.

func docs(t *testing.T, dir string, extra ...string) []docJSON {
	t.Helper()
	var v docsJSON
	qcJSON(t, dir, &v, append([]string{"docs", "--json"}, extra...)...)
	return v.Documents
}

func codes(t *testing.T, dir string) []codeJSON {
	t.Helper()
	var v codesJSON
	qcJSON(t, dir, &v, "codes", "--json")
	return v.Codes
}

func show(t *testing.T, dir, doc string) showOut {
	t.Helper()
	var v showOut
	qcJSON(t, dir, &v, "show", doc, "--json")
	return v
}

func quotes(t *testing.T, dir string, args ...string) []quoteJSON {
	t.Helper()
	var v quotesJSON
	qcJSON(t, dir, &v, append(append([]string{"quotes"}, args...), "--format", "json")...)
	return v.Quotes
}

func history(t *testing.T, dir string) []opJSON {
	t.Helper()
	var v historyJSON
	qcJSON(t, dir, &v, "history", "--json", "--limit", "1000")
	return v.History
}

func codeByPath(t *testing.T, cs []codeJSON, path string) codeJSON {
	t.Helper()
	for _, c := range cs {
		if c.Path == path {
			return c
		}
	}
	var paths []string
	for _, c := range cs {
		paths = append(paths, c.Path)
	}
	t.Fatalf("no code %q in the codebook %q", path, paths)
	return codeJSON{}
}

func codePaths(cs []codeJSON) []string {
	paths := []string{}
	for _, c := range cs {
		paths = append(paths, c.Path)
	}
	return paths
}

// newProject makes an empty project in a temporary folder.
func newProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "study.qcode")
	mustQC(t, "", "init", dir)
	return dir
}

// testdata returns the absolute path of a file or folder in testdata/, so
// a test may change its working directory.
func testdata(t *testing.T, elem ...string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(append([]string{"testdata"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeFile writes a transcript into dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
