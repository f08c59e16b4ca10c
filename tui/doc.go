// Package tui is qcode's terminal workbench (bubbletea): reading,
// coding, searching and retrieving from the keyboard. It is built in a
// later step; until then the package holds no code.
package tui
