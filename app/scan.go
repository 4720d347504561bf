package app

import (
	"context"
	"errors"
	"strings"

	"github.com/tokenscope/tokenscope/scan"
)

// globs is a repeatable --exclude.
type globs []string

func (g *globs) String() string     { return strings.Join(*g, ",") }
func (g *globs) Set(s string) error { *g = append(*g, s); return nil }

func runScan(env Env, args []string) int {
	fs := newFlagSet(env, "scan")
	var (
		asJSON        = fs.Bool("json", false, "print the documented JSON report")
		asSARIF       = fs.Bool("sarif", false, "print SARIF 2.1.0 (GitHub code scanning and other CI viewers)")
		includeVendor = fs.Bool("include-vendor", false, "also read node_modules/, vendor/, Pods/ and other vendored folders")
		exclude       globs
	)
	fs.Var(&exclude, "exclude", "skip paths matching `GLOB`, relative to the scanned path (repeatable; ** matches any depth)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return ExitUsage
	}
	if *asJSON && *asSARIF {
		return fail(env, "scan", ExitUsage, "--json and --sarif are two formats of the same report: choose one")
	}
	if len(pos) == 0 {
		pos = []string{"."}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := env.onSignal(cancel)
	defer stop()
	r, err := scan.Run(ctx, pos, scan.Options{IncludeVendor: *includeVendor, Exclude: exclude})
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
	for _, p := range r.Problems {
		if *asJSON || *asSARIF {
			env.Stderr.Write([]byte("tokenscope scan: could not read " + p + "\n"))
		}
	}
	if r.Failing() {
		return ExitNegative
	}
	return ExitOK
}
