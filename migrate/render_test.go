package migrate

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func goldenRequest(t *testing.T, enc Encoding, auth oauth.AuthMethod) *Request {
	t.Helper()
	in := legacyJSON
	if enc == EncodingForm {
		in = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=mY8tQj2ZpW&client_secret=s3cr%27et&refresh_token=v1.MRrT3gL0b_Zqk9&scope=openid+profile"
	}
	r := rewriteOne(t, in, Options{Domain: "tenant.eu.auth0.com", Auth: auth, Audience: "https://api.example.com"})
	if !r.Migratable {
		t.Fatal(r.Findings)
	}
	return r.Request
}

func TestRenderersMatchTheirGoldenFiles(t *testing.T) {
	t.Parallel()
	for _, enc := range []Encoding{EncodingJSON, EncodingForm} {
		for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
			for _, f := range Formats {
				for _, reveal := range []bool{false, true} {
					name := string(enc) + "-" + string(auth) + "-" + string(f)
					if reveal {
						name += "-reveal"
					}
					t.Run(name, func(t *testing.T) {
						got, err := Render(goldenRequest(t, enc, auth), f, reveal)
						if err != nil {
							t.Fatal(err)
						}
						path := filepath.Join("testdata", "golden", name+".txt")
						if *update {
							os.MkdirAll(filepath.Dir(path), 0o755)
							os.WriteFile(path, []byte(got), 0o644)
						}
						want, err := os.ReadFile(path)
						if err != nil {
							t.Fatalf("%v (run go test ./migrate -update to create it)", err)
						}
						if got != string(want) {
							t.Fatalf("got:\n%s\nwant:\n%s", got, want)
						}
						if !reveal && (strings.Contains(got, "v1.MRrT3gL0b_Zqk9") || strings.Contains(got, "s3cr'et")) {
							t.Fatal("a secret leaked into the masked rendering")
						}
					})
				}
			}
		}
	}
}

// The token exchange rendered for a delegation to another application
// (Custom Token Exchange, RFC 8693) in every format, masked and revealed.
func TestTokenExchangeRenderingsMatchTheirGoldenFiles(t *testing.T) {
	t.Parallel()
	for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
		for _, f := range Formats {
			for _, reveal := range []bool{false, true} {
				name := "token-exchange-" + string(auth) + "-" + string(f)
				if reveal {
					name += "-reveal"
				}
				t.Run(name, func(t *testing.T) {
					got, err := Render(tokenExchangeRequest(t, auth), f, reveal)
					if err != nil {
						t.Fatal(err)
					}
					path := filepath.Join("testdata", "golden", name+".txt")
					if *update {
						os.WriteFile(path, []byte(got), 0o644)
					}
					want, err := os.ReadFile(path)
					if err != nil {
						t.Fatalf("%v (run go test ./migrate -update to create it)", err)
					}
					if got != string(want) {
						t.Fatalf("got:\n%s\nwant:\n%s", got, want)
					}
					if !reveal && (strings.Contains(got, "eyJ.eyJ.sig") || strings.Contains(got, "s3cr'et")) {
						t.Fatal("a secret leaked into the masked rendering")
					}
				})
			}
		}
	}
}

func TestCurlRenderingParsesBackToTheSameRequest(t *testing.T) {
	t.Parallel()
	for _, enc := range []Encoding{EncodingJSON, EncodingForm} {
		for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
			for _, reveal := range []bool{false, true} {
				req := goldenRequest(t, enc, auth)
				text, _ := Render(req, RenderCurl, reveal)
				b, err := Parse([]byte(text))
				if err != nil {
					t.Fatalf("%s/%s: %v\n%s", enc, auth, err, text)
				}
				want := req
				if !reveal {
					want = req.Masked()
				}
				l := b.Requests[0]
				if l.Method != "POST" || l.URL != want.URL || l.Encoding != want.Encoding || l.BasicUser != map[bool]string{true: want.ClientID}[auth == oauth.AuthBasic] {
					t.Fatalf("%s/%s: %+v", enc, auth, l)
				}
				if auth == oauth.AuthBasic && l.BasicPassword != want.ClientSecret {
					t.Fatalf("password %q want %q", l.BasicPassword, want.ClientSecret)
				}
				if len(l.Params) != len(want.Body) {
					t.Fatalf("%d params, want %d", len(l.Params), len(want.Body))
				}
				for i, p := range want.Body {
					if l.Params[i] != p {
						t.Fatalf("%s/%s param %d: %+v want %+v", enc, auth, i, l.Params[i], p)
					}
				}
			}
		}
	}
}

// A value holding a single quote, spaces, $ (a placeholder's name among
// them), a backquote, a backslash and a line break comes back from the
// curl text as it went in, masked or revealed, form or JSON.
func TestCurlRenderingKeepsAValueTheShellWouldActOn(t *testing.T) {
	t.Parallel()
	const hostile = "it's a $HOME `id` \\ \"q\" $CLIENT_SECRETS\nline two $"
	for _, enc := range []Encoding{EncodingJSON, EncodingForm} {
		for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthBasic} {
			for _, reveal := range []bool{false, true} {
				req := goldenRequest(t, enc, auth)
				req.Body = append(append(Params{}, req.Body...), Param{Name: "note", Value: hostile})
				text, err := Render(req, RenderCurl, reveal)
				if err != nil {
					t.Fatal(err)
				}
				b, err := Parse([]byte(text))
				if err != nil {
					t.Fatalf("%s/%s: %v\n%s", enc, auth, err, text)
				}
				if got, _ := b.Requests[0].Params.Get("note"); got != hostile {
					t.Fatalf("%s/%s reveal %v: note %q, want %q\n%s", enc, auth, reveal, got, hostile, text)
				}
			}
		}
	}
}

// TestGoRenderingCompiles vets the generated program in a temporary module
// that uses the x/oauth2 version this module pins (from the module cache).
func TestGoRenderingCompiles(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a program")
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	version := ""
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "golang.org/x/oauth2" {
			version = f[1]
		}
	}
	gosum, _ := os.ReadFile("../go.sum")
	for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthBasic} {
		for _, req := range []*Request{goldenRequest(t, EncodingJSON, auth), tokenExchangeRequest(t, auth)} {
			vetGo(t, req, auth, version, gosum)
		}
	}
}

// tokenExchangeRequest is the alternative of a delegation for another
// application (auth0.js 7's getDelegationToken with targetClientId).
func tokenExchangeRequest(t *testing.T, auth oauth.AuthMethod) *Request {
	t.Helper()
	r := rewriteOne(t, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=mY8tQj2ZpW&client_secret=s3cr%27et&target=orders-api&api_type=auth0&id_token=eyJ.eyJ.sig&scope=openid+read%3Aorders",
		Options{Domain: "tenant.eu.auth0.com", Auth: auth, Audience: "https://orders.example.com"})
	if r.Alternative == nil {
		t.Fatal(r.Findings)
	}
	return r.Alternative
}

func vetGo(t *testing.T, req *Request, auth oauth.AuthMethod, version string, gosum []byte) {
	t.Helper()
	dir := t.TempDir()
	src, _ := Render(req, RenderGo, false)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module refresh\n\ngo 1.22\n\nrequire golang.org/x/oauth2 "+version+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), gosum, 0o644)
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the %s rendering: %v\n%s\n%s", auth, err, out, src)
	}
}

// The generated Go programs are gofmt-clean as written (the gofmt command
// itself checks them, not only go/format inside Render).
func TestTheGeneratedGoProgramsAreGofmtClean(t *testing.T) {
	t.Parallel()
	gofmt, err := exec.LookPath("gofmt")
	if err != nil {
		t.Skip("no gofmt on PATH")
	}
	dir := t.TempDir()
	for _, enc := range []Encoding{EncodingJSON, EncodingForm} {
		for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
			for _, reveal := range []bool{false, true} {
				src, err := Render(goldenRequest(t, enc, auth), RenderGo, reveal)
				if err != nil {
					t.Fatal(err)
				}
				f := filepath.Join(dir, string(enc)+"-"+string(auth)+map[bool]string{true: "-reveal", false: ""}[reveal]+".go")
				os.WriteFile(f, []byte(src), 0o644)
			}
		}
	}
	out, err := exec.Command(gofmt, "-l", dir).CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Fatalf("gofmt -l: %v\n%s", err, out)
	}
}
