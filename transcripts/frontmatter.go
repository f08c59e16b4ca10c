package transcripts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// maxFrontMatter caps the YAML between the delimiters. Front matter holds a
// few attributes; the cap also bounds the work an adversarial YAML document
// can cause.
const maxFrontMatter = 64 << 10

// splitFrontMatter removes YAML front matter from the start of text and
// stores what it says in doc.Attributes (and doc.Lang). It returns the text
// after the front matter, starting at its first non-blank line.
//
// Front matter is recognised only when the first line is "---" and a later
// line is "---" or "..." (trailing spaces and tabs allowed on either). A first
// "---" line without a closing delimiter is left in the text: it is a
// Markdown rule, not front matter.
//
// Values are rendered as text: scalars as written (dates such as 2022-11-14
// stay as written; booleans become true or false), lists of scalars joined
// with ", ". A top-level key "lang" or "language" (any case) also sets
// Document.Lang, lower-cased, to the first item of its value ("ru, en"
// gives "ru"); the attribute is kept too. A top-level "speakers" list, of
// names or of maps with a "name", sets Document.Speakers (see speakers).
//
// A top-level mapping is flattened with dotted keys ("participant.age");
// what is deeper (a mapping in it, a list of lists or of mappings), as
// site generators and transcription tools write for their own use, is
// skipped with a warning naming the key. Null values are dropped. Aliases
// and merge keys are refused rather than expanded, so no YAML "bomb" can
// inflate the attributes; YAML that does not parse is refused with its line.
//
// TOML front matter (between "+++" lines) is not read: it stays in the
// text, with a warning.
func splitFrontMatter(text string, doc *Document) (string, error) {
	first, rest, ok := strings.Cut(text, "\n")
	if ok && isDelimiter(first, "+++") && hasDelimiterLine(rest, "+++") {
		doc.Warnings = append(doc.Warnings, "front matter in TOML (between +++ lines) is not read: it stays in the text")
		return text, nil
	}
	if !ok || !isDelimiter(first, "---") {
		return text, nil
	}
	start := len(first) + 1
	pos := start
	for pos < len(text) {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		line := text[pos:end]
		if isDelimiter(line, "---") || isDelimiter(line, "...") {
			if pos-start > maxFrontMatter {
				return "", errorf(ErrTooLarge, "front matter is larger than %d KiB", maxFrontMatter>>10)
			}
			if err := readFrontMatter(text[start:pos], doc); err != nil {
				return "", err
			}
			body := ""
			if end < len(text) {
				body = skipBlankLines(text[end+1:])
			}
			if isBlank(body) {
				return "", errorf(ErrEmpty, "no transcript text after the front matter")
			}
			return body, nil
		}
		pos = end + 1
	}
	return text, nil
}

// hasDelimiterLine reports whether a line of text is delim (see
// isDelimiter).
func hasDelimiterLine(text, delim string) bool {
	for line := range strings.Lines(text) {
		if isDelimiter(strings.TrimSuffix(line, "\n"), delim) {
			return true
		}
	}
	return false
}

// isDelimiter reports whether line is delim followed only by spaces or tabs.
func isDelimiter(line, delim string) bool {
	rest, ok := strings.CutPrefix(line, delim)
	return ok && strings.Trim(rest, " \t") == ""
}

// skipBlankLines drops the white-space-only lines at the start of s.
func skipBlankLines(s string) string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || !isBlank(line) {
			return s
		}
		s = rest
	}
}

// maxFrontMatterWarnings caps the warnings about skipped values: a file
// whose front matter is mostly a tool's configuration gets a few and a count.
const maxFrontMatterWarnings = 10

// frontMatter is the state of reading one front matter into a Document.
type frontMatter struct {
	doc     *Document
	seen    map[string]bool
	skipped []string // warnings about skipped values, before the cap
}

// readFrontMatter parses the YAML between the delimiters into doc.
func readFrontMatter(src string, doc *Document) error {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		return yamlError(err)
	}
	if root.Kind == 0 { // only comments or white space
		return nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return errorf(ErrMalformed, "front matter: not a mapping of keys to values")
	}
	m := root.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return errorf(ErrMalformed, "front matter: not a mapping of keys to values (line %d)", m.Line+1)
	}
	fm := &frontMatter{doc: doc, seen: map[string]bool{}}
	if err := fm.mapping("", m); err != nil {
		return err
	}
	for i, w := range fm.skipped {
		if i == maxFrontMatterWarnings-1 && len(fm.skipped) > maxFrontMatterWarnings {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("front matter: skipped %d more nested values", len(fm.skipped)-i))
			break
		}
		doc.Warnings = append(doc.Warnings, w)
	}
	return nil
}

// skip records that the value of key was skipped, and what it was. A key
// holding anything but printable characters is quoted: a warning is read
// on a terminal.
func (fm *frontMatter) skip(key, what string) {
	if strings.ContainsFunc(key, func(r rune) bool { return !unicode.IsPrint(r) }) {
		key = strconv.Quote(key)
	}
	fm.skipped = append(fm.skipped, "front matter: skipped "+key+" ("+what+")")
}

// mapping appends the entries of mapping m to the Document's attributes,
// keys prefixed with prefix. The top-level mapping (prefix "") may hold
// mappings, flattened one level with dotted keys; deeper ones are skipped.
func (fm *frontMatter) mapping(prefix string, m *yaml.Node) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode {
			return errorf(ErrMalformed, "front matter: aliases are not supported (line %d)", k.Line+1)
		}
		if k.Kind != yaml.ScalarNode {
			fm.skipped = append(fm.skipped, fmt.Sprintf("front matter: skipped a key that is not a plain value (line %d)", k.Line+1))
			continue
		}
		if k.Tag == "!!merge" {
			return errorf(ErrMalformed, "front matter: merge keys (<<) are not supported (line %d)", k.Line+1)
		}
		key := prefix + k.Value
		if fm.seen[key] {
			return errorf(ErrMalformed, "front matter: duplicate key %q (line %d)", key, k.Line+1)
		}
		fm.seen[key] = true
		if prefix == "" && strings.EqualFold(key, "speakers") {
			if err := fm.speakers(key, v); err != nil {
				return err
			}
			continue
		}
		var value string
		switch v.Kind {
		case yaml.MappingNode:
			if prefix != "" {
				fm.skip(key, "a map")
				continue
			}
			if err := fm.mapping(key+".", v); err != nil {
				return err
			}
			continue
		case yaml.SequenceNode:
			items, what, err := scalarItems(v)
			if err != nil {
				return err
			}
			if what != "" {
				fm.skip(key, what)
				continue
			}
			value = strings.Join(items, ", ")
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				continue
			}
			value = scalarText(v)
		default:
			return errorf(ErrMalformed, "front matter: unsupported value for key %q (line %d)", key, v.Line+1)
		}
		fm.attribute(prefix, key, value)
	}
	return nil
}

// attribute appends key: value to the Document; a top-level "lang" or
// "language" also sets its language.
func (fm *frontMatter) attribute(prefix, key, value string) {
	doc := fm.doc
	doc.Attributes = append(doc.Attributes, Attribute{Key: key, Value: value})
	if prefix == "" && doc.Lang == "" && (strings.EqualFold(key, "lang") || strings.EqualFold(key, "language")) {
		first, _, _ := strings.Cut(value, ",")
		doc.Lang = strings.ToLower(strings.TrimSpace(first))
	}
}

// scalarItems returns the text of the non-null items of sequence v when
// they are all scalars; otherwise it returns what v is ("a list of maps")
// for a warning. An alias among the items is an error.
func scalarItems(v *yaml.Node) ([]string, string, error) {
	items := make([]string, 0, len(v.Content))
	what := ""
	for _, item := range v.Content {
		switch item.Kind {
		case yaml.AliasNode:
			return nil, "", errorf(ErrMalformed, "front matter: aliases are not supported (line %d)", item.Line+1)
		case yaml.ScalarNode:
			if item.Tag != "!!null" {
				items = append(items, scalarText(item))
			}
		case yaml.MappingNode:
			if what == "" {
				what = "a list of maps"
			}
		default:
			if what == "" {
				what = "a list of lists"
			}
		}
	}
	return items, what, nil
}

// speakers reads the top-level "speakers" key into Document.Speakers: a
// list of names, or of maps with a "name" (and optionally a "role", kept
// in Document.SpeakerRoles), or a single scalar of comma-separated names. A list
// of names, or a scalar, is also kept as an attribute.
func (fm *frontMatter) speakers(key string, v *yaml.Node) error {
	doc := fm.doc
	add := func(name string) {
		if name = speakerName(name); name != "" && !slices.Contains(doc.Speakers, name) {
			doc.Speakers = append(doc.Speakers, name)
		}
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil
		}
		value := scalarText(v)
		for name := range strings.SplitSeq(value, ",") {
			add(name)
		}
		fm.attribute("", key, value)
	case yaml.SequenceNode:
		var names []string
		scalars := true
		for n, item := range v.Content {
			switch item.Kind {
			case yaml.AliasNode:
				return errorf(ErrMalformed, "front matter: aliases are not supported (line %d)", item.Line+1)
			case yaml.ScalarNode:
				if item.Tag != "!!null" {
					names = append(names, scalarText(item))
					add(scalarText(item))
				}
			case yaml.MappingNode:
				scalars = false
				name, role, ok, err := speakerEntry(item)
				if err != nil {
					return err
				}
				if !ok {
					fm.skip(fmt.Sprintf("%s[%d]", key, n+1), "no name")
					continue
				}
				add(name)
				if name, role = speakerName(name), speakerName(role); name != "" && role != "" {
					if doc.SpeakerRoles == nil {
						doc.SpeakerRoles = map[string]string{}
					}
					doc.SpeakerRoles[name] = role
				}
			default:
				scalars = false
				fm.skip(fmt.Sprintf("%s[%d]", key, n+1), "a list")
			}
		}
		if scalars {
			fm.attribute("", key, strings.Join(names, ", "))
		}
	case yaml.MappingNode:
		// Not a list of speakers (a map of labels to names, say): kept as
		// dotted attributes like any other map.
		return fm.mapping(key+".", v)
	}
	return nil
}

// speakerEntry returns the name and role of an entry of a speakers list
// that is a map ("- name: Anna\n  role: participant"), or false when it
// has no scalar name.
func speakerEntry(m *yaml.Node) (name, role string, ok bool, err error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode {
			return "", "", false, errorf(ErrMalformed, "front matter: aliases are not supported (line %d)", k.Line+1)
		}
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			continue
		}
		switch {
		case strings.EqualFold(k.Value, "name"):
			name, ok = scalarText(v), true
		case strings.EqualFold(k.Value, "role"):
			role = scalarText(v)
		}
	}
	return name, role, ok, nil
}

// speakerName returns a declared speaker's name as a label is compared:
// without control characters or bidirectional formatting, its blanks
// collapsed to single spaces.
func speakerName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !isSpace(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// scalarText renders a scalar as written, except booleans, which become
// true or false whatever their spelling.
func scalarText(n *yaml.Node) string {
	if n.Tag == "!!bool" {
		return strings.ToLower(n.Value)
	}
	return n.Value
}

// yamlParserProblems are the messages of yaml.v3's parser (as opposed to
// its scanner). The parser reports lines counted from 0, the scanner from 1.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlError turns a yaml.v3 error ("yaml: line 3: could not find expected
// ':'") into ours, with the line counted in the file (the opening
// delimiter is line 1).
func yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, reason, ok := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			if slices.Contains(yamlParserProblems, reason) {
				n++
			}
			return errorf(ErrMalformed, "front matter: %s (line %d)", reason, n+1)
		}
	}
	return errorf(ErrMalformed, "front matter: %s", msg)
}
