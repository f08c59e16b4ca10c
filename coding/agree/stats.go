// Package agree measures how far coders agree: percent agreement, Cohen's
// kappa (plain and weighted), Fleiss' kappa and Krippendorff's alpha over
// reliability data (units × coders, missing values allowed), and the
// agreement of a project's coders on its codings, at the level of
// characters, coded segments or documents, with the disagreements
// themselves listed for the team to discuss.
//
// Where each statistic's definition comes from:
//
//   - Krippendorff's alpha: K. Krippendorff (2011), "Computing
//     Krippendorff's Alpha-Reliability", Annenberg School for
//     Communication, University of Pennsylvania: the coincidence matrix
//     and the nominal, ordinal, interval and ratio difference functions.
//   - Cohen's kappa: J. Cohen (1960), "A coefficient of agreement for
//     nominal scales", Educational and Psychological Measurement 20(1);
//     the weighted kappa: J. Cohen (1968), "Weighted kappa", Psychological
//     Bulletin 70(4).
//   - Fleiss' kappa: J. L. Fleiss (1971), "Measuring nominal scale
//     agreement among many raters", Psychological Bulletin 76(5).
package agree

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Errors callers may test for with errors.Is.
var (
	// ErrCoders means the data have too few coders for the statistic:
	// every statistic needs two, and Cohen's kappa exactly two.
	ErrCoders = errors.New("too few coders")
	// ErrNoUnits means no unit has values from two coders, so there is
	// nothing to compare.
	ErrNoUnits = errors.New("no unit was coded by two coders")
	// ErrInvalid means an argument or a value is malformed.
	ErrInvalid = errors.New("invalid")
)

// Level is the level of measurement of the values, which decides how far
// apart two different values are for Krippendorff's alpha.
type Level int

// Levels of measurement.
const (
	// Nominal values are names: two values agree or they do not.
	Nominal Level = iota
	// Ordinal values are ranks: how far apart two values are depends on
	// how many values were used between them.
	Ordinal
	// Interval values are numbers whose differences count.
	Interval
	// Ratio values are numbers with a true zero, whose ratios count.
	Ratio
)

var levelNames = []string{"nominal", "ordinal", "interval", "ratio"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level's name.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if strings.EqualFold(s, n) {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("%w: level %q: want nominal, ordinal, interval or ratio", ErrInvalid, s)
}

// Weights chooses the disagreement weights of Cohen's weighted kappa.
type Weights int

// Kappa weights.
const (
	// Unweighted counts every disagreement the same.
	Unweighted Weights = iota
	// Linear weighs a disagreement by the distance |a-b| of the values.
	Linear
	// Quadratic weighs a disagreement by the squared distance (a-b)².
	Quadratic
)

// ParseWeights reads "linear", "quadratic", or "" / "none" for none.
func ParseWeights(s string) (Weights, error) {
	switch strings.ToLower(s) {
	case "", "none":
		return Unweighted, nil
	case "linear":
		return Linear, nil
	case "quadratic":
		return Quadratic, nil
	}
	return 0, fmt.Errorf("%w: weights %q: want linear or quadratic", ErrInvalid, s)
}

// Data is reliability data: Values[u][c] is the value coder c gave unit
// u, or "" when the coder gave none (missing). Values are compared as
// numbers when every value is a number, else as text.
type Data struct {
	// Coders names the columns.
	Coders []string
	Values [][]string
}

// Result is a statistic computed on reliability data.
type Result struct {
	// Value is the statistic; NaN when it is undefined because the data
	// show no variation at all (every value the same), which makes
	// chance agreement total and the statistic 0/0.
	Value float64
	// Units counts the units that entered the computation: for Cohen's
	// kappa those both coders coded, for the others those at least two
	// coders coded.
	Units int
	// Values counts the values in those units.
	Values int
}

// table is reliability data prepared for counting: categories in order,
// each unit's category per coder (-1 when missing), and a weight per
// unit saying how many identical units it stands for.
type table struct {
	m      int
	labels []string
	nums   []float64
	// numeric says every value is a number, so nums holds them.
	numeric bool
	units   [][]int
	weight  []float64
}

// prepare turns d into a table. Ordinal, interval and ratio data, and
// weighted kappa, need numbers (needNum).
func prepare(d Data, needNum bool, what string) (*table, error) {
	m := len(d.Coders)
	seen := map[string]bool{}
	var raw []string
	for u, row := range d.Values {
		if len(row) != m {
			return nil, fmt.Errorf("%w: unit %d has %d values for %d coders", ErrInvalid, u+1, len(row), m)
		}
		for _, v := range row {
			v = strings.TrimSpace(v)
			if v != "" && !seen[v] {
				seen[v] = true
				raw = append(raw, v)
			}
		}
	}
	numeric := true
	num := make(map[string]float64, len(raw))
	for _, v := range raw {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			if needNum {
				return nil, fmt.Errorf("%w: value %q is not a number, and %s needs numbers", ErrInvalid, v, what)
			}
			numeric = false
			break
		}
		num[v] = f
	}
	t := &table{m: m, numeric: numeric}
	index := map[string]int{}
	if numeric {
		// Categories are numeric values: "1" and "1.0" are one category.
		var vals []float64
		byVal := map[float64]int{}
		for _, v := range raw {
			if _, ok := byVal[num[v]]; !ok {
				byVal[num[v]] = 0
				vals = append(vals, num[v])
			}
		}
		sort.Float64s(vals)
		for i, f := range vals {
			byVal[f] = i
			t.labels = append(t.labels, strconv.FormatFloat(f, 'g', -1, 64))
		}
		t.nums = vals
		for _, v := range raw {
			index[v] = byVal[num[v]]
		}
	} else {
		sort.Strings(raw)
		t.labels = raw
		for i, v := range raw {
			index[v] = i
		}
	}
	t.units = make([][]int, len(d.Values))
	t.weight = make([]float64, len(d.Values))
	for u, row := range d.Values {
		cats := make([]int, m)
		for c, v := range row {
			v = strings.TrimSpace(v)
			if v == "" {
				cats[c] = -1
			} else {
				cats[c] = index[v]
			}
		}
		t.units[u] = cats
		t.weight[u] = 1
	}
	return t, nil
}

// coincidences returns Krippendorff's coincidence matrix o[c][k] (pairs
// of values c-k within units, each unit's pairs weighed by 1/(m_u-1)),
// the number of pairable units and values.
func (t *table) coincidences() (o [][]float64, units, values float64) {
	k := len(t.labels)
	o = make([][]float64, k)
	for i := range o {
		o[i] = make([]float64, k)
	}
	count := make([]float64, k)
	var used []int
	for u, cats := range t.units {
		used = used[:0]
		mu := 0.0
		for _, c := range cats {
			if c < 0 {
				continue
			}
			if count[c] == 0 {
				used = append(used, c)
			}
			count[c]++
			mu++
		}
		if mu >= 2 {
			w := t.weight[u]
			for _, c := range used {
				for _, d := range used {
					pairs := count[c] * count[d]
					if c == d {
						pairs = count[c] * (count[c] - 1)
					}
					o[c][d] += w * pairs / (mu - 1)
				}
			}
			units += w
			values += w * mu
		}
		for _, c := range used {
			count[c] = 0
		}
	}
	return o, units, values
}

// delta2 returns the squared difference function of the level for
// categories c and k, given the marginal totals n of the coincidence
// matrix (Krippendorff 2011, "Difference functions").
func (t *table) delta2(level Level, n []float64) func(c, k int) float64 {
	switch level {
	case Ordinal:
		// (Σ_{g=c..k} n_g − (n_c+n_k)/2)², categories in rank order.
		cum := make([]float64, len(n)+1)
		for i, x := range n {
			cum[i+1] = cum[i] + x
		}
		return func(c, k int) float64 {
			if c > k {
				c, k = k, c
			}
			d := cum[k+1] - cum[c] - (n[c]+n[k])/2
			return d * d
		}
	case Interval:
		return func(c, k int) float64 {
			d := t.nums[c] - t.nums[k]
			return d * d
		}
	case Ratio:
		return func(c, k int) float64 {
			s := t.nums[c] + t.nums[k]
			if s == 0 {
				return 0
			}
			d := (t.nums[c] - t.nums[k]) / s
			return d * d
		}
	}
	return func(c, k int) float64 {
		if c == k {
			return 0
		}
		return 1
	}
}

func checkCoders(d Data) error {
	if len(d.Coders) < 2 {
		return fmt.Errorf("%w: agreement needs at least two coders, the data have %d", ErrCoders, len(d.Coders))
	}
	return nil
}

// Alpha computes Krippendorff's alpha at the given level of measurement,
// exactly as in Krippendorff (2011): values are paired within units into
// a coincidence matrix; units with fewer than two values are left out;
// alpha = 1 − D_o/D_e with the level's difference function. Ordinal,
// interval and ratio levels need numeric values. Alpha is NaN when the
// pairable values show no variation (all the same value).
func Alpha(d Data, level Level) (Result, error) {
	if err := checkCoders(d); err != nil {
		return Result{}, err
	}
	t, err := prepare(d, level != Nominal, level.String()+" alpha")
	if err != nil {
		return Result{}, err
	}
	return t.alpha(level)
}

func (t *table) alpha(level Level) (Result, error) {
	o, units, values := t.coincidences()
	if values == 0 {
		return Result{}, ErrNoUnits
	}
	k := len(t.labels)
	n := make([]float64, k)
	total := 0.0
	for c := range o {
		for d := range o[c] {
			n[c] += o[c][d]
		}
		total += n[c]
	}
	delta := t.delta2(level, n)
	var do, de float64
	for c := 0; c < k; c++ {
		for d := 0; d < k; d++ {
			if c == d {
				continue
			}
			dd := delta(c, d)
			do += o[c][d] * dd
			de += n[c] * n[d] * dd
		}
	}
	res := Result{Units: int(math.Round(units)), Values: int(math.Round(values))}
	if de == 0 {
		res.Value = math.NaN()
		return res, nil
	}
	// α = 1 − D_o/D_e = 1 − (n−1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
	res.Value = 1 - (total-1)*do/de
	return res, nil
}

// Percent computes percent agreement as a proportion between 0 and 1:
// the share of pairs of values within a unit that are equal, over all
// pairable values (Krippendorff's observed agreement, 1 − D_o for nominal
// data). For two coders without missing values it is the share of units
// they coded alike. Units with fewer than two values are left out.
func Percent(d Data) (Result, error) {
	if err := checkCoders(d); err != nil {
		return Result{}, err
	}
	t, err := prepare(d, false, "")
	if err != nil {
		return Result{}, err
	}
	return t.percent()
}

func (t *table) percent() (Result, error) {
	o, units, values := t.coincidences()
	if values == 0 {
		return Result{}, ErrNoUnits
	}
	same := 0.0
	for c := range o {
		same += o[c][c]
	}
	return Result{Value: same / values, Units: int(math.Round(units)), Values: int(math.Round(values))}, nil
}

// Cohen computes Cohen's kappa for exactly two coders over the units both
// coded: κ = (p_o − p_e)/(1 − p_e), with p_e from each coder's own
// marginal proportions (Cohen 1960). With Linear or Quadratic weights it
// is Cohen's (1968) weighted kappa, κ_w = 1 − Σ v_ij p_ij / Σ v_ij p_i.
// p_.j, with disagreement weights v_ij = |x_i − x_j| or (x_i − x_j)² on
// the numeric values themselves (so on a 1..k scale they are the usual
// |i − j| and (i − j)² weights); weighted kappa needs numeric values.
// Kappa is NaN when chance agreement is total (both coders used one and
// the same value throughout).
func Cohen(d Data, w Weights) (Result, error) {
	if len(d.Coders) != 2 {
		return Result{}, fmt.Errorf("%w: Cohen's kappa is for exactly two coders, the data have %d: use Fleiss' kappa (--statistic fleiss) or Krippendorff's alpha (--statistic alpha); Light's kappa, the mean of Cohen's kappa over every pair, is what qcode agree shows for a project's coders", ErrCoders, len(d.Coders))
	}
	t, err := prepare(d, w != Unweighted, "weighted kappa")
	if err != nil {
		return Result{}, err
	}
	return t.cohen(w)
}

func (t *table) cohen(w Weights) (Result, error) {
	k := len(t.labels)
	p := make([][]float64, k)
	for i := range p {
		p[i] = make([]float64, k)
	}
	row := make([]float64, k)
	col := make([]float64, k)
	total := 0.0
	for u, cats := range t.units {
		a, b := cats[0], cats[1]
		if a < 0 || b < 0 {
			continue
		}
		x := t.weight[u]
		p[a][b] += x
		row[a] += x
		col[b] += x
		total += x
	}
	if total == 0 {
		return Result{}, ErrNoUnits
	}
	v := func(i, j int) float64 {
		switch w {
		case Linear:
			return math.Abs(t.nums[i] - t.nums[j])
		case Quadratic:
			d := t.nums[i] - t.nums[j]
			return d * d
		}
		if i == j {
			return 0
		}
		return 1
	}
	var obs, exp float64
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if i == j {
				continue
			}
			vij := v(i, j)
			obs += vij * p[i][j] / total
			exp += vij * (row[i] / total) * (col[j] / total)
		}
	}
	res := Result{Units: int(math.Round(total)), Values: int(math.Round(2 * total))}
	if exp == 0 {
		res.Value = math.NaN()
		return res, nil
	}
	// Unweighted, 1 − q_o/q_e equals (p_o − p_e)/(1 − p_e).
	res.Value = 1 - obs/exp
	return res, nil
}

// Fleiss computes Fleiss' (1971) kappa for any number of coders on
// nominal values: κ = (P̄ − P̄_e)/(1 − P̄_e), where P_i is the share of
// agreeing pairs of ratings of unit i, P̄ their mean over units, and
// P̄_e = Σ p_j² with p_j the share of all ratings in category j.
//
// Fleiss defined it for a constant number of ratings per unit. Here a unit
// may have fewer (missing values): units with fewer than two ratings are
// left out, P_i uses the unit's own number of ratings n_i, P_i(n_i) =
// Σ_j n_ij(n_ij − 1)/(n_i(n_i − 1)), P̄ is the plain mean of the P_i and
// p_j is pooled over every rating of those units. With equal numbers of
// ratings this is Fleiss' formula exactly. Kappa is NaN when every rating
// is the same category.
func Fleiss(d Data) (Result, error) {
	if err := checkCoders(d); err != nil {
		return Result{}, err
	}
	t, err := prepare(d, false, "")
	if err != nil {
		return Result{}, err
	}
	return t.fleiss()
}

func (t *table) fleiss() (Result, error) {
	k := len(t.labels)
	count := make([]float64, k)
	share := make([]float64, k)
	var sumP, units, ratings float64
	for u, cats := range t.units {
		for i := range count {
			count[i] = 0
		}
		n := 0.0
		for _, c := range cats {
			if c >= 0 {
				count[c]++
				n++
			}
		}
		if n < 2 {
			continue
		}
		w := t.weight[u]
		agree := 0.0
		for j, x := range count {
			agree += x * (x - 1)
			share[j] += w * x
		}
		sumP += w * agree / (n * (n - 1))
		units += w
		ratings += w * n
	}
	if units == 0 {
		return Result{}, ErrNoUnits
	}
	pbar := sumP / units
	pe := 0.0
	for _, x := range share {
		pj := x / ratings
		pe += pj * pj
	}
	res := Result{Units: int(math.Round(units)), Values: int(math.Round(ratings))}
	if pe >= 1 {
		res.Value = math.NaN()
		return res, nil
	}
	res.Value = (pbar - pe) / (1 - pe)
	return res, nil
}
