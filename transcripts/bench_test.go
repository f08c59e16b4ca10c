package transcripts

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

var (
	benchEnglish = strings.Fields("we left in march because the war made it impossible to stay and my friends were already in tbilisi where we found a flat through a chat it was hard at first but people helped us with everything and now I work remotely for a company")
	benchRussian = strings.Fields("мы уехали в марте потому что война сделала невозможным остаться и мои друзья уже были в тбилиси где мы нашли квартиру через чат сначала было трудно но люди помогли нам во всём и теперь я работаю удалённо")
)

// benchTranscript generates a transcript of about words words: alternating
// Interviewer and Respondent turns, some with timestamps, paragraphs of
// mixed English and Russian wrapped at twelve words a line. It is
// deterministic (a linear congruential generator), so runs compare.
func benchTranscript(words int) (string, int) {
	var b strings.Builder
	b.Grow(words * 8)
	seed := uint32(1)
	next := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	count, turn := 0, 0
	for count < words {
		speaker := "Interviewer"
		if turn%2 == 1 {
			speaker = "Respondent"
		}
		if turn%5 == 0 {
			fmt.Fprintf(&b, "[%02d:%02d:%02d] ", turn/3600%100, turn/60%60, turn%60)
		}
		b.WriteString(speaker)
		b.WriteString(": ")
		paras := 1 + next(3)
		for p := 0; p < paras; p++ {
			n := 20 + next(100)
			vocab := benchEnglish
			if next(2) == 0 {
				vocab = benchRussian
			}
			for i := 0; i < n; i++ {
				if i > 0 {
					if i%12 == 0 {
						b.WriteByte('\n')
					} else {
						b.WriteByte(' ')
					}
				}
				b.WriteString(vocab[next(len(vocab))])
				count++
			}
			b.WriteString(".\n\n")
		}
		turn++
	}
	return b.String(), count
}

func BenchmarkParseTxt(b *testing.B) {
	text, words := benchTranscript(1_000_000)
	data := []byte(text)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		doc, err := Parse("bench.txt", data)
		if err != nil || len(doc.Turns) == 0 {
			b.Fatalf("Parse = %v, %v", doc, err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

func BenchmarkParseDocx(b *testing.B) {
	text, words := benchTranscript(1_000_000)
	var body strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
		body.WriteString(line)
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(wordXML(body.String())))
	zw.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		doc, err := Parse("bench.docx", data)
		if err != nil || len(doc.Turns) == 0 {
			b.Fatalf("Parse = %v, %v", doc, err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

func BenchmarkDetectLanguage(b *testing.B) {
	text, _ := benchTranscript(100_000)
	for b.Loop() {
		DetectLanguage(text)
	}
}
