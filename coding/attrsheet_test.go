package coding

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseAttrSheet(t *testing.T) {
	tests := []struct {
		name, in string
		by       string
		cols     []SheetColumn
		rows     []SheetRow
		err      string
	}{
		{name: "commas", in: "document,age,wave\nR01,30,February\nR02,,September\n", by: ByDocument,
			cols: []SheetColumn{{"age", ""}, {"wave", ""}},
			rows: []SheetRow{{2, "R01", []string{"30", "February"}}, {3, "R02", []string{"", "September"}}}},
		{name: "semicolons, BOM, CRLF, typed", in: "\uFEFFParticipant;age:Integer;city\r\nP1;41;Ереван\r\n", by: ByParticipant,
			cols: []SheetColumn{{"age", "integer"}, {"city", ""}},
			rows: []SheetRow{{2, "P1", []string{"41", "Ереван"}}}},
		{name: "tabs, short row, blank row", in: "case\tgender\tage\nAnna\tfemale\n\t\t\nBoris\tmale\t33\n", by: ByCase,
			cols: []SheetColumn{{"gender", ""}, {"age", ""}},
			rows: []SheetRow{{2, "Anna", []string{"female", ""}}, {4, "Boris", []string{"male", "33"}}}},
		{name: "quoted cell", in: "document,city\nR01,\"Tbilisi, Georgia\"\nR02,\"\"\"Riga\"\"\"\n", by: ByDocument,
			cols: []SheetColumn{{"city", ""}},
			rows: []SheetRow{{2, "R01", []string{"Tbilisi, Georgia"}}, {3, "R02", []string{`"Riga"`}}}},
		{name: "cell over two lines", in: "document,note\nR01,\"two\nlines\"\n", err: `sheet.csv:2: invalid: attribute "note" value`},
		{name: "empty", in: "", err: "sheet.csv: invalid: the sheet is empty"},
		{name: "unknown first column", in: "who,age\nR01,3\n", err: `sheet.csv:1: invalid: the first column is "who"`},
		{name: "no attributes", in: "document\nR01\n", err: "sheet.csv:1: invalid: no attribute columns"},
		{name: "unnamed column", in: "document,,age\n", err: "sheet.csv:1: invalid: column 2 has no name"},
		{name: "unknown type", in: "document,age:number\n", err: `sheet.csv:1: invalid: column "age:number": unknown type "number"`},
		{name: "repeated column", in: "document,Age,age\n", err: `sheet.csv:1: invalid: columns 2 and 3 are both "age"`},
		{name: "too many cells", in: "document,age\nR01,3,4\n", err: "sheet.csv:2: invalid: 3 cells, but the header names 2 columns"},
		{name: "empty key", in: "document,age\n,3\n", err: "sheet.csv:2: invalid: the document cell is empty"},
		{name: "repeated row", in: "document,age\nR01,3\nr01,4\n", err: `sheet.csv:3: invalid: "r01" is on line 2 already`},
		{name: "bad quote", in: "document,age\nR01,\"3\n", err: "sheet.csv:2: invalid:"},
		{name: "control character", in: "document,age\nR01,3\x1b[2J\n", err: "sheet.csv:2: invalid:"},
		{name: "not UTF-8", in: "document,city\nR01,ok\nR02,\xff\xfe\n", err: "sheet.csv:3: invalid: not UTF-8"},
		{name: "binary", in: "document,age\x00\n", err: "sheet.csv: invalid: a binary file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := ParseAttrSheet(strings.NewReader(tt.in), "sheet.csv")
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("ParseAttrSheet = %v, want an ErrInvalid starting %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sh.By != tt.by || !reflect.DeepEqual(sh.Columns, tt.cols) || !reflect.DeepEqual(sh.Rows, tt.rows) {
				t.Errorf("ParseAttrSheet = %s %+v %+v, want %s %+v %+v", sh.By, sh.Columns, sh.Rows, tt.by, tt.cols, tt.rows)
			}
		})
	}
}

// FuzzParseAttrSheet checks that any input is read or refused with an
// error naming the file, never a panic, and that what is read is sound.
func FuzzParseAttrSheet(f *testing.F) {
	for _, seed := range []string{
		"document,age,wave\nR01,30,February\n",
		"participant;age:integer\nP1;41\n",
		"case\tgender\nAnna\tfemale\n",
		"document,note\nR01,\"two\nlines\"\n",
		"\uFEFFdocument,age\r\nR01,3\r\n",
		"document,age\nR01,\"3\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := ParseAttrSheet(strings.NewReader(string(data)), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if sh.By == "" || len(sh.Columns) == 0 {
			t.Fatalf("read %+v: no row kind or no columns", sh)
		}
		for _, r := range sh.Rows {
			if r.Key == "" || len(r.Cells) != len(sh.Columns) || r.Line < 2 {
				t.Fatalf("row %+v of %d columns", r, len(sh.Columns))
			}
		}
	})
}

func TestImportAttributes(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R07.txt", interview)
	importText(t, s, "R08.txt", "---\nparticipant: P8\nage: 41\n---\nInterviewer: And you?\nRespondent: I left in September.\n")
	importText(t, s, "R09.txt", "---\nparticipant: P8\n---\nInterviewer: Again?\nRespondent: Yes.\n")
	sheet := func(text string) AttrSheet {
		t.Helper()
		sh, err := ParseAttrSheet(strings.NewReader(text), "participants.csv")
		if err != nil {
			t.Fatal(err)
		}
		return sh
	}
	ops := func() int {
		t.Helper()
		h, err := s.HistoryBy(ctx, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	before := ops()

	// Errors name the file and line and change nothing.
	for _, tt := range []struct{ sheet, err string }{
		{"document,age\nR07,31\nR10,3\n", `participants.csv:3: not found: no document is called "R10"`},
		{"document,age\nR07,thirty\n", `participants.csv:2: invalid: age "thirty" is not an integer (age is an integer in the project; to change that, name the column age:text)`},
		{"document,born:date\nR07,1990-13-01\n", `participants.csv:2: invalid: born "1990-13-01" is not a date (the header declares it)`},
		{"participant,city\nP9,Riga\n", `participants.csv:2: not found: no document has participant="P9"`},
		{"case,city\nAnna,Riga\n", `participants.csv:2: not found: no case is called "Anna"`},
	} {
		_, _, err := s.ImportAttributes(ctx, sheet(tt.sheet), false)
		if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("import of %q = %v, want %q", tt.sheet, err, tt.err)
		}
	}
	if n := ops(); n != before {
		t.Fatalf("failed imports left %d actions in the history", n-before)
	}

	// A dry run says what would change and changes nothing.
	sh := sheet("participant,age,city,interviewed\nR07,30,Tbilisi,2022-11-14\nP8,42,,\n")
	dry, _, err := s.ImportAttributes(ctx, sh, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []AttrChange{
		{Line: 2, Target: "R07", Key: "city", Type: "text", New: "Tbilisi"},
		{Line: 2, Target: "R07", Key: "interviewed", Type: "date", New: "2022-11-14"},
		{Line: 3, Target: "R08", Key: "age", Type: "integer", Old: "41", OldType: "integer", New: "42"},
		{Line: 3, Target: "R09", Key: "age", Type: "integer", New: "42"},
	}
	if !reflect.DeepEqual(dry.Changes, want) || dry.Unchanged != 1 || dry.Targets != 3 {
		t.Errorf("dry run = %+v, want changes %+v, 1 unchanged (R07's age), 3 targets", dry, want)
	}
	if n := ops(); n != before {
		t.Fatalf("a dry run left %d actions in the history", n-before)
	}

	// The import is one action, undone as one.
	res, op, err := s.ImportAttributes(ctx, sh, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Changes, want) || op.Label != "import attributes from participants.csv: 4 values on 3 documents" {
		t.Errorf("import = %+v, op %q", res, op.Label)
	}
	table, err := s.AttributeTable(ctx, ByDocument)
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []AttrColumn{{"participant", "text"}, {"gender", "text"}, {"age", "integer"}, {"occupation", "text"},
		{"wave", "text"}, {"city", "text"}, {"interviewed", "date"}}
	wantRows := []AttrRow{
		{"R07", []string{"R07", "female", "30", "NGO activist", "February", "Tbilisi", "2022-11-14"}},
		{"R08", []string{"P8", "", "42", "", "", "", ""}},
		{"R09", []string{"P8", "", "42", "", "", "", ""}},
	}
	if !reflect.DeepEqual(table.Columns, wantCols) || !reflect.DeepEqual(table.Rows, wantRows) {
		t.Errorf("table after import:\n%+v\n%+v\nwant\n%+v\n%+v", table.Columns, table.Rows, wantCols, wantRows)
	}
	if n := ops(); n != before+1 {
		t.Errorf("the import made %d actions, want 1", n-before)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := s.AttributeTable(ctx, ByDocument)
	if len(again.Columns) != 5 || again.Rows[1].Values[2] != "41" {
		t.Errorf("after undo: %+v %+v, want the attributes as they were", again.Columns, again.Rows)
	}

	// The same sheet twice: the second time changes nothing and makes
	// no action.
	if _, _, err := s.ImportAttributes(ctx, sh, false); err != nil {
		t.Fatal(err)
	}
	n := ops()
	res, op, err = s.ImportAttributes(ctx, sh, false)
	if err != nil || len(res.Changes) != 0 || op.ID != 0 || ops() != n {
		t.Errorf("second import = %+v, op %+v, %v; want nothing changed and no action", res, op, err)
	}
}
