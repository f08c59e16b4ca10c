package agree

import (
	"sort"

	"github.com/qcode-dev/qcode/coding"
)

// chars counts the characters of document d by which coders coded them
// with the code, from the codings g (nil when nobody did), and returns the
// runs of characters the coders disagree on. It never makes a unit per
// character: it sweeps over the sorted ends of the codings and adds the
// length of each run between two ends to the pattern of coders covering
// it, so its cost grows with the number of codings, not of characters.
func chars(p patterns, d Doc, g *group, full uint64) []found {
	if g == nil {
		p[0] += float64(d.Length)
		return nil
	}
	type event struct {
		pos   int
		coder int
		delta int
	}
	events := make([]event, 0, 2*len(g.codings))
	for i, c := range g.codings {
		s, e := max(0, min(c.Start, d.Length)), max(0, min(c.End, d.Length))
		if e <= s {
			continue
		}
		events = append(events, event{s, g.coder[i], 1}, event{e, g.coder[i], -1})
	}
	sort.Slice(events, func(i, j int) bool { return events[i].pos < events[j].pos })
	var count [MaxCoders]int
	var mask uint64
	var runs []found
	prev := 0
	for i := 0; i < len(events); {
		pos := events[i].pos
		if pos > prev {
			p[mask] += float64(pos - prev)
			if mask != 0 && mask != full {
				if n := len(runs); n > 0 && runs[n-1].End == prev && runs[n-1].mask == mask {
					runs[n-1].End = pos
				} else {
					runs = append(runs, found{Disagreement: Disagreement{Start: prev, End: pos}, mask: mask})
				}
			}
			prev = pos
		}
		for ; i < len(events) && events[i].pos == pos; i++ {
			ev := events[i]
			count[ev.coder] += ev.delta
			if count[ev.coder] > 0 {
				mask |= 1 << ev.coder
			} else {
				mask &^= 1 << ev.coder
			}
		}
	}
	p[0] += float64(d.Length - prev)

	// The codings under each run: g.codings are sorted by start, and so
	// are the runs, so one pass keeps the codings that may still overlap.
	var active []int
	next := 0
	for k := range runs {
		run := &runs[k]
		for ; next < len(g.codings) && g.codings[next].Start < run.End; next++ {
			active = append(active, next)
		}
		kept := active[:0]
		for _, i := range active {
			if g.codings[i].End > run.Start {
				kept = append(kept, i)
				run.Codings = append(run.Codings, g.codings[i])
			}
		}
		active = kept
	}
	return runs
}

// segments makes the codings g the units: codings of different coders
// that overlap by at least overlap of their union are one segment (and
// so, in a chain, are all codings linked by such matches); each segment
// counts once, coded by the coders who have a coding in it. A segment
// not every coder coded is a disagreement.
func segments(p patterns, g *group, full uint64, overlap float64) []found {
	if g == nil {
		return nil
	}
	cs := g.codings
	parent := make([]int, len(cs))
	for i := range parent {
		parent[i] = i
	}
	var root func(int) int
	root = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// cs is sorted by start: only later codings starting before a
	// coding's end can overlap it.
	for i := range cs {
		for j := i + 1; j < len(cs) && cs[j].Start < cs[i].End; j++ {
			if g.coder[i] == g.coder[j] {
				continue
			}
			inter := min(cs[i].End, cs[j].End) - cs[j].Start
			union := max(cs[i].End, cs[j].End) - cs[i].Start
			if float64(inter) >= overlap*float64(union)-1e-9 {
				if a, b := root(i), root(j); a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
	}
	bySeg := map[int]*found{}
	var order []int
	for i, c := range cs {
		r := root(i)
		f := bySeg[r]
		if f == nil {
			f = &found{Disagreement: Disagreement{Start: c.Start, End: c.End}}
			bySeg[r] = f
			order = append(order, r)
		}
		f.mask |= 1 << g.coder[i]
		f.Start = min(f.Start, c.Start)
		f.End = max(f.End, c.End)
		f.Codings = append(f.Codings, c)
	}
	var out []found
	for _, r := range order {
		f := bySeg[r]
		p[f.mask]++
		if f.mask != full {
			out = append(out, *f)
		}
	}
	return out
}

// document makes the document one unit: coded with the code or not, per
// coder. When some coders coded it and others did not, the disagreement
// spans their codings.
func document(p patterns, g *group, full uint64) []found {
	if g == nil {
		p[0]++
		return nil
	}
	f := found{Disagreement: Disagreement{Start: g.codings[0].Start, End: g.codings[0].End}}
	for i, c := range g.codings {
		f.mask |= 1 << g.coder[i]
		f.Start = min(f.Start, c.Start)
		f.End = max(f.End, c.End)
	}
	p[f.mask]++
	if f.mask == full {
		return nil
	}
	f.Codings = append([]coding.Coding(nil), g.codings...)
	return []found{f}
}
