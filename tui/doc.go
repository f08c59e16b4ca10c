// Package tui is qcode's terminal workbench (bubbletea): documents, the
// transcript with coding stripes, and the codebook side by side; coding
// from the keyboard or the mouse, search, and retrieval of a code's
// quotes.
//
// The workbench is one ordered stack of layers (layer.go): the panes at
// the bottom (panes.go), then the speakers, disagreements and analysis
// screens, the quotes and search views, the code picker, the dialog and
// the help on top. The first layer shown has the keyboard and the mouse;
// drawing starts from it, a box drawing what lies below first. app.go
// holds the root: Update, which routes each message to one method or to
// the layer it answers, and every method of Model. One component per
// file (docs, reader, codebook, picker, dialog, search, retrieve,
// analysis, disagree, speakers, statusbar); helpers shared by them in
// layout.go.
//
// House rules:
//
//   - A screen or overlay is one file: its type, its keys (keys.go), and
//     the layer methods (active, update, view, resize, helpKeys, name),
//     plus receive for the answers to its own requests and reload when it
//     shows what the store holds. Register it in Model.newStack, at its
//     place from the top. Keys that do nothing in the state shown are
//     turned off with enable, so that help lists only what works.
//   - Reads of the store and the index are commands in commands.go;
//     changes are named writes in writes.go, each one undoable action of
//     the store, sent with Model.write. No command touches the model: it
//     captures what it needs and answers with a typed message (msgs.go,
//     or beside its layer). Answers to a request that may be overtaken
//     carry its sequence number and are dropped when stale.
//   - A write answers with what it changed; codings made or removed go
//     straight to the transcript. A reload (everything shown, read again)
//     is for changes made elsewhere, seen by the poll, and for writes
//     that change more than codings; one runs at a time.
//   - No SQL here: the store (coding) and the index (index) answer.
//   - Tests drive Model with the driver in helpers_test.go (every command
//     run, its message fed back), with teatest through the real program
//     loop, and with tmux on the built binary (e2e_test.go); screens are
//     compared with golden files in testdata (go test ./tui -update).
//
// The transcript's layout lives in the textview sub-package: wrapped
// once per width, drawn row by row.
package tui
