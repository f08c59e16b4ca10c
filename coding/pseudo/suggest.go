package pseudo

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// SuggestDoc is one document's text for Suggest.
type SuggestDoc struct {
	Name string
	Text string
}

// The types of candidate Suggest finds.
const (
	TypeSpeaker = "speaker" // a speaker's label
	TypeName    = "name"    // a capitalised word or run of words inside a sentence
	TypeEmail   = "email"
	TypePhone   = "phone"
	TypeURL     = "url"
	TypeBirth   = "birth-date" // a date next to "born", "родился", "д.р."
	TypeAddress = "address"    // a number next to a street word
)

// Candidate is a value that may identify someone, with where it is first
// seen.
type Candidate struct {
	Value string `json:"value"`
	Type  string `json:"type"`
	Count int    `json:"count"`
	// Forms are the forms seen, when more than one (case forms of a
	// Russian name), most frequent first.
	Forms []string `json:"forms,omitempty"`
	// Doc, Line and Context give the first place seen: the document, its
	// line (from 1) and the line, shortened around the value.
	Doc     string `json:"doc"`
	Line    int    `json:"line"`
	Context string `json:"context"`
	// InKey is the id of the key entry that already covers the value.
	InKey string `json:"in_key,omitempty"`
}

// SuggestOptions tunes Suggest.
type SuggestOptions struct {
	// Speakers are the speakers' names (labels) of the documents.
	Speakers []string
	// Known finds the values already in the key; nil for none.
	Known *Matcher
	// Min is the least count a candidate needs; below 1 is 1.
	Min int
}

// stopWords are capitalised words that name no one: weekdays, months,
// pronouns written with a capital, the usual speaker roles.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		monday tuesday wednesday thursday friday saturday sunday
		mondays tuesdays wednesdays thursdays fridays saturdays sundays
		january february march april may june july august september october november december
		i i'm i've i'd i'll mr mrs ms dr ok okay god the
		interviewer respondent moderator participant speaker interview
		понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
		январь января феврал февраль февраля март марта апрель апреля май мая июнь июня июль июля
		август августа сентябрь сентября октябрь октября ноябрь ноября декабрь декабря
		я вы вас вам вами ваш ваша ваше ваши вашего вашей вашим ваших бог господи
		интервьюер интервьюера респондент респондента модератор модератора участник участница
		ок окей`) {
		m[w] = true
	}
	return m
}()

// genericSpeaker matches speaker labels that name no one.
var genericSpeaker = lazyRegexp(`(?i)^(?:[a-zа-я]|q|a|r|i|int|resp|interviewer|respondent|moderator|speaker\s*\d*|интервьюер|респондент|модератор|спикер\s*\d*|участни(?:к|ца)\s*\d*|вопрос|ответ)\.?$`)

var (
	reEmail = lazyRegexp(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)
	reURL   = lazyRegexp(`(?i)(?:https?://|www\.)[^\s<>"'«»()\[\]]+`)
	rePhone = lazyRegexp(`(?:\+\d{1,3}[\s\-]?\(?\d{1,4}\)?(?:[\s\-]?\d{1,4}){2,5}|(?:^|[^\d\p{L}])8[\s\-]?\(?9\d\d\)?[\s\-]?\d{3}[\s\-]?\d{2}[\s\-]?\d{2})`)
	reDate  = lazyRegexp(`(?i)\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d\d|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:19|20)\d\d|(?:19|20)\d\d`)
	reBorn  = lazyRegexp(`(?i)born|родил|рожден|рождения|д\.\s?р\.|date of birth|dob`)
	reAddr  = lazyRegexp(`(?i)(?:^|[^\p{L}])((?:улиц[\p{L}]*|ул\.|проспект[\p{L}]*|пр-т|пр\.|переул[\p{L}]*|пер\.)\s*[\p{Lu}\d][\p{L}\-]*(?:\s+[\p{Lu}][\p{L}\-]*)?,?\s*(?:дом|д\.)?\s*№?\s*\d+[\p{L}]?(?:/\d+)?|(?:дом|д\.|квартир[\p{L}]*|кв\.)\s*№?\s*\d+[\p{L}]?(?:/\d+)?|\d+[\p{L}]?\s+(?:[\p{Lu}][\p{L}\-]*\s+){1,2}(?:street|st\.|avenue|ave\.|road|rd\.)|(?:street|avenue|road|apt\.?|apartment|flat)\s+(?:no\.?\s*)?\d+[\p{L}]?)`)
)

// lazyRegexp compiles a pattern the first time it is used, so that a
// process that suggests nothing does not compile it when it starts.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// group collects the occurrences of one candidate.
type group struct {
	typ      string
	forms    map[string]int
	count    int
	inside   int // capitalised occurrences that do not start a sentence
	doc      string
	line     int
	context  string
	firstPos int
	order    int
}

// Suggest lists the values in docs that may identify someone: the
// speakers' names; capitalised words and runs of words that do not start a
// sentence (less a stop list, and less words seen more often in lower
// case); e-mail addresses, phone numbers, URLs, dates of birth and numbers
// next to street words. Case forms of a Russian word are one candidate.
// Candidates are sorted by count, then value.
func Suggest(docs []SuggestDoc, opt SuggestOptions) []Candidate {
	groups := map[string]*group{}
	lower := map[string]int{}
	n := 0
	add := func(key, typ, form string, inside bool, doc string, line int, lineText string, pos int) {
		g := groups[key]
		if g == nil {
			g = &group{typ: typ, forms: map[string]int{}, doc: doc, line: line, order: n}
			g.context = contextAround(lineText, pos, len(form))
			groups[key] = g
			n++
		}
		g.forms[form]++
		g.count++
		if inside {
			g.inside++
		}
	}
	for _, d := range docs {
		suggestDoc(d, add, lower)
	}

	// Speakers: their labels count where the name is written.
	spk := map[string]string{} // folded name: the name
	for _, name := range opt.Speakers {
		name = strings.TrimSpace(name)
		if name == "" || genericSpeaker().MatchString(name) || spk[fold(name)] != "" {
			continue
		}
		spk[fold(name)] = name
	}
	if len(spk) > 0 {
		var entries []Entry
		for name := range spk {
			entries = append(entries, Entry{ID: name, Real: name, Pseudonym: "[s]", Kind: Person})
		}
		m := NewMatcher(entries)
		for _, d := range docs {
			lines := lineStarts(d.Text)
			c := cursor{s: d.Text}
			for _, x := range m.Find(d.Name, d.Text) {
				b, e := c.offset(x.Start), c.offset(x.End)
				ln, lt, off := lineAt(d.Text, lines, b)
				add("s\x00"+x.Entry.ID, TypeSpeaker, d.Text[b:e], true, d.Name, ln, lt, off)
			}
		}
		for key, name := range spk {
			if groups["s\x00"+key] == nil {
				groups["s\x00"+key] = &group{typ: TypeSpeaker, forms: map[string]int{name: 0}, order: n}
				n++
			}
		}
	}

	min := opt.Min
	if min < 1 {
		min = 1
	}
	var out []Candidate
	for key, g := range groups {
		if g.typ == TypeName {
			if g.inside == 0 {
				continue
			}
			lc := 0
			for f := range g.forms {
				lc += lower[fold(f)]
			}
			if lc > g.inside {
				continue // a common word, written with a capital at times
			}
		}
		if g.count < min && !(g.typ == TypeSpeaker && min <= 1) {
			continue
		}
		c := Candidate{Type: g.typ, Count: g.count, Doc: g.doc, Line: g.line, Context: g.context}
		forms := make([]string, 0, len(g.forms))
		for f := range g.forms {
			forms = append(forms, f)
		}
		sort.Slice(forms, func(i, j int) bool {
			a, b := forms[i], forms[j]
			if g.forms[a] != g.forms[b] {
				return g.forms[a] > g.forms[b]
			}
			if len(a) != len(b) {
				return len(a) < len(b)
			}
			return a < b
		})
		c.Value = nominative(forms)
		if g.typ == TypeName && spk[fold(c.Value)] != "" {
			continue // the speaker's entry counts the name wherever it is written
		}
		if g.typ == TypeSpeaker {
			c.Value = spk[strings.SplitN(key, "\x00", 2)[1]]
		}
		if len(forms) > 1 {
			c.Forms = forms
		}
		if opt.Known != nil {
			for _, x := range opt.Known.Find(g.doc, c.Value) {
				if x.Start == 0 && x.End == utf8.RuneCountInString(c.Value) {
					c.InKey = x.Entry.ID
				}
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Value != b.Value {
			return a.Value < b.Value
		}
		return a.Type < b.Type
	})
	return out
}

// nominative picks the form to show for a group of forms (most frequent
// first): of the forms that, as an entry, would match all the others, the
// one with fewest words in an oblique case (Анна rather than Анну), else
// the most frequent.
func nominative(forms []string) string {
	best, bestScore := forms[0], -1
	for _, f := range forms {
		fw := strings.Fields(fold(f))
		ok := true
		for _, o := range forms {
			ow := strings.Fields(fold(o))
			if len(ow) != len(fw) {
				continue
			}
			for i := range fw {
				if w := newWord(fw[i]); !w.matches(ow[i]) {
					ok = false
					break
				}
			}
			if !ok {
				break
			}
		}
		if !ok {
			continue
		}
		score := 0
		for _, w := range fw {
			if oblique(w) {
				score++
			}
		}
		if bestScore < 0 || score < bestScore {
			best, bestScore = f, score
		}
	}
	return best
}

// oblique reports whether a folded Cyrillic word ends like a case other
// than the nominative.
func oblique(w string) bool {
	r := []rune(w)
	if len(r) < 4 || !allCyrillic(w) {
		return false
	}
	switch string(r[len(r)-2:]) {
	case "ой", "ом", "ем", "ым", "им", "ою", "ею", "ам", "ям", "ах", "ях":
		return true
	}
	if e := string(r[len(r)-3:]); e == "ого" || e == "его" {
		return true
	}
	return strings.ContainsRune("уюеиы", r[len(r)-1])
}

// suggestDoc finds the candidates of one document.
func suggestDoc(d SuggestDoc, add func(key, typ, form string, inside bool, doc string, line int, lineText string, pos int), lower map[string]int) {
	text := d.Text
	lineNo := 0
	for len(text) > 0 || lineNo == 0 {
		lineNo++
		nl := strings.IndexByte(text, '\n')
		line := text
		if nl >= 0 {
			line, text = text[:nl], text[nl+1:]
		} else {
			text = ""
		}
		suggestLine(d.Name, lineNo, line, add, lower)
		if nl < 0 {
			break
		}
	}
}

func suggestLine(doc string, ln int, line string, add func(key, typ, form string, inside bool, doc string, line int, lineText string, pos int), lower map[string]int) {
	// Words: capitalised ones and runs of them.
	toks := tokenize(line)
	runEnd := -1
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := line[t.b:t.e]
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			if unicode.IsLetter(r) {
				lower[fold(w)]++
			}
			continue
		}
		if !capitalised(w) {
			continue
		}
		inside := !sentenceStart(line[:t.b])
		if utf8.RuneCountInString(w) > 1 {
			add("w\x00"+groupKey(fold(w)), TypeName, w, inside, doc, ln, line, t.b)
		}
		if i <= runEnd {
			continue
		}
		// A run of capitalised words separated by single spaces; a
		// sentence's first word is not part of it.
		j := i
		for j+1 < len(toks) && line[toks[j].e:toks[j+1].b] == " " && capitalised(line[toks[j+1].b:toks[j+1].e]) {
			j++
		}
		runEnd = j
		from := i
		if !inside {
			from = i + 1
		}
		if j > from {
			var key strings.Builder
			key.WriteString("r")
			for k := from; k <= j; k++ {
				key.WriteString("\x00" + groupKey(fold(line[toks[k].b:toks[k].e])))
			}
			add(key.String(), TypeName, line[toks[from].b:toks[j].e], true, doc, ln, line, toks[from].b)
		}
	}
	if strings.IndexByte(line, '@') >= 0 {
		for _, loc := range reEmail().FindAllStringIndex(line, -1) {
			v := line[loc[0]:loc[1]]
			add("e\x00"+strings.ToLower(v), TypeEmail, v, true, doc, ln, line, loc[0])
		}
	}
	if strings.Contains(line, "http") || strings.Contains(line, "www.") || strings.Contains(line, "WWW.") {
		for _, loc := range reURL().FindAllStringIndex(line, -1) {
			v := strings.TrimRight(line[loc[0]:loc[1]], ".,;:!?")
			add("u\x00"+strings.ToLower(v), TypeURL, v, true, doc, ln, line, loc[0])
		}
	}
	if digits(line) >= 7 {
		for _, loc := range rePhone().FindAllStringIndex(line, -1) {
			v := strings.TrimLeftFunc(line[loc[0]:loc[1]], func(r rune) bool { return r != '+' && !unicode.IsDigit(r) })
			v = strings.TrimSpace(v)
			if n := digits(v); n < 9 || n > 15 {
				continue
			}
			add("p\x00"+onlyDigits(v), TypePhone, v, true, doc, ln, line, strings.Index(line, v))
		}
	}
	if digits(line) >= 2 {
		if born := reBorn().FindAllStringIndex(line, -1); born != nil {
			for _, loc := range reDate().FindAllStringIndex(line, -1) {
				near := false
				for _, b := range born {
					if loc[0]-b[1] < 80 && b[0]-loc[1] < 80 {
						near = true
					}
				}
				if near {
					v := line[loc[0]:loc[1]]
					add("b\x00"+v, TypeBirth, v, true, doc, ln, line, loc[0])
				}
			}
		}
		for _, m := range reAddr().FindAllStringSubmatchIndex(line, -1) {
			v := strings.Join(strings.Fields(line[m[2]:m[3]]), " ")
			add("a\x00"+fold(v), TypeAddress, v, true, doc, ln, line, m[2])
		}
	}
}

// groupKey is the key that puts a word's case forms together: the
// Snowball stem of a Cyrillic word, else the folded word.
func groupKey(f string) string {
	if !allCyrillic(f) {
		return f
	}
	r := []rune(f)
	switch {
	case len(r) >= 4:
		return stem(f)
	case len(r) == 3 && isVowel(r[2]):
		return string(r[:2]) // Оля, Оли, Олю
	}
	return f
}

// sentenceStart reports whether a word after before starts a sentence (or
// a line, or a turn after a speaker's label).
func sentenceStart(before string) bool {
	for len(before) > 0 {
		r, size := utf8.DecodeLastRuneInString(before)
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune("\"'«»„“”‘’([—–-*_", r):
			before = before[:len(before)-size]
			continue
		case strings.ContainsRune(".!?…:;", r):
			return true
		case unicode.IsDigit(r) && strings.TrimLeftFunc(before, func(r rune) bool { return unicode.IsDigit(r) || r == ']' || r == '[' || r == ':' || unicode.IsSpace(r) }) == "":
			return true // a timestamp at the line start
		}
		return false
	}
	return true
}

// capitalised reports whether w is a word that may be part of a name:
// letters only, the first a capital, not on the stop list.
func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && allLetters(w) && !stopWords[fold(w)]
}

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func onlyDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// contextAround shortens line to about 100 letters around the byte
// offset pos.
func contextAround(line string, pos, n int) string {
	const width = 100
	r := []rune(line)
	at := utf8.RuneCountInString(line[:pos])
	ln := utf8.RuneCountInString(line[pos : pos+n])
	start, end := 0, len(r)
	if len(r) > width {
		start = at - (width-ln)/2
		if start < 0 {
			start = 0
		}
		end = start + width
		if end > len(r) {
			end = len(r)
			start = end - width
		}
	}
	s := strings.TrimSpace(string(r[start:end]))
	if start > 0 {
		s = "…" + s
	}
	if end < len(r) {
		s += "…"
	}
	return s
}

// lineStarts are the byte offsets where each line of text starts.
func lineStarts(text string) []int {
	out := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// lineAt returns the line (from 1) holding byte offset b, its text and
// b's offset in it.
func lineAt(text string, starts []int, b int) (int, string, int) {
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > b }) - 1
	end := len(text)
	if i+1 < len(starts) {
		end = starts[i+1] - 1
	}
	return i + 1, text[starts[i]:end], b - starts[i]
}

// cursor turns code-point positions into byte offsets, moving forward
// from the last position asked.
type cursor struct {
	s      string
	cp, at int
}

func (c *cursor) offset(cp int) int {
	if cp < c.cp {
		c.cp, c.at = 0, 0
	}
	for c.cp < cp && c.at < len(c.s) {
		_, size := utf8.DecodeRuneInString(c.s[c.at:])
		c.at += size
		c.cp++
	}
	return c.at
}
