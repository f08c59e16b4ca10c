package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts"
)

// maxFileSize caps a transcript file read into memory.
const maxFileSize = 64 << 20

func (a *app) initCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Create an empty project folder (DIR, conventionally NAME.qcode)",
		Example: `  qcode init study.qcode
  cd study.qcode && qcode import ../interviews/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			s, err := coding.Create(a.ctx, dir, coding.Options{Coder: a.coderName()})
			if err != nil {
				return err
			}
			defer s.Close()
			fmt.Fprintf(a.stdout, "Created project %s (private: only you can read it).\nNext: qcode -p %s import FILES...\n", dir, dir)
			return nil
		},
	}
}

func (a *app) importCmd() *cobra.Command {
	var lang, encoding, speakers, pattern string
	var attrs []string
	var newVersion, asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE|DIR...",
		Short: "Add transcripts (.txt .md .docx .odt .vtt .srt) to the project",
		Long: `Import adds transcripts to the project. A folder is searched recursively
for supported files. Each file is parsed, its original copied into the
project's sources/ folder, and its text, speaker turns and metadata stored.
The summary names, for each document, the speakers found with their roles
and turns, and what the reader noticed (a guessed encoding, one speaker
holding nearly all the words...).

YAML front matter in .txt and .md files, and document properties in .docx
and .odt files, become the document's attributes (participant, gender,
age, occupation, wave...). The language comes from --lang, else from the
file ("lang:"), else it is detected (ru or en).

Text files that are not UTF-8 are read in the legacy encoding they fit
best (windows-1251, koi8-r, windows-1252, iso-8859-1), with a warning;
--encoding names the encoding instead. Speakers are detected from labels
such as "Anna:" or "[00:01:02] I:"; --speakers gives the names instead
(names may hold spaces and periods), and --speaker-pattern a regular
expression whose named group "speaker" matches the label at the start of
a line.

A file already imported byte for byte is skipped. A changed file from the
same path becomes the next version of its document; codings on earlier
versions stay where they are. A file with the name of a document that came
from another folder becomes a document of its own, named after its folder
("R01 (wave2)"), unless --new-version makes it the next version.

In a folder, files that are plainly not transcripts (README, LICENSE,
CHANGELOG, INDEX, SOURCES..., Word's ~$ lock files, Thumbs.db, desktop.ini)
are listed as skipped; a file named on the command line is always imported.

Files that cannot be read are reported by name with the reason; the others
are imported, and the exit status is non-zero.`,
		Example: `  qcode import interviews/
  qcode import R07.docx --attr gender=female --attr age=30 --lang ru
  qcode import old/R12.txt --encoding koi8-r
  qcode import R07.txt --speakers "Nino,Anna K. Petrova"
  qcode import logs/ --speaker-pattern '^\[[0-9:]+\] (?P<speaker>[A-Z]{2,4}):'
  qcode import corrected/R01.txt --new-version`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Every option is checked before anything is read or
			// imported.
			parse, err := parseOptions(encoding, speakers, pattern)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("speakers") && len(parse.Speakers) == 0 {
				return errors.New("--speakers: no names given (write them comma-separated: --speakers \"Nino,Anna K. Petrova\")")
			}
			if cmd.Flags().Changed("speaker-pattern") && parse.SpeakerPattern == nil {
				return errors.New("--speaker-pattern: empty pattern: give a regular expression with a named group \"speaker\", e.g. '^(?P<speaker>[A-Z][a-z]+):'")
			}
			if err := checkSpeakerNames(parse.Speakers); err != nil {
				return err
			}
			if cmd.Flags().Changed("encoding") {
				enc, err := transcripts.EncodingName(encoding)
				if err != nil {
					return fmt.Errorf("--encoding: %w", err)
				}
				parse.Encoding = enc
			}
			var extra []coding.Attribute
			for _, kv := range attrs {
				at, err := coding.ParseAttribute(kv)
				if err != nil {
					return err
				}
				extra = append(extra, at)
			}
			found, err := collectFiles(args)
			if err != nil {
				return err
			}
			return a.withStore(func(s *coding.Store) error {
				return a.importFiles(s, found, importOptions{
					lang: lang, attrs: extra, parse: parse, newVersion: newVersion, asJSON: asJSON,
				})
			})
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language of the transcripts (ru, en, ...), overriding the file and detection")
	cmd.Flags().StringArrayVar(&attrs, "attr", nil, "attribute KEY=VALUE (or KEY:TYPE=VALUE) for every file imported; repeatable")
	cmd.Flags().StringVar(&encoding, "encoding", "", "character encoding of text files: utf-8, windows-1251 (cp1251), koi8-r, windows-1252 (cp1252), iso-8859-1 (latin1), utf-16le, utf-16be")
	cmd.Flags().StringVar(&speakers, "speakers", "", "the speakers' names as labelled in the text, comma-separated (\"Nino,Anna K. Petrova\"), instead of detection")
	cmd.Flags().StringVar(&pattern, "speaker-pattern", "", "a regular expression with a named group 'speaker' matching a label at the start of a line, instead of detection")
	cmd.Flags().BoolVar(&newVersion, "new-version", false, "make each file the next version of the document of its name, even one imported from another folder")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

// checkSpeakerNames refuses a name given with --speakers that holds a
// control character or an invisible mark that reverses text direction.
func checkSpeakerNames(names []string) error {
	for _, n := range names {
		for _, r := range n {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				return fmt.Errorf("--speakers: the name %q holds a control character (U+%04X)", n, r)
			}
		}
	}
	return nil
}

// importOptions are the options of one import command.
type importOptions struct {
	lang       string
	attrs      []coding.Attribute
	parse      transcripts.Options
	newVersion bool
	asJSON     bool
}

// foundFile is a file to import: its path, and how the summary shows it.
type foundFile struct {
	path  string
	shown string
}

// found is what collectFiles makes of the command line.
type found struct {
	files []foundFile
	// notTranscripts are the files of a folder skipped by their names
	// (README, LICENSE...), shown as the summary shows files.
	notTranscripts []string
	// otherFormats counts the files of a folder in no supported format.
	otherFormats int
}

// collectFiles expands folders into the supported files inside them, in
// a stable order, setting aside the files that are plainly not
// transcripts and counting the files of other formats it passed over.
// A file named on the command line is taken as it is.
func collectFiles(args []string) (found, error) {
	var out found
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			return found{}, fmt.Errorf("import %s: %w", arg, err)
		}
		if !st.IsDir() {
			out.files = append(out.files, foundFile{path: arg, shown: arg})
			continue
		}
		// A folder's files are shown as the walk finds them when the
		// folder was given relative to here (interviews/wave2/R01.txt),
		// else from the folder's own name.
		shown := func(p string) string {
			if !filepath.IsAbs(arg) {
				return p
			}
			rel, err := filepath.Rel(arg, p)
			if err != nil {
				return p
			}
			return filepath.Join(filepath.Base(arg), rel)
		}
		var files []foundFile
		var skipped []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if p != arg && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				if notTranscript(name) {
					skipped = append(skipped, shown(p))
				}
				return nil
			}
			if d.IsDir() {
				if strings.HasSuffix(name, coding.Ext) {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case notTranscript(name):
				skipped = append(skipped, shown(p))
			case transcripts.Supported(name):
				// A pipe or device with a transcript's name is passed
				// on, so that importing it reports it rather than
				// reading it.
				files = append(files, foundFile{path: p, shown: shown(p)})
			default:
				out.otherFormats++
			}
			return nil
		})
		if err != nil {
			return found{}, fmt.Errorf("import %s: %w", arg, err)
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
		sort.Strings(skipped)
		out.files = append(out.files, files...)
		out.notTranscripts = append(out.notTranscripts, skipped...)
	}
	return out, nil
}

// notTranscriptNames are the names, without extension and lower-cased, of
// the files a folder of transcripts often holds beside them.
var notTranscriptNames = map[string]bool{
	"readme": true, "sources": true, "license": true, "licence": true,
	"copying": true, "changelog": true, "notice": true, "authors": true,
	"contributing": true, "index": true,
}

// notTranscript reports whether a file called name, found in a folder,
// is plainly not a transcript: README, LICENSE, CHANGELOG... with any
// extension, Word's lock files (~$R01.docx), Thumbs.db, desktop.ini and
// .gitkeep. Names are compared without regard to case.
func notTranscript(name string) bool {
	lower := strings.ToLower(name)
	switch lower {
	case "thumbs.db", "desktop.ini", ".gitkeep":
		return true
	}
	if strings.HasPrefix(name, "~$") {
		return true
	}
	stem := lower
	if i := strings.IndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	return notTranscriptNames[stem]
}

type importSpeaker struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Case  string `json:"case,omitempty"`
	Turns int    `json:"turns"`
	Words int    `json:"words"`
}

type importLine struct {
	File     string          `json:"file"`
	Status   string          `json:"status"`
	Document string          `json:"document,omitempty"`
	Version  int             `json:"version,omitempty"`
	Words    int             `json:"words,omitempty"`
	Renamed  bool            `json:"renamed"`
	Speakers []importSpeaker `json:"speakers"`
	Warnings []string        `json:"warnings"`
	Error    string          `json:"error,omitempty"`
	// Carry says what a new version did with the earlier one's codings.
	Carry *coding.CarryReport `json:"carry,omitempty"`

	shown string
}

type skippedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// notATranscript is the reason a skipped file is given.
const notATranscript = "not a transcript"

// importFiles imports the files one by one, each in its own transaction,
// then brings the search index up to date if any document was added.
func (a *app) importFiles(s *coding.Store, in found, o importOptions) error {
	files := in.files
	var bar *progressbar.ProgressBar
	if !o.asJSON && isTerminal(a.stderr) && len(files) > 1 {
		bar = progressbar.NewOptions(len(files),
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true))
	}
	lines := []importLine{}
	counts := map[string]int{}
	words := 0
	var failed []string
	var lastErr error
	unchangedHintDoc := ""
	for _, f := range files {
		if err := a.ctx.Err(); err != nil {
			if bar != nil {
				bar.Clear()
			}
			fmt.Fprintf(a.stderr, "interrupted: %d of %d files not imported\n", len(files)-len(lines), len(files))
			return errors.New("import interrupted; the files imported before stay imported")
		}
		line := importLine{File: f.path, shown: f.shown, Speakers: []importSpeaker{}, Warnings: []string{}}
		res, err := a.importOne(s, f.path, o)
		if err != nil {
			line.Status = "failed"
			line.Error = err.Error()
			failed = append(failed, f.path)
			lastErr = err
			counts["failed"]++
			// A single file's error is returned and printed once, by main.
			if !o.asJSON && len(files) > 1 {
				if bar != nil {
					bar.Clear()
				}
				fmt.Fprintln(a.stderr, "qcode:", err)
			}
		} else {
			line.Status = res.Status
			line.Document = res.Document.Name
			line.Version = res.Document.Version
			line.Carry = res.Carry
			line.Words = res.Document.Words
			line.Renamed = res.Renamed
			for _, sp := range res.Speakers {
				line.Speakers = append(line.Speakers, importSpeaker{Name: sp.Name, Role: sp.Role, Case: sp.Case, Turns: sp.Turns, Words: sp.Words})
			}
			line.Warnings = append(line.Warnings, res.Warnings...)
			counts[res.Status]++
			if res.Status != coding.Unchanged {
				words += res.Document.Words
			}
			if res.Status == coding.Unchanged {
				// The same bytes are not read again: options that would
				// read them otherwise do nothing, and the user is told.
				hint := unchangedHint(res.Document.Name, o.parse)
				if hint != "" {
					line.Warnings = append(line.Warnings, hint)
				}
				// One file is named; a folder's unchanged files are
				// counted in the summary, with the options not applied
				// said once, after it.
				if !o.asJSON && len(files) == 1 {
					if hint != "" {
						hint = "; " + hint
					}
					fmt.Fprintf(a.stderr, "%s: unchanged, already imported as %s%s\n", printable(f.path), printable(res.Document.Name), printable(hint))
				} else if hint != "" && unchangedHintDoc == "" {
					unchangedHintDoc = res.Document.Name
				}
			}
		}
		lines = append(lines, line)
		if bar != nil {
			bar.Add(1)
		}
	}
	if bar != nil {
		bar.Finish()
	}
	// What was imported is searchable at once, even when some files
	// failed.
	if counts[coding.Imported]+counts[coding.NewVersion] > 0 {
		a.updateIndex(s)
	}
	if o.asJSON {
		skipped := []skippedFile{}
		for _, f := range in.notTranscripts {
			skipped = append(skipped, skippedFile{File: f, Reason: notATranscript})
		}
		if err := a.printJSON(map[string]any{"files": lines, "skipped": skipped, "skipped_other_formats": in.otherFormats}); err != nil {
			return err
		}
	} else {
		a.printImportSummary(lines, counts, words, in)
		if unchangedHintDoc != "" {
			fmt.Fprintf(a.stderr, "%s: %s\n", plural(counts[coding.Unchanged], "file unchanged", "files unchanged"),
				printable(unchangedHint(unchangedHintDoc, o.parse)))
		}
	}
	if n := counts["failed"]; n > 0 {
		if o.asJSON {
			return errSilent
		}
		if n == 1 && len(files) == 1 {
			return lastErr
		}
		names := strings.Join(failed, ", ")
		if n > 5 {
			names = strings.Join(failed[:5], ", ") + fmt.Sprintf(" and %d more", n-5)
		}
		return fmt.Errorf("%s could not be imported: %s (reasons above)", plural(n, "file", "files"), names)
	}
	return nil
}

// unchangedHint says, for a file already imported byte for byte, that the
// speaker options given were not applied to it, and what does apply
// them; it is "" when none was given. (An encoding is applied: the file
// is read again, and only a text that reads the same is unchanged.)
func unchangedHint(doc string, opt transcripts.Options) string {
	var given []string
	if len(opt.Speakers) > 0 {
		given = append(given, "--speakers")
	}
	if opt.SpeakerPattern != nil {
		given = append(given, "--speaker-pattern")
	}
	if len(given) == 0 {
		return ""
	}
	return strings.Join(given, " and ") + fmt.Sprintf(" not applied: the file is not read again (to find its speakers again: qcode turns %q --redetect with the same option)", doc)
}

// printImportSummary prints the tally on the first line, then a line for
// each document added (its speakers, roles and turns), with the reader's
// warnings indented under it, then the files skipped as not transcripts.
// Failed files are reported on stderr as they happen; unchanged ones are
// only counted here.
func (a *app) printImportSummary(lines []importLine, counts map[string]int, words int, in found) {
	parts := []string{fmt.Sprintf("imported %d", counts[coding.Imported])}
	if n := counts[coding.NewVersion]; n > 0 {
		parts = append(parts, plural(n, "new version", "new versions"))
	}
	if n := counts[coding.Unchanged]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", n))
	}
	if n := counts["failed"]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", n))
	}
	if n := len(in.notTranscripts); n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (not transcripts)", n))
	}
	if in.otherFormats > 0 {
		parts = append(parts, fmt.Sprintf("%d of other formats passed over", in.otherFormats))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s; %d words.\n", strings.Join(parts, ", "), words)
	for _, l := range lines {
		if l.Status != coding.Imported && l.Status != coding.NewVersion {
			continue
		}
		doc := printable(l.Document)
		if l.Status == coding.NewVersion {
			doc += fmt.Sprintf(" (version %d)", l.Version)
		}
		fmt.Fprintf(&b, "%s → %s: %s\n", printable(l.shown), doc, speakerSummary(l.Speakers))
		if l.Carry != nil {
			fmt.Fprintf(&b, "  %s\n", carryLine(l.Carry))
		}
		if l.Renamed {
			base := filepath.Base(l.File)
			orig := strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base)))
			fmt.Fprintf(&b, "  note: %s came from another folder, so this file is %s; import it with --new-version to make it %s's next version instead\n",
				printable(orig), printable(l.Document), printable(orig))
		}
		for _, w := range l.Warnings {
			fmt.Fprintf(&b, "  warning: %s\n", printable(w))
		}
	}
	for _, f := range in.notTranscripts {
		fmt.Fprintf(&b, "skipped %s: %s\n", printable(f), notATranscript)
	}
	io.WriteString(a.stdout, b.String())
}

// maxSpeakersShown is how many speakers a summary line names before it
// counts the rest.
const maxSpeakersShown = 8

// speakerSummary is "Nino (interviewer) 24 turns, Anna K. Petrova 23
// turns": each speaker with their turns, and their role unless they are a
// participant.
func speakerSummary(sp []importSpeaker) string {
	if len(sp) == 0 {
		return "no speakers found"
	}
	var parts []string
	for i, x := range sp {
		if i == maxSpeakersShown && len(sp) > maxSpeakersShown+1 {
			parts = append(parts, fmt.Sprintf("and %d more", len(sp)-i))
			break
		}
		p := printable(x.Name)
		if x.Role != coding.RoleParticipant {
			p += " (" + x.Role + ")"
		}
		parts = append(parts, p+" "+plural(x.Turns, "turn", "turns"))
	}
	return strings.Join(parts, ", ")
}

// printable escapes the control characters and bidi marks of a name or
// path from a file, so that printing it cannot move the cursor, recolour
// the terminal or reverse the line.
func printable(s string) string {
	if strings.IndexFunc(s, isUnprintable) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnprintable(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isUnprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}

func (a *app) importOne(s *coding.Store, path string, o importOptions) (coding.ImportResult, error) {
	if !transcripts.Supported(path) {
		return coding.ImportResult{}, fmt.Errorf("import %s: %w", path, transcripts.ErrUnsupported)
	}
	data, err := readCapped(path)
	if err != nil {
		return coding.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	origin, err := filepath.Abs(path)
	if err != nil {
		return coding.ImportResult{}, fmt.Errorf("import %s: %w", path, err)
	}
	return s.Import(a.ctx, coding.ImportFile{
		Path: path, Data: data, Lang: o.lang, Attributes: o.attrs,
		Parse: o.parse, Origin: origin, NewVersion: o.newVersion,
	})
}

// readCapped reads a whole transcript file, refusing a pipe, a device or
// a folder at once and one larger than maxFileSize (coding.ReadRegular).
// Its errors name the file.
func readCapped(path string) ([]byte, error) {
	return coding.ReadRegular(path, maxFileSize, "a transcript file")
}
