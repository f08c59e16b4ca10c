package agree

import (
	"errors"
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

// fleissWikipedia is the worked example of the Wikipedia article "Fleiss'
// kappa" (section "Worked example"): 10 subjects, 14 raters, 5
// categories, counts of raters per category; it reports P̄ = 0.378,
// P̄_e = 0.213 and κ = 0.210. We use it instead of Fleiss' (1971) own
// example (30 patients × 6 psychiatrists, κ = 0.430) because we could not
// reconstruct that table with certainty.
var fleissWikipedia = [][]int{
	{0, 0, 0, 0, 14},
	{0, 2, 6, 4, 2},
	{0, 0, 3, 5, 6},
	{0, 3, 9, 2, 0},
	{2, 2, 8, 1, 1},
	{7, 7, 0, 0, 0},
	{3, 2, 6, 3, 0},
	{2, 5, 3, 2, 2},
	{6, 5, 2, 1, 0},
	{0, 2, 2, 3, 7},
}

func TestFleissWikipedia(t *testing.T) {
	got, err := Fleiss(fromCounts(fleissWikipedia))
	if err != nil {
		t.Fatal(err)
	}
	if !near(got.Value, 0.210, 3) || got.Units != 10 || got.Values != 140 {
		t.Errorf("Fleiss = %.5f over %d units, %d ratings; want 0.210 over 10, 140", got.Value, got.Units, got.Values)
	}
}

// cohenTable makes two-coder data from a k × k table of counts (rows the
// first coder's category, columns the second's), categories named 1..k.
func cohenTable(counts [][]int) Data {
	d := Data{Coders: []string{"first", "second"}}
	for i, row := range counts {
		for j, n := range row {
			for ; n > 0; n-- {
				d.Values = append(d.Values, []string{strconv.Itoa(i + 1), strconv.Itoa(j + 1)})
			}
		}
	}
	return d
}

func TestCohen1960(t *testing.T) {
	// Cohen (1960) reads kappa off the diagonal and the margins of the
	// agreement matrix only. Its Table 1 has p_o = .25 + .02 + .02 =
	// .29 against chance p_c = .20 + .09 + .06 = .35, so κ = (.29 −
	// .35)/(1 − .35) = −.092. The off-diagonal cells below (in
	// hundredths) are ours, chosen to give those margins (rows .50, .30,
	// .20, columns .40, .30, .30, whose products are the published .20,
	// .09, .06); we could not read Cohen's own off-diagonal cells.
	table1 := [][]int{
		{25, 13, 12},
		{12, 2, 16},
		{3, 15, 2},
	}
	// The example of 200 cases with p_o = .70, p_c = .41, κ = .29/.59 =
	// .49 that textbooks reproduce as Cohen's (1960); we checked Table 1
	// above against the paper's text, but not this one. Diagonal 88, 40,
	// 12; margins 120, 60, 20 and 100, 60, 40 (again our reconstruction
	// of the cells from p_o and p_c: .6·.5 + .3·.3 + .1·.2 = .41).
	table2 := [][]int{
		{88, 14, 18},
		{10, 40, 10},
		{2, 6, 12},
	}
	for _, tc := range []struct {
		name  string
		table [][]int
		want  float64
		units int
	}{
		{"table 1", table1, (0.29 - 0.35) / (1 - 0.35), 100},
		{"200 cases", table2, 0.29 / 0.59, 200},
	} {
		got, err := Cohen(cohenTable(tc.table), Unweighted)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got.Value, tc.want, 6) || got.Units != tc.units {
			t.Errorf("Cohen(%s) = %.6f over %d units, want %.6f over %d", tc.name, got.Value, got.Units, tc.want, tc.units)
		}
	}
}

// TestWeightedKappa checks weighted kappa on ten units rated 1-3, by hand:
//
//	first:  1 1 2 2 3 3 1 2 3 2
//	second: 1 2 2 3 3 1 1 2 2 2
//
// Counts (rows first, columns second): [2 1 0; 0 3 1; 1 1 1], row totals
// 3 4 3, column totals 3 5 2.
//
//	unweighted: p_o = 6/10, p_e = (9 + 20 + 6)/100 = .35, κ = .25/.65
//	linear v = |i−j|: observed (1+1+2+1)/10 = .5; expected
//	  (1·3·5 + 2·3·2 + 1·4·3 + 1·4·2 + 2·3·3 + 1·3·5)/100 = .8;
//	  κ_w = 1 − .5/.8 = .375
//	quadratic v = (i−j)²: observed (1+1+4+1)/10 = .7; expected
//	  (15 + 4·6 + 12 + 8 + 4·9 + 15)/100 = 1.1; κ_w = 1 − .7/1.1 = .363636
func TestWeightedKappa(t *testing.T) {
	d := Data{Coders: []string{"first", "second"}, Values: columns(
		"1 1 2 2 3 3 1 2 3 2",
		"1 2 2 3 3 1 1 2 2 2",
	)}
	for _, tc := range []struct {
		w    Weights
		want float64
	}{
		{Unweighted, 0.25 / 0.65},
		{Linear, 0.375},
		{Quadratic, 1 - 0.7/1.1},
	} {
		got, err := Cohen(d, tc.w)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got.Value, tc.want, 9) {
			t.Errorf("Cohen(weights %d) = %.9f, want %.9f", tc.w, got.Value, tc.want)
		}
	}
	// The weights are the values' own distances: a scale of 10, 20, 30
	// weighs like 1, 2, 3.
	scaled := Data{Coders: d.Coders, Values: columns(
		"10 10 20 20 30 30 10 20 30 20",
		"10 20 20 30 30 10 10 20 20 20",
	)}
	if got, _ := Cohen(scaled, Linear); !near(got.Value, 0.375, 9) {
		t.Errorf("Cohen(scaled, linear) = %v, want 0.375", got.Value)
	}
	text := Data{Coders: d.Coders, Values: [][]string{{"low", "high"}, {"low", "low"}}}
	if _, err := Cohen(text, Linear); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"low"`) {
		t.Errorf("weighted kappa on words: error %v, want ErrInvalid naming the value", err)
	}
}

// TestUnequalRatings checks Fleiss' kappa, alpha and percent agreement
// when units have different numbers of ratings, by hand. Three coders;
// units (a a a), (a b .), (b b .), (a . .), (. . .). The last two have
// fewer than two ratings and are left out.
//
//	Fleiss: P_i = 1, 0, 1; P̄ = 2/3; ratings a: 4, b: 3 of 7;
//	  P̄_e = 16/49 + 9/49 = 25/49; κ = (2/3 − 25/49)/(24/49) = 23/72
//	alpha: o_aa = 3, o_ab = o_ba = 1, o_bb = 2; n_a = 4, n_b = 3, n = 7;
//	  α = 1 − 6·2/(2·4·3) = 0.5
//	percent: (3 + 2)/7
func TestUnequalRatings(t *testing.T) {
	d := Data{Coders: []string{"A", "B", "C"}, Values: columns(
		"a a b a .",
		"a b b . .",
		"a . . . .",
	)}
	f, err := Fleiss(d)
	if err != nil || !near(f.Value, 23.0/72, 12) || f.Units != 3 || f.Values != 7 {
		t.Errorf("Fleiss = %+v, %v; want 23/72 over 3 units, 7 ratings", f, err)
	}
	a, err := Alpha(d, Nominal)
	if err != nil || !near(a.Value, 0.5, 12) {
		t.Errorf("Alpha = %+v, %v; want 0.5", a, err)
	}
	p, err := Percent(d)
	if err != nil || !near(p.Value, 5.0/7, 12) {
		t.Errorf("Percent = %+v, %v; want 5/7", p, err)
	}
}

func TestStatisticsEdgeCases(t *testing.T) {
	type stat struct {
		name string
		fn   func(Data) (Result, error)
	}
	stats := []stat{
		{"percent", Percent},
		{"cohen", func(d Data) (Result, error) { return Cohen(d, Unweighted) }},
		{"fleiss", Fleiss},
		{"alpha nominal", func(d Data) (Result, error) { return Alpha(d, Nominal) }},
		{"alpha interval", func(d Data) (Result, error) { return Alpha(d, Interval) }},
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		data Data
		// want per statistic, in the order above; NaN undefined.
		want []float64
		err  error
	}{
		{
			// One coder: nothing to agree with.
			name: "one coder",
			data: Data{Coders: []string{"A"}, Values: [][]string{{"1"}, {"2"}}},
			err:  ErrCoders,
		},
		{
			// Perfect agreement with variation: every statistic is 1.
			name: "perfect agreement",
			data: Data{Coders: []string{"A", "B"}, Values: columns("1 2 3 1", "1 2 3 1")},
			want: []float64{1, 1, 1, 1, 1},
		},
		{
			// One value everywhere: agreement is total, but chance
			// agreement is total too; the kappas and alpha are 0/0.
			name: "a single category everywhere",
			data: Data{Coders: []string{"A", "B"}, Values: columns("1 1 1", "1 1 1")},
			want: []float64{1, nan, nan, nan, nan},
		},
		{
			// Units nobody coded are left out: the same statistics
			// as without them (A: 1 2 1 2, B: 1 2 2 2; Cohen p_o = 3/4,
			// p_e = (2·1 + 2·3)/16 = 1/2, κ = 1/2; Fleiss p_1 = 3/8,
			// P̄_e = 9/64 + 25/64 = 34/64, κ = (3/4 − 34/64)/(30/64) =
			// 7/15; alpha α = 1 − 7·2/(2·3·5) = 8/15).
			name: "all-missing units",
			data: Data{Coders: []string{"A", "B"}, Values: columns("1 . 2 1 . 2", "1 . 2 2 . 2")},
			want: []float64{0.75, 0.5, 7.0 / 15, 8.0 / 15, 8.0 / 15},
		},
		{
			// Nothing pairable at all.
			name: "every unit missing",
			data: Data{Coders: []string{"A", "B"}, Values: columns("1 . .", ". . 2")},
			err:  ErrNoUnits,
		},
	} {
		for i, st := range stats {
			got, err := st.fn(tc.data)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Errorf("%s: %s error %v, want %v", tc.name, st.name, err, tc.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %s error %v", tc.name, st.name, err)
				continue
			}
			if w := tc.want[i]; math.IsNaN(w) != math.IsNaN(got.Value) || (!math.IsNaN(w) && !near(got.Value, w, 12)) {
				t.Errorf("%s: %s = %v, want %v", tc.name, st.name, got.Value, w)
			}
		}
	}
	if _, err := Cohen(Data{Coders: []string{"A", "B", "C"}, Values: columns("1", "1", "1")}, Unweighted); !errors.Is(err, ErrCoders) {
		t.Errorf("Cohen with three coders: error %v, want ErrCoders", err)
	}
	if _, err := Alpha(Data{Coders: []string{"A", "B"}, Values: columns("1 x", "1 2")}, Ratio); !errors.Is(err, ErrInvalid) {
		t.Errorf("ratio alpha on a word: error %v, want ErrInvalid", err)
	}
}
