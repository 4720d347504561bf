package exchange

import (
	"bytes"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// The curl preview, run by a shell, hands curl the very request that is
// sent: a URL or a parameter holding a single quote, spaces, $ or a line
// break arrives as it is, and the secrets stay masked unless revealed.
func TestTheCurlPreviewRunsTheRequestThatIsSent(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	const hostile = "it's a $HOME `id` \\ \"q\"\nline two $"
	for _, auth := range []oauth.AuthMethod{oauth.AuthPost, oauth.AuthBasic} {
		r := req("https://t.example.com/it's/$HOME")
		r.Auth, r.Scope, r.Params = auth, "openid $PATH", map[string]string{"resource": hostile}
		preq, body, err := Preview(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, reveal := range []bool{false, true} {
			text := MaskedCurl(preq, body, reveal)
			cmd := exec.Command(sh, "-c", `curl() { for a in "$@"; do printf '%s\0' "$a"; done; }`+"\n"+text)
			cmd.Env = []string{"HOME=/home/someone", "PATH=/usr/bin:/bin"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: sh: %v\n%s", auth, err, text)
			}
			args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			form := url.Values{}
			for i, a := range args {
				if a == "--data-urlencode" && i+1 < len(args) {
					k, v, _ := strings.Cut(args[i+1], "=")
					form.Add(k, v)
				}
			}
			if form.Get("resource") != hostile || form.Get("scope") != "openid $PATH" || args[3] != preq.URL.String() {
				t.Fatalf("%s: the shell gave curl %q\nfrom\n%s", auth, args, text)
			}
			sent, _ := url.ParseQuery(string(body))
			if reveal {
				if !slices.Contains(args, "Authorization: "+preq.Header.Get("Authorization")) && auth == oauth.AuthBasic || form.Encode() != sent.Encode() {
					t.Fatalf("%s: revealed preview %q, sent %q", auth, form.Encode(), sent.Encode())
				}
			} else if bytes.Contains(out, []byte("s3cret-s3cret")) || bytes.Contains(out, []byte("v1.old-refresh-token")) {
				t.Fatalf("%s: the masked preview shows a secret:\n%s", auth, text)
			}
		}
	}
}
