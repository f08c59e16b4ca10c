package refiqda

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

var (
	anyCaseGUIDRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	bareGUIDRE    = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	hex6RE        = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	hex3RE        = regexp.MustCompile(`^#[0-9a-fA-F]{3}$`)
	rgbRE         = regexp.MustCompile(`^(?i)rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(,\s*[0-9.]+%?\s*)?\)$`)
)

// codebookGUIDSpace is the namespace of the GUIDs this package derives (UUID v5)
// for codes whose GUID is missing or unusable, so that the same file
// always gives the same GUIDs.
var codebookGUIDSpace = uuid.MustParse("6f1c1e2a-8d0b-4a59-9a8e-0c4de1f0a7b3")

// NormalizeGUID returns g as qcode stores it, lower-case without braces.
// ok is false when g is not a GUID REFI-QDA allows (8-4-4-4-12 hex,
// optionally in braces); a bare 32-digit hex string is accepted and
// hyphenated. changed reports a change beyond letter case.
func NormalizeGUID(g string) (norm string, ok, changed bool) {
	t := strings.TrimSpace(g)
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		t = t[1 : len(t)-1]
		changed = true
	}
	switch {
	case anyCaseGUIDRE.MatchString(t):
	case bareGUIDRE.MatchString(t):
		t = t[:8] + "-" + t[8:12] + "-" + t[12:16] + "-" + t[16:20] + "-" + t[20:]
		changed = true
	default:
		return "", false, false
	}
	return strings.ToLower(t), true, changed
}

// derivedGUID is a stable GUID for a code that has no usable one, from
// what identifies it in its file.
func derivedGUID(key string) string {
	return uuid.NewSHA1(codebookGUIDSpace, []byte(key)).String()
}

// NormalizeColor returns a colour as qcode stores it, #RRGGBB in upper
// case, from what producers write: #RRGGBB or #RGB in either case (both
// standard), or rgb(r, g, b) and rgba(r, g, b, a), whose alpha is
// dropped. note says what was not standard ("" when it was); ok is false
// when the value cannot be read as a colour. An empty value is no colour.
func NormalizeColor(c string) (norm, note string, ok bool) {
	t := strings.TrimSpace(c)
	switch {
	case t == "":
		return "", "", true
	case hex6RE.MatchString(t):
		return strings.ToUpper(t), "", true
	case hex3RE.MatchString(t):
		r, g, b := t[1:2], t[2:3], t[3:4]
		return strings.ToUpper("#" + r + r + g + g + b + b), "", true
	}
	m := rgbRE.FindStringSubmatch(t)
	if m == nil {
		return "", "", false
	}
	var v [3]int
	for i := range v {
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > 255 {
			return "", "", false
		}
		v[i] = n
	}
	norm = fmt.Sprintf("#%02X%02X%02X", v[0], v[1], v[2])
	note = fmt.Sprintf("colour %q is not #RRGGBB; read as %s", c, norm)
	if m[4] != "" {
		note += " (alpha dropped)"
	}
	return norm, note, true
}
