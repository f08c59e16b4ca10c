// Package index is the bleve full-text index over a project's transcripts:
// derived from the store in package coding, rebuildable at any time, and
// never written to by anything but itself. It is built in a later step;
// until then the package holds no code.
package index
