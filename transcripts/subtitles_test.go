package transcripts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
			"two voices on one line are two turns; a dash before a voice is that voice's",
			"a.vtt",
			"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Who?</v> <v.loud Boris>Me.</v>\n\n00:02.000 --> 00:03.000\n<v Boris>Yes.</v>\n- <v Boris>Again.</v>\n- No.\n",
			"Anna: Who?\nBoris: Me. Yes. Again.\nNo.",
			[]cueSpan{
				cs("Anna", "Anna: Who?", "Who?", time.Second, 2*time.Second),
				csa("Boris", "Boris: Me. Yes. Again.", "Me. Yes. Again.", time.Second, 3*time.Second, "@2s Yes. Again."),
				cs("", "No.", "No.", 2*time.Second, 3*time.Second),
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
		{"teams timing with a mistyped arrow after a text identifier", "a.vtt", "WEBVTT\n\n1-0\n0:0:0.0 -> 0:0:1.0\nHi\n", ErrMalformed, `line 4: malformed cue timing "0:0:0.0 -> 0:0:1.0"`},
		{"minutes above 59", "a.vtt", "WEBVTT\n\n00:60:00.000 --> 01:00:01.000\nHi\n", ErrMalformed, `line 3: malformed cue timing "00:60:00.000 --> 01:00:01.000"`},
		{"hours of four digits", "a.srt", "1\n1000:00:00,000 --> 1000:00:01,000\nHi\n", ErrMalformed, `line 2: malformed cue timing "1000:00:00,000 --> 1000:00:01,000"`},
		{"seconds of three digits", "a.srt", "1\n0:0:100 --> 0:0:101\nHi\n", ErrMalformed, `line 2: malformed cue timing "0:0:100 --> 0:0:101"`},
		{"a fraction of ten digits", "a.srt", "1\n0:00,0123456789 --> 0:01,0\nHi\n", ErrMalformed, `line 2: malformed cue timing "0:00,0123456789 --> 0:01,0"`},
		{"two fractions", "a.srt", "1\n0:00,5.5 --> 0:01,0\nHi\n", ErrMalformed, `line 2: malformed cue timing "0:00,5.5 --> 0:01,0"`},
		{"seconds only", "a.vtt", "WEBVTT\n\n5.000 --> 6.000\nHi\n", ErrMalformed, `line 3: malformed cue timing "5.000 --> 6.000"`},
		{"mistyped timing right after a cue's text", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:02.000 -> 00:03.000\nThere\n", ErrMalformed, `line 5: malformed cue timing "00:02.000 -> 00:03.000"`},
		{"text after a NOTE block", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\nNOTE x\n\nstray\n", ErrMalformed, `line 8: expected a cue timing line such as 00:00:01.000 --> 00:00:04.000, found "stray"`},
		{"only NOTE and STYLE", "a.vtt", "WEBVTT\n\nNOTE x\n\nSTYLE\n::cue {}\n", ErrEmpty, "no transcript text (no subtitle cues with text)"},
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

func TestSubtitleGivenSpeakers(t *testing.T) {
	in := "WEBVTT\n\n00:01.000 --> 00:02.000\nanna: Hi.\n\n00:02.000 --> 00:03.000\nNote: x\n\n00:03.000 --> 00:04.000\nNote: y\n\n" +
		"00:04.000 --> 00:05.000\nAnna Petrova (00:04): Bye.\n\n00:05.000 --> 00:06.000\n<v Boris>Ok.</v>\n\n00:06.000 --> 00:07.000\nANNA> Ну всё.\n"
	tests := []struct {
		name string
		opt  Options
		want []string // "speaker|body" of each turn
	}{
		{"detected", Options{}, []string{"|anna: Hi.", "Note|x y", "|Anna Petrova (00:04): Bye.", "Boris|Ok.", "|ANNA> Ну всё."}},
		{"given names, in any case (written as given), once is enough, nothing else", Options{Speakers: []string{"Anna", "Anna Petrova"}},
			[]string{"Anna|Hi.", "|Note: x", "|Note: y", "Anna Petrova|Bye.", "Boris|Ok.", "|ANNA> Ну всё."}},
		{"a pattern", Options{SpeakerPattern: regexp.MustCompile(`(?P<speaker>[A-Z]+)>`)},
			[]string{"|anna: Hi.", "|Note: x", "|Note: y", "|Anna Petrova (00:04): Bye.", "Boris|Ok.", "ANNA|Ну всё."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseWith("a.vtt", []byte(in), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, doc)
			checkCueText(t, doc)
			var got []string
			for _, s := range spans(doc) {
				got = append(got, s.Speaker+"|"+s.Body)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("turns %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseCueClock(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		in   string
		want time.Duration
		n    int // 0: refused
	}{
		{"00:00:01.000", time.Second, 12},
		{"0:0:0.0", 0, 7},
		{"0:0:0.570 x", 570 * ms, 9},
		{"00:00:05.1", 5100 * ms, 10},
		{"00:00:07.42", 7420 * ms, 11},
		{"1:02.5", time.Minute + 2500*ms, 6},
		{"01:02.500", time.Minute + 2500*ms, 9},
		{"00:00:01,250", 1250 * ms, 12},
		{"1:00:00", time.Hour, 7},
		{"123:04:05.000006", 123*time.Hour + 4*time.Minute + 5*time.Second + 6*time.Microsecond, 16},
		{"0:00.123456789", 123456789, 14},
		{"120:00.000", 2 * time.Hour, 10},
		{"00:00:01.-", 0, 0},
		{"00:00:01-->", time.Second, 8},
		{"00:00:01.0000000001", 0, 0},
		{"1234:00:00", 0, 0},
		{"00:60.000", 0, 0},
		{"00:000:01", 0, 0},
		{"1:2:3:4", 0, 0},
		{"00:01.5.5", 0, 0},
		{"5.000", 0, 0},
		{":01.000", 0, 0},
		{"", 0, 0},
	}
	for _, tt := range tests {
		d, n, ok := parseCueClock(tt.in)
		if ok != (tt.n > 0) || (ok && (d != tt.want || n != tt.n)) {
			t.Errorf("parseCueClock(%q) = %v, %d, %v; want %v, %d, %v", tt.in, d, n, ok, tt.want, tt.n, tt.n > 0)
		}
	}
}

func TestSubtitleWarnings(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           []string
	}{
		{"speakers found", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x</v>\n", nil},
		{"no speaker at all", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nx\n", []string{
			"No speaker labels found: each cue is a turn without a speaker.",
		}},
		{"a name once", "a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x</v>\n\n00:02.000 --> 00:03.000\nNote: y\n", []string{
			`"Note:" leads only one cue, so it was kept as text, not taken as a speaker label.`,
		}},
		{"names once, and no speaker", "a.srt", "1\n0:01,0 --> 0:02,0\nAnna: a\n\n2\n0:02,0 --> 0:03,0\nBoris: b\n\n3\n0:03,0 --> 0:04,0\nVera: c\n\n4\n0:04,0 --> 0:05,0\nGleb: d\n", []string{
			"No speaker labels found: each cue is a turn without a speaker.",
			`"Anna:", "Boris:", "Vera:" and others each lead only one cue, so they were kept as text, not taken as speaker labels.`,
		}},
		{"two names once", "a.srt", "1\n0:01,0 --> 0:02,0\nAnna: a\n\n2\n0:02,0 --> 0:03,0\nBoris: b\n\n3\n0:03,0 --> 0:04,0\nQ: c\n", []string{
			`"Anna:", "Boris:" each lead only one cue, so they were kept as text, not taken as speaker labels.`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if !slices.Equal(doc.Warnings, tt.want) {
				t.Errorf("Parse(%q).Warnings =\n%q\nwant\n%q", tt.in, doc.Warnings, tt.want)
			}
		})
	}
}

// sampleAnchor is an anchor of a sample: the turn it is in, its time and
// the text from it to the next anchor or the end of the turn.
type sampleAnchor struct {
	Turn int
	Time time.Duration
	Text string
}

// TestSubtitleSamples reads a sample of each tool's subtitles (written for
// the tests, in the tools' shapes) and checks who speaks in each turn and
// where the cues' times are kept.
func TestSubtitleSamples(t *testing.T) {
	ms := time.Millisecond
	noSpeaker := "No speaker labels found: each cue is a turn without a speaker."
	tests := []struct {
		file     string
		speakers []string // of each turn, in order
		anchors  []sampleAnchor
		warnings []string
	}{
		{
			"teams-new.vtt",
			[]string{"Мария Иванова", "Anton Kovalev", "Мария Иванова"},
			[]sampleAnchor{
				{0, 3570 * ms, "Let's start with the move itself."},
				{1, 9420 * ms, "Сначала в Ереван, потом сюда."},
			},
			nil,
		},
		{
			"zoom-pronouns.vtt",
			[]string{"Dr. Anna Petrova (she/her)", "Ilya Smirnov", "Dr. Anna Petrova (she/her)", "Ilya Smirnov"},
			[]sampleAnchor{{1, 9020 * ms, "I moved to Tbilisi in the autumn, after the mobilisation was announced."}},
			nil,
		},
		{
			"otter-voices.vtt",
			[]string{"Speaker 1", "Speaker 2", "Speaker 1"},
			[]sampleAnchor{{1, 8300 * ms, "Здесь я пока волонтёрю в приюте."}},
			nil,
		},
		{
			// Podcast tools name the speaker on the first cue of a turn.
			"podcast-first-cue.vtt",
			[]string{"Lena", "Giorgi", "Lena", "Giorgi"},
			[]sampleAnchor{
				{0, 4200 * ms, "Today I am talking to Giorgi, who rents flats in Vake"},
				{0, 8900 * ms, "to people who arrived in twenty twenty-two."},
				{1, 15000 * ms, "Every week someone new called, and they all asked"},
				{1, 19400 * ms, "the same thing: can you wait for the deposit?"},
				{3, 29000 * ms, "Some of them are my friends now."},
			},
			nil,
		},
		{
			"otter-names.vtt",
			[]string{"Speaker 1", "Speaker 2", "", "Speaker 1"},
			[]sampleAnchor{
				{1, 7100 * ms, "Мы просто не говорим о политике."},
				{1, 10400 * ms, "It is easier that way."},
			},
			[]string{`"Important:" leads only one cue, so it was kept as text, not taken as a speaker label.`},
		},
		{
			"rev-times.srt",
			[]string{"Olga Belova", "Pavel Orlov", "Olga Belova"},
			[]sampleAnchor{{1, 9300 * ms, "Потом нашли комнату через чат в телеграме."}},
			nil,
		},
		{
			"whisper-plain.srt",
			[]string{"", "", "", ""},
			nil,
			[]string{noSpeaker},
		},
		{
			"sdh-dashes.srt",
			[]string{"ANNA PETROVA", "", "", "MAN", "ANNA PETROVA", ""},
			nil,
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "subtitles", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(tt.file, data)
			if err != nil {
				t.Fatalf("Parse error: %v", err)
			}
			checkInvariants(t, doc)
			checkCueText(t, doc)
			checkAnchors(t, doc)
			var speakers []string
			var anchors []sampleAnchor
			r := []rune(doc.Text)
			for i, tr := range doc.Turns {
				speakers = append(speakers, tr.Speaker)
				for k, a := range tr.Anchors {
					end := tr.End
					if k+1 < len(tr.Anchors) {
						end = tr.Anchors[k+1].Pos - 1
					}
					anchors = append(anchors, sampleAnchor{i, a.Time, string(r[a.Pos:end])})
				}
			}
			if !slices.Equal(speakers, tt.speakers) {
				t.Errorf("%d turns of %q, want %d of %q\n%s", len(speakers), speakers, len(tt.speakers), tt.speakers, doc.Text)
			}
			if !slices.Equal(anchors, tt.anchors) {
				t.Errorf("anchors\n%+v\nwant\n%+v", anchors, tt.anchors)
			}
			if !slices.Equal(doc.Warnings, tt.warnings) {
				t.Errorf("warnings %q, want %q", doc.Warnings, tt.warnings)
			}
		})
	}
}

// TestSubtitleGolden pins the whole parse of each sample in
// testdata/subtitles to testdata/golden/NAME.json (go test -update
// rewrites them, as for TestGolden).
func TestSubtitleGolden(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "subtitles", "*"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(name, data)
			if err != nil {
				t.Fatalf("Parse error: %v", err)
			}
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%q) differs from %s (run with -update if the change is intended)\ngot:\n%s", name, golden, got)
			}
		})
	}
}

// FuzzSubtitles parses WebVTT (srt false) or SubRip (srt true): no panic,
// a classified error or a Document whose turns are in order, one line
// each, within the text, with anchors inside their turns and increasing.
func FuzzSubtitles(f *testing.F) {
	for _, data := range seedFiles(f, "subtitles/*.vtt", "*.vtt") {
		f.Add(data, false)
	}
	for _, data := range seedFiles(f, "subtitles/*.srt", "*.srt") {
		f.Add(data, true)
	}
	for _, s := range []string{
		"WEBVTT\n\n1-0\n0:0:0.0 --> 0:0:0.570\n<v.a.b Anna>- x\n- <v Bo>y</v>\n\n2-0\n0:0:1 --> 0:0:2\n<v Anna>z",
		"WEBVTT\nNOTE x\n\n00:01.000 --> 00:02.000 align:start\n<00:01.500><c>a</c> &amp; < b\n00:02.000 --> 00:03.000\nMAN:\nc",
		"WEBVTT\n\n00:01.000 --> 00:02.000\nAnna (00:01): x\n\n\ny\n\n00:02.000 --> 00:03.000\nAnna (00:02):\n- z\n-",
	} {
		f.Add([]byte(s), false)
	}
	for _, s := range []string{
		"1\n0:0:0,0 --> 0:0:1,5\nANNA:\n- Who?\n— Я.\n\n2\n0:0:1,5 --> 0:0:2\n- ANNA: x\n- ANNA: y",
		"\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n[SPEAKER_00]: a\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\n[SPEAKER_00] b\r\n",
		"1\n100:00:00,123456789 --> 0:1\nx\n2\n0:1 -> 0:2\ny",
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, srt bool) {
		name := "f.vtt"
		if srt {
			name = "f.srt"
		}
		doc := checkParse(t, name, data)
		if doc == nil {
			return
		}
		checkCueText(t, doc)
		checkAnchors(t, doc)
	})
}

// benchVTT generates a WebVTT file of cues cues as Teams writes them: two
// speakers taking turns of one to four cues, a word in twenty with a
// karaoke time, one in a hundred starting a dialogue line, in English and
// Russian. It is deterministic.
func benchVTT(cues int) []byte {
	var b bytes.Buffer
	b.Grow(cues * 110)
	b.WriteString("WEBVTT\n\n")
	seed := uint32(7)
	next := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	speakers := []string{"Мария Иванова", "Anton Kovalev"}
	who, left := 0, 1
	at := time.Duration(0)
	clock := func(d time.Duration) string {
		ms := d.Milliseconds()
		return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
	}
	for i := 0; i < cues; i++ {
		if left == 0 {
			who, left = 1-who, 1+next(4)
		}
		left--
		end := at + time.Duration(1000+next(4000))*time.Millisecond
		fmt.Fprintf(&b, "%d-0\n%s --> %s\n<v %s>", i, clock(at), clock(end), speakers[who])
		vocab := benchEnglish
		if next(2) == 0 {
			vocab = benchRussian
		}
		n := 4 + next(10)
		for k := 0; k < n; k++ {
			if k > 0 {
				b.WriteByte(' ')
			}
			switch next(100) {
			case 0, 2, 3, 4, 5:
				fmt.Fprintf(&b, "<%s><c>%s</c>", clock(at+time.Duration(k)*100*time.Millisecond), vocab[next(len(vocab))])
			case 1:
				b.WriteString("\n- ")
				b.WriteString(vocab[next(len(vocab))])
			default:
				b.WriteString(vocab[next(len(vocab))])
			}
		}
		b.WriteString(".</v>\n\n")
		at = end
	}
	return b.Bytes()
}

func BenchmarkParseVTT(b *testing.B) {
	data := benchVTT(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Parse("bench.vtt", data)
		if err != nil || len(doc.Turns) == 0 {
			b.Fatalf("Parse = %v, %v", doc, err)
		}
	}
}

// TestSubtitlePathological parses subtitle inputs built to trigger
// quadratic work in the parts this reader adds (dialogue lines, voices,
// cue text continued over blank lines); each must finish promptly and
// hold the invariants.
func TestSubtitlePathological(t *testing.T) {
	const n = 2 << 20
	head := "WEBVTT\n\n00:01.000 --> 00:02.000\n"
	tests := []struct{ name, file, in string }{
		{"a cue of many dialogue lines", "a.vtt", head + strings.Repeat("- x\n", n/4)},
		{"a cue of many voices", "a.vtt", head + strings.Repeat("<v A>x</v>\n<v B>y</v>\n", n/24)},
		{"a cue of many names alone", "a.srt", "1\n0:01,0 --> 0:02,0\n" + strings.Repeat("MAN:\n", n/5)},
		{"a cue continued over many blank lines", "a.vtt", head + strings.Repeat("x\n\n", n/3)},
		{"many NOTE blocks", "a.vtt", head + "x\n\n" + strings.Repeat("NOTE a\n\n", n/8)},
		{"one long line of <a", "a.vtt", head + strings.Repeat("<a", n/2)},
		{"one long line of tags", "a.vtt", head + strings.Repeat("<i>x", n/4)},
		{"one long line of dashes", "a.srt", "1\n0:01,0 --> 0:02,0\n" + strings.Repeat("- ", n/2)},
		{"one long name candidate", "a.vtt", head + strings.Repeat("Abc ", n/4) + "(0:01): x"},
		{"many cues of one speaker with names", "a.srt", strings.Repeat("0:01,0 --> 0:02,0\nAnna: x\n\n", n/30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.file, []byte(tt.in))
			if err == nil {
				checkInvariants(t, doc)
				checkAnchors(t, doc)
			}
		})
	}
}

func TestSubtitleTooManyParts(t *testing.T) {
	in := "1\n0:01,0 --> 0:02,0\n" + strings.Repeat("- x\n", MaxTurns+1)
	_, err := Parse("a.srt", []byte(in))
	if want := "more than 1000000 subtitle cues and dialogue lines"; err == nil || err.Error() != want || !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(%d dialogue lines) = %v, want %q", MaxTurns+1, err, want)
	}
}
