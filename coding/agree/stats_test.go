package agree

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// krippendorff2011 is the reliability data of Krippendorff (2011),
// "Computing Krippendorff's Alpha-Reliability", section "C. Nominal data,
// any number of observers, missing data" (4 observers A-D × 12 units, "."
// missing), reused there for the ordinal, interval and ratio examples.
var krippendorff2011 = Data{
	Coders: []string{"A", "B", "C", "D"},
	Values: columns(
		"1 2 3 3 2 1 4 1 2 . . .",
		"1 2 3 3 2 2 4 1 2 5 . 3",
		". 3 3 3 2 3 4 2 2 5 1 .",
		"1 2 3 3 2 4 4 1 2 5 1 .",
	),
}

// columns turns one line of values per coder ("." missing) into rows of
// units.
func columns(coders ...string) [][]string {
	var cols [][]string
	for _, c := range coders {
		cols = append(cols, strings.Fields(c))
	}
	units := make([][]string, len(cols[0]))
	for u := range units {
		units[u] = make([]string, len(cols))
		for c := range cols {
			if v := cols[c][u]; v != "." {
				units[u][c] = v
			}
		}
	}
	return units
}

// fromCounts makes reliability data from a subjects × categories table of
// counts (how many raters put subject i in category j), as Fleiss (1971)
// tabulates it; which rater gave which rating does not matter to Fleiss'
// kappa. Category j is named "j+1".
func fromCounts(counts [][]int) Data {
	raters := 0
	for _, n := range counts[0] {
		raters += n
	}
	d := Data{}
	for r := 0; r < raters; r++ {
		d.Coders = append(d.Coders, fmt.Sprintf("r%d", r+1))
	}
	for _, row := range counts {
		var unit []string
		for j, n := range row {
			for ; n > 0; n-- {
				unit = append(unit, strconv.Itoa(j+1))
			}
		}
		for len(unit) < raters {
			unit = append(unit, "")
		}
		d.Values = append(d.Values, unit)
	}
	return d
}

// near reports whether got rounds to want at want's number of decimals.
func near(got, want float64, decimals int) bool {
	p := math.Pow(10, float64(decimals))
	return math.Round(got*p) == math.Round(want*p)
}

func TestAlphaKrippendorff2011(t *testing.T) {
	// The published values, Krippendorff (2011), sections C (nominal,
	// α = 0.743), E (ordinal, 0.815), F (interval, 0.849) and G (ratio,
	// 0.797), all on the data above.
	for _, tc := range []struct {
		level Level
		want  float64
	}{
		{Nominal, 0.743},
		{Ordinal, 0.815},
		{Interval, 0.849},
		{Ratio, 0.797},
	} {
		got, err := Alpha(krippendorff2011, tc.level)
		if err != nil {
			t.Fatalf("Alpha(%s) error %v", tc.level, err)
		}
		if !near(got.Value, tc.want, 3) {
			t.Errorf("Alpha(%s) = %.5f, want %.3f", tc.level, got.Value, tc.want)
		}
		// Unit 12 has one value and is left out: 11 pairable units
		// with 40 values between them.
		if got.Units != 11 || got.Values != 40 {
			t.Errorf("Alpha(%s) used %d units, %d values; want 11, 40", tc.level, got.Units, got.Values)
		}
	}
}
