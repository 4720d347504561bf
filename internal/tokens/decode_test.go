package tokens

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/finding"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecodeShowsAnAuth0AccessTokensClaimsInOrderWithTimes(t *testing.T) {
	t.Parallel()
	payload := `{"iss":"https://tenant.eu.auth0.com/","sub":"auth0|42","aud":["https://api.example.com","https://tenant.eu.auth0.com/userinfo"],"iat":1795262400,"exp":1795262650,"azp":"abc","scope":"openid profile read:orders","gty":"refresh_token","permissions":["read:orders"],"https://example.com/roles":["admin"]}`
	tok, err := Decode(b64(`{"alg":"RS256","typ":"JWT","kid":"k1"}`)+"."+b64(payload)+".c2ln", time.Unix(1795262400, 0))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Kind != KindJWS {
		t.Fatalf("kind = %s", tok.Kind)
	}
	var names []string
	for _, c := range tok.Claims {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "iss,sub,aud,iat,exp,azp,scope,gty,permissions,https://example.com/roles" {
		t.Fatalf("claim order = %s", got)
	}
	if got := tok.Times()["exp"].Format(time.RFC3339); got != "2026-11-21T12:04:10Z" {
		t.Fatalf("exp = %s", got)
	}
	if got := ExpiryPhrase(tok.Times()["exp"], time.Unix(1795262400, 0)); got != "expires in 4m 10s" {
		t.Fatalf("phrase = %q", got)
	}
	if !strings.Contains(ExplainClaim("gty"), "grant type") || !strings.Contains(ExplainClaim("https://example.com/roles"), "Namespaced") || !strings.Contains(ExplainClaim("favourite_colour"), "non-namespaced") {
		t.Fatal("explanations missing for Auth0 claims")
	}
	if got := tok.Audiences(); len(got) != 2 {
		t.Fatalf("audiences = %v", got)
	}
}

func TestDecodeStripsWhatPeoplePasteAroundATokenAndSaysSo(t *testing.T) {
	t.Parallel()
	tok, err := Decode("  Authorization: Bearer \"eyJhbGciOiJIUzI1NiJ9.\n  eyJzdWIiOiJ4In0.\r\n  c2ln\" \n", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{CodePrefixStripped, CodeQuotesStripped, CodeWhitespaceRemoved} {
		if !hasFinding(tok, code, finding.SeverityInfo) {
			t.Errorf("missing %s finding: %+v", code, tok.Findings)
		}
	}
	if sub, _ := tok.ClaimString("sub"); sub != "x" {
		t.Fatalf("sub = %q", sub)
	}
}

func TestDecodeNamesTheFailingPartOfMalformedInput(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("a", MaxTokenSize+1)
	cases := []struct {
		name, input, wantPart, wantText string
	}{
		{"empty", "", "input", "empty"},
		{"whitespace", " \n\t ", "input", "empty"},
		{"binary junk", "\x00\xff\xfe\x01", "input", "not text"},
		{"not base64 header", "e!J.eyJ9.c2ln", "header (segment 1)", "not base64url"},
		{"header not JSON", b64("hello") + ".e30.c2ln", "header (segment 1)", "not JSON"},
		{"header JSON array", b64("[1]") + ".e30.c2ln", "header (segment 1)", "not an object"},
		{"standard base64 payload", b64(`{"alg":"HS256"}`) + ".ab+/.c2ln", "payload (segment 2)", "URL-safe"},
		{"padded signature", b64(`{"alg":"HS256"}`) + ".e30.c2ln=", "signature (segment 3)", "padding"},
		{"four segments", "eyJh.eyJ9.c2ln.x", "input", "4 dot-separated segments"},
		{"two segments", "eyJhbGciOiJIUzI1NiJ9.eyJ9", "input", "2 dot-separated segments"},
		{"jwe bad iv", b64(`{"alg":"dir","enc":"A256GCM"}`) + "..!!.Y3Q.dGFn", "initialization vector (segment 3)", "not base64url"},
		{"spaces and symbols", "hello world, this is not a token!", "input", "is not a token"},
		{"over the size limit", huge, "input", "MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.input, now)
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("want a DecodeError, got %v", err)
			}
			if de.Part != c.wantPart || !strings.Contains(de.Error(), c.wantText) {
				t.Fatalf("got part %q: %v; want part %q mentioning %q", de.Part, de, c.wantPart, c.wantText)
			}
		})
	}
}

func TestDecodeDescribesOddButWellFormedTokens(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, token string
		kind        Kind
		code        string
		sev         finding.Severity
	}{
		{"opaque Auth0 access token", "9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1", KindOpaque, CodeOpaqueToken, finding.SeverityInfo},
		{"payload not JSON", b64(`{"alg":"HS256"}`) + "." + b64("just text") + ".c2ln", KindJWS, CodePayloadNotJSON, finding.SeverityInfo},
		{"payload JSON but not an object", b64(`{"alg":"HS256"}`) + "." + b64("[1,2]") + ".c2ln", KindJWS, CodeClaimsNotObject, finding.SeverityWarning},
		{"expired", b64(`{"alg":"HS256"}`) + "." + b64(`{"exp":1700000000}`) + ".c2ln", KindJWS, CodeExpired, finding.SeverityWarning},
		{"not yet valid", b64(`{"alg":"HS256"}`) + "." + b64(`{"nbf":1900000000}`) + ".c2ln", KindJWS, CodeNotYetValid, finding.SeverityWarning},
		{"issued in future", b64(`{"alg":"HS256"}`) + "." + b64(`{"iat":1900000000}`) + ".c2ln", KindJWS, CodeIssuedInFuture, finding.SeverityWarning},
		{"huge exp", b64(`{"alg":"HS256"}`) + "." + b64(`{"exp":1e400}`) + ".c2ln", KindJWS, CodeTimeOutOfRange, finding.SeverityError},
		{"exp as string", b64(`{"alg":"HS256"}`) + "." + b64(`{"exp":"tomorrow"}`) + ".c2ln", KindJWS, CodeTimeNotNumeric, finding.SeverityError},
		{"duplicate claim", b64(`{"alg":"HS256"}`) + "." + b64(`{"sub":"alice","sub":"mallory"}`) + ".c2ln", KindJWS, CodeDuplicateClaim, finding.SeverityError},
		{"duplicate header", b64(`{"alg":"RS256","alg":"none"}`) + ".e30.c2ln", KindJWS, CodeDuplicateHeader, finding.SeverityError},
		{"no alg", b64(`{"typ":"JWT"}`) + ".e30.c2ln", KindJWS, CodeAlgMissing, finding.SeverityError},
		{"unsigned", b64(`{"alg":"RS256"}`) + ".e30.", KindJWS, CodeEmptySignature, finding.SeverityError},
		{"encrypted", b64(`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"}`) + ".a2V5.aXY.Y3Q.dGFn", KindJWE, CodeEncryptedToken, finding.SeverityInfo},
		{"nested", b64(`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"}`) + ".a2V5.aXY.Y3Q.dGFn", KindJWE, CodeNestedJWT, finding.SeverityInfo},
		{"Auth0 opaque JWE", b64(`{"alg":"dir","enc":"A256GCM","iss":"https://tenant.auth0.com/"}`) + "..aXY.Y3Q.dGFn", KindJWE, CodeAuth0OpaqueToken, finding.SeverityInfo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Decode(c.token, now)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Kind != c.kind || !hasFinding(tok, c.code, c.sev) {
				t.Fatalf("kind %s findings %+v; want kind %s and %s/%s", tok.Kind, tok.Findings, c.kind, c.sev, c.code)
			}
		})
	}
}

func TestDuplicateClaimKeepsTheLastValueLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	tok, err := Decode(b64(`{"alg":"HS256"}`)+"."+b64(`{"sub":"alice","sub":"mallory"}`)+".c2ln", now)
	if err != nil {
		t.Fatal(err)
	}
	if sub, _ := tok.ClaimString("sub"); sub != "mallory" {
		t.Fatalf("sub = %q", sub)
	}
	if len(tok.Claims) != 2 {
		t.Fatalf("both members should be listed, got %d", len(tok.Claims))
	}
}

func TestEscapedAndNestedClaimValuesDecode(t *testing.T) {
	t.Parallel()
	tok, err := Decode(b64(`{"alg":"HS256"}`)+"."+b64(`{"n\u00e4me":"a\"b\/c","address":{"country":"FR"},"ok":true,"none":null,"n":-1.5e3}`)+".c2ln", now)
	if err != nil {
		t.Fatal(err)
	}
	m := tok.ClaimsMap()
	if m["näme"] != `a"b/c` || m["ok"] != true || m["none"] != nil {
		t.Fatalf("claims = %#v", m)
	}
	if addr, ok := m["address"].(map[string]any); !ok || addr["country"] != "FR" {
		t.Fatalf("address = %#v", m["address"])
	}
}

func TestDurationAndRelativePhrases(t *testing.T) {
	t.Parallel()
	cases := map[time.Duration]string{
		0:                           "0s",
		250 * time.Second:           "4m 10s",
		3*time.Hour + 2*time.Minute: "3h 2m",
		3 * time.Hour:               "3h",
		26 * time.Hour:              "1d 2h",
		400 * 24 * time.Hour:        "1y 35d",
	}
	for d, want := range cases {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := ExpiryPhrase(now.Add(-3*time.Hour), now); got != "expired 3h ago" {
		t.Errorf("got %q", got)
	}
}

func nestedToken(depth int) string {
	enc := base64.RawURLEncoding.EncodeToString
	payload := `{"sub":"a","deep":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig"))
}

// A payload nested deeper than MaxNesting is a finding and text, never
// claims; one level less is expanded as usual.
func TestDeepNestingIsReportedNotExpanded(t *testing.T) {
	t.Parallel()
	// The top-level object is level 1, so MaxNesting-1 arrays fit.
	ok, err := Decode(nestedToken(MaxNesting-1), time.Now())
	if err != nil || ok.Claims == nil || ok.PayloadText != "" {
		t.Fatalf("at the limit: %v %+v", err, ok.Findings)
	}
	deep, err := Decode(nestedToken(5000), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if deep.Claims != nil || !strings.HasPrefix(deep.PayloadText, `{"sub":"a","deep":[[[`) {
		t.Fatalf("claims %v text %.40q", deep.Claims, deep.PayloadText)
	}
	found := false
	for _, f := range deep.Findings {
		found = found || f.Code == CodeDeepNesting && f.Severity == finding.SeverityError
	}
	if !found {
		t.Fatalf("findings %+v", deep.Findings)
	}
}
