package quotes

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"github.com/qcode-dev/qcode/coding"
)

// CSVHeader is the first row of CSV; Before and After follow when any
// quote has context.
var CSVHeader = []string{"id", "code", "document", "version", "start", "end", "line", "time", "speaker", "attribution", "text", "coder", "memo"}

// CSV writes one row per coding, in the order given, after a header row:
// UTF-8, fields quoted as RFC 4180 says, CRLF line ends; with opt.BOM a
// byte-order mark first, which Excel needs to read UTF-8. Start and end
// are code points of the document's text, end exclusive; line is 1-based.
func CSV(w io.Writer, qs []coding.Quote, opt Options) error {
	if opt.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	withContext := false
	for _, q := range qs {
		withContext = withContext || q.Before != "" || q.After != ""
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	head := CSVHeader
	if withContext {
		head = append(head[:len(head):len(head)], "before", "after")
	}
	cw.Write(head)
	for _, q := range qs {
		row := []string{q.ID, q.Code, q.Document, strconv.Itoa(q.Version), strconv.Itoa(q.Start), strconv.Itoa(q.End),
			strconv.Itoa(q.Line), q.Time, q.Speaker, q.Attribution, opt.exact(q), q.Coder, q.Memo}
		if withContext {
			row = append(row, q.Before, q.After)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// JSON writes {"quotes": [...]}, one object per coding in the order given
// (document order from coding.Store.Quotes), with the field names of
// coding.Quote; an empty list is [], never null.
func JSON(w io.Writer, qs []coding.Quote, opt Options) error {
	out := make([]coding.Quote, len(qs))
	for i, q := range qs {
		q.Text = opt.exact(q)
		out[i] = q
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"quotes": out})
}
