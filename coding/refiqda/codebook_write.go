package refiqda

import (
	"bufio"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/qcode-dev/qcode/coding"
)

// TreeCodes turns a flat codebook (each code naming its parent by GUID)
// into a REFI-QDA code tree: siblings by name without case, then GUID, so
// the tree does not depend on the order given; every code codable;
// colours #RRGGBB; GUIDs lower-case, with a stable derived one for a GUID
// REFI-QDA cannot carry. Codes whose parent is missing go to the top.
// Names and descriptions lose the characters XML cannot carry.
func TreeCodes(codes []coding.SnapshotCode) []Code {
	known := make(map[string]bool, len(codes))
	for _, c := range codes {
		known[c.GUID] = true
	}
	kids := map[string][]int{}
	for i, c := range codes {
		p := c.ParentGUID
		if !known[p] || p == c.GUID {
			p = ""
		}
		kids[p] = append(kids[p], i)
	}
	for _, k := range kids {
		sort.SliceStable(k, func(a, b int) bool {
			x, y := codes[k[a]], codes[k[b]]
			if lx, ly := strings.ToLower(x.Name), strings.ToLower(y.Name); lx != ly {
				return lx < ly
			}
			if x.Name != y.Name {
				return x.Name < y.Name
			}
			return x.GUID < y.GUID
		})
	}
	seen := map[string]bool{}
	var build func(parent string) []Code
	build = func(parent string) []Code {
		var out []Code
		for _, i := range kids[parent] {
			c := codes[i]
			if seen[c.GUID] {
				continue // a cycle; each code is written once
			}
			seen[c.GUID] = true
			guid, ok, _ := NormalizeGUID(c.GUID)
			if !ok {
				guid = derivedGUID(c.GUID)
			}
			color, _, ok := NormalizeColor(c.Color)
			if !ok {
				color = ""
			}
			out = append(out, Code{
				GUID:        guid,
				Name:        strings.ToValidUTF8(xmlSafe(c.Name), ""),
				IsCodable:   "true",
				Color:       color,
				Description: strings.ToValidUTF8(xmlSafe(c.Description), ""),
				Codes:       build(c.GUID),
			})
		}
		return out
	}
	return build("")
}

// WriteCodebook writes codes as a REFI-QDA codebook (.qdc) valid against
// Codebook.xsd, naming origin as its producer. The same codes give the
// same bytes whatever their order (see TreeCodes); the file holds no
// timestamps. A codebook needs at least one code.
func WriteCodebook(w io.Writer, codes []coding.SnapshotCode, origin string) error {
	tree := TreeCodes(codes)
	if len(tree) == 0 {
		return errors.New("write codebook: the codebook is empty, and a .qdc must hold at least one code")
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	bw.WriteString(`<CodeBook xmlns="` + CodebookNamespace + `"`)
	if origin != "" {
		bw.WriteString(` origin="` + attrEscape(strings.ToValidUTF8(xmlSafe(origin), "")) + `"`)
	}
	bw.WriteString(">\n  <Codes>\n")
	for _, c := range tree {
		writeCode(bw, c, 2)
	}
	bw.WriteString("  </Codes>\n</CodeBook>\n")
	return bw.Flush()
}

func writeCode(w *bufio.Writer, c Code, depth int) {
	ind := strings.Repeat("  ", depth)
	w.WriteString(ind + `<Code guid="` + c.GUID + `" name="` + attrEscape(c.Name) + `" isCodable="` + c.IsCodable + `"`)
	if c.Color != "" {
		w.WriteString(` color="` + c.Color + `"`)
	}
	if c.Description == "" && len(c.Codes) == 0 {
		w.WriteString("/>\n")
		return
	}
	w.WriteString(">\n")
	if c.Description != "" {
		w.WriteString(ind + "  <Description>" + textEscape(c.Description) + "</Description>\n")
	}
	for _, k := range c.Codes {
		writeCode(w, k, depth+1)
	}
	w.WriteString(ind + "</Code>\n")
}

var (
	attrReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
		"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
	textReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
)

// attrEscape escapes s for a double-quoted attribute, keeping tabs and
// line breaks (which a parser would otherwise turn into spaces).
func attrEscape(s string) string { return attrReplacer.Replace(s) }

// textEscape escapes s for character data, keeping carriage returns.
func textEscape(s string) string { return textReplacer.Replace(s) }
