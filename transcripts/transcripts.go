// Package transcripts reads interview transcripts in the formats researchers
// receive them in (.txt, .md, .docx, .odt, .vtt, .srt) and returns each as a
// Document: its plain NFC text with LF line endings, the speaker turns as
// spans over that text, and the metadata found in the file.
//
// The readers are pure functions over the bytes they are given: no file
// system, no network. Positions are counted in Unicode code points of
// Document.Text, end exclusive, as everywhere in qcode.
package transcripts

import "time"

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
}

// Attribute is one metadata entry. Value is the scalar rendered as text;
// lists are joined with ", ".
type Attribute struct {
	Key, Value string
}
