package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// everyCommand lists each command path of the tree ("decode", "profile add").
func everyCommand(t *testing.T) [][]string {
	t.Helper()
	var paths [][]string
	var walk func(c *cobra.Command, prefix []string)
	walk = func(c *cobra.Command, prefix []string) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			p := append(append([]string(nil), prefix...), sub.Name())
			paths = append(paths, p)
			walk(sub, p)
		}
	}
	walk(newRoot(Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}), nil)
	if len(paths) < 15 {
		t.Fatalf("only %d commands: %v", len(paths), paths)
	}
	return paths
}

// The conventions people type by habit: --help and -h on every command and
// subcommand print its help on stdout and exit 0; `help CMD` is the same
// help; flags are shown with two dashes.
func TestEveryCommandHasHelpOnStdoutWithExitZero(t *testing.T) {
	t.Parallel()
	for _, path := range everyCommand(t) {
		name := strings.Join(path, " ")
		for _, flag := range []string{"--help", "-h"} {
			code, stdout, stderr := run(t, "", nil, append(append([]string(nil), path...), flag)...)
			if code != ExitOK || stderr != "" || !strings.Contains(stdout, "Usage:\n  tokenscope "+name) {
				t.Errorf("%s %s: exit %d, stderr %q, stdout %q", name, flag, code, stderr, stdout)
			}
		}
		_, viaHelp, _ := run(t, "", nil, append([]string{"help"}, path...)...)
		_, viaFlag, _ := run(t, "", nil, append(append([]string(nil), path...), "--help")...)
		if viaHelp != viaFlag {
			t.Errorf("help %s differs from %s --help", name, name)
		}
	}
	_, stdout, _ := run(t, "", nil, "refresh", "--help")
	for _, want := range []string{"--profile string", "--refresh-token-env string", "--param KEY=VALUE"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("refresh --help does not show %q:\n%s", want, stdout)
		}
	}
}

// Usage errors are one sentence on stderr, exit 2, naming the command.
func TestUsageErrorsAreOneSentenceAndExitTwo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		says string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate" for "tokenscope"`},
		{[]string{"decode", "--nope"}, "tokenscope decode: unknown flag: --nope; run 'tokenscope decode --help' for its flags"},
		{[]string{"refresh", "--token-url", "https://a/t", "--issuer", "https://a/"}, "tokenscope refresh: --issuer and --token-url cannot be given together: choose one"},
		{[]string{"refresh", "--client-id", "abc"}, "tokenscope refresh: give one of --profile, --issuer or --token-url"},
		{[]string{"profile"}, "tokenscope profile: name what to do: list, show, add, rename or remove"},
		{[]string{"profile", "show"}, "tokenscope profile show: accepts 1 arg(s), received 0"},
		{[]string{"verify", "--jwks", "a.json", "--secret-env", "K", "t"}, "--jwks and --secret-env cannot be given together"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, "", nil, c.args...)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != ExitUsage || !strings.Contains(first, c.says) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, stderr, c.says)
		}
	}
}

// decode, verify and migrate with nothing on the command line and a
// terminal on standard input print their help instead of waiting for a
// paste nobody knows they should make.
func TestInputCommandsPrintHelpInsteadOfWaitingOnATerminal(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"decode", "verify", "migrate"} {
		var out, errb bytes.Buffer
		blocking := &blockingReader{}
		env := Env{Stdin: blocking, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now, StdinTerminal: func() bool { return true }}
		done := make(chan int, 1)
		go func() { done <- RunCommand(env, []string{cmd}) }()
		select {
		case code := <-done:
			if code != ExitUsage || !strings.Contains(out.String(), "Usage:\n  tokenscope "+cmd) || !strings.Contains(errb.String(), "no input") {
				t.Errorf("%s: exit %d\nstdout %s\nstderr %s", cmd, code, out.String(), errb.String())
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s waited for input on a terminal", cmd)
		}
	}
	// A pipe is read as before.
	if code, _, stderr := run(t, "not-a-token", nil, "decode"); code != ExitOK {
		t.Fatalf("decode from a pipe: exit %d %s", code, stderr)
	}
}

type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }

// profile remove and rename take their exit code from the error's type,
// not its text: a profile named my-keyring removed cleanly exits 0, and a
// keyring that fails after the file changed exits 1.
func TestProfileExitCodesComeFromErrorTypes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if code, _, stderr := w.run(t, "", "profile", "add", "my-keyring", "--domain", "t.eu.auth0.com", "--client-id", "a"); code != 0 {
		t.Fatal(stderr)
	}
	if code, out, stderr := w.run(t, "", "profile", "rename", "my-keyring", "keyring-2"); code != ExitOK || !strings.Contains(out, "Renamed") {
		t.Fatalf("rename: exit %d %q %q", code, out, stderr)
	}
	if code, _, stderr := w.run(t, "", "profile", "remove", "no-keyring-here"); code != ExitUsage || !strings.Contains(stderr, "no-keyring-here") {
		t.Fatalf("removing an unknown profile whose name says keyring: exit %d %q", code, stderr)
	}
	failing := newWorld(t)
	failing.profiles = &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now,
		Workspace: wsOf(failing.profiles, brokenDelete{&secrets.Memory{}})}
	if code := RunCommand(env, []string{"profile", "add", "p", "--domain", "t.eu.auth0.com", "--client-id", "a"}); code != 0 {
		t.Fatal(errb.String())
	}
	errb.Reset()
	if code := RunCommand(env, []string{"profile", "remove", "p"}); code != ExitNegative || !strings.Contains(errb.String(), "keyring entries are still there") {
		t.Fatalf("a keyring that fails after the file changed: exit %d %q", code, errb.String())
	}
}

// brokenDelete is a keyring whose deletes fail (a locked collection).
type brokenDelete struct{ *secrets.Memory }

func (brokenDelete) Delete(profile, kind string) error { return os.ErrPermission }

// Completions and the man page come from the same definitions.
func TestCompletionsAndManPagesComeFromTheCommandTree(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, stdout, stderr := run(t, "", nil, "completion", shell)
		if code != ExitOK || stderr != "" || !strings.Contains(stdout, "tokenscope") || len(stdout) < 1000 {
			t.Errorf("completion %s: exit %d, %d bytes, %q", shell, code, len(stdout), stderr)
		}
	}
	dir := t.TempDir()
	if code, _, stderr := run(t, "", nil, "gen-docs", "--man", dir); code != ExitOK {
		t.Fatal(stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "tokenscope-refresh.1"))
	if err != nil || !strings.Contains(string(page), `\fB--refresh-token-env\fP`) {
		t.Fatalf("man page for refresh: %v\n%.300s", err, page)
	}
}

// docs/cli/ is generated from the command definitions (`make docs`): a
// flag added, renamed or explained differently without regenerating it
// fails here, so the reference never drifts from the binary.
func TestTheCommandReferenceIsGeneratedFromTheCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, stderr := run(t, "", nil, "gen-docs", "--markdown", dir); code != ExitOK {
		t.Fatal(stderr)
	}
	fresh, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	committed, _ := filepath.Glob(filepath.Join("..", "docs", "cli", "*.md"))
	if len(fresh) != len(committed) {
		t.Fatalf("docs/cli has %d pages, the commands make %d: run make docs", len(committed), len(fresh))
	}
	for _, f := range fresh {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("..", "docs", "cli", filepath.Base(f)))
		if err != nil || string(got) != string(want) {
			t.Errorf("docs/cli/%s is not what the commands say (%v): run make docs", filepath.Base(f), err)
		}
	}
}
