package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
)

// The pseudonymised project: two interviews, one Russian and one
// English, whose names come in several case forms (Анна, Анны, Анне,
// Анну, Анной), inside longer words that must stay (Ганна, sashimi),
// as speaker labels, in attributes, memos and document names, with a
// first name and a full name as overlapping entries, one entry limited
// to one document, and codings that begin or end inside a name.

// pxEntries is the key of the test project.
var pxEntries = []pseudo.Entry{
	{Real: "Анна", Pseudonym: "[Participant 1]", Kind: pseudo.Person},
	{Real: "Мария Соколова", Pseudonym: "[Friend A]", Kind: pseudo.Person},
	{Real: "Мария", Pseudonym: "[Friend A]", Kind: pseudo.Person},
	{Real: "Самара", Pseudonym: "[город]", Kind: pseudo.Place},
	{Real: "Мемориал", Pseudonym: "[организация]", Kind: pseudo.Org},
	{Real: "Лена", Pseudonym: "[Sister]", Kind: pseudo.Person, Doc: "R01 Анна"},
	{Real: "John Smith", Pseudonym: "[Participant 2]", Kind: pseudo.Person},
	{Real: "John", Pseudonym: "[Participant 2]", Kind: pseudo.Person},
	{Real: "Sasha", Pseudonym: "[Colleague]", Kind: pseudo.Person},
	{Real: "Acme Corp", Pseudonym: "[company]", Kind: pseudo.Org},
	{Real: "Novosibirsk", Pseudonym: "[city]", Kind: pseudo.Place},
	{Real: "Anna Petrova", Pseudonym: "[Friend B]", Kind: pseudo.Person},
}

// pxProject builds the project and its key (outside the project)
// and returns the project folder and the key file.
func pxProject(t *testing.T) (dir, keyFile string) {
	t.Helper()
	dir = newProject(t)
	mustQC(t, dir, "import", testdata(t, "pseudonymise", "R01 Анна.txt"), "--lang", "ru",
		"--attr", "gender=female", "--attr", "age=30", "--attr", "occupation=юрист «Мемориала»", "--attr", "participant=Анна")
	mustQC(t, dir, "import", testdata(t, "pseudonymise", "R02 John Smith.txt"), "--lang", "en",
		"--attr", "gender=male", "--attr", "age=41", "--attr", "occupation=engineer at Acme Corp", "--attr", "participant=John Smith")
	tag := func(doc, code, match string, extra ...string) {
		t.Helper()
		mustQC(t, dir, append([]string{"tag", doc, code, "--match", match, "--create"}, extra...)...)
	}
	tag("R01 Анна", "Leaving", "Мы уехали из Самары в марте.", "--memo", "Анна говорит о Самаре")
	tag("R01 Анна", "Fear of repression", "Потом Анне позвонили из полиции.")
	tag("R01 Анна", "Fear of repression", "С Анной всё хорошо, сказала Мария.")
	tag("R01 Анна", "Networks", "Подруга Анны, Мария Соколова, работала в «Мемориале».")
	tag("R01 Анна", "Networks/Мемориал", "работала в «Мемориале»")
	tag("R02 John Smith", "Work", "I worked with Sasha at Acme Corp in Novosibirsk.")
	tag("R02 John Smith", "Leaving", "John never went back, and Anna Petrova says I should not.")
	// Codings that begin and end inside names: "нны, Мария Сокол" and
	// "ith: I wor".
	text := show(t, dir, "R01 Анна").Text
	s := pxRuneIndex(t, text, "нны, Мария")
	mustQC(t, dir, "tag", "R01 Анна", "Networks", "--span", fmt.Sprintf("%d:%d", s, s+len([]rune("нны, Мария Сокол"))))
	text = show(t, dir, "R02 John Smith").Text
	s = pxRuneIndex(t, text, "ith: I worked")
	mustQC(t, dir, "tag", "R02 John Smith", "Work", "--span", fmt.Sprintf("%d:%d", s, s+len([]rune("ith: I wor"))))
	mustQC(t, dir, "memo", "add", "Мария и Sasha знакомы", "--doc", "R01 Анна")

	keyFile = filepath.Join(t.TempDir(), "key.json")
	pxAddKey(t, dir, keyFile, pxEntries)
	return dir, keyFile
}

// pxAddKey puts entries in the key file and in force in the
// project, as 'qcode pseudo add' does.
func pxAddKey(t *testing.T, dir, keyFile string, entries []pseudo.Entry) {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: defaultCoder})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k, err := pseudo.KeyFor(ctx, s, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		e, err := k.Put(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPseudonymEntry(ctx, coding.PseudonymEntry{EntryID: e.ID, Pseudonym: e.Pseudonym, Kind: string(e.Kind), Doc: e.Doc}); err != nil {
			t.Fatal(err)
		}
	}
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
}

func pxRuneIndex(t *testing.T, text, sub string) int {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in the text", sub)
	}
	return len([]rune(text[:i]))
}

// pxLeakMatcher finds every entry of the key in any document.
func pxLeakMatcher() *pseudo.Matcher {
	es := make([]pseudo.Entry, len(pxEntries))
	for i, e := range pxEntries {
		e.ID = fmt.Sprint(i)
		e.Doc = ""
		es[i] = e
	}
	return pseudo.NewMatcher(es)
}

var pxXMLTag = regexp.MustCompile(`<[^>]*>`)

// pxTexts is what a reader of the output reads: each text file of a
// zip (.docx, .qdpx) with its XML tags taken out and its entities
// decoded, every string of a JSON document, or the file's text.
func pxTexts(t *testing.T, name string, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	if bytes.HasPrefix(data, []byte("PK")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			s := string(b)
			if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".qde") || strings.HasSuffix(f.Name, ".rels") {
				// Each tag becomes a space, so that words of two
				// elements do not run together, nor apart.
				s = html.UnescapeString(pxXMLTag.ReplaceAllString(s, " "))
				out[name+":"+f.Name+" (attributes)"] = html.UnescapeString(string(b))
			}
			out[name+":"+f.Name] = s
		}
		return out
	}
	out[name] = string(data)
	var v any
	if json.Unmarshal(data, &v) == nil {
		var strs []string
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				strs = append(strs, v)
			case []any:
				for _, x := range v {
					walk(x)
				}
			case map[string]any:
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					strs = append(strs, k)
					walk(v[k])
				}
			}
		}
		walk(v)
		out[name+" (strings)"] = strings.Join(strs, "\n")
	}
	return out
}

// pxLeaks lists the real values found in an output.
func pxLeaks(t *testing.T, name string, data []byte) []string {
	t.Helper()
	m := pxLeakMatcher()
	var found []string
	for part, text := range pxTexts(t, name, data) {
		for _, mt := range m.Find("", text) {
			found = append(found, fmt.Sprintf("%s: %q (%s)", part, []rune(text)[mt.Start:mt.End], mt.Entry.Real))
		}
	}
	sort.Strings(found)
	return found
}

// pxCheck runs 'qcode pseudo check' on file: found is set when it
// reported a real value.
func pxCheck(t *testing.T, dir, keyFile, file string) (found bool, out string) {
	t.Helper()
	stdout, stderr, err := qc(t, dir, "pseudo", "check", "--key", keyFile, file)
	if err != nil && !strings.Contains(stderr, "do not send them") {
		t.Fatalf("pseudo check %s: %v\n%s%s", file, err, stdout, stderr)
	}
	return err != nil, stdout + stderr
}

// pxExport is one export as a test runs it: the arguments, and the
// file it writes ("" for standard output).
type pxExport struct {
	name string
	args []string
	file string
}

func pxExports(t *testing.T, dir string) []pxExport {
	t.Helper()
	codes := []string{"Leaving", "Fear of repression", "Networks", "Work"}
	out := t.TempDir()
	var ex []pxExport
	for _, f := range []string{"md", "latex", "csv", "json", "docx"} {
		file := filepath.Join(out, "quotes."+f)
		ex = append(ex, pxExport{"quotes " + f, append(append([]string{"quotes"}, codes...), "--format", f, "--context", "1", "-o", file), file})
	}
	ex = append(ex, pxExport{"quotes latex standalone", append(append([]string{"quotes"}, codes...), "--format", "latex", "--standalone"), ""})
	for _, f := range []string{"md", "csv", "json", "qdc"} {
		file := filepath.Join(out, "codebook."+f)
		ex = append(ex, pxExport{"codebook " + f, []string{"export", "codebook", "--format", f, "--examples", "9", "-o", file}, file})
	}
	ex = append(ex,
		pxExport{"project qdpx", []string{"export", "project", "-o", filepath.Join(out, "study.qdpx")}, filepath.Join(out, "study.qdpx")},
		pxExport{"search json", []string{"search", "уехали OR позвонили OR worked OR back OR соседи", "--json", "--limit", "0"}, ""},
		pxExport{"search", []string{"search", "уехали OR позвонили OR worked OR back OR соседи", "--limit", "0"}, ""},
		pxExport{"search by name", []string{"search", "Анну", "--json"}, ""},
		pxExport{"show R01", []string{"show", "R01 Анна"}, ""},
		pxExport{"show R01 json", []string{"show", "R01 Анна", "--json"}, ""},
		pxExport{"show R02 json", []string{"show", "R02 John Smith", "--json"}, ""},
	)
	for i, q := range quotes(t, dir, codes...) {
		ex = append(ex, pxExport{fmt.Sprintf("show quote %d", i+1), []string{"show", q.ID}, ""},
			pxExport{fmt.Sprintf("show quote %d json", i+1), []string{"show", q.ID, "--json"}, ""})
	}
	return ex
}

// TestPseudonymiseExports is the promise of --pseudonymise: no export
// carries a real value of the key, in any case form, and the same
// exports without it do (so the check can fail).
func TestPseudonymiseExports(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	for _, e := range pxExports(t, dir) {
		t.Run(e.name, func(t *testing.T) {
			read := func(stdout string) []byte {
				if e.file == "" {
					return []byte(stdout)
				}
				b, err := os.ReadFile(e.file)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			plain := read(mustQC(t, dir, e.args...))
			if len(pxLeaks(t, e.name, plain)) == 0 {
				t.Fatalf("%v without --pseudonymise: no real value found; the check cannot fail:\n%s", e.args, plain)
			}
			plainFile := writeFile(t, t.TempDir(), "plain"+filepath.Ext(e.file), string(plain))
			if found, out := pxCheck(t, dir, keyFile, plainFile); !found {
				t.Errorf("pseudo check on %v without --pseudonymise found nothing:\n%s", e.args, out)
			}

			got := read(mustQC(t, dir, append(e.args, "--pseudonymise", "--key", keyFile)...))
			if l := pxLeaks(t, e.name, got); len(l) > 0 {
				t.Errorf("%v --pseudonymise pxLeaks:\n%s\n\n%s", e.args, strings.Join(l, "\n"), got)
			}
			if !pxHasPseudonym(t, e.name, got) {
				t.Errorf("%v --pseudonymise: no pseudonym in the output:\n%s", e.args, got)
			}
			file := e.file
			if file == "" {
				file = writeFile(t, t.TempDir(), "out.txt", string(got))
			}
			if found, out := pxCheck(t, dir, keyFile, file); found {
				t.Errorf("pseudo check on %v --pseudonymise found:\n%s", e.args, out)
			}
		})
	}
}

// pxHasPseudonym reports whether an output holds a pseudonym of the key.
func pxHasPseudonym(t *testing.T, name string, data []byte) bool {
	for _, text := range pxTexts(t, name, data) {
		// Markdown escapes the brackets.
		text = strings.ReplaceAll(text, `\`, "")
		for _, e := range pxEntries {
			if strings.Contains(text, e.Pseudonym) {
				return true
			}
		}
	}
	return false
}

// pxMatcher is the matcher of the project's key in force.
func pxMatcher(t *testing.T, dir, keyFile string) *pseudo.Matcher {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: defaultCoder})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k, err := pseudo.KeyFor(ctx, s, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return pseudo.NewMatcher(k.Entries)
}

// TestPseudonymiseQDPXRoundTrip: a pseudonymised .qdpx imported again
// holds each document's replaced text, and each coding holds the
// replaced text of its original: positions were moved with the text,
// also for codings that begin or end inside a name.
func TestPseudonymiseQDPXRoundTrip(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	file := filepath.Join(t.TempDir(), "study.qdpx")
	mustQC(t, dir, "export", "project", "-o", file, "--pseudonymise", "--key", keyFile)
	back := filepath.Join(t.TempDir(), "back.qcode")
	mustQC(t, "", "import-project", file, back)

	m := pxMatcher(t, dir, keyFile)
	imported := map[string]showOut{}
	for _, d := range docs(t, back) {
		imported[d.Name] = show(t, back, fmt.Sprint(d.ID))
	}
	var all []string
	for _, d := range docs(t, dir) {
		orig := show(t, dir, d.Name)
		text, ms := m.Replace(d.Name, orig.Text)
		name, _ := m.Replace(d.Name, d.Name)
		got, ok := imported[name]
		if !ok {
			t.Fatalf("document %s came back as %v, want %q", d.Name, pxKeys(imported), name)
		}
		if got.Text != text {
			t.Errorf("%s: imported text\n%s\nwant\n%s", name, got.Text, text)
		}
		want := map[string]int{}
		for _, c := range orig.Codings {
			s, e := pseudo.Shift(ms, c.Start, true), pseudo.Shift(ms, c.End, false)
			code, _ := m.Replace("", c.Code)
			want[fmt.Sprintf("%s %q", code, coding.Slice(text, s, e))]++
		}
		have := map[string]int{}
		for _, c := range got.Codings {
			sel := coding.Slice(got.Text, c.Start, c.End)
			all = append(all, sel)
			have[fmt.Sprintf("%s %q", c.Code, sel)]++
		}
		for k, n := range want {
			if have[k] != n {
				t.Errorf("%s: coding %s imported %d times, want %d; imported: %v", name, k, have[k], n, have)
			}
		}
		if len(got.Codings) != len(orig.Codings) {
			t.Errorf("%s: %d codings imported, want %d", name, len(got.Codings), len(orig.Codings))
		}
	}
	// The codings that begin or end inside a name cover whole pseudonyms.
	for _, w := range []string{"[Participant 1], [Friend A]", "[Participant 2]: I wor", "Мы уехали из [город] в марте."} {
		found := false
		for _, s := range all {
			found = found || s == w
		}
		if !found {
			t.Errorf("no imported coding holds %q; they hold %q", w, all)
		}
	}
	for _, s := range all {
		if l := pxLeakMatcher().Find("", s); len(l) > 0 {
			t.Errorf("imported coding %q holds a real value", s)
		}
	}
}

func pxKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestPseudonymiseQuoteIDs: a pseudonymised quote has the id of the real
// passage, so 'qcode show ID' finds a quote cited from a pseudonymised
// export; its text is the pseudonymised passage.
func TestPseudonymiseQuoteIDs(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	codes := []string{"Leaving", "Fear of repression", "Networks", "Work"}
	real := quotes(t, dir, codes...)
	var res quotesJSON
	qcJSON(t, dir, &res, append(append([]string{"quotes"}, codes...), "--json", "--pseudonymise", "--key", keyFile)...)
	got := res.Quotes
	if len(got) != len(real) || len(got) == 0 {
		t.Fatalf("%d pseudonymised quotes, want %d", len(got), len(real))
	}
	m := pxMatcher(t, dir, keyFile)
	for i, q := range got {
		r := real[i]
		if q.ID != r.ID {
			t.Errorf("quote %d: id %s, want the real passage's %s", i, q.ID, r.ID)
		}
		text := show(t, dir, r.Document).Text
		ptext, ms := m.Replace(r.Document, text)
		if want := coding.Slice(ptext, pseudo.Shift(ms, r.Start, true), pseudo.Shift(ms, r.End, false)); q.Text != want {
			t.Errorf("quote %s: text %q, want %q", q.ID, q.Text, want)
		}
		if want := pseudo.Shift(ms, r.Start, true); q.Start != want {
			t.Errorf("quote %s: start %d, want %d (in the pseudonymised text)", q.ID, q.Start, want)
		}
		out := mustQC(t, dir, "show", q.ID, "--pseudonymise", "--key", keyFile)
		if !strings.Contains(out, q.ID) {
			t.Errorf("show %s --pseudonymise:\n%s", q.ID, out)
		}
	}
}

// TestEncryptTo: --encrypt-to writes age-encrypted output that the
// recipient's identity decrypts to the same bytes as the plain export;
// a file gets .age added to its name unless it ends so.
func TestEncryptTo(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	rcpt := id.Recipient().String()
	out := t.TempDir()
	decrypt := func(t *testing.T, data []byte, ids ...age.Identity) ([]byte, error) {
		t.Helper()
		r, err := age.Decrypt(bytes.NewReader(data), ids...)
		if err != nil {
			return nil, err
		}
		return io.ReadAll(r)
	}
	// Each export is run encrypted and plain; args end in the output
	// file's name when there is one, which plain replaces.
	tests := []struct {
		name    string
		args    []string
		written string // where the encrypted output is ("": standard output)
		plain   string // where the plain one goes ("": standard output)
	}{
		{"quotes md", []string{"quotes", "Leaving", "-o", filepath.Join(out, "q.md")}, filepath.Join(out, "q.md.age"), filepath.Join(out, "plain.md")},
		{"quotes docx stdout", []string{"quotes", "Leaving", "--format", "docx"}, "", ""},
		{"codebook", []string{"export", "codebook", "--format", "json", "-o", filepath.Join(out, "cb.json")}, filepath.Join(out, "cb.json.age"), filepath.Join(out, "plain.json")},
		{"project .age", []string{"export", "project", "-o", filepath.Join(out, "p.qdpx.age")}, filepath.Join(out, "p.qdpx.age"), filepath.Join(out, "plain.qdpx")},
		{"project stdout", []string{"export", "project", "-o", "-"}, "", ""},
		{"search", []string{"search", "уехали", "--json"}, "", ""},
		{"show", []string{"show", "R01 Анна", "--pseudonymise", "--key", keyFile}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout := mustQC(t, dir, append(tc.args, "--encrypt-to", rcpt)...)
			enc := []byte(stdout)
			if tc.written != "" {
				var err error
				if enc, err = os.ReadFile(tc.written); err != nil {
					t.Fatalf("%v --encrypt-to: %v", tc.args, err)
				}
				if plain := tc.args[len(tc.args)-1]; plain != tc.written {
					if _, err := os.Stat(plain); err == nil {
						t.Errorf("%v --encrypt-to also wrote the plain %s", tc.args, plain)
					}
				}
			}
			if !bytes.HasPrefix(enc, []byte("age-encryption.org/v1\n")) {
				t.Fatalf("%v --encrypt-to: not an age file: %.80q", tc.args, enc)
			}
			if _, err := decrypt(t, enc, other); err == nil {
				t.Errorf("%v --encrypt-to: another identity decrypts it", tc.args)
			}
			got, err := decrypt(t, enc, id)
			if err != nil {
				t.Fatalf("decrypt: %v", err)
			}
			var want []byte
			if tc.plain == "" {
				want = []byte(mustQC(t, dir, tc.args...))
			} else {
				args := append(append([]string{}, tc.args[:len(tc.args)-1]...), tc.plain)
				mustQC(t, dir, args...)
				if want, err = os.ReadFile(tc.plain); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%v --encrypt-to decrypts to %d bytes, want the plain export's %d", tc.args, len(got), len(want))
			}
		})
	}
}

// TestExportFlagsRefused: bad flags are refused before anything is
// written, naming the flag and the reason.
func TestExportFlagsRefused(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	var other [2]string
	for i := range other {
		other[i] = newProject(t)
		mustQC(t, other[i], "import", testdata(t, "pseudonymise", "R01 Анна.txt"))
		mustQC(t, other[i], "tag", "R01 Анна", "Leaving", "--match", "Мы уехали", "--create")
	}
	empty := other[1]

	// The key of another project, and one readable by others.
	foreign := filepath.Join(t.TempDir(), "foreign.json")
	pxAddKey(t, other[0], foreign, pxEntries[:1])
	open := filepath.Join(t.TempDir(), "open.json")
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(open, b, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o644)
	// A key that lacks the entries the project has in force.
	lacking := filepath.Join(t.TempDir(), "lacking.json")
	kf := map[string]any{}
	if err := json.Unmarshal(b, &kf); err != nil {
		t.Fatal(err)
	}
	kf["entries"] = []any{}
	lb, _ := json.Marshal(kf)
	if err := os.WriteFile(lacking, lb, 0o600); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "q.md")
	tests := []struct {
		name string
		dir  string
		args []string
		want string
	}{
		{"key without pseudonymise", dir, []string{"quotes", "Leaving", "-o", out, "--key", keyFile}, "--key names the pseudonym key for --pseudonymise"},
		{"not an age key", dir, []string{"quotes", "Leaving", "-o", out, "--encrypt-to", "age1notakey"}, `--encrypt-to "age1notakey": not an age public key`},
		{"ssh key", dir, []string{"export", "codebook", "-o", out, "--encrypt-to", "ssh-ed25519 AAAA"}, "not an age public key"},
		{"no pseudonyms", empty, []string{"quotes", "Leaving", "-o", out, "--pseudonymise", "--key", filepath.Join(t.TempDir(), "none.json")}, "has no pseudonyms yet"},
		{"key of another project", dir, []string{"quotes", "Leaving", "-o", out, "--pseudonymise", "--key", foreign}, "not to this one"},
		{"key readable by others", dir, []string{"show", "R01 Анна", "--pseudonymise", "--key", open}, "chmod 600"},
		{"key lacking entries", dir, []string{"search", "уехали", "--pseudonymise", "--key", lacking}, "the key lacks pseudonyms the project has in force"},
		{"key inside the project", dir, []string{"export", "project", "-o", out, "--pseudonymise", "--key", filepath.Join(dir, "key.json")}, "inside the project folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, stdout, _ := wantErr(t, tc.dir, tc.args...)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("%v: error %q, want it to say %q", tc.args, msg, tc.want)
			}
			if stdout != "" {
				t.Errorf("%v: printed %q before failing", tc.args, stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%v: wrote %s", tc.args, out)
			}
		})
	}
}

// TestPseudonymiseGolden: pseudonymised outputs as a reader sees them
// (quote ids and GUIDs, fresh in each project, numbered), and the same
// bytes from a second run.
func TestPseudonymiseGolden(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	codes := []string{"Leaving", "Fear of repression", "Networks", "Work"}
	tests := []struct {
		name string
		args []string
	}{
		{"quotes.md", append(append([]string{"quotes"}, codes...), "--context", "1")},
		{"quotes.csv", append(append([]string{"quotes"}, codes...), "--format", "csv")},
		{"codebook.md", []string{"export", "codebook", "--examples", "3"}},
		{"show.txt", []string{"show", "R01 Анна"}},
		{"search.json", []string{"search", "соседи OR worked", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args, "--pseudonymise", "--key", keyFile)
			raw := qcAll(t, dir, args...)
			if again := qcAll(t, dir, args...); again != raw {
				t.Errorf("%v gives other bytes the second time", tt.args)
			}
			got := []byte(stableIDs(raw))
			path := filepath.Join("testdata", "pseudonymise", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%v differs from %s; got:\n%s", tt.args, path, got)
			}
		})
	}
}
