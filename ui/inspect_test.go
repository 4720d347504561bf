package ui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/go-jose/go-jose/v4"
)

// clock is a settable time source shared by a test and the screen.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var (
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

func testRSAKey() *rsa.PrivateKey {
	keyOnce.Do(func() { rsaKey, _ = rsa.GenerateKey(rand.Reader, 2048) })
	return rsaKey
}

func signToken(t *testing.T, key any, alg jose.SignatureAlgorithm, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	obj, _ := s.Sign(b)
	out, _ := obj.CompactSerialize()
	return out
}

func auth0Claims() map[string]any {
	return map[string]any{
		"iss": "https://tenant.eu.auth0.com/", "sub": "auth0|42",
		"aud": "https://api.example.com", "iat": t0.Unix(), "exp": t0.Add(250 * time.Second).Unix(),
		"scope": "openid read:orders", "gty": "refresh_token",
	}
}

func TestPastingATokenShowsItsClaimsWithExplanationsAndLiveTimes(t *testing.T) {
	h := newTestInspector(t)
	s, c := h.s, h.clock
	h.typeToken("Bearer " + signToken(t, testRSAKey(), jose.RS256, auth0Claims()))

	if !strings.HasPrefix(s.status.Text, "Decoded a signed JWT (JWS, RS256)") {
		t.Fatalf("status = %q", s.status.Text)
	}
	sub := s.claimRows["sub"]
	if sub == nil || sub.value.Text != "auth0|42" || !strings.Contains(sub.explain.Text, "Subject") {
		t.Fatalf("sub row = %+v", sub)
	}
	if gty := s.claimRows["gty"]; gty == nil || !strings.Contains(gty.explain.Text, "Auth0 grant type") {
		t.Fatal("gty is not explained")
	}
	exp := s.claimRows["exp"]
	if !strings.Contains(exp.when.Text, "expires in 4m 10s") || !strings.Contains(exp.when.Text, "2026-11-26 12:04:10 UTC") {
		t.Fatalf("exp shows %q", exp.when.Text)
	}
	c.Set(t0.Add(10 * time.Minute))
	s.refreshTimes()
	if !strings.Contains(exp.when.Text, "expired 5m 50s ago") || exp.when.Importance != widget.DangerImportance {
		t.Fatalf("after 10 minutes exp shows %q", exp.when.Text)
	}
	if !findingShown(s, "Bearer") {
		t.Fatal("the screen does not say the Bearer prefix was stripped")
	}
	if len(s.segments.Segments) != 5 { // header . payload . signature
		t.Fatalf("want 3 coloured segments and 2 dots, got %d", len(s.segments.Segments))
	}
}

func findingShown(s *inspectScreen, substr string) bool {
	for _, o := range s.findings.Objects {
		for _, l := range test.LaidOutObjects(o) {
			if lbl, ok := l.(*widget.Label); ok && strings.Contains(lbl.Text, substr) {
				return true
			}
		}
	}
	return false
}

func TestMalformedInputNamesTheFailingSegment(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	h.typeToken("eyJhbGciOiJIUzI1NiJ9.e!30.c2ln")
	if !strings.Contains(s.status.Text, "payload (segment 2) is not base64url") || s.status.Importance != widget.DangerImportance {
		t.Fatalf("status = %q", s.status.Text)
	}
	if len(s.claimRows) != 0 {
		t.Fatal("claims from an earlier token are still shown")
	}
}

func TestPastingAKeyTurnsTheCheckRows(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	k := testRSAKey()
	h.typeToken(signToken(t, k, jose.RS256, auth0Claims()))
	if row := s.checkRows["signature"]; row == nil || !strings.Contains(row.detail.Text, "not checked") {
		t.Fatalf("before a key: %+v", row)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	s.keyInput.SetText(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	if row := s.checkRows["signature"]; row.check.OK != true || !strings.Contains(row.detail.Text, "RS256 signature verified") {
		t.Fatalf("after the key: %+v", row.check)
	}
	if !strings.HasPrefix(s.verdict.Text, "Valid") {
		t.Fatalf("verdict = %q", s.verdict.Text)
	}
	test.Type(s.audience, "https://other.example.com")
	if row := s.checkRows["aud"]; row.check.OK || !strings.Contains(row.detail.Text, "does not include") {
		t.Fatalf("aud = %+v", row.check)
	}
	if !strings.HasPrefix(s.verdict.Text, "Not valid") {
		t.Fatalf("verdict = %q", s.verdict.Text)
	}

	// A different key: the signature row fails.
	_, other := ecdsaKeyPEM(t)
	s.keyInput.SetText(other)
	if row := s.checkRows["signature"]; row.check.OK || !strings.Contains(row.detail.Text, "is an EC P-256 key, not an RSA key") {
		t.Fatalf("wrong key: %+v", row.check)
	}
}

func ecdsaKeyPEM(t *testing.T) (*ecdsa.PrivateKey, string) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	return k, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestHMACSecretAndLeewayAreApplied(t *testing.T) {
	h := newTestInspector(t)
	s, c := h.s, h.clock
	h.typeToken(signToken(t, []byte("a-long-shared-secret-of-32-bytes!"), jose.HS256, auth0Claims()))
	s.keySource.SetSelected(keyHMAC)
	test.Type(s.secret, "a-long-shared-secret-of-32-bytes!")
	if row := s.checkRows["signature"]; !row.check.OK {
		t.Fatalf("signature = %+v", row.check)
	}
	c.Set(t0.Add(250*time.Second + 30*time.Second)) // 30 s past exp
	s.leeway.SetText("60s")
	if row := s.checkRows["exp"]; !row.check.OK {
		t.Fatalf("within the leeway: %+v", row.check)
	}
	s.leeway.SetText("10s")
	if row := s.checkRows["exp"]; row.check.OK || !strings.Contains(row.detail.Text, "leeway 10s") {
		t.Fatalf("past the leeway: %+v", row.check)
	}
}

func TestCopyButtonsCopyTheClaimValueAndTheClaimsJSON(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	h.typeToken(signToken(t, testRSAKey(), jose.RS256, auth0Claims()))
	test.Tap(s.claimRows["scope"].copy)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "openid read:orders" {
		t.Fatalf("clipboard = %q", got)
	}
	test.Tap(s.copyClm)
	var m map[string]any
	if err := json.Unmarshal([]byte(fyne.CurrentApp().Clipboard().Content()), &m); err != nil || m["sub"] != "auth0|42" {
		t.Fatalf("claims JSON = %v %v", m, err)
	}
}

func TestAFiveMegabytePasteStaysOutOfTheFieldAndDecodes(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	claims := auth0Claims()
	claims["blob"] = strings.Repeat("x", 3<<20)
	big := signToken(t, testRSAKey(), jose.RS256, claims)
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent(big)
	s.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if !s.input.Disabled() || !strings.Contains(s.input.Text, "MB pasted") {
		t.Fatalf("the field holds %d characters", len(s.input.Text))
	}
	h.settle()
	if !strings.HasPrefix(s.status.Text, "Decoded") || s.claimRows["blob"] == nil {
		t.Fatalf("status = %q", s.status.Text)
	}
	if n := len(s.claimRows["blob"].value.Text); n > maxValueShown+100 {
		t.Fatalf("a %d-character value was put in a label", n)
	}
	test.Tap(s.clearBtn)
	if s.input.Disabled() || s.input.Text != "" || len(s.claimRows) != 0 {
		t.Fatal("Clear did not reset the screen")
	}
}

func TestOpaqueTokenIsExplained(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	h.typeToken("9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1")
	if !strings.Contains(s.status.Text, "opaque") || !findingShown(s, "audience") {
		t.Fatalf("status %q", s.status.Text)
	}
}

func TestDecryptingAJWEShowsTheNestedClaims(t *testing.T) {
	h := newTestInspector(t)
	s := h.s
	k := testRSAKey()
	inner := signToken(t, k, jose.RS256, auth0Claims())
	enc, _ := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: &k.PublicKey}, (&jose.EncrypterOptions{}).WithContentType("JWT"))
	obj, _ := enc.Encrypt([]byte(inner))
	compact, _ := obj.CompactSerialize()
	h.typeToken(compact)
	if s.decryptCard.Hidden || len(s.claimRows) != 0 {
		t.Fatal("a JWE should offer decryption and show no claims yet")
	}
	s.decryptKey.SetText(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})))
	test.Tap(s.decryptBtn)
	if s.claimRows["sub"] == nil || !strings.Contains(s.status.Text, "decrypted") {
		t.Fatalf("after decrypting: status %q", s.status.Text)
	}
}
