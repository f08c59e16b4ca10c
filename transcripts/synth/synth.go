// Package synth generates synthetic interview transcripts for benchmarks:
// speaker turns of Zipf-distributed words, English and Russian, with YAML
// front matter, at whatever size a benchmark needs.
package synth

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

// File is one generated transcript.
type File struct {
	Name  string
	Data  []byte
	Words int
	Lang  string
}

// Options shape a corpus.
type Options struct {
	// Docs is the number of transcripts; Words the total number of words.
	Docs, Words int
	// RussianShare is the fraction of transcripts in Russian (default 0.2).
	RussianShare float64
	// Seed makes the corpus reproducible.
	Seed int64
}

var (
	enSyl = strings.Fields("ba be bi bo bu ca co de di do fa fe fi ga go ha he hi ka ke la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we wi ya yo za ze ing er ed ly tion")
	ruSyl = strings.Fields("ба бе би бо бу ва ве ви во га ге го да де ди до жа же за зе зи ка ке ки ко ла ле ли ло лю ма ме ми мо на не ни но па пе пи по ра ре ри ро са се си со та те ти то ть ша ще ёт ия ой ый ем")
	// Frequent function words head the vocabularies, as in real speech.
	enHead = strings.Fields("the i and to a of that it you was in we so my they but like just for he she is not what have with there because know then this all")
	ruHead = strings.Fields("и я не что в на это как то мы а но он она у всё они с по так ну был было ещё уже там вот если когда")
)

func vocabulary(r *rand.Rand, head, syl []string, n int) []string {
	seen := map[string]bool{}
	words := append([]string(nil), head...)
	for _, w := range head {
		seen[w] = true
	}
	for len(words) < n {
		k := 1 + r.Intn(4)
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(syl[r.Intn(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// Generate makes a corpus of opt.Docs transcripts with opt.Words words in
// all, named T0001.txt and so on.
func Generate(opt Options) []File {
	if opt.Docs <= 0 {
		opt.Docs = 1
	}
	if opt.RussianShare == 0 {
		opt.RussianShare = 0.2
	}
	r := rand.New(rand.NewSource(opt.Seed))
	en := vocabulary(r, enHead, enSyl, 30000)
	ru := vocabulary(r, ruHead, ruSyl, 30000)
	enZ := rand.NewZipf(r, 1.1, 2, uint64(len(en)-1))
	ruZ := rand.NewZipf(r, 1.1, 2, uint64(len(ru)-1))
	per := opt.Words / opt.Docs
	ruEvery := int(1 / opt.RussianShare)
	files := make([]File, 0, opt.Docs)
	for d := 0; d < opt.Docs; d++ {
		lang, vocab, z := "en", en, enZ
		speakers := [2]string{"Interviewer", "Respondent"}
		if ruEvery > 0 && d%ruEvery == ruEvery-1 {
			lang, vocab, z = "ru", ru, ruZ
			speakers = [2]string{"Интервьюер", "Респондент"}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\nparticipant: T%04d\ngender: %s\nage: %d\noccupation: %s\nwave: %s\nlang: %s\n---\n\n",
			d+1, []string{"female", "male"}[d%2], 20+d%40, []string{"engineer", "journalist", "teacher", "NGO activist", "designer"}[d%5],
			[]string{"February", "September"}[d%2], lang)
		words, turn := 0, 0
		for words < per {
			sp := speakers[turn%2]
			n := 8 + r.Intn(25)
			if turn%2 == 1 {
				n = 30 + r.Intn(150)
			}
			if words+n > per {
				n = per - words
			}
			sec := words / 2
			fmt.Fprintf(&b, "[%02d:%02d:%02d] %s: ", sec/3600, sec/60%60, sec%60, sp)
			for i := 0; i < n; i++ {
				w := vocab[z.Uint64()]
				if i == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
					if lang == "ru" {
						rs := []rune(w)
						w = strings.ToUpper(string(rs[0])) + string(rs[1:])
					}
				}
				b.WriteString(w)
				switch {
				case i == n-1:
					b.WriteString(".\n\n")
				case r.Intn(12) == 0:
					b.WriteString(". ")
				case r.Intn(8) == 0:
					b.WriteString(", ")
				default:
					b.WriteByte(' ')
				}
			}
			words += n
			turn++
		}
		files = append(files, File{Name: fmt.Sprintf("T%04d.txt", d+1), Data: []byte(b.String()), Words: words, Lang: lang})
	}
	return files
}

// Write generates a corpus into dir and returns the files written.
func Write(dir string, opt Options) ([]File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	files := Generate(opt)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o600); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
	}
	return files, nil
}
