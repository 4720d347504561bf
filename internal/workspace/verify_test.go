package workspace

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// Verify is the one verification both front ends run: the key spec the
// user gave (a secret, a key, a JWKS URL, an issuer), the checks, and one
// verdict sentence.
func TestVerifyTakesOneKeySourceAndGivesOneVerdict(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	claims := map[string]any{"iss": "https://tenant.example.com/", "sub": "auth0|dana", "aud": "api", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
	secret := []byte("a-shared-hmac-secret-of-32-bytes!")
	raw := testop.Sign(t, jose.HS256, secret, "", claims)
	tok, err := tokens.Decode(raw, now)
	if err != nil {
		t.Fatal(err)
	}
	w := &Workspace{HTTP: httpx.NewClient(time.Second)}
	ctx := context.Background()
	opts := tokens.Options{Now: now, Audience: "api"}

	rep, err := w.Verify(ctx, tok, KeySpec{Secret: secret}, opts)
	if out, sentence := Verdict(rep); err != nil || out != Valid || !strings.HasPrefix(sentence, "Valid:") {
		t.Fatalf("the right secret: %v %v %q", err, out, sentence)
	}
	rep, _ = w.Verify(ctx, tok, KeySpec{Secret: []byte("another secret, also 32 bytes!!!")}, opts)
	if out, sentence := Verdict(rep); out != Invalid || !strings.HasPrefix(sentence, "Not valid") {
		t.Fatalf("a wrong secret: %v %q", out, sentence)
	}
	rep = Check(ctx, tok, KeySource{}, opts)
	if out, _ := Verdict(rep); out != Unsigned {
		t.Fatalf("no key: %v", out)
	}
	rep = Check(ctx, tok, KeySource{Keys: tokens.StaticKeys{tokens.HMACKey(secret)}, Untrusted: "the key came from the token's own iss"}, opts)
	if out, sentence := Verdict(rep); out != SelfVouched || !strings.Contains(sentence, "proves nothing") {
		t.Fatalf("keys the token names itself: %v %q", out, sentence)
	}

	if _, err := w.Verify(ctx, tok, KeySpec{Secret: secret, JWKS: "https://tenant.example.com/.well-known/jwks.json"}, opts); !errors.Is(err, ErrOneKeySource) {
		t.Fatalf("two key sources: %v", err)
	}
	if _, err := w.Verify(ctx, tok, KeySpec{JWKS: "http://tenant.example.com/jwks.json"}, opts); !errors.Is(err, httpx.ErrRefusedURL) {
		t.Fatalf("a JWKS over plain http to another host must be refused before any request: %v", err)
	}
	_, err = w.Verify(ctx, tok, KeySpec{Key: []byte("not a key"), KeyFrom: "key.pem"}, opts)
	if err == nil || !strings.HasPrefix(err.Error(), "key.pem: ") {
		t.Fatalf("a bad key file is named: %v", err)
	}
	opaque, _ := tokens.Decode("an-opaque-access-token", now)
	if _, err := w.Verify(ctx, opaque, KeySpec{Secret: secret}, opts); !errors.Is(err, ErrNotSigned) {
		t.Fatalf("an opaque token: %v", err)
	}
}
