package curl

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// hostile holds what a shell would act on: a single quote, spaces, $ (a
// variable, a bare one, one at the end), a backquote, a backslash, double
// quotes and a line break.
const hostile = "it's a $HOME `id` \\ \"q\" $\nline two $"

// runThroughShell runs text under sh with curl replaced by a function that
// prints its arguments, then what it reads on standard input.
func runThroughShell(t *testing.T, text string, env ...string) (args []string, stdin string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	script := `curl() { for a in "$@"; do printf '%s\0' "$a"; done; printf 'STDIN\0'; cat; }` + "\n" + text
	cmd := exec.Command(sh, "-c", script)
	cmd.Env = append([]string{"HOME=/home/someone", "PATH=/usr/bin:/bin"}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh: %v: %s\n%s", err, errOut.String(), text)
	}
	parts := strings.Split(out.String(), "\x00")
	i := slices.Index(parts, "STDIN")
	if i < 0 {
		t.Fatalf("no STDIN marker in %q", out.String())
	}
	return parts[:i], strings.Join(parts[i+1:], "\x00")
}

func TestEveryArgumentReachesCurlAsGiven(t *testing.T) {
	c := Command{Method: "POST", URL: "https://tenant.example.com/oauth/token?x=it's%20$HOME",
		Headers: []Header{{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Note", hostile}},
		User:    "client:" + hostile,
		Form:    []Param{{"resource", hostile}, {"it's $key", "v"}}}
	text := c.String()
	args, stdin := runThroughShell(t, text)
	want := []string{"--request", "POST", "--url", c.URL, "--header", "Content-Type: application/x-www-form-urlencoded",
		"--header", "X-Note: " + hostile, "--user", c.User, "--data-urlencode", "resource=" + hostile, "--data-urlencode", "it's $key=v"}
	if !slices.Equal(args, want) || stdin != "" {
		t.Fatalf("the shell gave curl\n%q\nstdin %q, want\n%q\nfrom\n%s", args, stdin, want, text)
	}
}

func TestAHereDocumentBodyReachesCurlAsGiven(t *testing.T) {
	body := "{\n  \"a\": \"" + strings.ReplaceAll(hostile, "\n", `\n`) + "\",\n  \"b\": \"EOF\"\n}\nEOF\n"
	c := Command{Method: "POST", URL: "https://t.example.com/", Body: body}
	args, stdin := runThroughShell(t, c.String())
	if want := []string{"--request", "POST", "--url", c.URL, "--data", "@-"}; !slices.Equal(args, want) || stdin != body+"\n" {
		t.Fatalf("args %q stdin %q\n%s", args, stdin, c.String())
	}
}

// With Expand, the named placeholders are the only $ the shell expands,
// in a quoted word and in a here-document; $SECRETS is not $SECRET.
func TestOnlyTheNamedPlaceholdersExpand(t *testing.T) {
	c := Command{Method: "POST", URL: "https://t.example.com/", Expand: []string{"SECRET"},
		Headers: []Header{{"Authorization", "Bearer $SECRET"}},
		Form:    []Param{{"client_secret", "$SECRET"}, {"note", "$SECRET and " + hostile}, {"other", "$SECRETS $SECRET_2 $SECRET"}, {"none", "$SECRETS"}}}
	args, _ := runThroughShell(t, c.String(), "SECRET=s3cr'et $x", "SECRETS=no", "SECRET_2=no")
	want := []string{"--request", "POST", "--url", c.URL, "--header", "Authorization: Bearer s3cr'et $x",
		"--data-urlencode", "client_secret=s3cr'et $x", "--data-urlencode", "note=s3cr'et $x and " + hostile,
		"--data-urlencode", "other=$SECRETS $SECRET_2 s3cr'et $x", "--data-urlencode", "none=$SECRETS"}
	if !slices.Equal(args, want) {
		t.Fatalf("the shell gave curl\n%q\nwant\n%q\nfrom\n%s", args, want, c.String())
	}
	c = Command{Method: "POST", URL: "https://t.example.com/", Expand: []string{"SECRET"}, Body: `{"s": "$SECRET", "h": "` + "$HOME `id` \\\\" + `"}`}
	_, stdin := runThroughShell(t, c.String(), "SECRET=s3")
	if want := `{"s": "s3", "h": "` + "$HOME `id` \\\\" + `"}` + "\n"; stdin != want {
		t.Fatalf("stdin %q, want %q\n%s", stdin, want, c.String())
	}
}

// The layout the migration assistant's golden files pin: one argument a
// line, single quotes, a bare method.
func TestTheLayout(t *testing.T) {
	got := Command{Method: "GET", URL: "https://t.example.com/userinfo", Headers: []Header{{"Authorization", "Bearer $ACCESS_TOKEN"}}, Expand: []string{"ACCESS_TOKEN"}}.String()
	if want := "curl --request GET \\\n  --url 'https://t.example.com/userinfo' \\\n  --header \"Authorization: Bearer $ACCESS_TOKEN\"\n"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	args, _ := runThroughShell(t, Command{Method: "PO ST'", URL: "u"}.String())
	if args[1] != "PO ST'" {
		t.Fatalf("method %q", args[1])
	}
}
