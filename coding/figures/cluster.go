package figures

// clusterOrder orders items by agglomerative hierarchical clustering with
// average linkage on the distance 1 − sim: the two closest clusters merge
// first, and the leaves of the final tree, left to right, are the order.
// Ties go by name: of equally close pairs the one whose names sort first
// merges first, and of two merging clusters the one holding the name that
// sorts first goes left. sim must be symmetric; names break ties only.
func clusterOrder(sim [][]float64, names []string) []int {
	n := len(names)
	type cluster struct {
		leaves []int
		first  string // the smallest name in the cluster
	}
	clusters := make([]*cluster, n)
	for i := range n {
		clusters[i] = &cluster{leaves: []int{i}, first: names[i]}
	}
	// dist[a][b] is the average distance between clusters a and b,
	// kept up to date by the Lance–Williams update for average linkage.
	dist := make([][]float64, n)
	for i := range n {
		dist[i] = make([]float64, n)
		for j := range n {
			dist[i][j] = 1 - sim[i][j]
		}
	}
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	for left := n; left > 1; left-- {
		ba, bb := -1, -1
		for a := range n {
			if !alive[a] {
				continue
			}
			for b := a + 1; b < n; b++ {
				if !alive[b] {
					continue
				}
				if ba < 0 || closer(dist[a][b], dist[ba][bb], pairKey(clusters[a].first, clusters[b].first), pairKey(clusters[ba].first, clusters[bb].first)) {
					ba, bb = a, b
				}
			}
		}
		ca, cb := clusters[ba], clusters[bb]
		na, nb := float64(len(ca.leaves)), float64(len(cb.leaves))
		for k := range n {
			if alive[k] && k != ba && k != bb {
				d := (na*dist[ba][k] + nb*dist[bb][k]) / (na + nb)
				dist[ba][k], dist[k][ba] = d, d
			}
		}
		merged := &cluster{}
		if cb.first < ca.first {
			ca, cb = cb, ca
		}
		merged.leaves = append(append(merged.leaves, ca.leaves...), cb.leaves...)
		merged.first = ca.first
		clusters[ba] = merged
		alive[bb] = false
	}
	for i := range n {
		if alive[i] {
			return clusters[i].leaves
		}
	}
	return nil
}

// closer reports whether distance d with tie key k beats the best so far.
func closer(d, best float64, k, bestKey [2]string) bool {
	const eps = 1e-12
	if d < best-eps {
		return true
	}
	if d > best+eps {
		return false
	}
	return k[0] < bestKey[0] || (k[0] == bestKey[0] && k[1] < bestKey[1])
}

// pairKey orders a pair of names.
func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}
