// Package app is Tokenscope's composition root: it builds the services the
// screens and subcommands share, runs subcommands headless, and hands the
// services to the ui package for the window.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
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
	// Profiles and Secrets back the profile and refresh commands.
	Profiles *profiles.Store
	Secrets  secrets.Store
	// Done stops long-running commands (demo-server) in tests.
	Done <-chan struct{}
	// Signals, when set, replaces SIGINT and SIGTERM in tests.
	Signals <-chan os.Signal
	// Open opens a sign-in URL (nil: the system browser); tests follow the
	// login page instead.
	Open func(url string) error
}

// workspace is the shared core over this environment's profiles and
// secrets (locks and history beside the profiles file).
func (e Env) workspace() *workspace.Workspace {
	w := workspace.New(e.Profiles.Path, e.Secrets)
	w.Profiles = e.Profiles
	return w
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
		Profiles: &profiles.Store{Path: profilesPath()}, Secrets: secrets.WithTimeout{Store: secrets.Keyring{}}}
}

// profilesPath is profiles.DefaultPath, or profiles.json here when there is
// no config directory (DefaultPath's error names the fix).
func profilesPath() string {
	p, err := profiles.DefaultPath()
	if err != nil {
		return "profiles.json"
	}
	return p
}

type command struct {
	name, synopsis string
	run            func(env Env, args []string) int
}

func commands() []command {
	return []command{
		{"decode", "decode [--json] [TOKEN|-]", runDecode},
		{"migrate", "migrate [--format json|form|curl|http|go] [--domain DOMAIN] [--auth none|post|basic] [--audience AUD] [--reveal] [--json] [FILE|-]", runMigrate},
		{"refresh", "refresh (--profile NAME | --issuer URL | --token-url URL) [--client-id ID] [--auth none|post|basic] [--client-secret-env VAR] [--refresh-token-env VAR] [--audience AUD] [--scope SCOPE] [--param KEY=VALUE]... [--wait DURATION] [--reveal] [--json]", runRefresh},
		{"profile", "profile list [--json] | show NAME | add NAME [--replace] (--issuer URL | --domain DOMAIN) --client-id ID [--auth none|post|basic] [--audience A] [--scope S] [--client-secret-env VAR] [--refresh-token-env VAR] [--param K=V]... [--redirect-uri URL] | rename OLD NEW | remove NAME", runProfile},
		{"login", "login --profile NAME [--scope S] [--audience A] [--prompt P] [--organization O] [--connection C] [--login-hint H] [--max-age SECONDS] [--param K=V]... [--redirect-uri URL] [--device] [--no-browser] [--timeout DURATION] [--json] [--reveal]", runLogin},
		{"token", "token --profile NAME [--audience A] [--scope S] [--json] [--reveal]", runToken},
		{"userinfo", "userinfo --profile NAME [--access-token-env VAR] [--json]", runUserinfo},
		{"revoke", "revoke --profile NAME [--json]", runRevoke},
		{"demo-server", "demo-server [--addr 127.0.0.1:PORT] [--reveal] [--json] [--allow-remote]", runDemoServer},
		{"scan", "scan [PATH]... [--json|--sarif] [--include-vendor] [--exclude GLOB]...", runScan},
		{"verify", "verify [--issuer URL] [--jwks FILE|URL] [--key FILE] [--secret-env VAR] [--audience AUD] [--client-id ID] [--nonce N] [--access-token-env VAR] [--leeway DURATION] [--now RFC3339] [--json] [TOKEN|-]", runVerify},
	}
}

// HasSubcommand reports whether args ask for a headless run.
func HasSubcommand(args []string) bool { return len(args) > 0 }

// RunCommand runs one subcommand and returns the process exit code.
func RunCommand(env Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		usage(env.Stdout)
		return ExitOK
	case "version", "--version":
		fmt.Fprintln(env.Stdout, "tokenscope", Version())
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	say(env.Stderr, "tokenscope: %q is not a command; run 'tokenscope help' for the list\n", args[0])
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage:\n  tokenscope                 open the desktop app")
	for _, c := range commands() {
		fmt.Fprintf(w, "  tokenscope %s\n", c.synopsis)
	}
	fmt.Fprintln(w, "  tokenscope version\n\nExit codes: 0 success, 1 negative verdict, 2 usage error or unreadable input.")
}

// parseFlags parses flags that may come before or after positional
// arguments ("verify TOKEN --json" and "verify --json TOKEN" both work).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("tokenscope "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// maxInput caps what a subcommand reads, from a file or from standard
// input alike: the README states it.
const maxInput = migrate.MaxInput

// readCapped reads r whole, refusing more than maxInput.
func readCapped(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", name, err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%s is larger than the %d MB limit", name, maxInput>>20)
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
