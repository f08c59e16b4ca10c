package coding

// AttrFilters keeps documents by their attributes: each "KEY=VALUE" must
// hold, keys and values compared ignoring case, as quotes, the analysis
// tables and the figures all take --attr.
type AttrFilters []attrFilter

// ParseAttrFilters reads "KEY=VALUE" filters; none keeps every document.
func ParseAttrFilters(kvs []string) (AttrFilters, error) {
	var out AttrFilters
	for _, kv := range kvs {
		k, v, err := ParseAttrFilter(kv)
		if err != nil {
			return nil, err
		}
		out = append(out, attrFilter{k, v})
	}
	return out, nil
}

// Match reports whether a document with attrs passes every filter.
func (f AttrFilters) Match(attrs []Attribute) bool { return hasAttrs(attrs, f) }
