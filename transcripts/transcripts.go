// Package transcripts reads interview transcripts in the formats researchers
// receive them in (.txt, .md, .docx, .odt, .vtt, .srt) and returns each as a
// Document: its plain NFC text with LF line endings, the speaker turns as
// spans over that text, and the metadata found in the file.
//
// The readers are pure functions over the bytes they are given: no file
// system, no network. Positions are counted in Unicode code points of
// Document.Text, end exclusive, as everywhere in qcode.
package transcripts

import (
	"regexp"
	"time"
)

// Document is one parsed transcript.
type Document struct {
	// Format is the reader that produced the document: "txt", "md",
	// "docx", "odt", "vtt" or "srt".
	Format string
	// Text is the stored text: NFC, LF line endings, no BOM, no front matter.
	Text string
	// Turns are the speaker turns in order. A transcript without speaker
	// labels has one turn per paragraph, with an empty Speaker.
	Turns []Turn
	// Attributes are the metadata found in the file (YAML front matter,
	// document properties), in the order they appear. Keys are as written.
	Attributes []Attribute
	// Lang is the language named in the file's metadata ("lang" or
	// "language"), or "" when the file does not say.
	Lang string
	// Encoding is the character encoding the text was read in: "utf-8",
	// "utf-16le", "utf-16be", "windows-1251", "koi8-r", "windows-1252" or
	// "iso-8859-1". Empty for formats that carry their own (.docx, .odt).
	Encoding string `json:",omitempty"`
	// Speakers are the speaker names the file declares in its metadata
	// (a "speakers:" list in front matter), in the order written.
	Speakers []string `json:",omitempty"`
	// SpeakerRoles are the roles the metadata gives declared speakers
	// ("role: interviewer" in a speakers list), by name, as written.
	SpeakerRoles map[string]string `json:",omitempty"`
	// Warnings are what the reader noticed and settled without refusing
	// the file, each one sentence for a person to read: front matter it
	// skipped, a guessed encoding, and what speaker detection found doubtful
	// (no label, one speaker holding nearly all the words, a label seen
	// once).
	Warnings []string `json:",omitempty"`
}

// Options change how a file is read. The zero value detects everything.
type Options struct {
	// Encoding forces the character encoding of a text format (.txt, .md,
	// .vtt, .srt): "utf-8", "windows-1251" (or "cp1251"), "koi8-r",
	// "windows-1252" (or "cp1252"), "iso-8859-1" (or "latin1"). Empty
	// detects it.
	Encoding string `json:",omitempty"`
	// Speakers, when not empty, are the only speaker labels: a line that
	// starts with one of them (with an optional timestamp before it and
	// a colon or the end of the line after it) starts that speaker's
	// turn; detection is not used.
	Speakers []string `json:",omitempty"`
	// SpeakerRoles are the roles the metadata gives declared speakers
	// ("role: interviewer" in a speakers list), by name, as written.
	SpeakerRoles map[string]string `json:",omitempty"`
	// SpeakerPattern, when set, replaces detection: a line on which it
	// matches at the start, with a non-empty named group "speaker",
	// starts that speaker's turn, and the speech starts after the match.
	SpeakerPattern *regexp.Regexp
}

// Anchor is a time written at a position of the text: a subtitle cue's
// start, or a timestamp inside a turn.
type Anchor struct {
	// Pos is the code point at which the time applies.
	Pos int
	// Time is the time given there.
	Time time.Duration
}

// Turn is one speaker's contribution: a span of Document.Text.
type Turn struct {
	// Speaker is the label as written ("Anna", "Q", "Interviewer",
	// "SPEAKER_00"), or "" for unlabelled paragraphs.
	Speaker string
	// Start and End delimit the whole turn, label and timestamp included,
	// in code points; End is exclusive and excludes the final newline.
	Start, End int
	// Body is where the speech itself starts, after any timestamp and
	// label: the span [Body, End) is what a quote shows.
	Body int
	// Time is the turn's start time, when the transcript gives one.
	Time time.Duration
	// EndTime is the turn's end time, when the transcript gives one
	// (subtitle cues); zero otherwise.
	EndTime time.Duration
	// HasTime reports whether Time was given.
	HasTime bool
	// Anchors are the times written inside the turn after its start, in
	// order (each further cue of a subtitle turn, for one): a passage's
	// time is that of the last anchor at or before it, else Time.
	Anchors []Anchor `json:",omitempty"`
}

// Attribute is one metadata entry. Value is the scalar rendered as text;
// lists are joined with ", ".
type Attribute struct {
	Key, Value string
}
