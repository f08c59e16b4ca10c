package transcripts

import (
	"slices"
	"strconv"
	"strings"

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
// stay as written; booleans become true or false), lists joined with ", ".
// A top-level key "lang" or "language" (any case) also sets Document.Lang,
// lower-cased, to the first item of its value ("ru, en" gives "ru"); the
// attribute is kept too.
// Nested mappings are flattened with dotted keys ("participant.age"); a list
// holding lists or mappings is refused. Null values are dropped. Aliases
// and merge keys are refused rather than expanded, so no YAML "bomb" can
// inflate the attributes.
func splitFrontMatter(text string, doc *Document) (string, error) {
	first, _, ok := strings.Cut(text, "\n")
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
	seen := map[string]bool{}
	return flattenMapping("", m, doc, seen)
}

// flattenMapping appends the entries of mapping m to doc.Attributes, keys
// prefixed with prefix.
func flattenMapping(prefix string, m *yaml.Node, doc *Document, seen map[string]bool) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode {
			return errorf(ErrMalformed, "front matter: aliases are not supported (line %d)", k.Line+1)
		}
		if k.Kind != yaml.ScalarNode {
			return errorf(ErrMalformed, "front matter: a key must be a plain value (line %d)", k.Line+1)
		}
		if k.Tag == "!!merge" {
			return errorf(ErrMalformed, "front matter: merge keys (<<) are not supported (line %d)", k.Line+1)
		}
		key := prefix + k.Value
		if seen[key] {
			return errorf(ErrMalformed, "front matter: duplicate key %q (line %d)", key, k.Line+1)
		}
		seen[key] = true
		var value string
		switch v.Kind {
		case yaml.MappingNode:
			if err := flattenMapping(key+".", v, doc, seen); err != nil {
				return err
			}
			continue
		case yaml.SequenceNode:
			items := make([]string, 0, len(v.Content))
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return errorf(ErrMalformed, "front matter: nested value for key %q (line %d)", key, item.Line+1)
				}
				if item.Tag != "!!null" {
					items = append(items, scalarText(item))
				}
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
		doc.Attributes = append(doc.Attributes, Attribute{Key: key, Value: value})
		if prefix == "" && doc.Lang == "" && (strings.EqualFold(key, "lang") || strings.EqualFold(key, "language")) {
			first, _, _ := strings.Cut(value, ",")
			doc.Lang = strings.ToLower(strings.TrimSpace(first))
		}
	}
	return nil
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
