package migrate

import (
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

const legacyJSON = `{
  "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "client_id": "mY8tQj2ZpW",
  "refresh_token": "v1.MRrT3gL0b_Zqk9",
  "api_type": "app",
  "scope": "openid profile"
}`

func rewriteOne(t *testing.T, input string, o Options) Result {
	t.Helper()
	b, err := Parse([]byte(input))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(b.Requests) != 1 {
		t.Fatalf("found %d requests", len(b.Requests))
	}
	return Rewrite(b.Requests[0], o)
}

func codes(r Result) map[string]finding.Severity {
	m := map[string]finding.Severity{}
	for _, f := range r.Findings {
		m[f.Code] = f.Severity
	}
	return m
}

func TestEveryInputFormOfTheSameCallMigratesToTheSameRequest(t *testing.T) {
	t.Parallel()
	inputs := map[Form]string{
		FormJSON: legacyJSON,
		FormForm: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=mY8tQj2ZpW&refresh_token=v1.MRrT3gL0b_Zqk9&api_type=app&scope=openid+profile",
		FormHTTP: "POST /delegation HTTP/1.1\r\nHost: tenant.eu.auth0.com\r\nContent-Type: application/json\r\n\r\n" + legacyJSON,
		FormCurl: `curl -X POST https://tenant.eu.auth0.com/delegation \
  -H 'Content-Type: application/json' \
  --data-raw '` + strings.ReplaceAll(legacyJSON, "\n", " ") + `'`,
		FormHAR: `{"log":{"version":"1.2","entries":[
  {"request":{"method":"GET","url":"https://tenant.eu.auth0.com/userinfo","headers":[]}},
  {"request":{"method":"POST","url":"https://tenant.eu.auth0.com/delegation","headers":[{"name":"Content-Type","value":"application/json"}],
   "postData":{"mimeType":"application/json","text":` + jsonString(legacyJSON) + `}}}]}}`,
	}
	for form, in := range inputs {
		t.Run(string(form), func(t *testing.T) {
			b, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if b.Form != form {
				t.Fatalf("detected %s", b.Form)
			}
			r := Rewrite(b.Requests[len(b.Requests)-1], Options{Domain: "tenant.eu.auth0.com"})
			if !r.Migratable {
				t.Fatalf("not migratable: %+v", r.Findings)
			}
			got := string(r.Request.BodyJSON(false))
			want := `{"grant_type":"refresh_token","client_id":"mY8tQj2ZpW","refresh_token":"v1.MRrT3gL0b_Zqk9","scope":"openid profile"}`
			if got != want || r.Request.URL != "https://tenant.eu.auth0.com/oauth/token" {
				t.Fatalf("got %s at %s", got, r.Request.URL)
			}
			wantEnc := EncodingJSON
			if form == FormForm {
				wantEnc = EncodingForm
			}
			if r.Request.Encoding != wantEnc {
				t.Fatalf("encoding %s, want %s (JSON stays JSON, form stays form)", r.Request.Encoding, wantEnc)
			}
			if form == FormHAR && (b.Skipped != 1 || r.Source.Location != "HAR entry 2") {
				t.Fatalf("skipped %d, location %q", b.Skipped, r.Source.Location)
			}
		})
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestEachRuleGivesItsFinding(t *testing.T) {
	t.Parallel()
	base := "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=abc"
	cases := []struct {
		name, input string
		opts        Options
		code        string
		sev         finding.Severity
		migratable  bool
	}{
		{"id_token subject", base + "&id_token=eyJ.x.y", Options{}, CodeIDTokenDelegation, finding.SeverityError, false},
		{"target another client", base + "&refresh_token=r&target=other-client", Options{}, CodeTargetClient, finding.SeverityError, false},
		{"target itself is fine", base + "&refresh_token=r&target=abc", Options{}, CodeMissingDomain, finding.SeverityWarning, true},
		{"firebase add-on", base + "&refresh_token=r&api_type=firebase", Options{}, CodeAddonAPIType, finding.SeverityError, false},
		{"salesforce add-on", base + "&refresh_token=r&api_type=salesforce_sandbox_api", Options{}, CodeAddonAPIType, finding.SeverityError, false},
		{"dropped parameter", base + "&refresh_token=r&device=my-phone&role=admin", Options{}, CodeDroppedParameter, finding.SeverityWarning, true},
		{"legacy scope", base + "&refresh_token=r&scope=openid+name+nickname+app_metadata", Options{}, CodeLegacyScope, finding.SeverityWarning, true},
		{"api scopes are not legacy", base + "&refresh_token=r&scope=openid+read:orders", Options{}, CodeMissingDomain, finding.SeverityWarning, true},
		{"audience added", base + "&refresh_token=r", Options{Audience: "https://api.example.com"}, CodeAudienceOnRefresh, finding.SeverityWarning, true},
		{"no domain", base + "&refresh_token=r", Options{}, CodeMissingDomain, finding.SeverityWarning, true},
		{"missing client_id", "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=r", Options{}, CodeMissingParameter, finding.SeverityError, false},
		{"missing subject", base, Options{}, CodeMissingParameter, finding.SeverityError, false},
		{"already refresh", "grant_type=refresh_token&client_id=abc&refresh_token=r", Options{}, CodeNotDelegation, finding.SeverityError, false},
		{"secret not sent for native", base + "&refresh_token=r&client_secret=s", Options{Auth: oauth.AuthNone}, CodeSecretNotSent, finding.SeverityInfo, true},
		{"secret needed for post", base + "&refresh_token=r", Options{Auth: oauth.AuthPost}, CodeSecretNeeded, finding.SeverityInfo, true},
		{"insecure transport", "curl http://tenant.auth0.com/delegation -d '" + base + "&refresh_token=r'", Options{}, CodeInsecureTransport, finding.SeverityError, true},
		{"other endpoint", "curl https://tenant.auth0.com/oauth/token -d 'grant_type=refresh_token'", Options{}, CodeNotDelegation, finding.SeverityError, false},
		{"implicit with offline_access", "https://tenant.auth0.com/authorize?response_type=id_token%20token&client_id=abc&scope=openid%20offline_access&redirect_uri=https%3A%2F%2Fapp", Options{}, CodeImplicitRefresh, finding.SeverityError, false},
		{"authorize code flow", "https://tenant.auth0.com/authorize?response_type=code&client_id=abc&scope=openid%20offline_access", Options{}, CodeNotDelegation, finding.SeverityError, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rewriteOne(t, c.input, c.opts)
			if sev, ok := codes(r)[c.code]; !ok || sev != c.sev || r.Migratable != c.migratable {
				t.Fatalf("findings %+v migratable=%v; want %s/%s migratable=%v", r.Findings, r.Migratable, c.sev, c.code, c.migratable)
			}
		})
	}
}

func TestLoopbackHTTPIsNotInsecureAndHTTPIsUpgradedOtherwise(t *testing.T) {
	t.Parallel()
	r := rewriteOne(t, "curl http://127.0.0.1:4000/delegation -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&refresh_token=r'", Options{})
	if _, bad := codes(r)[CodeInsecureTransport]; bad || r.Request.URL != "http://127.0.0.1:4000/oauth/token" {
		t.Fatalf("%+v %s", r.Findings, r.Request.URL)
	}
	r = rewriteOne(t, "curl http://tenant.auth0.com/delegation -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&refresh_token=r'", Options{})
	if r.Request.URL != "https://tenant.auth0.com/oauth/token" {
		t.Fatal(r.Request.URL)
	}
}

func TestClientAuthenticationMethods(t *testing.T) {
	t.Parallel()
	in := "curl https://t.auth0.com/delegation -u 'abc:s3cret' -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=r'"
	post := rewriteOne(t, in, Options{Auth: oauth.AuthPost})
	if v, _ := post.Request.Body.Get("client_secret"); v != "s3cret" || post.Request.ClientID != "abc" {
		t.Fatalf("post body %+v", post.Request.Body)
	}
	basic := rewriteOne(t, in, Options{Auth: oauth.AuthBasic})
	if _, inBody := basic.Request.Body.Get("client_secret"); inBody || basic.Request.Headers()[1].Value != basicHeader("abc", "s3cret") {
		t.Fatalf("basic %+v %+v", basic.Request.Body, basic.Request.Headers())
	}
	none := rewriteOne(t, in, Options{Auth: oauth.AuthNone})
	if _, inBody := none.Request.Body.Get("client_secret"); inBody || len(none.Request.Headers()) != 1 {
		t.Fatal("none must send no secret")
	}
}

func TestParseErrorsSayWhere(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ input, want string }{
		"bad json":         {"{\n  \"client_id\": \"a\",\n  oops\n}", "line 3"},
		"unclosed quote":   {"curl https://x/delegation -d 'grant_type=x", "single quote is never closed"},
		"curl no url":      {"curl -X POST", "no URL"},
		"curl @file":       {"curl https://x/delegation -d @body.json", "paste the file's content"},
		"http bad header":  {"POST /delegation HTTP/1.1\nHost x\n\n", "line 2"},
		"empty":            {"   ", "empty"},
		"nonsense":         {"hello there", "not a request"},
		"empty har":        {`{"log":{"entries":[]}}`, "no entries"},
		"json array item":  {"[\n{\"a\":1},\n2\n]", "item 2"},
		"header needs val": {"curl https://x/delegation -H", "-H needs a value"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(c.input))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestJSONArrayGivesOneRequestPerItemWithItsLine(t *testing.T) {
	t.Parallel()
	b, err := Parse([]byte("[\n " + legacyJSON + ",\n {\"grant_type\":\"urn:ietf:params:oauth:grant-type:jwt-bearer\",\"client_id\":\"b\",\"id_token\":\"x\"}\n]"))
	if err != nil {
		t.Fatal(err)
	}
	rs := RewriteAll(b, Options{})
	if len(rs) != 2 || !rs[0].Migratable || rs[1].Migratable || rs[1].Source.Location != "item 2 (line 9)" {
		t.Fatalf("%+v", rs)
	}
}

func TestCurlQuotingContinuationsAndFlagSpellings(t *testing.T) {
	t.Parallel()
	in := "curl --request=POST \\\n --url \"https://tenant.auth0.com/delegation\" \\\r\n --header \"Content-Type: application/x-www-form-urlencoded\" \\\n --data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer' \\\n --data client_id=abc --data $'refresh_token=it\\'s' -s --compressed"
	b, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	l := b.Requests[0]
	if l.Method != "POST" || l.URL != "https://tenant.auth0.com/delegation" || l.Encoding != EncodingForm {
		t.Fatalf("%+v", l)
	}
	if v, _ := l.Params.Get("refresh_token"); v != "it's" {
		t.Fatalf("refresh_token = %q", v)
	}
}

// TestAHARSkipsUnrelatedEntriesButNeverALegacyCallInDisguise: entries are
// skipped undecoded when they hold no legacy path word, so a /delegation
// URL written with JSON escapes or percent-encoding must still be found.
func TestAHARSkipsUnrelatedEntriesButNeverALegacyCallInDisguise(t *testing.T) {
	t.Parallel()
	entry := func(url string) string {
		return `{"request":{"method":"POST","url":"` + url + `","headers":[],"postData":{"mimeType":"application/json","text":"{\"client_id\":\"abc\",\"refresh_token\":\"v1.rt\",\"api_type\":\"app\"}"}},"response":{"status":200}}`
	}
	har := `{"log":{"entries":[` + strings.Join([]string{
		`{"request":{"method":"GET","url":"https://tenant.auth0.com/api/v2/users"},"response":{"status":200}}`,
		entry(`https:\/\/tenant.auth0.com\/delegation`),
		entry(`https://tenant.auth0.com/deleg%61tion`),
		entry(`https://tenant.auth0.com/\u0064elegation`),
		entry(`https://tenant.auth0.com/delegation`),
	}, ",") + `]}}`
	b, err := Parse([]byte(har))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Requests) != 4 || b.Skipped != 1 {
		t.Fatalf("%d legacy calls found, %d skipped; want 4 and 1", len(b.Requests), b.Skipped)
	}
	for _, r := range b.Requests {
		if v, _ := r.Params.Get("refresh_token"); v != "v1.rt" {
			t.Errorf("%s: refresh_token %q", r.Source.Location, v)
		}
	}
}
