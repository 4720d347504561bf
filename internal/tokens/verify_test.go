package tokens

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/testop"
)

func claimsAt(n time.Time) map[string]any {
	return map[string]any{
		"iss": "https://tenant.eu.auth0.com/", "sub": "auth0|42", "aud": []string{"https://api.example.com", "https://tenant.eu.auth0.com/userinfo"},
		"azp": "client-1", "iat": n.Unix(), "exp": n.Add(10 * time.Minute).Unix(), "nonce": "n-0S6",
	}
}

func TestVerifyRunsEveryCheckAndShowsEachResult(t *testing.T) {
	t.Parallel()
	rk := testop.RSAKey()
	tok, err := Decode(testop.Sign(t, jose.RS256, rk, "k1", claimsAt(now)), now)
	if err != nil {
		t.Fatal(err)
	}
	keys := mustKeys(t, jwkJSON(t, &rk.PublicKey, "k1"))
	r := Verify(context.Background(), tok, Options{Keys: keys, Now: now, Leeway: DefaultLeeway,
		Issuer: "https://tenant.eu.auth0.com", Audience: "https://api.example.com", ClientID: "client-1", Nonce: "n-0S6"})
	want := map[string]Status{"signature": Pass, "exp": Pass, "nbf": Skip, "iat": Pass, "iss": Fail, "aud": Pass, "azp": Pass, "nonce": Pass}
	for name, st := range want {
		c, ok := r.Check(name)
		if !ok || c.Status != st {
			t.Errorf("%s: got %+v, want %s", name, c, st)
		}
	}
	if c, _ := r.Check("iss"); !strings.Contains(c.Detail, "trailing slash") {
		t.Errorf("iss detail should explain the trailing slash: %q", c.Detail)
	}
	if r.Valid {
		t.Error("a failed iss check must make the token invalid")
	}
}

func TestHMACWithAPublicKeyIsRefusedAsKeyConfusion(t *testing.T) {
	t.Parallel()
	rk := testop.RSAKey()
	pubDER, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	// The attacker signs with the PEM text of the public key as HMAC secret.
	forged := testop.Sign(t, jose.HS256, pubPEM, "", claimsAt(now))
	tok, err := Decode(forged, now)
	if err != nil {
		t.Fatal(err)
	}
	r := Verify(context.Background(), tok, Options{Keys: mustKeys(t, string(pubPEM)), Now: now})
	sig, _ := r.Check("signature")
	if r.Valid || sig.Status != Fail || !strings.Contains(sig.Detail, "key-confusion") {
		t.Fatalf("got %+v", sig)
	}
}

func TestVerifyPicksTheKeyByKidAndExplainsMismatches(t *testing.T) {
	t.Parallel()
	rk, ek := testop.RSAKey(), testop.ECKey()
	jwks := `{"keys":[` + jwkJSON(t, &ek.PublicKey, "ec") + "," + jwkJSON(t, &rk.PublicKey, "rsa") + `]}`
	cases := []struct {
		name, token string
		want        Status
		detail      string
	}{
		{"RS256 by kid", testop.Sign(t, jose.RS256, rk, "rsa", claimsAt(now)), Pass, "kid \"rsa\""},
		{"ES256 by kid", testop.Sign(t, jose.ES256, ek, "ec", claimsAt(now)), Pass, "EC P-256"},
		{"ES256 no kid", testop.Sign(t, jose.ES256, ek, "", claimsAt(now)), Pass, "EC P-256"},
		{"ES384 needs P-384", testop.Sign(t, jose.ES256, ek, "ec", claimsAt(now))[0:0] + b64(`{"alg":"ES384","kid":"ec"}`) + ".e30.c2ln", Fail, "P-384"},
		{"altered payload", alterPayload(testop.Sign(t, jose.RS256, rk, "rsa", claimsAt(now))), Fail, "does not match"},
		{"alg not allowed", b64(`{"alg":"HS1"}`) + ".e30.c2ln", Fail, "allow-list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Decode(c.token, now)
			if err != nil {
				t.Fatal(err)
			}
			sig, _ := Verify(context.Background(), tok, Options{Keys: mustKeys(t, jwks), Now: now}).Check("signature")
			if sig.Status != c.want || !strings.Contains(sig.Detail, c.detail) {
				t.Fatalf("got %+v; want %s mentioning %q", sig, c.want, c.detail)
			}
		})
	}
}

func alterPayload(tok string) string {
	p := strings.Split(tok, ".")
	p[1] = b64(`{"sub":"admin"}`)
	return strings.Join(p, ".")
}

func TestWithoutAKeyTheSignatureIsNotCheckedAndTheTokenIsNotValid(t *testing.T) {
	t.Parallel()
	rk := testop.RSAKey()
	tok, _ := Decode(testop.Sign(t, jose.RS256, rk, "k1", claimsAt(now)), now)
	r := Verify(context.Background(), tok, Options{Now: now})
	sig, _ := r.Check("signature")
	if r.Valid || sig.Status != Skip {
		t.Fatalf("valid=%v sig=%+v", r.Valid, sig)
	}
}

func TestAtHashBindsTheIDTokenToItsAccessToken(t *testing.T) {
	t.Parallel()
	rk := testop.RSAKey()
	// OpenID Connect Core's example: at_hash of this access token is 77QmUPtjPfzWtF2AnpK9RQ.
	const access = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
	if got, _ := AtHash("RS256", access); got != "77QmUPtjPfzWtF2AnpK9RQ" {
		t.Fatalf("AtHash = %s", got)
	}
	c := claimsAt(now)
	c["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ"
	tok, _ := Decode(testop.Sign(t, jose.RS256, rk, "k1", c), now)
	keys := mustKeys(t, jwkJSON(t, &rk.PublicKey, "k1"))
	if at, _ := Verify(context.Background(), tok, Options{Keys: keys, Now: now, AccessToken: access}).Check("at_hash"); at.Status != Pass {
		t.Fatalf("at_hash = %+v", at)
	}
	if at, _ := Verify(context.Background(), tok, Options{Keys: keys, Now: now, AccessToken: "other"}).Check("at_hash"); at.Status != Fail {
		t.Fatalf("a different access token must fail at_hash: %+v", at)
	}
}

func TestMultipleAudiencesWithoutAzpFail(t *testing.T) {
	t.Parallel()
	c := claimsAt(now)
	delete(c, "azp")
	rk := testop.RSAKey()
	tok, _ := Decode(testop.Sign(t, jose.RS256, rk, "", c), now)
	if azp, _ := Verify(context.Background(), tok, Options{Now: now}).Check("azp"); azp.Status != Fail {
		t.Fatalf("azp = %+v", azp)
	}
}

func TestKeysFromPEMCertificatePrivateKeyAndErrors(t *testing.T) {
	t.Parallel()
	rk, ek := testop.RSAKey(), testop.ECKey()
	der, _ := x509.MarshalPKCS8PrivateKey(ek)
	pkcs8 := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}))
	for name, in := range map[string]string{"pkcs8 ec": pkcs8, "pkcs1 rsa": pkcs1} {
		keys, err := ParseKeys([]byte(in))
		if err != nil || len(keys) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
	}
	tok, _ := Decode(testop.Sign(t, jose.ES256, ek, "", claimsAt(now)), now)
	if sig, _ := Verify(context.Background(), tok, Options{Keys: mustKeys(t, pkcs8), Now: now}).Check("signature"); sig.Status != Pass {
		t.Fatalf("a private key's public half should verify: %+v", sig)
	}
	bad := map[string]string{
		"empty":       "",
		"garbage":     "hello",
		"bad json":    "{nope",
		"no kty":      `{"x":1}`,
		"empty jwks":  `{"keys":[]}`,
		"broken pem":  "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
		"unknown pem": "-----BEGIN FOO-----\nAAAA\n-----END FOO-----",
	}
	for name, in := range bad {
		if _, err := ParseKeys([]byte(in)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestDecryptOpensAJWEAndShowsTheNestedJWT(t *testing.T) {
	t.Parallel()
	rk := testop.RSAKey()
	inner := testop.Sign(t, jose.RS256, rk, "k1", claimsAt(now))
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: &rk.PublicKey}, (&jose.EncrypterOptions{}).WithContentType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := enc.Encrypt([]byte(inner))
	compact, _ := obj.CompactSerialize()
	tok, err := Decode(compact, now)
	if err != nil || tok.Kind != KindJWE || !hasFinding(tok, CodeNestedJWT, finding.SeverityInfo) {
		t.Fatalf("decode: %v %+v", err, tok)
	}
	priv := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}))
	nested, err := Decrypt(tok, mustKeys(t, priv), now)
	if err != nil {
		t.Fatal(err)
	}
	if nested.Kind != KindJWS || nested.Raw != inner {
		t.Fatalf("nested = %+v", nested)
	}
	ek := testop.ECKey()
	der, _ := x509.MarshalPKCS8PrivateKey(ek)
	wrong := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if _, err := Decrypt(tok, mustKeys(t, wrong), now); err == nil || !strings.Contains(err.Error(), "no key decrypts") {
		t.Fatalf("wrong key: %v", err)
	}
}

// A key of the wrong kind is named once: no "HMAC secret is a HMAC secret
// (6 bytes) key".
func TestAWrongKeyIsNamedInPlainWords(t *testing.T) {
	t.Parallel()
	k := HMACKey([]byte("secret"))
	err := k.fits("RS256")
	if err == nil || err.Error() != "the token says RS256 but the HMAC secret (6 bytes) is a shared secret, not an RSA key" {
		t.Fatalf("%v", err)
	}
}

// TestAudiencesReadsAStringOrTheStringsOfAnArray: other elements are
// skipped, escapes decoded, nesting passed over.
func TestAudiencesReadsAStringOrTheStringsOfAnArray(t *testing.T) {
	t.Parallel()
	for payload, want := range map[string]string{
		`{"aud":"https://api"}`:                                 "https://api",
		`{"aud":["a", 1, {"x":["b"]}, "c\u00e9\"", null, "d"]}`: `a|cé"|d`,
		`{"aud":[]}`:                  "",
		`{"aud":7}`:                   "",
		`{"aud":"x","aud":["y","z"]}`: "y|z",
	} {
		fields, err := parseObject([]byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		tok := &Token{Claims: fields}
		if got := strings.Join(tok.Audiences(), "|"); got != want {
			t.Errorf("%s: got %q, want %q", payload, got, want)
		}
	}
}
