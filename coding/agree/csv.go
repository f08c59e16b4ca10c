package agree

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// MaxCSV is the largest reliability data file ReadCSV reads.
const MaxCSV = 64 << 20

// ReadCSV reads reliability data: a header row naming the coders (at
// least two, distinct, none empty), then one row per unit with a value
// per coder, an empty cell for a missing value. With numeric set every
// value must be a number. name is the file's name, used in errors, which
// give the line and the reason.
func ReadCSV(name string, r io.Reader, numeric bool) (Data, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSV+1))
	if err != nil {
		return Data{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxCSV {
		return Data{}, fmt.Errorf("%s: %w: larger than %d MB", name, ErrInvalid, MaxCSV>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		bad, line, _ := coding.InvalidUTF8(data)
		return Data{}, fmt.Errorf("%s: line %d: %w: not UTF-8 text (byte %d); save the file as UTF-8 CSV", name, line, ErrInvalid, bad)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Data{}, fmt.Errorf("%s: %w: the file is empty; want a header row of coder names, then a row per unit", name, ErrInvalid)
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) {
		return Data{}, fmt.Errorf("%s: %w: XML or HTML, not CSV; want a header row of coder names, then a row per unit", name, ErrInvalid)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var d Data
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Data{}, fmt.Errorf("%s: line %d: %w: %s", name, pe.StartLine, ErrInvalid, csvReason(pe.Err))
			}
			return Data{}, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if d.Coders == nil {
			if err := header(rec); err != nil {
				return Data{}, fmt.Errorf("%s: line %d: %w", name, line, err)
			}
			d.Coders = make([]string, len(rec))
			for i, c := range rec {
				d.Coders[i] = strings.TrimSpace(c)
			}
			continue
		}
		if len(rec) != len(d.Coders) {
			return Data{}, fmt.Errorf("%s: line %d: %w: %d values, want %d (one per coder, an empty cell when missing)", name, line, ErrInvalid, len(rec), len(d.Coders))
		}
		for i, v := range rec {
			v = strings.TrimSpace(v)
			rec[i] = v
			if v == "" || !numeric {
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return Data{}, fmt.Errorf("%s: line %d: %w: %s's value %q is not a number", name, line, ErrInvalid, d.Coders[i], v)
			}
		}
		d.Values = append(d.Values, rec)
	}
	if len(d.Values) == 0 {
		return Data{}, fmt.Errorf("%s: %w: no units: want a row per unit after the header", name, ErrInvalid)
	}
	return d, nil
}

// header checks the header row of coder names.
func header(rec []string) error {
	if len(rec) < 2 {
		return fmt.Errorf("%w: one column: want a column per coder, at least two, named in the header row", ErrInvalid)
	}
	seen := map[string]bool{}
	for i, c := range rec {
		c = strings.TrimSpace(c)
		if c == "" {
			return fmt.Errorf("%w: column %d has no coder name in the header row", ErrInvalid, i+1)
		}
		if seen[c] {
			return fmt.Errorf("%w: coder %q names two columns", ErrInvalid, c)
		}
		seen[c] = true
	}
	return nil
}

// csvReason says what a CSV reader's error means, in a spreadsheet
// user's words.
func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `a " inside a value that does not start with one; put the value in double quotes and write each " inside it twice`
	case errors.Is(err, csv.ErrQuote):
		return `a value opened with " is not closed, or has text after its closing "`
	}
	return err.Error()
}
