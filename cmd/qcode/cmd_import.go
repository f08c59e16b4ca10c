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
	var lang string
	var attrs []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE|DIR...",
		Short: "Add transcripts (.txt .md .docx .odt .vtt .srt) to the project",
		Long: `Import adds transcripts to the project. A folder is searched recursively
for supported files. Each file is parsed, its original copied into the
project's sources/ folder, and its text, speaker turns and metadata stored.

YAML front matter in .txt and .md files, and document properties in .docx
and .odt files, become the document's attributes (participant, gender,
age, occupation, wave...). The language comes from --lang, else from the
file ("lang:"), else it is detected (ru or en).

A file already imported byte for byte is skipped. A changed file with the
name of an existing document becomes its next version; codings on earlier
versions stay where they are.

Files that cannot be read are reported by name with the reason; the others
are imported, and the exit status is non-zero.`,
		Example: `  qcode import interviews/
  qcode import R07.docx --attr gender=female --attr age=30 --lang ru`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var extra []coding.Attribute
			for _, kv := range attrs {
				at, err := coding.ParseAttribute(kv)
				if err != nil {
					return err
				}
				extra = append(extra, at)
			}
			files, skipped, err := collectFiles(args)
			if err != nil {
				return err
			}
			return a.withStore(func(s *coding.Store) error {
				return a.importFiles(s, files, skipped, lang, extra, asJSON)
			})
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language of the transcripts (ru, en, ...), overriding the file and detection")
	cmd.Flags().StringArrayVar(&attrs, "attr", nil, "attribute KEY=VALUE (or KEY:TYPE=VALUE) for every file imported; repeatable")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

// collectFiles expands folders into the supported files inside them, in
// a stable order, and counts the files of other formats it passed over.
func collectFiles(args []string) ([]string, int, error) {
	var files []string
	skipped := 0
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			return nil, 0, fmt.Errorf("import %s: %w", arg, err)
		}
		if !st.IsDir() {
			files = append(files, arg)
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if p != arg && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if strings.HasSuffix(name, coding.Ext) {
					return filepath.SkipDir
				}
				return nil
			}
			// A pipe or device with a transcript's name is passed on, so
			// that importing it reports it rather than reading it.
			if transcripts.Supported(name) {
				found = append(found, p)
			} else {
				skipped++
			}
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("import %s: %w", arg, err)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, nil
}

type importLine struct {
	File     string `json:"file"`
	Status   string `json:"status"`
	Document string `json:"document,omitempty"`
	Version  int    `json:"version,omitempty"`
	Words    int    `json:"words,omitempty"`
	Error    string `json:"error,omitempty"`
}

// importFiles imports the files one by one, each in its own transaction,
// then brings the search index up to date if any document was added.
func (a *app) importFiles(s *coding.Store, files []string, skipped int, lang string, extra []coding.Attribute, asJSON bool) error {
	var bar *progressbar.ProgressBar
	if !asJSON && isTerminal(a.stderr) && len(files) > 1 {
		bar = progressbar.NewOptions(len(files),
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true))
	}
	var lines []importLine
	counts := map[string]int{}
	words := 0
	var failed []string
	var lastErr error
	for _, f := range files {
		if err := a.ctx.Err(); err != nil {
			if bar != nil {
				bar.Clear()
			}
			fmt.Fprintf(a.stderr, "interrupted: %d of %d files not imported\n", len(files)-len(lines), len(files))
			return errors.New("import interrupted; the files imported before stay imported")
		}
		line := importLine{File: f}
		res, err := a.importOne(s, f, lang, extra)
		if err != nil {
			line.Status = "failed"
			line.Error = err.Error()
			failed = append(failed, f)
			lastErr = err
			counts["failed"]++
			// A single file's error is returned and printed once, by main.
			if !asJSON && len(files) > 1 {
				if bar != nil {
					bar.Clear()
				}
				fmt.Fprintln(a.stderr, "qcode:", err)
			}
		} else {
			line.Status = res.Status
			line.Document = res.Document.Name
			line.Version = res.Document.Version
			line.Words = res.Document.Words
			counts[res.Status]++
			if res.Status != coding.Unchanged {
				words += res.Document.Words
			}
			if !asJSON && res.Status == coding.Unchanged {
				if bar != nil {
					bar.Clear()
				}
				fmt.Fprintf(a.stderr, "%s: unchanged, already imported as %s\n", f, res.Document.Name)
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
	if asJSON {
		if err := a.printJSON(map[string]any{"files": lines, "skipped_other_formats": skipped}); err != nil {
			return err
		}
	} else {
		parts := []string{fmt.Sprintf("imported %d", counts[coding.Imported])}
		if n := counts[coding.NewVersion]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d new version(s)", n))
		}
		if n := counts[coding.Unchanged]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d unchanged", n))
		}
		if n := counts["failed"]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d failed", n))
		}
		if skipped > 0 {
			parts = append(parts, fmt.Sprintf("%d of other formats passed over", skipped))
		}
		fmt.Fprintf(a.stdout, "%s; %d words.\n", strings.Join(parts, ", "), words)
	}
	if n := counts["failed"]; n > 0 {
		if asJSON {
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

func (a *app) importOne(s *coding.Store, path, lang string, extra []coding.Attribute) (coding.ImportResult, error) {
	if !transcripts.Supported(path) {
		return coding.ImportResult{}, fmt.Errorf("import %s: %w", path, transcripts.ErrUnsupported)
	}
	data, err := readCapped(path)
	if err != nil {
		return coding.ImportResult{}, fmt.Errorf("import %s: %w", path, err)
	}
	return s.Import(a.ctx, coding.ImportFile{Path: path, Data: data, Lang: lang, Attributes: extra})
}

// readCapped reads a whole file, refusing one larger than maxFileSize.
func readCapped(path string) ([]byte, error) {
	// Stat before opening: opening a named pipe or a device would block
	// or never end.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("file is %d MiB; the limit is %d MiB", st.Size()>>20, maxFileSize>>20)
	}
	data := make([]byte, st.Size())
	_, err = io.ReadFull(f, data)
	return data, err
}
