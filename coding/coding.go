// Package coding is the qcode project: the SQLite store that holds the
// documents, the codebook, the codings, attributes, memos, coders and the
// history behind undo, and the queries over them.
//
// The store is the one source of truth. Every user action is one
// immediate SQLite transaction, committed before the method returns.
// Positions are Unicode code points of a document's stored text, end
// exclusive.
package coding

import (
	"errors"
	"time"
)

// Errors callers may test for with errors.Is.
var (
	// ErrNotFound means a named document, code, coding or memo does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with what is stored, such as a
	// duplicate code name or an undo over rows changed since.
	ErrConflict = errors.New("conflict")
	// ErrBusy means another process held the project for longer than the
	// busy timeout.
	ErrBusy = errors.New("project is busy: another qcode process is writing; try again")
	// ErrReadOnly means qcode may not write the project: the folder or
	// project.db is read-only (a read-only mount, or no write permission).
	// Such a project is opened for reading; a change is refused.
	ErrReadOnly = errors.New("read-only project: it can be read, searched and exported, not changed (the folder or project.db is read-only)")
	// ErrNewer means the project was written by a newer qcode.
	ErrNewer = errors.New("project was made by a newer qcode")
	// ErrNotProject means the folder or database is not a qcode project.
	ErrNotProject = errors.New("not a qcode project")
	// ErrInvalid means an argument is out of range or malformed.
	ErrInvalid = errors.New("invalid")
	// ErrNothing means there is nothing to undo or redo.
	ErrNothing = errors.New("nothing to do")
)

// Document is an imported transcript. Text is filled only by methods that
// say so.
type Document struct {
	ID           int64       `json:"id"`
	GUID         string      `json:"guid"`
	Name         string      `json:"name"`
	Version      int         `json:"version"`
	Format       string      `json:"format"`
	Lang         string      `json:"lang"`
	Source       string      `json:"source"`
	SourceSHA256 string      `json:"source_sha256"`
	TextSHA256   string      `json:"text_sha256"`
	Length       int         `json:"length"`
	Words        int         `json:"words"`
	Turns        int         `json:"turn_count"`
	Codings      int         `json:"coding_count"`
	ImportedAt   time.Time   `json:"imported_at"`
	Latest       bool        `json:"latest"`
	Attributes   []Attribute `json:"attributes"`
	Text         string      `json:"-"`
}

// Turn is a speaker turn of a stored document.
type Turn struct {
	N       int            `json:"n"`
	Speaker string         `json:"speaker"`
	Start   int            `json:"start"`
	Body    int            `json:"body"`
	End     int            `json:"end"`
	Time    *time.Duration `json:"-"`
	EndTime *time.Duration `json:"-"`
}

// Attribute is a typed participant or document attribute.
type Attribute struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Attribute types.
const (
	TypeText    = "text"
	TypeInteger = "integer"
	TypeFloat   = "float"
	TypeDate    = "date"
	TypeBoolean = "boolean"
)

// Code is one node of the codebook.
type Code struct {
	ID          int64  `json:"id"`
	GUID        string `json:"guid"`
	ParentID    int64  `json:"parent_id,omitempty"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Color       string `json:"color"`
	Description string `json:"description"`
	Depth       int    `json:"depth"`
	// Codings and Documents count this code's own codings and the
	// documents they are in.
	Codings   int       `json:"codings"`
	Documents int       `json:"documents"`
	CreatedAt time.Time `json:"created_at"`
}

// Coding marks the span [Start, End) of a document with a code.
type Coding struct {
	ID        int64     `json:"id"`
	GUID      string    `json:"guid"`
	DocID     int64     `json:"doc_id"`
	Document  string    `json:"document"`
	CodeID    int64     `json:"code_id"`
	Code      string    `json:"code"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Coder     string    `json:"coder"`
	CreatedAt time.Time `json:"created_at"`
}

// Memo is a note on the project, a document, a code or a coding.
type Memo struct {
	ID        int64     `json:"id"`
	GUID      string    `json:"guid"`
	Target    string    `json:"target"`
	TargetID  int64     `json:"target_id,omitempty"`
	Text      string    `json:"text"`
	Coder     string    `json:"coder"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Memo targets.
const (
	TargetProject  = "project"
	TargetDocument = "document"
	TargetCode     = "code"
	TargetCoding   = "coding"
)
