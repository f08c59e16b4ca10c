package transcripts

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// signatures are the leading bytes of binary formats that someone may
// rename to .txt (or export by mistake); they are refused with a name
// rather than read as text.
var signatures = []struct {
	magic, what string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "ZIP archive; a renamed .docx or .odt?"},
	{"PK\x05\x06", "ZIP archive"},
	{"PK\x07\x08", "ZIP archive"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"\x1f\x8b", "gzip archive"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document; save it as .docx"},
	{"\x7fELF", "executable"},
	{"7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{"Rar!\x1a\x07", "RAR archive"},
	{"OggS", "Ogg audio"},
	{"fLaC", "FLAC audio"},
	{"ID3\x02", "MP3 audio"},
	{"ID3\x03", "MP3 audio"},
	{"ID3\x04", "MP3 audio"},
	{"\x1a\x45\xdf\xa3", "Matroska/WebM video"},
}

// binarySignature names the binary format data starts with, or "".
func binarySignature(data []byte) string {
	for _, s := range signatures {
		if bytes.HasPrefix(data, []byte(s.magic)) {
			return s.what
		}
	}
	if len(data) >= 12 {
		switch {
		case string(data[4:8]) == "ftyp":
			return "MP4/M4A media"
		case string(data[:4]) == "RIFF" && (string(data[8:12]) == "WAVE" || string(data[8:12]) == "AVI " || string(data[8:12]) == "WEBP"):
			return "RIFF media (WAV, AVI or WebP)"
		}
	}
	return ""
}

// decodeText turns the bytes of a text format into the stored form, the
// encoding detected (see decode): UTF-8 without BOM, LF line endings, NFC.
// It refuses binary data, text in no encoding it recognises and files with
// no visible text. Offsets in its errors are byte offsets in data.
func decodeText(data []byte) (string, error) {
	d, err := decode(data, "")
	return d.text, err
}

// decoded is text read from bytes: the text in its stored form, the
// encoding it was read in (a name of encodingNames), and a warning for a
// person when that encoding was guessed.
type decoded struct {
	text, encoding, warning string
}

// decode turns the bytes of a text format into the stored form: UTF-8
// without BOM, LF line endings, NFC, in the encoding sniff chooses.
func decode(data []byte, name string) (decoded, error) {
	enc, warning, err := sniff(data, name)
	if err != nil {
		return decoded{}, err
	}
	d := decoded{encoding: enc, warning: warning}
	switch enc {
	case "utf-16le", "utf-16be":
		if d.text, err = decodeUTF16(data, enc == "utf-16be"); err != nil {
			return decoded{}, err
		}
	case "utf-8":
		d.text = string(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
	default:
		d.text = decodeLegacy(data, enc)
		if len(d.text) > MaxInputSize {
			return decoded{}, errorf(ErrTooLarge, "text is larger than %d MiB once read as %s (%d bytes)", MaxInputSize>>20, enc, len(d.text))
		}
	}
	if isBlank(d.text) {
		if d.text == "" {
			return decoded{}, errorf(ErrEmpty, "empty file")
		}
		return decoded{}, errorf(ErrEmpty, "empty file (only white space)")
	}
	d.text = nfc(normaliseNewlines(d.text))
	return d, nil
}

// sniff chooses the encoding data is read in, with a warning for a person
// when it was guessed. The encoding is forced when name is not "" (any name
// or alias EncodingName knows); otherwise UTF-16 is read when a byte order
// mark says so, UTF-8 when the bytes are valid UTF-8, and one of the legacy
// encodings of guessLegacy when they are not. It refuses binary data
// (a NUL byte, the signature of a known binary format) before any guessing,
// whatever the encoding asked for, and UTF-8 that the encoding forced or a
// BOM declares but the bytes break.
func sniff(data []byte, name string) (enc, warning string, err error) {
	if name != "" {
		if enc, err = EncodingName(name); err != nil {
			return "", "", err
		}
	}
	if len(data) > MaxInputSize {
		return "", "", errorf(ErrTooLarge, "file is larger than %d MiB (%d bytes)", MaxInputSize>>20, len(data))
	}
	if len(data) == 0 {
		return "", "", errorf(ErrEmpty, "empty file")
	}
	if what := binarySignature(data); what != "" {
		return "", "", errorf(ErrBinary, "binary file (%s)", what)
	}
	if bytes.HasPrefix(data, []byte("{\\rtf")) {
		return "", "", errorf(ErrUnsupported, "RTF document: save it as .docx or plain text")
	}
	if enc == "" {
		switch {
		case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
			return "utf-16le", "", nil
		case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
			return "utf-16be", "", nil
		}
	}
	if enc == "utf-16le" || enc == "utf-16be" {
		return enc, "", nil // decodeUTF16 checks the units
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		if looksUTF16(data) {
			return "", "", errorf(ErrEncoding, "UTF-16 text without a byte order mark: save it as UTF-8")
		}
		return "", "", errorf(ErrBinary, "binary file (NUL byte at byte %d)", i)
	}
	if enc != "" && enc != "utf-8" {
		return enc, "", nil
	}
	bom := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		bom = 3
	}
	body := data[bom:]
	if utf8.Valid(body) {
		return "utf-8", "", nil
	}
	if enc == "utf-8" || bom > 0 {
		// Asked for, or declared by the BOM: a damaged file, not another
		// encoding.
		return "", "", errorf(ErrEncoding, "invalid UTF-8 at byte %d", bom+firstInvalidUTF8(body))
	}
	if i, ok := damagedUTF8(body); ok {
		return "", "", errorf(ErrEncoding, "invalid UTF-8 at byte %d (the rest of the file is UTF-8: is it damaged?)", i)
	}
	return guessLegacy(body)
}

// decodeUTF16 converts UTF-16 text, with or without a byte order mark of
// its endianness (a BOM is dropped). It checks the code units first so that
// an error can give the byte offset of the problem: the decoder itself would
// silently substitute U+FFFD.
func decodeUTF16(data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", errorf(ErrEncoding, "invalid UTF-16: odd number of bytes (%d)", len(data))
	}
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	start := 0
	if len(data) >= 2 && unit(0) == 0xFEFF {
		start = 2
	}
	for i := start; i < len(data); i += 2 {
		u := unit(i)
		switch {
		case u == 0:
			return "", errorf(ErrBinary, "binary file (NUL character at byte %d)", i)
		case u >= 0xD800 && u < 0xDC00:
			if i+2 >= len(data) {
				return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (truncated surrogate pair)", i)
			}
			if v := unit(i + 2); v < 0xDC00 || v >= 0xE000 {
				return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (unpaired surrogate)", i)
			}
			i += 2
		case u >= 0xDC00 && u < 0xE000:
			return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (unpaired surrogate)", i)
		}
	}
	endian := xunicode.LittleEndian
	if bigEndian {
		endian = xunicode.BigEndian
	}
	out, err := xunicode.UTF16(endian, xunicode.IgnoreBOM).NewDecoder().Bytes(data[start:])
	if err != nil {
		return "", errorf(ErrEncoding, "invalid UTF-16: %v", err)
	}
	return string(out), nil
}

// looksUTF16 reports whether data with NUL bytes looks like UTF-16 written
// without a BOM: NULs in one byte position of most pairs, none in the other.
func looksUTF16(data []byte) bool {
	n := min(len(data), 1024) &^ 1
	if n < 4 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (even*2 >= pairs && odd == 0) || (odd*2 >= pairs && even == 0)
}

// firstInvalidUTF8 returns the offset of the first byte of b that does not
// start a valid UTF-8 sequence, or len(b).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// normaliseNewlines turns CRLF and lone CR into LF.
func normaliseNewlines(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteByte('\n')
		s = s[i+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	b.WriteString(s)
	return b.String()
}

// nfc returns s in Normalization Form C, without copying when it already is.
func nfc(s string) string {
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// nfcTableSize bounds the code points that nfcStable describes: the Basic
// Multilingual Plane, where the scripts of our transcripts live.
const nfcTableSize = 0x10000

// nfcStable has a bit set for each code point below nfcTableSize whose
// NFC_Quick_Check is Yes and whose canonical combining class is 0. A string
// made only of such code points is in NFC, whatever their order: that is
// the quick check of UAX #15 answering Yes.
var nfcStable = sync.OnceValue(func() []uint64 {
	t := make([]uint64, nfcTableSize/64)
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < nfcTableSize; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue // surrogates
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		p := norm.NFC.Properties(b)
		if p.CCC() == 0 && p.LeadCCC() == 0 && p.BoundaryBefore() && norm.NFC.IsNormal(b) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
})

// isNFC reports whether s is in NFC. It is norm.NFC.IsNormalString with a
// faster path for text in which no code point can change under NFC, which
// is nearly all text (norm's own check is slow on Cyrillic).
func isNFC(s string) bool {
	t := nfcStable()
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= nfcTableSize || t[r>>6]&(1<<(r&63)) == 0 {
			return norm.NFC.IsNormalString(s)
		}
		i += size
	}
	return true
}

// isSpace reports whether r is white space (Unicode White_Space).
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r)
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// encodingNames maps the names and aliases of the encodings decode reads,
// lower-cased, to the name Document.Encoding records.
var encodingNames = map[string]string{
	"utf-8": "utf-8", "utf8": "utf-8",
	"utf-16le": "utf-16le", "utf16le": "utf-16le",
	"utf-16be": "utf-16be", "utf16be": "utf-16be",
	"windows-1251": "windows-1251", "cp1251": "windows-1251", "1251": "windows-1251",
	"koi8-r": "koi8-r", "koi8r": "koi8-r",
	"windows-1252": "windows-1252", "cp1252": "windows-1252", "1252": "windows-1252",
	"iso-8859-1": "iso-8859-1", "latin1": "iso-8859-1", "latin-1": "iso-8859-1",
}

// knownEncodings lists the encodings for a person, with their short aliases.
const knownEncodings = "utf-8, utf-16le, utf-16be, windows-1251 (cp1251), koi8-r, windows-1252 (cp1252), iso-8859-1 (latin1)"

// EncodingName returns the name Document.Encoding uses for the encoding
// called name ("cp1251" gives "windows-1251"), ignoring case and
// surrounding blanks. An encoding qcode cannot read is an error matching
// ErrUnsupported that lists those it can.
func EncodingName(name string) (string, error) {
	if enc, ok := encodingNames[strings.ToLower(strings.TrimSpace(name))]; ok {
		return enc, nil
	}
	return "", errorf(ErrUnsupported, "unknown encoding %q: known are %s", name, knownEncodings)
}

// legacyEncodings are the single-byte encodings decode can guess, in the
// order a tie is settled: windows-1251 is by far the commonest source of
// Russian text that is not UTF-8; iso-8859-1 is chosen over windows-1252
// only when its C1 controls explain bytes that windows-1252 leaves
// undefined.
var legacyEncodings = []struct {
	name string
	cm   *charmap.Charmap
}{
	{"windows-1251", charmap.Windows1251},
	{"koi8-r", charmap.KOI8R},
	{"windows-1252", charmap.Windows1252},
	{"iso-8859-1", charmap.ISO8859_1},
}

// legacyTable returns the code points of bytes 0x80-0xFF in encoding name.
func legacyTable(name string) *[128]rune {
	return legacyTables()[name]
}

var legacyTables = sync.OnceValue(func() map[string]*[128]rune {
	m := make(map[string]*[128]rune, len(legacyEncodings))
	for _, e := range legacyEncodings {
		var t [128]rune
		for i := range t {
			t[i] = e.cm.DecodeByte(byte(0x80 + i))
		}
		m[e.name] = &t
	}
	return m
})

// decodeLegacy decodes data in single-byte encoding name. Bytes the
// encoding leaves undefined become U+FFFD.
func decodeLegacy(data []byte, name string) string {
	t := legacyTable(name)
	var b strings.Builder
	b.Grow(len(data) + len(data)/2)
	for len(data) > 0 {
		i := 0
		for i < len(data) && data[i] < utf8.RuneSelf {
			i++
		}
		b.Write(data[:i])
		data = data[i:]
		for len(data) > 0 && data[0] >= utf8.RuneSelf {
			b.WriteRune(t[data[0]-0x80])
			data = data[1:]
		}
	}
	return b.String()
}

// damagedUTF8 reports whether data, which is not valid UTF-8, is
// nevertheless UTF-8 text with a few broken bytes rather than text in a
// single-byte encoding: it holds at least as many valid multi-byte
// sequences as invalid bytes. Text in windows-1251 or windows-1252 forms a
// valid sequence only by chance (a capital letter followed by a
// punctuation mark), and is invalid at nearly every non-ASCII byte. It
// returns the offset of the first invalid byte.
func damagedUTF8(data []byte) (int, bool) {
	first, valid, invalid := -1, 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return first, valid > 0 && valid >= invalid
}

// Byte classes of a candidate encoding, as flags.
const (
	cLetter    = 1 << iota // a letter
	cUpper                 // an upper-case letter (else lower-case or caseless)
	cASCII                 // an ASCII letter
	cLatin                 // a Latin letter outside ASCII
	cCyrillic              // a Cyrillic letter
	cGoodSym               // punctuation or a sign that text holds: – — « » „ “ … № €
	cBadSym                // a sign that text does not hold: box drawing, maths, accents alone
	cControl               // a control character
	cUndefined             // a byte the encoding leaves undefined
)

// classTable returns the class of each byte in encoding name.
func classTable(name string) *[256]uint16 {
	return classTables()[name]
}

var classTables = sync.OnceValue(func() map[string]*[256]uint16 {
	m := make(map[string]*[256]uint16, len(legacyEncodings))
	for _, e := range legacyEncodings {
		var t [256]uint16
		for b := range 256 {
			r := rune(b)
			if b >= 0x80 {
				r = legacyTable(e.name)[b-0x80]
			}
			t[b] = runeClass(r)
		}
		m[e.name] = &t
	}
	return m
})

// runeClass returns the class flags of r for guessLegacy.
func runeClass(r rune) uint16 {
	switch {
	case r == utf8.RuneError:
		return cUndefined
	case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
		return 0
	case unicode.IsControl(r):
		return cControl
	case unicode.IsLetter(r):
		c := uint16(cLetter)
		if unicode.IsUpper(r) {
			c |= cUpper
		}
		switch {
		case r < utf8.RuneSelf:
			c |= cASCII
		case unicode.Is(unicode.Latin, r):
			c |= cLatin
		case unicode.Is(unicode.Cyrillic, r):
			c |= cCyrillic
		}
		return c
	case r < utf8.RuneSelf:
		return 0
	case unicode.IsPunct(r), unicode.IsSpace(r), strings.ContainsRune("\u00ad№§°©®™€±×", r):
		return cGoodSym
	}
	return cBadSym
}

// plausibility is how well a candidate encoding reads a sample: good and
// bad are weighed evidence for and against it.
type plausibility struct {
	good, bad float64
}

func (p plausibility) score() float64 { return p.good - p.bad }

// plausible reports whether the sample reads as text: some evidence for,
// and little against (a fifth, for the odd acronym, brand name or symbol).
func (p plausibility) plausible() bool { return p.good > 0 && p.bad*5 <= p.good }

// judge weighs how plausibly the sample reads in the encoding whose byte
// classes are t. Only words with a non-ASCII letter, and non-ASCII signs,
// tell the candidates apart. A word read right is lower-case, or
// capitalised, or (weaker evidence) all capitals, in one script; read in
// the wrong one of windows-1251 and koi8-r, whose capitals and small
// letters swap ranges, capitalised words come out as "пРИВЕТ"; Russian
// read as windows-1252 gives words made only of accented Latin letters
// ("Ïðèâåò"); French or German read as Cyrillic mixes scripts in a word
// ("cafй"). Control characters and undefined bytes count heavily against.
func judge(sample []byte, t *[256]uint16) plausibility {
	var p plausibility
	for i := 0; i < len(sample); {
		c := t[sample[i]]
		if c&cLetter == 0 {
			switch {
			case c&cGoodSym != 0:
				p.good += 0.5
			case c&cBadSym != 0:
				p.bad++
			case c&cControl != 0:
				p.bad += 2
			case c&cUndefined != 0:
				p.bad += 3
			}
			i++
			continue
		}
		// A word: a run of letters.
		var letters, high, ascii, latin, cyrillic, upper int
		broken := false
		prevLower := false
		for ; i < len(sample); i++ {
			b := sample[i]
			c := t[b]
			if c&cLetter == 0 {
				break
			}
			letters++
			if b >= utf8.RuneSelf {
				high++
			}
			switch {
			case c&cASCII != 0:
				ascii++
			case c&cLatin != 0:
				latin++
			case c&cCyrillic != 0:
				cyrillic++
			}
			if c&cUpper != 0 {
				upper++
				if prevLower {
					broken = true
				}
				prevLower = false
			} else {
				prevLower = true
			}
		}
		if high == 0 {
			continue
		}
		w := float64(high)
		switch {
		case broken,
			cyrillic > 0 && ascii+latin > 0,
			latin >= 2 && ascii == 0:
			p.bad += w
		case upper == letters && (letters > 1 || high == 1 && cyrillic == 1):
			p.good += w / 4 // all capitals: an acronym, or lower case read wrong
		default:
			p.good += w
		}
	}
	return p
}

// guessSample is how many non-ASCII bytes guessLegacy reads before it
// decides: enough for any real text, and a bound on the work.
const guessSample = 1 << 16

// shortEvidence is the number of non-ASCII letters below which a text is
// too short for case patterns to outweigh how common each encoding is.
const shortEvidence = 16

// guessLegacy chooses the single-byte encoding data, which is not UTF-8,
// reads best in, with a warning saying it was guessed. Text that reads
// plausibly in none is refused.
//
// When the text is short or the candidates come close, the choice falls to
// windows-1251 if most non-ASCII bytes are in 0xC0-0xFF (where Cyrillic
// letters lie in both windows-1251 and koi8-r, and accented Latin letters
// too, but a Latin text rarely has mostly those), else windows-1252,
// provided that encoding reads plausibly.
func guessLegacy(data []byte) (string, string, error) {
	sample := data
	high, upperHalf := 0, 0
	for i, b := range data {
		if b < utf8.RuneSelf {
			if high >= guessSample && (b == ' ' || b == '\n') {
				sample = data[:i]
				break
			}
			continue
		}
		high++
		if b >= 0xC0 {
			upperHalf++
		}
	}
	preferred := "windows-1252"
	if upperHalf*2 >= high {
		preferred = "windows-1251"
	}
	type candidate struct {
		name string
		p    plausibility
	}
	var best *candidate
	cands := make([]candidate, 0, len(legacyEncodings))
	for _, e := range legacyEncodings {
		cands = append(cands, candidate{e.name, judge(sample, classTable(e.name))})
	}
	for i := range cands {
		c := &cands[i]
		if c.p.plausible() && (best == nil || c.p.score() > best.p.score()) {
			best = c
		}
	}
	if best == nil {
		return "", "", errorf(ErrEncoding, "not UTF-8 (invalid at byte %d) and not recognisable as windows-1251, koi8-r, windows-1252 or iso-8859-1; if you know its encoding, give it with --encoding", firstInvalidUTF8(data))
	}
	letters := 0
	for _, b := range sample {
		if b >= utf8.RuneSelf && classTable(best.name)[b]&cLetter != 0 {
			letters++
		}
	}
	// Another plausible reading is a rival when the text is short or it
	// comes close. windows-1252 and iso-8859-1 are no rivals: they differ
	// only in 0x80-0x9F, where one has punctuation and the other controls,
	// and the scores settle that.
	western := func(name string) bool { return name == "windows-1252" || name == "iso-8859-1" }
	margin := max(2, best.p.score()/10)
	rivals := false
	for _, c := range cands {
		if c.name == best.name || !c.p.plausible() || western(c.name) && western(best.name) {
			continue
		}
		if letters < shortEvidence || c.p.score() >= best.p.score()-margin {
			rivals = true
		}
	}
	if !rivals {
		return best.name, "read as " + best.name + " (not UTF-8); use --encoding to choose another", nil
	}
	choice := best.name
	for _, c := range cands {
		if c.name == preferred && c.p.plausible() {
			choice = c.name
		}
	}
	return choice, "read as " + choice + " (not UTF-8, and too little text to be sure of the encoding); use --encoding to choose another", nil
}
