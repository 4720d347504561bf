package app

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/scan"
)

// globs is a repeatable --exclude.
type globs []string

func (g *globs) String() string     { return strings.Join(*g, ",") }
func (g *globs) Set(s string) error { *g = append(*g, s); return nil }
func (g *globs) Type() string       { return "GLOB" }

// stopGrace is how long a scan has to wind up after Ctrl+C or SIGTERM
// before the command gives up on it and exits.
const stopGrace = 500 * time.Millisecond

// scanUntilStopped runs the scan until it ends or SIGINT/SIGTERM arrives:
// then the scan is cancelled and given stopGrace to return, and the
// command stops waiting whatever the scan is blocked on (a slow network
// file system, a device), so a signal always ends it within a second.
func scanUntilStopped(env Env, roots []string, o scan.Options) (*scan.Report, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := env.onSignal(cancel)
	defer stop()
	type result struct {
		r   *scan.Report
		err error
	}
	done := make(chan result, 1)
	run := env.Scan
	if run == nil {
		run = scan.Run
	}
	go func() {
		r, err := run(ctx, roots, o)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		return res.r, res.err
	case <-ctx.Done():
	}
	select {
	case res := <-done:
		if res.err == nil {
			res.err = context.Canceled // a signal came: nothing is reported
		}
		return nil, res.err
	case <-time.After(stopGrace):
		return nil, context.Canceled
	}
}

func runScan(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		asJSON        = fs.Bool("json", false, "print the documented JSON report")
		asSARIF       = fs.Bool("sarif", false, "print SARIF 2.1.0 (GitHub code scanning and other CI viewers)")
		includeVendor = fs.Bool("include-vendor", false, "also read node_modules/, vendor/, Pods/ and other vendored folders")
		exclude       globs
	)
	fs.Var(&exclude, "exclude", "skip paths matching `GLOB`, relative to the scanned path (repeatable; ** matches any depth)")
	return func(pos []string) int {
		var err error
		if len(pos) == 0 {
			pos = []string{"."}
		}
		r, err := scanUntilStopped(env, pos, scan.Options{IncludeVendor: *includeVendor, Exclude: exclude})
		if err != nil {
			var ue *scan.UsageError
			if errors.As(err, &ue) {
				return fail(env, "scan", ExitUsage, "%v", ue)
			}
			if errors.Is(err, context.Canceled) {
				return fail(env, "scan", ExitUsage, "interrupted; nothing was reported")
			}
			return fail(env, "scan", ExitUsage, "%v", err)
		}
		switch {
		case *asJSON:
			err = r.WriteJSON(env.Stdout)
		case *asSARIF:
			err = r.WriteSARIF(env.Stdout, Version())
		default:
			err = r.WriteText(env.Stdout)
		}
		if err != nil {
			return fail(env, "scan", ExitUsage, "writing the report: %v", err)
		}
		if nr := r.NotReadText(); nr != "" && (*asJSON || *asSARIF) {
			// the report on stdout stays machine-readable; people read this
			io.WriteString(env.Stderr, nr)
		}
		if r.Failing() {
			return ExitNegative
		}
		return ExitOK
	}
}
