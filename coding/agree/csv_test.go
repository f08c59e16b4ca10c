package agree

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// krippendorffCSV is the Krippendorff (2011) data of stats_test.go as a
// file: a column per observer, a row per unit, empty cells missing.
const krippendorffCSV = "A,B,C,D\n1,1,,1\n2,2,3,2\n3,3,3,3\n3,3,3,3\n2,2,2,2\n1,2,3,4\n4,4,4,4\n1,1,2,1\n2,2,2,2\n,5,5,5\n,,1,1\n,3,,\n"

func TestReadCSV(t *testing.T) {
	d, err := ReadCSV("k.csv", strings.NewReader("\ufeff"+strings.ReplaceAll(krippendorffCSV, "\n", "\r\n")), true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, krippendorff2011) {
		t.Fatalf("ReadCSV = %q, want %q", d, krippendorff2011)
	}
	// Quoted cells, spaces and text values for nominal data.
	d, err = ReadCSV("q.csv", strings.NewReader("\"Ana, PhD\", Boris \n\"fear, of repression\",  fear  \n, x\n"), false)
	want := Data{Coders: []string{"Ana, PhD", "Boris"}, Values: [][]string{{"fear, of repression", "fear"}, {"", "x"}}}
	if err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("ReadCSV = %q, %v; want %q", d, err, want)
	}
}

func TestReadCSVBad(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		numeric    bool
		want       string
	}{
		{"empty", "", false, "data.csv: invalid: the file is empty"},
		{"blank lines", "\n \n", false, "data.csv: invalid: the file is empty"},
		{"only a header", "A,B\n", false, "data.csv: invalid: no units"},
		{"one column", "A\n1\n2\n", false, "data.csv: line 1: invalid: one column"},
		{"empty coder name", "A,,C\n1,2,3\n", false, "data.csv: line 1: invalid: column 2 has no coder name"},
		{"duplicate coder", "A,B,A\n1,2,3\n", false, `data.csv: line 1: invalid: coder "A" names two columns`},
		{"ragged row", "A,B,C\n1,2,3\n1,2\n", false, "data.csv: line 3: invalid: 2 values, want 3"},
		{"long row", "A,B\n1,2\n\n1,2,3\n", false, "data.csv: line 4: invalid: 3 values, want 2"},
		{"not a number", "A,B\n1,2\n2,two\n", true, `data.csv: line 3: invalid: B's value "two" is not a number`},
		{"NaN", "A,B\n1,NaN\n", true, `data.csv: line 2: invalid: B's value "NaN" is not a number`},
		{"invalid UTF-8", "A,B\n1,2\n\xff,1\n", false, "data.csv: line 3: invalid: not UTF-8 text (byte 8)"},
		{"bad quote", "A,B\n1,\"2\n", false, "data.csv: line 2: invalid:"},
	} {
		_, err := ReadCSV("data.csv", strings.NewReader(tc.data), tc.numeric)
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: ReadCSV error %v, want one starting %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadCSV: whatever the bytes, ReadCSV either refuses them with an
// error naming the file, or returns data every statistic can take
// without panicking, with a value per coder in every unit.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(krippendorffCSV), true)
	f.Add([]byte("A,B,C\n1,2,3\n1,2\n"), false)
	f.Add([]byte("\"a\"\"b\",c\n\"x\ny\",\n"), false)
	f.Add([]byte("A,B\n\xff,1\n"), false)
	f.Add([]byte("A,B\n1e308,-1e308\n0,0\n"), true)
	f.Add([]byte("\ufeffA,B\r\n1,1\r\n1,1\r\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, numeric bool) {
		d, err := ReadCSV("fuzz.csv", strings.NewReader(string(data)), numeric)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(d.Coders) < 2 || len(d.Values) == 0 {
			t.Fatalf("ReadCSV accepted %d coders, %d units", len(d.Coders), len(d.Values))
		}
		for _, row := range d.Values {
			if len(row) != len(d.Coders) {
				t.Fatalf("row %q for %d coders", row, len(d.Coders))
			}
			for _, v := range row {
				if !utf8.ValidString(v) {
					t.Fatalf("value %q is not UTF-8", v)
				}
			}
		}
		check := func(name string, r Result, err error) {
			if err == nil && !math.IsNaN(r.Value) && (r.Value > 1+1e-9 || math.IsInf(r.Value, 0)) {
				t.Fatalf("%s = %v, above 1", name, r.Value)
			}
		}
		r, err := Percent(d)
		check("percent", r, err)
		if err == nil && (r.Value < 0 || r.Value > 1) {
			t.Fatalf("percent = %v", r.Value)
		}
		r, err = Fleiss(d)
		check("fleiss", r, err)
		r, err = Cohen(Data{Coders: d.Coders[:2], Values: firstTwo(d.Values)}, Unweighted)
		check("cohen", r, err)
		for _, l := range []Level{Nominal, Ordinal, Interval, Ratio} {
			r, err = Alpha(d, l)
			if numeric {
				check("alpha", r, err)
			}
		}
	})
}

func firstTwo(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r[:2]
	}
	return out
}
