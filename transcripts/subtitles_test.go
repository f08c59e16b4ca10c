package transcripts

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// cueSpan is a subtitle turn with its times and anchors.
type cueSpan struct {
	span
	EndTime time.Duration
	// Anchors are the turn's anchors, each as "@time text" where text
	// runs from the anchor to the next one or the end, joined with " | ".
	Anchors string
}

func cueSpans(doc *Document) []cueSpan {
	var out []cueSpan
	for i, s := range spans(doc) {
		out = append(out, cueSpan{s, doc.Turns[i].EndTime, anchorText(doc, doc.Turns[i])})
	}
	return out
}

// anchorText renders the anchors of tr as cueSpan.Anchors does.
func anchorText(doc *Document, tr Turn) string {
	r := []rune(doc.Text)
	var out []string
	for k, a := range tr.Anchors {
		end := tr.End
		if k+1 < len(tr.Anchors) {
			end = tr.Anchors[k+1].Pos
		}
		if a.Pos < 0 || a.Pos > end || end > len(r) {
			out = append(out, fmt.Sprintf("@%v <bad position %d>", a.Time, a.Pos))
			continue
		}
		out = append(out, fmt.Sprintf("@%v %s", a.Time, strings.TrimSpace(string(r[a.Pos:end]))))
	}
	return strings.Join(out, " | ")
}

func cs(speaker, whole, body string, start, end time.Duration) cueSpan {
	return cueSpan{span: spt(speaker, whole, body, start), EndTime: end}
}

// csa is cs with anchors, written as cueSpan.Anchors.
func csa(speaker, whole, body string, start, end time.Duration, anchors string) cueSpan {
	return cueSpan{spt(speaker, whole, body, start), end, anchors}
}

// checkAnchors fails t unless every turn's anchors lie inside its body,
// after its start, each at the start of a word, in increasing order.
func checkAnchors(t *testing.T, doc *Document) {
	t.Helper()
	r := []rune(doc.Text)
	for i, tr := range doc.Turns {
		prev := tr.Body
		for _, a := range tr.Anchors {
			if a.Pos <= prev || a.Pos >= tr.End {
				t.Fatalf("turn %d = %+v: anchor %+v not after %d and before the end", i, tr, a, prev)
			}
			if r[a.Pos-1] != ' ' || r[a.Pos] == ' ' {
				t.Fatalf("turn %d: anchor %+v not at the start of a cue's text in %q", i, a, string(r[tr.Start:tr.End]))
			}
			prev = a.Pos
		}
	}
}

func TestSubtitles(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name, file, in string
		text           string
		want           []cueSpan
	}{
		{
			"vtt voice tags, merged cues, entities, settings",
			"a.vtt",
			"WEBVTT - title\n\n00:00:01.000 --> 00:00:02.000 align:start\n<v Anna>Hi &amp; <b>welcome</b>.</v>\n\n00:00:02.500 --> 00:00:03.000\n<v.loud.x Anna>Again</v>\n\n00:00:04.000 --> 00:00:05.000\n<v Борис>Привет&nbsp;всем &lt;3</v>\n",
			"Anna: Hi & welcome. Again\nБорис: Привет всем <3",
			[]cueSpan{
				csa("Anna", "Anna: Hi & welcome. Again", "Hi & welcome. Again", time.Second, 3*time.Second, "@2.5s Again"),
				cs("Борис", "Борис: Привет всем <3", "Привет всем <3", 4*time.Second, 5*time.Second),
			},
		},
		{
			"vtt header, NOTE STYLE REGION, identifiers, MM:SS.mmm",
			"a.vtt",
			"\ufeffWEBVTT\nKind: captions\n\nREGION\nid:fred\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\nspanning lines\n\nintro\n01:02.500 --> 01:03.000\nText one\nline two\n\n2\n1:01:02.000 --> 1:01:03.000\nText three\n",
			"Text one line two\nText three",
			[]cueSpan{
				cs("", "Text one line two", "Text one line two", time.Minute+2500*ms, time.Minute+3*time.Second),
				cs("", "Text three", "Text three", time.Hour+time.Minute+2*time.Second, time.Hour+time.Minute+3*time.Second),
			},
		},
		{
			"vtt cues without blank lines between them, and a blank line inside a cue",
			"a.vtt",
			"WEBVTT\n00:00:01.000 --> 00:00:02.000\nOne\n00:00:02.000 --> 00:00:03.000\nTwo\n\ncontinued\n",
			"One\nTwo continued",
			[]cueSpan{
				cs("", "One", "One", time.Second, 2*time.Second),
				cs("", "Two continued", "Two continued", 2*time.Second, 3*time.Second),
			},
		},
		{
			"leading names count from two cues",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\nDr. Anna Petrova (she/her): Hello.\n\n00:02.000 --> 00:03.000\nNote: not a speaker.\n\n00:03.000 --> 00:04.000\nDr. Anna Petrova (she/her): Bye.\n",
			"Dr. Anna Petrova (she/her): Hello.\nNote: not a speaker.\nDr. Anna Petrova (she/her): Bye.",
			[]cueSpan{
				cs("Dr. Anna Petrova (she/her)", "Dr. Anna Petrova (she/her): Hello.", "Hello.", time.Second, 2*time.Second),
				cs("", "Note: not a speaker.", "Note: not a speaker.", 2*time.Second, 3*time.Second),
				cs("Dr. Anna Petrova (she/her)", "Dr. Anna Petrova (she/her): Bye.", "Bye.", 3*time.Second, 4*time.Second),
			},
		},
		{
			"srt with whisper labels, tags, positioning codes, empty cues skipped",
			"a.srt",
			"1\n00:00:00,000 --> 00:00:01,500\n[SPEAKER_00]: <i>Hello</i>\n\n2\n00:00:01,500 --> 00:00:02,000 X1:1 X2:2\n{\\an8}[SPEAKER_00] there\n\n3\n00:00:02,000 --> 00:00:03,000\n<font color=\"#fff\"></font>\n\n4\n00:00:03,000 --> 00:00:04,000\nQ: A known label.\n",
			"SPEAKER_00: Hello there\nQ: A known label.",
			[]cueSpan{
				csa("SPEAKER_00", "SPEAKER_00: Hello there", "Hello there", 0, 2*time.Second, "@1.5s there"),
				cs("Q", "Q: A known label.", "A known label.", 3*time.Second, 4*time.Second),
			},
		},
		{
			"srt with CRLF, no cue numbers, cues without speaker are not merged",
			"a.srt",
			"00:00:01,000 --> 00:00:02,000\r\nOne\r\n\r\n00:00:02,000 --> 00:00:03,000\r\nTwo\r\n",
			"One\nTwo",
			[]cueSpan{
				cs("", "One", "One", time.Second, 2*time.Second),
				cs("", "Two", "Two", 2*time.Second, 3*time.Second),
			},
		},
		{
			"code points: emoji and NFD",
			"a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\n<v Jose\u0301>👋 e\u0301 Йо\u0301</v>\n",
			"José: 👋 é Йо\u0301",
			[]cueSpan{cs("José", "José: 👋 é Йо\u0301", "👋 é Йо\u0301", time.Second, 2*time.Second)},
		},
		{
			"teams timings without leading zeros, text identifiers, one-line NOTE",
			"a.vtt",
			"WEBVTT\n\nNOTE duration:\"00:00:07.42\"\n\n1-0\n0:0:0.0 --> 0:0:0.570\n<v Anna>Hi.</v>\n\n3f1c-2a9e/14-0\n00:00:05.1 --> 00:00:07.42\n<v Anna>Again.</v>\n",
			"Anna: Hi. Again.",
			[]cueSpan{csa("Anna", "Anna: Hi. Again.", "Hi. Again.", 0, 7420*ms, "@5.1s Again.")},
		},
		{
			"hours of three digits, long fractions, no fraction, M:S",
			"a.srt",
			"1\n100:0:1,5 --> 100:00:02,123456789\nOne\n\n2\n1:02 --> 1:3.25\nTwo\n",
			"One\nTwo",
			[]cueSpan{
				cs("", "One", "One", 100*time.Hour+1500*ms, 100*time.Hour+2*time.Second+123456789),
				cs("", "Two", "Two", time.Minute+2*time.Second, time.Minute+3250*ms),
			},
		},
		{
			"several cues of one speaker: an anchor at each further cue",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ира>Раз,</v>\n\n00:02.000 --> 00:03.000\n<v Ира>два,</v>\n\n00:03.000 --> 00:04.000\n<v Ира>три.</v>\n\n00:04.000 --> 00:05.000\n<v Tom>Four.</v>\n",
			"Ира: Раз, два, три.\nTom: Four.",
			[]cueSpan{
				csa("Ира", "Ира: Раз, два, три.", "Раз, два, три.", time.Second, 4*time.Second, "@2s два, | @3s три."),
				cs("Tom", "Tom: Four.", "Four.", 4*time.Second, 5*time.Second),
			},
		},
		{
			"a cue that starts empty does not make an anchor of its own",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x</v>\n\n00:02.000 --> 00:03.000\n<v A><i></i></v>\n\n00:03.000 --> 00:04.000\n<v A>y</v>\n",
			"A: x y",
			[]cueSpan{csa("A", "A: x y", "x y", time.Second, 4*time.Second, "@3s y")},
		},
		{
			"voice classes, closing tags, karaoke times, <c> and <i> stripped; a lone < kept",
			"a.vtt",
			"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v.first.loud Anna Petrova><00:00:01.000><c> We</c><00:00:01.400><c> left</c> <i>early</i> &lt;3 and 1 < 2.</v>\n",
			"Anna Petrova: We left early <3 and 1 < 2.",
			[]cueSpan{cs("Anna Petrova", "Anna Petrova: We left early <3 and 1 < 2.", "We left early <3 and 1 < 2.", time.Second, 3*time.Second)},
		},
		{
			"two voices in one cue are two turns",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Who?</v>\n<v Boris>Me.</v>\n",
			"Anna: Who?\nBoris: Me.",
			[]cueSpan{
				cs("Anna", "Anna: Who?", "Who?", time.Second, 2*time.Second),
				cs("Boris", "Boris: Me.", "Me.", time.Second, 2*time.Second),
			},
		},
		{
			"srt dialogue dashes: each line its own turn, wrapped lines kept with theirs",
			"a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\n- Who?\n- Me, I\nthink.\n\n2\n00:00:02,000 --> 00:00:03,000\n— Кто?\n— Я.\n",
			"Who?\nMe, I think.\nКто?\nЯ.",
			[]cueSpan{
				cs("", "Who?", "Who?", time.Second, 2*time.Second),
				cs("", "Me, I think.", "Me, I think.", time.Second, 2*time.Second),
				cs("", "Кто?", "Кто?", 2*time.Second, 3*time.Second),
				cs("", "Я.", "Я.", 2*time.Second, 3*time.Second),
			},
		},
		{
			"a dash line without a name is not merged into the previous speaker",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Are you sure?</v>\n\n00:02.000 --> 00:03.000\n- Yes.\n- <v Anna>Good.</v>\n",
			"Anna: Are you sure?\nYes.\nAnna: Good.",
			[]cueSpan{
				cs("Anna", "Anna: Are you sure?", "Are you sure?", time.Second, 2*time.Second),
				cs("", "Yes.", "Yes.", 2*time.Second, 3*time.Second),
				cs("Anna", "Anna: Good.", "Good.", 2*time.Second, 3*time.Second),
			},
		},
		{
			"dash lines with names are their speakers' and merge with their turns",
			"a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\n- Anna: Who?\n- Boris: Me.\n\n2\n00:00:02,000 --> 00:00:03,000\nBoris: Really.\n\n3\n00:00:03,000 --> 00:00:04,000\nAnna: Fine.\n",
			"Anna: Who?\nBoris: Me. Really.\nAnna: Fine.",
			[]cueSpan{
				cs("Anna", "Anna: Who?", "Who?", time.Second, 2*time.Second),
				csa("Boris", "Boris: Me. Really.", "Me. Really.", time.Second, 3*time.Second, "@2s Really."),
				cs("Anna", "Anna: Fine.", "Fine.", 3*time.Second, 4*time.Second),
			},
		},
		{
			"a name alone on a cue's first line labels the cue; in capitals it counts once",
			"a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\nMAN:\nWhere to?\n\n2\n00:00:02,000 --> 00:00:03,000\nANNA PETROVA:\nTbilisi.\n\n3\n00:00:03,000 --> 00:00:04,000\nHe said:\ngo home.\n",
			"MAN: Where to?\nANNA PETROVA: Tbilisi.\nHe said: go home.",
			[]cueSpan{
				cs("MAN", "MAN: Where to?", "Where to?", time.Second, 2*time.Second),
				cs("ANNA PETROVA", "ANNA PETROVA: Tbilisi.", "Tbilisi.", 2*time.Second, 3*time.Second),
				cs("", "He said: go home.", "He said: go home.", 3*time.Second, 4*time.Second),
			},
		},
		{
			"rev: a time inside the label is dropped",
			"a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\nOlga Belova (00:01): Hello.\n\n2\n00:00:02,000 --> 00:00:03,000\nPavel (00:02):\nHi.\n\n3\n00:00:03,000 --> 00:00:04,000\nOlga Belova (1:00:03): Bye.\n\n4\n00:00:04,000 --> 00:00:05,000\nPavel (00:04): Bye.\n",
			"Olga Belova: Hello.\nPavel: Hi.\nOlga Belova: Bye.\nPavel: Bye.",
			[]cueSpan{
				cs("Olga Belova", "Olga Belova: Hello.", "Hello.", time.Second, 2*time.Second),
				cs("Pavel", "Pavel: Hi.", "Hi.", 2*time.Second, 3*time.Second),
				cs("Olga Belova", "Olga Belova: Bye.", "Bye.", 3*time.Second, 4*time.Second),
				cs("Pavel", "Pavel: Bye.", "Bye.", 4*time.Second, 5*time.Second),
			},
		},
		{
			"vtt with BOM and CRLF; an arrow in text that is not a timing",
			"a.vtt",
			"\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nSpeaker 1: From A --> to B.\r\n\r\n00:02.000 --> 00:03.000\r\nSpeaker 2: Yes.\r\n\r\n00:03.000 --> 00:04.000\r\nSpeaker 1: Ok.\r\n\r\n00:04.000 --> 00:05.000\r\nSpeaker 2: Bye.\r\n",
			"Speaker 1: From A --> to B.\nSpeaker 2: Yes.\nSpeaker 1: Ok.\nSpeaker 2: Bye.",
			[]cueSpan{
				cs("Speaker 1", "Speaker 1: From A --> to B.", "From A --> to B.", time.Second, 2*time.Second),
				cs("Speaker 2", "Speaker 2: Yes.", "Yes.", 2*time.Second, 3*time.Second),
				cs("Speaker 1", "Speaker 1: Ok.", "Ok.", 3*time.Second, 4*time.Second),
				cs("Speaker 2", "Speaker 2: Bye.", "Bye.", 4*time.Second, 5*time.Second),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			checkInvariants(t, doc)
			checkCueText(t, doc)
			checkAnchors(t, doc)
			if doc.Text != tt.text {
				t.Errorf("Parse(%q).Text = %q, want %q", tt.in, doc.Text, tt.text)
			}
			if got := cueSpans(doc); !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q).Turns =\n%v\nwant\n%v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSubtitleErrors(t *testing.T) {
	tests := []struct {
		name, file, in string
		kind           error
		msg            string
	}{
		{"no header", "a.vtt", "00:00:01.000 --> 00:00:02.000\nHi\n", ErrMalformed, "not a WebVTT file: the first line must be WEBVTT"},
		{"WEBVTTX is not a header", "a.vtt", "WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHi\n", ErrMalformed, "not a WebVTT file: the first line must be WEBVTT"},
		{"broken end time", "a.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:0x.000\nHi\n", ErrMalformed, `line 4: malformed cue timing "00:00:01.000 --> 00:00:0x.000"`},
		{"broken arrow", "a.vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", ErrMalformed, `line 3: malformed cue timing "00:00:01.000 -> 00:00:02.000"`},
		{"text before any cue", "a.vtt", "WEBVTT\n\nHello there\n", ErrMalformed, `line 3: expected a cue timing line such as 00:00:01.000 --> 00:00:04.000, found "Hello there"`},
		{"srt broken timing after number", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:0x,000 --> 00:00:05,000\nB\n", ErrMalformed, `line 6: malformed cue timing "00:00:0x,000 --> 00:00:05,000"`},
		{"srt mistyped arrow", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:03,000 -> 00:00:05,000\nB\n", ErrMalformed, `line 6: malformed cue timing "00:00:03,000 -> 00:00:05,000"`},
		{"srt junk after end time", "a.srt", "1\n00:00:01,000 --> 00:00:02,000x\nA\n", ErrMalformed, `line 2: malformed cue timing "00:00:01,000 --> 00:00:02,000x"`},
		{"srt without timing", "a.srt", "1\nHello\n", ErrMalformed, `line 1: expected a cue timing line such as 00:00:01.000 --> 00:00:04.000, found "1"`},
		{"header only", "a.vtt", "WEBVTT\n", ErrEmpty, "no transcript text (no subtitle cues with text)"},
		{"cues without text", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n", ErrEmpty, "no transcript text (no subtitle cues with text)"},
		{"binary", "a.srt", "\x89PNG\r\n\x1a\n", ErrBinary, "binary file (PNG image)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, []byte(tt.in))
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Errorf("Parse(%q) = %v, want %q matching %v", tt.in, err, tt.msg, tt.kind)
			}
		})
	}
}

func TestDecodeEntities(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a &amp; b", "a & b"},
		{"&lt;i&gt;", "<i>"},
		{"&#1046;&#x416;", "ЖЖ"},
		{"&#13;&#0;&#xD800;", "&#13;&#0;&#xD800;"},
		{"&unknown; & &", "&unknown; & &"},
		{"&amp", "&amp"},
	}
	for _, tt := range tests {
		if got := decodeEntities(tt.in); got != tt.want {
			t.Errorf("decodeEntities(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
