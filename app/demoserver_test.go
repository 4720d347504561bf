package app

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDemoServerPrintsOneJSONLineAndServesUntilStopped(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	done := make(chan struct{})
	exit := make(chan int, 1)
	var errb strings.Builder
	env := Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now, Done: done}
	go func() { exit <- RunCommand(env, []string{"demo-server", "--json"}) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var out DemoServerOutput
	if err := json.Unmarshal([]byte(line), &out); err != nil {
		t.Fatalf("%v: %q", err, line)
	}
	if !strings.HasPrefix(out.Issuer, "http://127.0.0.1:") || len(out.Clients) != 3 || out.Audience == "" {
		t.Fatalf("%+v", out)
	}
	auths := map[string]bool{}
	for _, c := range out.Clients {
		auths[c.Auth] = true
		if strings.HasPrefix(c.RefreshToken, "v1.demo.") && len(c.RefreshToken) > 20 {
			t.Fatalf("the refresh token is not masked without --reveal: %q", c.RefreshToken)
		}
	}
	if !auths["post"] || !auths["none"] || !auths["basic"] {
		t.Fatalf("auth methods %v", auths)
	}
	resp, err := http.Get(out.Issuer + ".well-known/openid-configuration")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the tenant is not serving: %v", err)
	}
	resp.Body.Close()
	close(done)
	go io.Copy(io.Discard, pr)
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

func TestDemoServerRefusesANonLoopbackAddressAndSaysWhy(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, "", nil, "demo-server", "--addr", "0.0.0.0:0")
	if code != 2 || !strings.Contains(stderr, "only listens on loopback") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
