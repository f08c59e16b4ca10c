// Command qcode codes interview transcripts: import them, read them, mark
// passages with themes, and pull the quotes on a theme into a paper. Run
// 'qcode --help' for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Interviews with people who fear reprisals are sensitive: whatever
	// qcode or its libraries create is readable by the user alone.
	syscall.Umask(0o077)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, let a second one kill the process at once.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		// A silent exit has said everything already (for example in
		// the JSON on stdout); only the status is left to set.
		if !errors.Is(err, silentExit{}) {
			msg := err.Error()
			if errors.Is(err, context.Canceled) {
				// Ctrl-C or SIGTERM: each action is one transaction, so
				// the one in flight was rolled back whole.
				msg = "interrupted: the change in progress was rolled back; what was done before it stays"
			}
			// The message may name a file whose name holds what a
			// terminal would act on: escape it (see termEscape).
			fmt.Fprintln(os.Stderr, "qcode:", termEscape(msg, false))
		}
		os.Exit(1)
	}
}
