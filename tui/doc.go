// Package tui is qcode's terminal workbench (bubbletea): documents, the
// transcript with coding stripes, and the codebook side by side; coding
// from the keyboard or the mouse, search, and retrieval of a code's
// quotes.
//
// One component per file (docs, reader, codebook, picker, dialog,
// search, retrieve, statusbar); app.go routes messages. Store and index
// calls run as commands off the update loop (commands.go) and answer
// with typed messages (msgs.go); results of superseded requests carry an
// old sequence number and are dropped. The transcript's layout lives in
// the textview sub-package: wrapped once per width, drawn row by row.
package tui
