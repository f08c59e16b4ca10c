package pseudo

import (
	"fmt"
	"math/rand"
	"strings"
)

// Names for generated corpora, in the nominative.
var firstNames = []string{"Анна", "Мария", "Ольга", "Сергей", "Игорь", "Павел", "Наталья", "Дмитрий", "Елена", "Алексей"}
var surnames = []string{"Петрова", "Иванов", "Смирнова", "Кузнецов", "Соколова", "Попов", "Лебедева", "Козлов", "Новикова", "Морозов"}

// forms gives a name in several Russian cases.
func forms(name string) []string {
	r := []rune(name)
	last := string(r[len(r)-1])
	stem := string(r[:len(r)-1])
	switch last {
	case "а":
		return []string{name, stem + "ы", stem + "е", stem + "у", stem + "ой"}
	case "я":
		return []string{name, stem + "и", stem + "е", stem + "ю", stem + "ей"}
	case "й":
		return []string{name, stem + "я", stem + "ю", stem + "ем", stem + "е"}
	case "ь":
		return []string{name, stem + "я", stem + "ю", stem + "ем", stem + "е"}
	case "л":
		if strings.HasSuffix(name, "ел") {
			b := string(r[:len(r)-2]) + "л"
			return []string{name, b + "а", b + "у", b + "ом", b + "е"}
		}
	}
	return []string{name, name + "а", name + "у", name + "ым", name + "е"}
}

var filler = strings.Fields(`и в не на я что он с это как а то все она так его но да ты к у же вы за бы по
	только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был
	работа город страна уехали боялись говорили родители друзья волонтёры донаты язык репрессии
	the and we were in to of left because afraid friends work city family talked about war news`)

// corpus generates about words words of interview-like text: sentences
// of filler words, with names of firstNames and surnames in various
// cases, some at sentence starts, and speaker labels.
func corpus(words int, seed int64) string {
	rng := rand.New(rand.NewSource(seed))
	var b strings.Builder
	n := 0
	for n < words {
		if rng.Intn(10) == 0 {
			fmt.Fprintf(&b, "\nИнтервьюер: ")
		}
		sl := 5 + rng.Intn(12)
		for i := 0; i < sl; i++ {
			var w string
			switch x := rng.Intn(40); {
			case x == 0:
				f := forms(firstNames[rng.Intn(len(firstNames))])
				w = f[rng.Intn(len(f))]
			case x == 1:
				f := forms(surnames[rng.Intn(len(surnames))])
				w = f[rng.Intn(len(f))]
			default:
				w = filler[rng.Intn(len(filler))]
			}
			if i == 0 {
				r := []rune(w)
				w = strings.ToUpper(string(r[0])) + string(r[1:])
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			n++
		}
		b.WriteString(". ")
	}
	return b.String()
}
