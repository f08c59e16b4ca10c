// Package pseudo replaces what identifies a participant (a name, a town,
// a workplace) with a bracketed pseudonym. The key that pairs each real
// value with its pseudonym lives outside the project folder; the project
// only records which entries of the key are in force, so adding and
// removing an entry are undoable like every change and the project never
// holds a real value.
package pseudo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/qcode-dev/qcode/coding"
)

// Kind is what an entry names: person, place, org or other.
type Kind string

// The kinds of entry.
const (
	Person Kind = "person"
	Place  Kind = "place"
	Org    Kind = "org"
	Other  Kind = "other"
)

// Kinds lists every kind, in the order help text shows them.
var Kinds = []Kind{Person, Place, Org, Other}

// ParseKind checks a kind given by a user; "" is Person.
func ParseKind(s string) (Kind, error) {
	if s == "" {
		return Person, nil
	}
	for _, k := range Kinds {
		if strings.EqualFold(s, string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown kind %q: want person, place, org or other", s)
}

// Entry is one pair of the key.
type Entry struct {
	ID        string `json:"id"`            // short random id, stable for the entry's life
	Real      string `json:"real"`          // the identifying value as written, e.g. "Анна"
	Pseudonym string `json:"pseudonym"`     // a bracketed tag, e.g. "[Participant 3]", "[город]"
	Kind      Kind   `json:"kind"`          // what the value names
	Doc       string `json:"doc,omitempty"` // limited to the document of this name; "" = every document
}

// Key is the pseudonym key of one project, kept outside the project folder.
type Key struct {
	// Path is the key file.
	Path string
	// Project is the GUID of the project the key belongs to.
	Project string
	// Entries are the entries in force. A key from LoadKey has every
	// entry its file holds; one from KeyFor only those the project has
	// in force (an entry removed, or whose adding was undone, stays in
	// the file so that redo can bring it back).
	Entries []Entry
	// all is every entry of the file, in force or not.
	all []Entry
}

// keyFile is the key's form on disk.
type keyFile struct {
	Format  string  `json:"format"`
	Project string  `json:"project"`
	Entries []Entry `json:"entries"`
}

const keyFormat = "qcode-pseudonym-key-1"

// maxKeySize caps what LoadKey reads: a key of many thousand entries is
// well under it.
const maxKeySize = 64 << 20

// ErrKeyPerm is returned for a key file others may read or write.
var ErrKeyPerm = errors.New("key file is readable or writable by others")

// DefaultKeyPath is where the key of the project with this GUID lives
// unless the user names another file: $XDG_CONFIG_HOME/qcode/keys/<GUID>.json.
func DefaultKeyPath(projectGUID string) (string, error) {
	if projectGUID == "" || strings.ContainsAny(projectGUID, `/\`) || projectGUID == "." || projectGUID == ".." {
		return "", fmt.Errorf("key path: bad project id %q", projectGUID)
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("key path: %w", err)
	}
	return filepath.Join(dir, "qcode", "keys", projectGUID+".json"), nil
}

// LoadKey reads the key file at path. A missing file is an empty key. A
// file that group or others may read or write is refused, and so is the
// key of another project.
func LoadKey(path, projectGUID string) (*Key, error) {
	k := &Key{Path: path, Project: projectGUID}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pseudonym key %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("pseudonym key %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("pseudonym key %s: not a regular file", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("pseudonym key %s: %w (mode %04o); run 'chmod 600 %s'", path, ErrKeyPerm, perm, path)
	}
	if st.Size() > maxKeySize {
		return nil, fmt.Errorf("pseudonym key %s: larger than %d MiB, not a key", path, maxKeySize>>20)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("pseudonym key %s: %w", path, err)
	}
	kf, err := decodeKey(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("pseudonym key %s: %w", path, err)
	}
	if kf.Project != projectGUID {
		return nil, fmt.Errorf("pseudonym key %s: belongs to project %s, not to this one (%s)", path, kf.Project, projectGUID)
	}
	k.all = kf.Entries
	k.Entries = append([]Entry(nil), kf.Entries...)
	return k, nil
}

// decodeKey parses and checks a key file's content.
func decodeKey(b []byte) (keyFile, error) {
	var kf keyFile
	if !utf8.Valid(b) {
		return kf, errors.New("not UTF-8 text, not a key")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&kf); err != nil {
		return kf, fmt.Errorf("not a key: %w", err)
	}
	if kf.Format != keyFormat {
		return kf, fmt.Errorf("not a key (format %q, want %q)", kf.Format, keyFormat)
	}
	seen := map[string]bool{}
	for i, e := range kf.Entries {
		if e.ID == "" || seen[e.ID] {
			return kf, fmt.Errorf("entry %d: missing or repeated id %q", i+1, e.ID)
		}
		seen[e.ID] = true
		if err := checkEntry(e); err != nil {
			return kf, fmt.Errorf("entry %s: %w", e.ID, err)
		}
		kf.Entries[i].Real = norm.NFC.String(e.Real)
	}
	return kf, nil
}

// checkEntry checks what every entry must be.
func checkEntry(e Entry) error {
	if strings.TrimSpace(e.Real) == "" {
		return errors.New("empty real value")
	}
	if _, err := ParseKind(string(e.Kind)); err != nil || e.Kind == "" {
		return fmt.Errorf("unknown kind %q", e.Kind)
	}
	if !Bracketed(e.Pseudonym) {
		return fmt.Errorf("pseudonym %q is not a bracketed tag like [Participant 3]", e.Pseudonym)
	}
	for _, r := range e.Real + e.Pseudonym + e.Doc {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return errors.New("control character in the entry")
		}
	}
	return nil
}

// Bracketed reports whether p is a pseudonym qcode accepts: a tag in
// square brackets with something in it and no bracket inside.
func Bracketed(p string) bool {
	if len(p) < 3 || p[0] != '[' || p[len(p)-1] != ']' {
		return false
	}
	inner := p[1 : len(p)-1]
	return strings.TrimSpace(inner) != "" && !strings.ContainsAny(inner, "[]")
}

// All is every entry of the key file, in force or not, by id.
func (k *Key) All() []Entry {
	out := append([]Entry(nil), k.all...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds the file's entry with this id.
func (k *Key) Lookup(id string) (Entry, bool) {
	for _, e := range k.all {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Put adds e to the file's entries, or replaces the one with its id. An
// empty id is given a new one, returned.
func (k *Key) Put(e Entry) (Entry, error) {
	e.Real = norm.NFC.String(strings.TrimSpace(e.Real))
	if e.ID == "" {
		id, err := k.newID()
		if err != nil {
			return e, err
		}
		e.ID = id
	}
	if err := checkEntry(e); err != nil {
		return e, err
	}
	for i := range k.all {
		if k.all[i].ID == e.ID {
			k.all[i] = e
			return e, nil
		}
	}
	k.all = append(k.all, e)
	return e, nil
}

// Forget erases the entry with this id from the file's entries (Save
// writes the file without it). It reports whether there was one.
func (k *Key) Forget(id string) bool {
	for i := range k.all {
		if k.all[i].ID == id {
			k.all = append(k.all[:i], k.all[i+1:]...)
			for j := range k.Entries {
				if k.Entries[j].ID == id {
					k.Entries = append(k.Entries[:j], k.Entries[j+1:]...)
					break
				}
			}
			return true
		}
	}
	return false
}

// newID returns a short random id no entry of the key has.
func (k *Key) newID() (string, error) {
	for {
		var b [3]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("new key entry: %w", err)
		}
		id := "k" + hex.EncodeToString(b[:])
		if _, taken := k.Lookup(id); !taken {
			return id, nil
		}
	}
}

// Marshal returns the key file's content: every entry, by id, so the same
// key gives the same bytes.
func (k *Key) Marshal() ([]byte, error) {
	kf := keyFile{Format: keyFormat, Project: k.Project, Entries: k.All()}
	if kf.Entries == nil {
		kf.Entries = []Entry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(kf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal reads a key file's content (as Marshal wrote it) into a key
// for the project projectGUID to be saved at path.
func Unmarshal(b []byte, path, projectGUID string) (*Key, error) {
	kf, err := decodeKey(b)
	if err != nil {
		return nil, err
	}
	if projectGUID != "" && kf.Project != projectGUID {
		return nil, fmt.Errorf("the key belongs to project %s, not to this one (%s)", kf.Project, projectGUID)
	}
	return &Key{Path: path, Project: kf.Project, Entries: append([]Entry(nil), kf.Entries...), all: kf.Entries}, nil
}

// Save writes the key file atomically (a temporary file in the same
// folder, then a rename), mode 0600, creating its folder 0700.
func (k *Key) Save() error {
	b, err := k.Marshal()
	if err != nil {
		return fmt.Errorf("save pseudonym key %s: %w", k.Path, err)
	}
	return writePrivate(k.Path, b)
}

// writePrivate writes b to path atomically, 0600, its folder made 0700
// when it does not exist.
func writePrivate(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// InsideProject reports whether path is in the project folder dir (or is
// it), following symbolic links of the parts that exist.
func InsideProject(path, dir string) (bool, error) {
	p, err := resolve(path)
	if err != nil {
		return false, err
	}
	d, err := resolve(dir)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(d, p)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}

// resolve makes path absolute with every existing part's links followed.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var rest []string
	cur := abs
	for {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			for i := len(rest) - 1; i >= 0; i-- {
				r = filepath.Join(r, rest[i])
			}
			return r, nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = append(rest, filepath.Base(cur))
		cur = parent
	}
}

// KeyFor is the key of the project s: the file override when it is not ""
// (the --key flag or $QCODE_KEY), else the default path. A path inside the
// project folder is refused. Entries holds the entries the project has in
// force, with the pseudonym, kind and document the project records.
func KeyFor(ctx context.Context, s *coding.Store, override string) (*Key, error) {
	guid, err := s.ProjectGUID(ctx)
	if err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	path := override
	if path == "" {
		if path, err = DefaultKeyPath(guid); err != nil {
			return nil, err
		}
	}
	in, err := InsideProject(path, s.Dir())
	if err != nil {
		return nil, fmt.Errorf("pseudonym key %s: %w", path, err)
	}
	if in {
		return nil, fmt.Errorf("pseudonym key %s: inside the project folder %s; the key must live outside it (anyone given the folder would get the key)", path, s.Dir())
	}
	k, err := LoadKey(path, guid)
	if err != nil {
		return nil, err
	}
	active, err := s.PseudonymEntries(ctx)
	if err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	k.Entries = nil
	for _, a := range active {
		e, ok := k.Lookup(a.EntryID)
		if !ok {
			continue // forgotten, or the key of another machine
		}
		e.Pseudonym, e.Kind, e.Doc = a.Pseudonym, Kind(a.Kind), a.Doc
		k.Entries = append(k.Entries, e)
	}
	return k, nil
}

// ErrKeyIncomplete is returned when the key lacks entries the project has
// in force: what it replaced would leave their real values.
var ErrKeyIncomplete = errors.New("the key lacks pseudonyms the project has in force")

// InForce is the project's key (see KeyFor) when it holds every entry the
// project has in force; a key from another machine, or one whose entry was
// forgotten, is refused with ErrKeyIncomplete, naming the missing ids,
// since whatever it pseudonymised would carry their real values.
func InForce(ctx context.Context, s *coding.Store, override string) (*Key, error) {
	k, err := KeyFor(ctx, s, override)
	if err != nil {
		return nil, err
	}
	missing, err := Missing(ctx, s, k)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		n := fmt.Sprintf("%d entries (%s) are", len(missing), strings.Join(missing, ", "))
		if len(missing) == 1 {
			n = fmt.Sprintf("1 entry (%s) is", missing[0])
		}
		return nil, fmt.Errorf("%w: %s not in %s, another machine's key or one whose entry was forgotten; give the right key with --key or $QCODE_KEY",
			ErrKeyIncomplete, n, k.Path)
	}
	return k, nil
}

// Missing lists the ids the project has in force that the key file does
// not hold (a forgotten entry, or a key from elsewhere).
func Missing(ctx context.Context, s *coding.Store, k *Key) ([]string, error) {
	active, err := s.PseudonymEntries(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range active {
		if _, ok := k.Lookup(a.EntryID); !ok {
			out = append(out, a.EntryID)
		}
	}
	return out, nil
}
