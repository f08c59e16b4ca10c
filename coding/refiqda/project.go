package refiqda

import "encoding/xml"

// The elements of project.qde, with their children in the order
// Project.xsd's sequences require (encoding/xml writes fields in order).
// Reading matches local names only, so files in other urn:QDA-XML
// namespaces, or none, are read too.

type xProject struct {
	XMLName           xml.Name         `xml:"Project"`
	Xmlns             string           `xml:"xmlns,attr,omitempty"`
	Name              string           `xml:"name,attr"`
	Origin            string           `xml:"origin,attr,omitempty"`
	CreatingUserGUID  string           `xml:"creatingUserGUID,attr,omitempty"`
	CreationDateTime  string           `xml:"creationDateTime,attr,omitempty"`
	ModifyingUserGUID string           `xml:"modifyingUserGUID,attr,omitempty"`
	ModifiedDateTime  string           `xml:"modifiedDateTime,attr,omitempty"`
	BasePath          string           `xml:"basePath,attr,omitempty"`
	Users             *xUsers          `xml:"Users"`
	CodeBook          *ProjectCodeBook `xml:"CodeBook"`
	Variables         *xVariables      `xml:"Variables"`
	Cases             *xCases          `xml:"Cases"`
	Sources           *xSources        `xml:"Sources"`
	Notes             *xNotes          `xml:"Notes"`
	Links             *xCounted        `xml:"Links"`
	Sets              *xCounted        `xml:"Sets"`
	Graphs            *xCounted        `xml:"Graphs"`
	Description       string           `xml:"Description,omitempty"`
	NoteRefs          []xRef           `xml:"NoteRef"`
}

// xCounted is a container read only to say how many children it had.
type xCounted struct {
	Items []struct {
		XMLName xml.Name
	} `xml:",any"`
}

type xUsers struct {
	Users []xUser `xml:"User"`
}

type xUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
	ID   string `xml:"id,attr,omitempty"`
}

// xRef is any of NoteRef, CodeRef, SourceRef, SelectionRef, VariableRef.
type xRef struct {
	Target string `xml:"targetGUID,attr"`
}

type xVariables struct {
	Variables []xVariable `xml:"Variable"`
}

type xVariable struct {
	GUID        string `xml:"guid,attr"`
	Name        string `xml:"name,attr"`
	Type        string `xml:"typeOfVariable,attr"`
	Description string `xml:"Description,omitempty"`
}

type xVariableValue struct {
	Variable      xRef    `xml:"VariableRef"`
	TextValue     *string `xml:"TextValue"`
	BooleanValue  *string `xml:"BooleanValue"`
	IntegerValue  *string `xml:"IntegerValue"`
	FloatValue    *string `xml:"FloatValue"`
	DateValue     *string `xml:"DateValue"`
	DateTimeValue *string `xml:"DateTimeValue"`
}

type xCases struct {
	Cases []xCase `xml:"Case"`
}

type xCase struct {
	GUID          string           `xml:"guid,attr"`
	Name          string           `xml:"name,attr,omitempty"`
	Description   string           `xml:"Description,omitempty"`
	CodeRefs      []xRef           `xml:"CodeRef"`
	Values        []xVariableValue `xml:"VariableValue"`
	SourceRefs    []xRef           `xml:"SourceRef"`
	SelectionRefs []xRef           `xml:"SelectionRef"`
}

// xSources holds the sources by kind; only text sources are written.
type xSources struct {
	Text    []xTextSource `xml:"TextSource"`
	Picture []xMedia      `xml:"PictureSource"`
	PDF     []xMedia      `xml:"PDFSource"`
	Audio   []xMedia      `xml:"AudioSource"`
	Video   []xMedia      `xml:"VideoSource"`
}

// xMedia is a source qcode does not import, read for its name.
type xMedia struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	Path string `xml:"path,attr"`
}

// xTextSource is a TextSource, and also a Note (the same type).
type xTextSource struct {
	GUID             string           `xml:"guid,attr"`
	Name             string           `xml:"name,attr,omitempty"`
	RichTextPath     string           `xml:"richTextPath,attr,omitempty"`
	PlainTextPath    string           `xml:"plainTextPath,attr,omitempty"`
	CreatingUser     string           `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string           `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser    string           `xml:"modifyingUser,attr,omitempty"`
	ModifiedDateTime string           `xml:"modifiedDateTime,attr,omitempty"`
	Description      string           `xml:"Description,omitempty"`
	PlainTextContent *string          `xml:"PlainTextContent"`
	Selections       []xSelection     `xml:"PlainTextSelection"`
	Codings          []xCoding        `xml:"Coding"`
	NoteRefs         []xRef           `xml:"NoteRef"`
	Values           []xVariableValue `xml:"VariableValue"`
}

type xSelection struct {
	GUID             string    `xml:"guid,attr"`
	Name             string    `xml:"name,attr,omitempty"`
	Start            string    `xml:"startPosition,attr"`
	End              string    `xml:"endPosition,attr"`
	CreatingUser     string    `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string    `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser    string    `xml:"modifyingUser,attr,omitempty"`
	ModifiedDateTime string    `xml:"modifiedDateTime,attr,omitempty"`
	Description      string    `xml:"Description,omitempty"`
	Codings          []xCoding `xml:"Coding"`
	NoteRefs         []xRef    `xml:"NoteRef"`
}

type xCoding struct {
	GUID             string `xml:"guid,attr"`
	CreatingUser     string `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string `xml:"creationDateTime,attr,omitempty"`
	CodeRef          xRef   `xml:"CodeRef"`
	NoteRefs         []xRef `xml:"NoteRef"`
}

type xNotes struct {
	Notes []xTextSource `xml:"Note"`
}
