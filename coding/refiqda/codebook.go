// Package refiqda reads and writes the REFI-QDA exchange formats
// (QDA-XML 1.0): the codebook file (.qdc) and the code tree inside a
// project file (.qdpx). See ../../shared/refi-qda/NOTES.md for how real
// exports differ from the standard and what this package tolerates.
package refiqda

import "encoding/xml"

// Namespaces of the two QDA-XML 1.0 documents. Writers use them exactly;
// readers accept any urn:QDA-XML:* namespace or none.
const (
	CodebookNamespace = "urn:QDA-XML:codebook:1.0"
	ProjectNamespace  = "urn:QDA-XML:project:1.0"
)

// CodeBook is the root of a .qdc file: the code tree and, optionally, sets
// of codes. In a .qdpx the CodeBook element holds only Codes (sets live at
// project level there), so a project embeds ProjectCodeBook instead.
type CodeBook struct {
	XMLName xml.Name `xml:"CodeBook"`
	Origin  string   `xml:"origin,attr,omitempty"`
	Codes   Codes    `xml:"Codes"`
	// Sets is nil when the file has none: an empty <Sets/> is invalid.
	Sets *Sets `xml:"Sets"`
}

// ProjectCodeBook is the CodeBook element of a project.qde: Codes only.
type ProjectCodeBook struct {
	Codes Codes `xml:"Codes"`
}

// Codes holds the top-level codes; it must hold at least one.
type Codes struct {
	Codes []Code `xml:"Code"`
}

// Code is one node of a code tree, in a .qdc as in a project. Attributes
// are kept as written (a GUID may be upper-case or in braces, a colour
// #RGB or worse, isCodable 1/0/true/false); the converters in this package
// normalise them and report each deviation. Child element order follows
// the schema: Description, NoteRef (projects only), then sub-codes.
type Code struct {
	GUID      string `xml:"guid,attr"`
	Name      string `xml:"name,attr"`
	IsCodable string `xml:"isCodable,attr"`
	Color     string `xml:"color,attr,omitempty"`
	// Description is omitted when empty.
	Description string `xml:"Description,omitempty"`
	// NoteRefs attach memos to the code; only a project may carry them,
	// so leave them empty in a .qdc.
	NoteRefs []NoteRef `xml:"NoteRef"`
	Codes    []Code    `xml:"Code"`
	// Line is where the code's start tag begins in the file read (0
	// when built in memory), for messages.
	Line int `xml:"-"`
}

// UnmarshalXML decodes a Code and records the line it starts on.
func (c *Code) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	line, _ := d.InputPos()
	type plain Code
	if err := d.DecodeElement((*plain)(c), &start); err != nil {
		return err
	}
	c.Line = line
	return nil
}

// NoteRef points at a Note of a project by its GUID.
type NoteRef struct {
	TargetGUID string `xml:"targetGUID,attr"`
}

// Sets holds the sets of a .qdc; it must hold at least one Set.
type Sets struct {
	Sets []Set `xml:"Set"`
}

// Set is a named group of codes in a .qdc. (A project's Set differs: its
// members use targetGUID and may be sources or notes too.)
type Set struct {
	GUID        string       `xml:"guid,attr"`
	Name        string       `xml:"name,attr"`
	Description string       `xml:"Description,omitempty"`
	MemberCodes []MemberCode `xml:"MemberCode"`
}

// MemberCode names a code of a .qdc Set by its GUID.
type MemberCode struct {
	GUID string `xml:"guid,attr"`
}
