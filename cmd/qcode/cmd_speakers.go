package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts"
)

func (a *app) speakersCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "speakers [DOC]",
		Short: "List each document's speakers with role, case, turns and words",
		Long: `Speakers lists who speaks in each document (or in DOC): the name as the
transcript labels it, the role (interviewer, participant or other), the
case (participant) it is tied to, and its turns and words.

Roles and cases decide how a quote is attributed: an interviewer's words
are cited as the interviewer ('qcode config cite-interviewer'); a speaker
tied to a case is cited with the case's attributes; the one participant of
an interview is cited with the document's attributes ('qcode attr set').
In a focus group, give each speaker attributes of their own with
'qcode speakers set DOC NAME --attr gender=male --attr age=41'.`,
		Example: `  qcode speakers
  qcode speakers R07 --json
  qcode speakers set R07 Nino --role interviewer
  qcode speakers set FG1 Oleg --attr gender=male --attr age=41
  qcode speakers rename "Anna P." "Anna K. Petrova"        # in every document
  qcode speakers merge --doc FG1 "Speaker 3" Oleg`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := ""
			if len(args) == 1 {
				ref = args[0]
			}
			return a.withStore(func(s *coding.Store) error {
				sp, err := s.Speakers(a.ctx, ref)
				if err != nil {
					return err
				}
				if asJSON {
					if sp == nil {
						sp = []coding.Speaker{}
					}
					return a.printJSON(map[string]any{"speakers": sp})
				}
				if len(sp) == 0 {
					if ref != "" {
						fmt.Fprintf(a.stdout, "%s has no speaker labels: each paragraph is a turn of the document's participant.\n", ref)
					} else {
						fmt.Fprintln(a.stdout, "No speakers yet.")
					}
					return nil
				}
				printSpeakers(a, sp)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.AddCommand(a.speakersSetCmd(), a.speakersRenameCmd(false), a.speakersRenameCmd(true))
	return cmd
}

// printSpeakers writes a table of speakers, with each document's share of
// words.
func printSpeakers(a *app, sp []coding.Speaker) {
	total := map[int64]int{}
	for _, x := range sp {
		total[x.DocID] += x.Words
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DOCUMENT\tSPEAKER\tROLE\tCASE\tTURNS\tWORDS\tSHARE")
	for _, x := range sp {
		share := "-"
		if t := total[x.DocID]; t > 0 {
			share = fmt.Sprintf("%d%%", (x.Words*100+t/2)/t)
		}
		c := x.Case
		if c == "" {
			c = "-"
		}
		if len(x.Attributes) > 0 {
			var kv []string
			for _, at := range x.Attributes {
				kv = append(kv, at.Key+"="+at.Value)
			}
			c += " (" + oneLine(strings.Join(kv, ", "), 40) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", x.Document, oneLine(x.Name, 40), x.Role, c, x.Turns, x.Words, share)
	}
	tw.Flush()
}

func (a *app) speakersSetCmd() *cobra.Command {
	var role, cse string
	var attrs []string
	cmd := &cobra.Command{
		Use:   "set DOC NAME [--role interviewer|participant|other] [--case CASE] [--attr k=v]...",
		Short: "Set a speaker's role, tie it to a case, or give its case attributes",
		Long: `Set changes one speaker of one document. --role says who they are;
--case ties them to a participant (a case, made when new; '-' unties);
--attr sets attributes on their case (a case named after the speaker is
made when they have none), which their quotes are then cited with.
It is one action: 'qcode undo' reverts it.`,
		Example: `  qcode speakers set R07 Nino --role interviewer
  qcode speakers set FG1 Oleg --case "P12 Oleg" --attr gender=male --attr age=41`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch := coding.SpeakerChange{Role: role, Case: cse}
			for _, kv := range attrs {
				if k, v, ok := strings.Cut(kv, "="); ok && strings.TrimSpace(v) == "" {
					ch.Attributes = append(ch.Attributes, coding.Attribute{Key: strings.TrimSpace(k)})
					continue
				}
				at, err := coding.ParseAttribute(kv)
				if err != nil {
					return err
				}
				ch.Attributes = append(ch.Attributes, at)
			}
			if ch.Role == "" && ch.Case == "" && len(ch.Attributes) == 0 {
				return errors.New("speakers set: nothing to set; give --role, --case or --attr")
			}
			return a.withStore(func(s *coding.Store) error {
				op, err := s.SetSpeaker(a.ctx, args[0], args[1], ch)
				if err != nil {
					return err
				}
				if op.ID == 0 {
					fmt.Fprintln(a.stdout, "Nothing changed.")
					return nil
				}
				sp, err := s.Speakers(a.ctx, args[0])
				if err != nil {
					return err
				}
				for _, x := range sp {
					if strings.EqualFold(x.Name, strings.TrimSpace(args[1])) {
						fmt.Fprintf(a.stdout, "%s in %s: %s", x.Name, x.Document, x.Role)
						if x.Case != "" {
							fmt.Fprintf(a.stdout, ", case %s", x.Case)
						}
						fmt.Fprintln(a.stdout, ". ('qcode undo' reverts it.)")
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "interviewer, participant or other")
	cmd.Flags().StringVar(&cse, "case", "", "the case (participant) this speaker is; '-' unties")
	cmd.Flags().StringArrayVar(&attrs, "attr", nil, "attribute KEY=VALUE of the speaker's case (KEY= removes it); repeatable")
	return cmd
}

// speakersRenameCmd is 'speakers rename' or, with merge, 'speakers merge'.
func (a *app) speakersRenameCmd(merge bool) *cobra.Command {
	var doc string
	use, short, long := "rename OLD NEW [--doc DOC]", "Rename a speaker in one document or in every document",
		`Rename gives every turn of OLD the name NEW, in DOC or, without --doc, in
every document that has OLD (case does not matter). The text is not
changed: the label stays as the transcript wrote it, and no position
moves. Where NEW is already a speaker, the two become one. It is one
action: 'qcode undo' reverts it.`
	if merge {
		use, short, long = "merge FROM INTO [--doc DOC]", "Make one speaker's turns another's",
			`Merge gives every turn of FROM to INTO, in DOC or, without --doc, in every
document that has both; INTO keeps its role and case. Use it where one
person was labelled two ways ("Anna" and "Anna P."). It is one action:
'qcode undo' reverts it.`
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStoreUpdating(func(s *coding.Store) error {
				rename := s.RenameSpeaker
				if merge {
					rename = s.MergeSpeakers
				}
				op, n, err := rename(a.ctx, doc, args[0], args[1])
				if err != nil {
					return err
				}
				if op.ID == 0 {
					fmt.Fprintln(a.stdout, "Nothing changed.")
					return nil
				}
				fmt.Fprintf(a.stdout, "%s now %s. ('qcode undo' reverts it.)\n", plural(n, "turn is", "turns are"), strings.TrimSpace(args[1]))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&doc, "doc", "", "only in this document")
	return cmd
}

func (a *app) turnsCmd() *cobra.Command {
	var redetect, dryRun, asJSON bool
	var speakers, pattern string
	cmd := &cobra.Command{
		Use:   "turns DOC [--redetect [--speakers A,B | --speaker-pattern REGEX] [--dry-run]]",
		Short: "List a document's speaker turns, or derive them again",
		Long: `Turns lists a document's speaker turns: number, speaker, time and the
start of the speech.

With --redetect the turns are derived again from the stored text: by
detection, or from the names given with --speakers, or with a regular
expression whose named group "speaker" matches the label at the start of
a line (--speaker-pattern '^(?P<speaker>[A-Z]+):'). The text and every
coding stay exactly where they are; speakers keep the roles and cases
you gave them. It is one action: 'qcode undo' reverts it.`,
		Example: `  qcode turns R07
  qcode turns R07 --redetect --speakers "Nino,Anna K. Petrova" --dry-run
  qcode turns LOG3 --redetect --speaker-pattern '^\[[0-9:]+\] (?P<speaker>[A-Z]{2,4}):'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := parseOptions("", speakers, pattern)
			if err != nil {
				return err
			}
			if !redetect {
				if speakers != "" || pattern != "" || dryRun {
					return errors.New("turns: --speakers, --speaker-pattern and --dry-run go with --redetect")
				}
				return a.withStore(func(s *coding.Store) error { return a.listTurns(s, args[0], asJSON) })
			}
			return a.withStoreUpdating(func(s *coding.Store) error {
				res, op, err := s.RedetectTurns(a.ctx, args[0], opt, dryRun)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(res)
				}
				verb := "now has"
				if dryRun {
					verb = "would have"
				}
				fmt.Fprintf(a.stdout, "%s %s %s (had %d).\n", res.Document, verb, plural(res.After, "turn", "turns"), res.Before)
				for _, x := range res.Speakers {
					fmt.Fprintf(a.stdout, "  %s (%s): %s, %s\n", x.Name, x.Role, plural(x.Turns, "turn", "turns"), plural(x.Words, "word", "words"))
				}
				for _, w := range res.Warnings {
					fmt.Fprintf(a.stdout, "  warning: %s\n", w)
				}
				if !dryRun && op.ID != 0 {
					fmt.Fprintln(a.stdout, "Codings are unchanged. ('qcode undo' reverts it.)")
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&redetect, "redetect", false, "derive the turns again from the stored text")
	cmd.Flags().StringVar(&speakers, "speakers", "", "with --redetect: the speakers' names, comma-separated")
	cmd.Flags().StringVar(&pattern, "speaker-pattern", "", "with --redetect: a regular expression with a named group 'speaker'")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "with --redetect: show what would change")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

// listTurns prints a document's turns.
func (a *app) listTurns(s *coding.Store, ref string, asJSON bool) error {
	d, err := s.Document(a.ctx, ref, true)
	if err != nil {
		return err
	}
	turns, err := s.Turns(a.ctx, d.ID)
	if err != nil {
		return err
	}
	if asJSON {
		type turnJSON struct {
			coding.Turn
			Time string `json:"time,omitempty"`
			Text string `json:"text"`
		}
		out := make([]turnJSON, 0, len(turns))
		for _, t := range turns {
			tj := turnJSON{Turn: t, Text: coding.Slice(d.Text, t.Body, t.End)}
			if t.Time != nil {
				tj.Time = coding.FormatClock(*t.Time)
			}
			out = append(out, tj)
		}
		return a.printJSON(map[string]any{"document": d.Name, "turns": out})
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TURN\tSPEAKER\tTIME\tSTART\tSPEECH")
	for _, t := range turns {
		tm := ""
		if t.Time != nil {
			tm = coding.FormatClock(*t.Time)
		}
		sp := t.Speaker
		if sp == "" {
			sp = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", t.N, oneLine(sp, 30), tm, t.Start, oneLine(coding.Slice(d.Text, t.Body, t.End), 60))
	}
	return tw.Flush()
}

// parseOptions reads the reading options shared by import and turns:
// an encoding, comma-separated speaker names, and a speaker pattern with
// a named group "speaker".
func parseOptions(encoding, speakers, pattern string) (transcripts.Options, error) {
	opt := transcripts.Options{Encoding: strings.TrimSpace(encoding)}
	if speakers != "" && pattern != "" {
		return opt, errors.New("--speakers and --speaker-pattern: give one or the other")
	}
	for _, n := range strings.Split(speakers, ",") {
		if n = strings.TrimSpace(n); n != "" {
			opt.Speakers = append(opt.Speakers, n)
		}
	}
	if speakers != "" && len(opt.Speakers) == 0 {
		return opt, errors.New("--speakers: no names given (write them comma-separated: --speakers \"Nino,Anna K. Petrova\")")
	}
	if pattern != "" {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return opt, fmt.Errorf("--speaker-pattern: %w", err)
		}
		if re.SubexpIndex("speaker") < 0 {
			return opt, fmt.Errorf("--speaker-pattern %s has no named group \"speaker\": write it as (?P<speaker>...)", pattern)
		}
		opt.SpeakerPattern = re
	}
	return opt, nil
}
