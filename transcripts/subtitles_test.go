package transcripts

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// cueSpan is a subtitle turn with its times.
type cueSpan struct {
	span
	EndTime time.Duration
}

func cueSpans(doc *Document) []cueSpan {
	var out []cueSpan
	for i, s := range spans(doc) {
		out = append(out, cueSpan{s, doc.Turns[i].EndTime})
	}
	return out
}

func cs(speaker, whole, body string, start, end time.Duration) cueSpan {
	return cueSpan{spt(speaker, whole, body, start), end}
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
				cs("Anna", "Anna: Hi & welcome. Again", "Hi & welcome. Again", time.Second, 3*time.Second),
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
				cs("SPEAKER_00", "SPEAKER_00: Hello there", "Hello there", 0, 2*time.Second),
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			checkInvariants(t, doc)
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
