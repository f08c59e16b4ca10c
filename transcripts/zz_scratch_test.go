package transcripts

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"a.md", "---\ntitle: Interview 3\ndate: 2022-11-14\nlang: [ru, en]\nok: True\nparticipant:\n  age: 30\n  gender: female\n---\n\n\n[00:01:02] Q: How are you?\nA: Fine.\n\nMore.\n[00:05] And then\nAnna: hi\nNote: x\nAnna: ho\n"},
		{"b.txt", "Hello world.\nSecond line.\n\n[00:01] Third para\n\nFourth"},
		{"c.txt", "**Интервьюер:** Привет\n**Анна**: да\n**Анна**: нет\n"},
		{"d.txt", "00:00:03\nInterviewer: hi\nSpeaker 1  0:03\nblah\n\nSpeaker 1  1:03\nfoo"},
	} {
		d, err := Parse(c.name, []byte(c.in))
		b, _ := json.MarshalIndent(d, "", " ")
		fmt.Println(c.name, err, string(b))
		if d != nil {
			for _, tr := range d.Turns {
				r := []rune(d.Text)
				fmt.Printf("%q | %q\n", string(r[tr.Start:tr.End]), string(r[tr.Body:tr.End]))
			}
		}
	}
}
