package transcripts

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// The sentinel errors below classify why a file was refused. Parse returns
// errors that match them under errors.Is while stating the details
// (offsets, sizes, line numbers) in their own message. Messages never name
// the file: the caller adds that.
var (
	// ErrUnsupported is returned for a file extension (or a recognisable
	// format, such as RTF) that qcode has no reader for.
	ErrUnsupported = errors.New("unsupported format")
	// ErrEmpty is returned for a file without any transcript text: zero
	// bytes, only white space, only front matter, or no paragraphs or cues.
	ErrEmpty = errors.New("empty file")
	// ErrBinary is returned for a text format whose bytes are binary: a NUL
	// byte or the signature of a known binary format (PNG, PDF, ZIP...).
	ErrBinary = errors.New("binary file")
	// ErrEncoding is returned for text that is neither valid UTF-8, nor
	// UTF-16 with a byte order mark, nor recognisable in one of the legacy
	// encodings qcode reads (or not valid in the encoding asked for).
	ErrEncoding = errors.New("invalid text encoding")
	// ErrTooLarge is returned for input, or a part of an archive once
	// inflated, beyond the size qcode accepts (see MaxInputSize).
	ErrTooLarge = errors.New("file too large")
	// ErrMalformed is returned for a file whose structure is broken or
	// refused: a corrupt archive, XML with a DOCTYPE, invalid front matter,
	// a bad subtitle timing line.
	ErrMalformed = errors.New("malformed file")
)

// MaxInputSize is the largest input Parse accepts, in bytes; it is also the
// cap on the inflated size of the main XML part of a .docx or .odt and on
// the text a reader produces.
const MaxInputSize = 64 << 20

// MaxTurns is the most speaker turns (or subtitle cues) Parse accepts in
// one document. A long interview has a few thousand; the cap keeps a
// hostile file of millions of one-letter lines from costing gigabytes.
const MaxTurns = 1_000_000

// kindError is an error with its own message that matches one of the
// sentinels above under errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// errorf formats a message and classifies it as kind.
func errorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// readers maps a lower-case file extension to its reader and format name.
var readers = map[string]struct {
	format string
	read   func(data []byte, opt Options) (*Document, error)
}{
	".txt":      {"txt", parsePlain},
	".md":       {"md", parsePlain},
	".markdown": {"md", parsePlain},
	".docx":     {"docx", parseDocx},
	".odt":      {"odt", parseODT},
	".vtt":      {"vtt", decoding(parseVTT)},
	".srt":      {"srt", decoding(parseSRT)},
}

// Supported reports whether Parse has a reader for name's extension
// (compared case-insensitively).
func Supported(name string) bool {
	_, ok := readers[strings.ToLower(filepath.Ext(name))]
	return ok
}

// Parse reads data as a transcript, choosing the reader by the extension of
// name (case-insensitive): .txt, .md and .markdown are plain text with
// optional YAML front matter; .docx and .odt are word-processor documents;
// .vtt and .srt are subtitles. Only the extension of name is used; no file
// is opened. An unknown extension gives an error matching ErrUnsupported.
//
// Parse does not guess the language: Document.Lang is set only when the
// file's metadata names it (see DetectLanguage).
func Parse(name string, data []byte) (*Document, error) {
	return ParseWith(name, data, Options{})
}

// ParseWith is Parse with options: a forced encoding, or speaker labels
// given instead of detected.
func ParseWith(name string, data []byte, opt Options) (*Document, error) {
	ext := strings.ToLower(filepath.Ext(name))
	r, ok := readers[ext]
	if !ok {
		if ext == "" {
			return nil, errorf(ErrUnsupported, "unsupported format (no file extension)")
		}
		return nil, errorf(ErrUnsupported, "unsupported format %s", ext)
	}
	if len(data) > MaxInputSize {
		return nil, errorf(ErrTooLarge, "file is larger than %d MiB (%d bytes)", MaxInputSize>>20, len(data))
	}
	doc, err := r.read(data, opt)
	if err != nil {
		return nil, err
	}
	doc.Format = r.format
	var n int
	if doc.Text, n = replaceControls(doc.Text); n > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d control characters (such as ESC, which a terminal would act on) were replaced with \uFFFD", n))
	}
	return doc, nil
}

// parsePlain reads .txt and .md: decoded text, optional front matter, and
// turns found by their labels.
func parsePlain(data []byte, opt Options) (*Document, error) {
	d, err := decode(data, opt.Encoding)
	if err != nil {
		return nil, err
	}
	doc := &Document{Encoding: d.encoding}
	if d.warning != "" {
		doc.Warnings = append(doc.Warnings, d.warning)
	}
	text, err := splitFrontMatter(d.text, doc)
	if err != nil {
		return nil, err
	}
	doc.Text = text
	if doc.Turns, err = detectTurns(text, paragraphs, opt); err != nil {
		return nil, err
	}
	doc.Warnings = append(doc.Warnings, reviewTurnsWith(text, doc.Turns, opt)...)
	return doc, nil
}

// decoding wraps the reader of a text format that decodes its bytes with
// decodeText (subtitles): it decodes them first in the encoding opt forces
// or detects, hands the reader UTF-8, and records the encoding and any
// warning about it in the Document.
func decoding(read func([]byte, Options) (*Document, error)) func([]byte, Options) (*Document, error) {
	return func(data []byte, opt Options) (*Document, error) {
		enc, warning, err := sniff(data, opt.Encoding)
		if err != nil {
			return nil, err
		}
		if enc != "utf-8" { // else decodeText reads data as it is
			d, err := decode(data, enc)
			if err != nil {
				return nil, err
			}
			data = []byte(d.text) // decodeText reads it as UTF-8, unchanged
		}
		doc, err := read(data, opt)
		if err != nil {
			return nil, err
		}
		doc.Encoding = enc
		if warning != "" {
			doc.Warnings = append([]string{warning}, doc.Warnings...)
		}
		return doc, nil
	}
}

// DetectTurns derives the speaker turns of a stored text (see
// Document.Text) again, as the reader of format ("txt", "md", "docx",
// "odt", "vtt", "srt") would, with opt's speakers or pattern if given.
// The text is not changed, so positions stay valid.
func DetectTurns(text, format string, opt Options) ([]Turn, error) {
	mode := paragraphs
	switch format {
	case "docx", "odt", "vtt", "srt":
		mode = eachLine
	}
	return detectTurns(text, mode, opt)
}

// ReviewTurns says what is doubtful in the turns found in text with opt,
// as the readers add it to Document.Warnings: no speaker label at all
// (or none of the speakers given), one speaker holding nearly all the
// words and turns, a label seen once.
func ReviewTurns(text string, turns []Turn, opt Options) []string {
	return reviewTurnsWith(text, turns, opt)
}

// replaceControls replaces each control character of s other than tab
// and newline (C0, DEL, C1) with U+FFFD, one code point for one, so that
// positions in s stay valid; n is how many it replaced. Such characters
// are not text a person typed, and a terminal would act on them.
func replaceControls(s string) (string, int) {
	n := 0
	for _, r := range s {
		if isTextControl(r) {
			n++
		}
	}
	if n == 0 {
		return s, 0
	}
	return strings.Map(func(r rune) rune {
		if isTextControl(r) {
			return '\uFFFD'
		}
		return r
	}, s), n
}

func isTextControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0)
}
