package refiqda

import (
	"regexp"
	"strings"

	"github.com/google/uuid"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// guidSpace is the namespace of the name-based (v5) GUIDs qcode derives
// for what its store keeps no GUID of: cases, variables, selections.
var guidSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/qcode-dev/qcode/refi-qda"))

// deriveGUID returns the v5 GUID of a thing of the given kind and name:
// the same inputs always give the same GUID.
func deriveGUID(kind string, names ...string) string {
	return uuid.NewSHA1(guidSpace, []byte(kind+"\x00"+strings.Join(names, "\x00"))).String()
}

// normGUID returns g lower-case without braces, or "" when it is not a
// GUID of the form 8-4-4-4-12.
func normGUID(g string) string {
	g = strings.ToLower(strings.TrimSpace(g))
	if strings.HasPrefix(g, "{") && strings.HasSuffix(g, "}") {
		g = g[1 : len(g)-1]
	}
	if !guidRE.MatchString(g) {
		return ""
	}
	return g
}

// exportGUID returns g as written to a file: the store's GUID when it has
// the standard's form, else one derived from it.
func exportGUID(kind, g string) string {
	if n := normGUID(g); n != "" {
		return n
	}
	return deriveGUID(kind, g)
}
