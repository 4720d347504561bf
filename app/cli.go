// Package app is Tokenscope's composition root: it builds the services the
// screens and subcommands share, runs subcommands headless, and hands the
// services to the ui package for the window.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
	"github.com/tokenscope/tokenscope/scan"
)

// Exit codes, as documented in the README.
const (
	ExitOK       = 0
	ExitNegative = 1 // processed; the verdict is negative
	ExitUsage    = 2 // usage error or unreadable input
)

// Env is what a subcommand needs from the outside world; tests replace it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
	// Workspace is the one door to the core: profiles with their secrets,
	// refresh, sign-in, verification (nil: workspace.Open, the user's).
	Workspace *workspace.Workspace
	// Done stops long-running commands (demo-server) in tests.
	Done <-chan struct{}
	// Signals, when set, replaces SIGINT and SIGTERM in tests.
	Signals <-chan os.Signal
	// Open opens a sign-in URL (nil: the system browser); tests follow the
	// login page instead.
	Open func(url string) error
	// StdinTerminal reports whether standard input is a terminal (nil:
	// never), so decode, verify and migrate print help instead of waiting.
	StdinTerminal func() bool
	// Scan runs the scanner for the scan command (nil: scan.Run); a test
	// stands in one that never returns.
	Scan func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error)
}

// workspace is the shared core over this environment's profiles and
// secrets (locks and history beside the profiles file).
func (e Env) workspace() *workspace.Workspace {
	if e.Workspace == nil {
		return workspace.Open(false)
	}
	return e.Workspace
}

// onSignal calls f (once) on SIGINT or SIGTERM until stop is called. While
// it is registered those signals do not kill the process.
func (e Env) onSignal(f func()) (stop func()) {
	ch := e.Signals
	var own chan os.Signal
	if ch == nil {
		own = make(chan os.Signal, 2)
		signal.Notify(own, os.Interrupt, syscall.SIGTERM)
		ch = own
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			f()
		case <-done:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			if own != nil {
				signal.Stop(own)
			}
		})
	}
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now,
		Workspace: workspace.Open(false), StdinTerminal: stdinIsTerminal}
}

// stdinIsTerminal reports whether standard input is a character device (a
// terminal), not a pipe or a file.
func stdinIsTerminal() bool {
	fi, err := os.Stdin.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// command is one subcommand's definition: its usage line, help and
// example, positional arguments, and define, which declares its flags on
// fs and returns the run that reads them. The tree below is the one
// definition help, completions, the man page and docs/cli.md come from.
type command struct {
	use, short, long, example string
	args                      cobra.PositionalArgs
	define                    func(env Env, fs *pflag.FlagSet) func(pos []string) int
	// exclusive lists flags of which at most one may be given; oneOf,
	// flags of which exactly one must be.
	exclusive, oneOf [][]string
	required         []string
	// readsInput: with no argument and a terminal on standard input, the
	// command prints its help instead of waiting for a paste.
	readsInput bool
	sub        []command
}

func commands() []command {
	return []command{
		{use: "decode [TOKEN|-]", short: "Decode a JWS, JWE or opaque token and explain every claim (no network)", args: cobra.MaximumNArgs(1), readsInput: true,
			example: "  tokenscope decode eyJhbGciOi...\n  pbpaste | tokenscope decode --json", define: runDecode},
		{use: "verify [TOKEN|-]", short: "Verify a token's signature and validate its claims", args: cobra.MaximumNArgs(1), readsInput: true,
			long:      "Verify checks the signature with an explicit algorithm allow-list and validates exp, nbf, iat (with a leeway), iss, aud, azp, nonce and at_hash. Keys come from --secret-env, --key, --jwks or --issuer's discovery document; without any, the token's own iss is looked up, but a token never vouches for itself.",
			example:   "  tokenscope verify --issuer https://tenant.eu.auth0.com/ --audience https://api \"$ID_TOKEN\"",
			exclusive: [][]string{{"jwks", "key", "secret-env"}}, define: runVerify},
		{use: "migrate [FILE|-]", short: "Rewrite legacy /delegation requests into /oauth/token refresh requests", args: cobra.MaximumNArgs(1), readsInput: true,
			long:    "Migrate reads legacy POST /delegation requests (JSON or form body, raw HTTP, a curl command, a HAR file with many requests) and rewrites each into the equivalent refresh-token request, with findings for what cannot be migrated one to one.",
			example: "  tokenscope migrate --format curl session.har", define: runMigrate},
		{use: "refresh", short: "Run the refresh-token grant for a profile or an ad-hoc client", args: cobra.NoArgs,
			example:   "  tokenscope refresh --profile api\n  RT=... tokenscope refresh --issuer https://tenant.eu.auth0.com/ --client-id ID --refresh-token-env RT --json",
			exclusive: [][]string{{"profile", "issuer", "token-url"}}, oneOf: [][]string{{"profile", "issuer", "token-url"}}, define: runRefresh},
		{use: "login", short: "Sign in (authorization code + PKCE, or the device grant) and store the refresh token", args: cobra.NoArgs,
			example: "  tokenscope login --profile api\n  tokenscope login --profile tv --device", define: runLogin},
		{use: "access-token", short: "Print a valid access token for the profile (cached in the keyring, refreshed when needed)", args: cobra.NoArgs,
			long:    "Access-token prints only an access token that stays valid for at least --min-valid: the one cached in the OS keyring, or a new one from a refresh under the profile's lock (every process waits for that one refresh). Nothing else goes to standard output; a failure is one sentence on standard error and exit 1.",
			example: "  curl -H \"Authorization: Bearer $(tokenscope access-token --profile api)\" https://api.example.com/", required: []string{"profile"}, define: runAccessToken},
		{use: "family", short: "List the profile's refresh-token lineage: issued, used, rotated, refused or revoked", args: cobra.NoArgs,
			long:     "Family lists each refresh token Tokenscope saw for the profile — from a sign-in, a rotation or stored by hand — by a fingerprint (the first 12 hex digits of its SHA-256, never the token), when it was issued and used, and what it is now: current, used (rotated away), rejected by the provider (reuse detection, an absolute or idle lifetime, revoked elsewhere), revoked with Tokenscope, or replaced.",
			required: []string{"profile"}, define: runFamily},
		{use: "readiness", short: "Is the tenant ready to switch the legacy endpoints off? Its flags, applications, deprecation notes and your code, per application", args: cobra.NoArgs,
			long:      "Readiness reads the tenant's legacy flags, every application and the deprecation notes (type:depnote) of the period through the Management API, joins them per application with the legacy calls a scan of your code finds (by the client ID found beside the call or in a config file above it), and lists the steps left, in order. Exit 1 while an application still calls a legacy endpoint.",
			example:   "  tokenscope readiness --profile mgmt --scan ./web --scan ./api --html readiness.html\n  tokenscope readiness --demo",
			exclusive: [][]string{{"profile", "demo"}}, oneOf: [][]string{{"profile", "demo"}}, define: runReadiness},
		{use: "token", short: "Get an access token with the client credentials grant", args: cobra.NoArgs, define: runToken},
		{use: "userinfo", short: "Call the issuer's /userinfo with an access token", args: cobra.NoArgs, define: runUserinfo},
		{use: "revoke", short: "Revoke the profile's refresh token and remove it from the keyring", args: cobra.NoArgs, define: runRevoke},
		{use: "profile", short: "List, show, add, rename or remove client profiles (secrets live in the OS keyring)", sub: []command{
			{use: "list", short: "List the profiles", args: cobra.NoArgs, define: profileList},
			{use: "show NAME", short: "Show one profile and where its secrets are", args: cobra.ExactArgs(1), define: profileShow},
			{use: "add NAME", short: "Add a profile (secrets from environment variables, stored in the keyring)", args: cobra.ExactArgs(1),
				example:   "  SECRET=... tokenscope profile add api --domain tenant.eu.auth0.com --client-id ID --auth post --client-secret-env SECRET",
				exclusive: [][]string{{"issuer", "domain"}}, oneOf: [][]string{{"issuer", "domain"}}, define: profileAdd},
			{use: "rename OLD NEW", short: "Rename a profile and move its keyring entries", args: cobra.ExactArgs(2), define: profileRename},
			{use: "remove NAME", short: "Remove a profile and its keyring entries", args: cobra.ExactArgs(1), define: profileRemove},
		}},
		{use: "demo-server", short: "Run the embedded Auth0-compatible demo tenant on loopback", args: cobra.NoArgs, define: runDemoServer},
		{use: "rehearse", short: "Rehearse the refresh-token rotation races on a demo tenant and show each timeline", args: cobra.NoArgs,
			long:    "Rehearse runs the races people hit with rotating refresh tokens — two tabs refreshing at once, a retry after a timeout, an old token replayed after the reuse interval, an idle gap past the idle lifetime — each on a fresh refresh-token family of an embedded demo tenant with the settings given (as Auth0 names them), passing time on the tenant's clock. Each request shows the token sent (by fingerprint, never the token), the answer, and the family's state after it.",
			example: "  tokenscope rehearse\n  tokenscope rehearse --reuse-interval 30s --idle-lifetime 1h --json", define: runRehearse},
		{use: "scan [PATH]...", short: "Find legacy Auth0 calls in a codebase and name each replacement", args: cobra.ArbitraryArgs,
			example: "  tokenscope scan .\n  tokenscope scan --sarif . > tokenscope.sarif", exclusive: [][]string{{"json", "sarif"}}, define: runScan},
	}
}

// exitCode carries a run's exit code out of cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a flag or argument cobra refused.
type usageError struct {
	cmd string
	err error
}

func (e usageError) Error() string { return e.err.Error() }

// newRoot builds the command tree for one run.
func newRoot(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "tokenscope",
		Short: "OAuth 2.0 and OpenID Connect token workbench: refresh, sign in, inspect, verify, migrate off Auth0's legacy endpoints",
		Long: "Tokenscope renews tokens with the refresh-token grant, signs in, decodes and verifies tokens, and rewrites legacy Auth0 /delegation requests into /oauth/token requests. " +
			"With no command the desktop build opens its window.\n\nExit codes: 0 success, 1 the input was processed and the verdict is negative, 2 usage error or unreadable input.",
		Version:       Version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("tokenscope {{.Version}}\n")
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{c.CommandPath(), err} })
	root.CompletionOptions.HiddenDefaultCmd = false
	for _, c := range commands() {
		root.AddCommand(c.build(env))
	}
	root.AddCommand(&cobra.Command{Use: "version", Short: "Print the version", Args: cobra.NoArgs,
		Run: func(c *cobra.Command, _ []string) { fmt.Fprintln(env.Stdout, "tokenscope", Version()) }})
	root.AddCommand(genDocsCommand(root))
	return root
}

func (c command) build(env Env) *cobra.Command {
	cc := &cobra.Command{Use: c.use, Short: c.short, Long: c.long, Example: c.example, Args: c.args}
	if cc.Long == "" {
		cc.Long = c.short + "."
	}
	for _, sub := range c.sub {
		cc.AddCommand(sub.build(env))
	}
	if c.define == nil { // a group: it needs one of its subcommands
		names := make([]string, 0, len(c.sub))
		for _, sub := range c.sub {
			names = append(names, strings.Fields(sub.use)[0])
		}
		cc.Args = cobra.NoArgs
		cc.RunE = func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(env.Stderr, "%s: name what to do: %s\n", cmd.CommandPath(), strings.Join(names[:len(names)-1], ", ")+" or "+names[len(names)-1])
			_ = cmd.Help()
			return exitCode(ExitUsage)
		}
		return cc
	}
	cc.Flags().SortFlags = false
	run := c.define(env, cc.Flags())
	for _, g := range c.exclusive {
		cc.MarkFlagsMutuallyExclusive(g...)
	}
	for _, g := range c.oneOf {
		cc.MarkFlagsOneRequired(g...)
	}
	for _, f := range c.required {
		_ = cc.MarkFlagRequired(f)
	}
	cc.RunE = func(cmd *cobra.Command, pos []string) error {
		if c.readsInput && len(pos) == 0 && env.StdinTerminal != nil && env.StdinTerminal() {
			fmt.Fprintf(env.Stderr, "%s: no input: give it as an argument, or pipe it in (use - to type it)\n", cmd.CommandPath())
			_ = cmd.Help()
			return exitCode(ExitUsage)
		}
		if code := run(pos); code != ExitOK {
			return exitCode(code)
		}
		return nil
	}
	return cc
}

// HasSubcommand reports whether args ask for a headless run.
func HasSubcommand(args []string) bool { return len(args) > 0 }

// RunCommand runs one subcommand and returns the process exit code.
func RunCommand(env Env, args []string) int {
	root := newRoot(env)
	root.SetArgs(args)
	err := root.Execute()
	var code exitCode
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &ue):
		say(env.Stderr, "%s: %v; run '%s --help' for its flags\n", ue.cmd, ue.err, ue.cmd)
	default: // an unknown command, a wrong number of arguments, flags given together
		cmd, _, _ := root.Find(args)
		path := "tokenscope"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		if msg, ok := flagGroupSentence(err); ok {
			say(env.Stderr, "%s: %s\n", path, msg)
		} else {
			say(env.Stderr, "%s: %v; run '%s --help'\n", path, err, path)
		}
	}
	return ExitUsage
}

var (
	exclusiveErr = regexp.MustCompile(`^if any flags in the group \[[^\]]+\] are set none of the others can be; \[([^\]]+)\] were all set$`)
	oneOfErr     = regexp.MustCompile(`^at least one of the flags in the group \[([^\]]+)\] is required$`)
)

// flagGroupSentence says cobra's flag-group errors in one plain sentence.
func flagGroupSentence(err error) (string, bool) {
	if m := exclusiveErr.FindStringSubmatch(err.Error()); m != nil {
		return flagList(m[1], "and") + " cannot be given together: choose one", true
	}
	if m := oneOfErr.FindStringSubmatch(err.Error()); m != nil {
		return "give one of " + flagList(m[1], "or"), true
	}
	return "", false
}

func flagList(names, conj string) string {
	fs := strings.Fields(names)
	for i := range fs {
		fs[i] = "--" + fs[i]
	}
	if len(fs) < 2 {
		return strings.Join(fs, "")
	}
	return strings.Join(fs[:len(fs)-1], ", ") + " " + conj + " " + fs[len(fs)-1]
}

// genDocsCommand writes the man pages and the Markdown reference from the
// same definitions (make man, docs/cli.md). Hidden: it is for packaging.
func genDocsCommand(root *cobra.Command) *cobra.Command {
	var manDir, mdDir string
	c := &cobra.Command{Use: "gen-docs", Short: "Write man pages and Markdown reference pages", Hidden: true, Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			root.DisableAutoGenTag = true
			if manDir != "" {
				if err := os.MkdirAll(manDir, 0o755); err != nil {
					return err
				}
				if err := doc.GenManTree(root, &doc.GenManHeader{Title: "TOKENSCOPE", Section: "1", Source: "Tokenscope " + Version(), Manual: "Tokenscope manual"}, manDir); err != nil {
					return err
				}
			}
			if mdDir != "" {
				if err := os.MkdirAll(mdDir, 0o755); err != nil {
					return err
				}
				if err := doc.GenMarkdownTree(root, mdDir); err != nil {
					return err
				}
			}
			return nil
		}}
	c.Flags().StringVar(&manDir, "man", "", "write man pages into `DIR`")
	c.Flags().StringVar(&mdDir, "markdown", "", "write Markdown pages into `DIR`")
	return c
}

// readCapped reads r whole, refusing more than migrate.MaxInput: the cap
// on what a subcommand reads, from a file or from standard input alike
// (the README states it).
func readCapped(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, migrate.MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(b) > migrate.MaxInput {
		return nil, fmt.Errorf("%s is larger than the %d MB limit", name, migrate.MaxInput>>20)
	}
	return b, nil
}

// readInput returns the single positional argument, or standard input
// when it is "-" or absent.
func readInput(env Env, positional []string, what string) (string, error) {
	if len(positional) > 1 {
		return "", fmt.Errorf("expected one %s, got %d arguments: quote the token or pass it on standard input", what, len(positional))
	}
	if len(positional) == 1 && positional[0] != "-" {
		return positional[0], nil
	}
	b, err := readCapped(env.Stdin, "standard input")
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", errors.New("no " + what + " given: pass it as an argument or on standard input")
	}
	return string(b), nil
}

func fail(env Env, cmd string, code int, format string, a ...any) int {
	say(env.Stderr, "tokenscope %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return code
}
