package ui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// clock is a settable time source shared by a test and the screen.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func auth0Claims() map[string]any {
	return map[string]any{
		"iss": "https://tenant.eu.auth0.com/", "sub": "auth0|42",
		"aud": "https://api.example.com", "iat": t0.Unix(), "exp": t0.Add(250 * time.Second).Unix(),
		"scope": "openid read:orders", "gty": "refresh_token",
	}
}

// --- reading the Inspect screen as a user sees it ---

// tab brings the tab titled title to the front, as a click on it does.
func (h *harness) tab(t *testing.T, title string) {
	t.Helper()
	for i, item := range h.s.tabs.Items {
		if item.Text == title {
			h.s.tabs.SelectIndex(i)
			return
		}
	}
	t.Fatalf("no tab %q", title)
}

// tokenField is the Inspect screen's token field, found on screen.
func tokenField(t *testing.T, w fyne.Window) *tokenEntry {
	t.Helper()
	for _, s := range onscreen.Objects(w) {
		if e, ok := s.Object.(*tokenEntry); ok {
			return e
		}
	}
	t.Fatalf("no token field on screen:\n%s", onscreen.Texts(w))
	return nil
}

// chooseKeySource picks src in the Verify tab's Key choice, as a user does.
func chooseKeySource(t *testing.T, w fyne.Window, src string) {
	t.Helper()
	onscreen.Select(t, w, src).SetSelected(src)
}

// row is what a row of the Claims, Header or Verify tab shows: the texts
// of the labels after its bold name (value, times, explanation; or a
// check's detail), and its Copy button when it has one. nil when no row
// of that name is on screen.
func row(w fyne.Window, name string) (texts []string, copyBtn *widget.Button) {
	shown := onscreen.Objects(w)
	for i, s := range shown {
		if l, ok := s.Object.(*widget.Label); !ok || l.Text != name || !l.TextStyle.Bold {
			continue
		}
		texts = []string{}
		for _, next := range shown[i+1:] {
			switch o := next.Object.(type) {
			case *widget.Label:
				texts = append(texts, o.Text)
				continue
			case *widget.Button:
				copyBtn = o
			}
			break
		}
		return texts, copyBtn
	}
	return nil, nil
}

// rowSays reports whether the row named name is on screen and one of its
// texts contains text.
func rowSays(w fyne.Window, name, text string) bool {
	texts, _ := row(w, name)
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, text) })
}

func TestPastingATokenShowsItsClaimsWithExplanationsAndLiveTimes(t *testing.T) {
	h := newTestInspector(t)
	w, c := h.win, h.clock
	tok := testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", auth0Claims())
	h.typeToken("Bearer " + tok)

	if !onscreen.Shows(w, "Decoded a signed JWT (JWS, RS256)") {
		t.Fatalf("no status:\n%s", onscreen.Texts(w))
	}
	if sub, _ := row(w, "sub"); len(sub) < 2 || sub[0] != "auth0|42" || !strings.Contains(sub[len(sub)-1], "Subject") {
		t.Fatalf("the sub row shows %q", sub)
	}
	if !rowSays(w, "gty", "Auth0 grant type") {
		t.Fatal("gty is not explained")
	}
	if !rowSays(w, "exp", "expires in 4m 10s") || !rowSays(w, "exp", "2026-11-26 12:04:10 UTC") {
		t.Fatalf("exp shows %q", first(row(w, "exp")))
	}
	c.Set(t0.Add(10 * time.Minute))
	h.s.refreshTimes() // the window's ticker does it every second
	if l := onscreen.Label(w, "expired 5m 50s ago"); l == nil || l.Importance != widget.DangerImportance || !rowSays(w, "exp", "expired 5m 50s ago") {
		t.Fatalf("after 10 minutes exp shows %q", first(row(w, "exp")))
	}
	if !onscreen.Shows(w, `The "Bearer " prefix was removed`) {
		t.Fatalf("the screen does not say the Bearer prefix was stripped:\n%s", onscreen.Texts(w))
	}
	var parts *widget.RichText
	for _, s := range onscreen.Text(w, strings.Split(tok, ".")[0]) {
		if r, ok := s.Object.(*widget.RichText); ok {
			parts = r
		}
	}
	if parts == nil || len(parts.Segments) != 5 { // header . payload . signature
		t.Fatalf("want 3 coloured segments and 2 dots on screen:\n%s", onscreen.Texts(w))
	}
}

func first(texts []string, _ *widget.Button) []string { return texts }

func TestMalformedInputNamesTheFailingSegment(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	h.typeToken(testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", auth0Claims()))
	test.Tap(onscreen.Button(t, w, "Clear"))
	h.typeToken("eyJhbGciOiJIUzI1NiJ9.e!30.c2ln")
	if l := onscreen.Label(w, "payload (segment 2) is not base64url"); l == nil || l.Importance != widget.DangerImportance {
		t.Fatalf("the status line:\n%s", onscreen.Texts(w))
	}
	if onscreen.Shows(w, "auth0|42") || !onscreen.Shows(w, "Paste a token above") {
		t.Fatalf("claims from an earlier token are still shown:\n%s", onscreen.Texts(w))
	}
}

func TestPastingAKeyTurnsTheCheckRows(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	k := testop.RSAKey()
	h.typeToken(testop.Sign(t, jose.RS256, k, "k1", auth0Claims()))
	h.tab(t, "Verify")
	if !rowSays(w, "signature", "not checked") {
		t.Fatalf("before a key:\n%s", onscreen.Texts(w))
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	key := onscreen.Entry(t, w, `{"kty":"RSA"`)
	key.SetText(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	if !rowSays(w, "signature", "RS256 signature verified") {
		t.Fatalf("after the key: %q", first(row(w, "signature")))
	}
	if l := onscreen.Label(w, "Valid: the signature is verified"); l == nil || l.Importance != widget.SuccessImportance {
		t.Fatalf("the verdict:\n%s", onscreen.Texts(w))
	}
	test.Type(onscreen.Entry(t, w, "expected audience"), "https://other.example.com")
	if !rowSays(w, "aud", "does not include") {
		t.Fatalf("aud: %q", first(row(w, "aud")))
	}
	if l := onscreen.Label(w, "Not valid: see the failed checks."); l == nil || l.Importance != widget.DangerImportance || onscreen.Shows(w, "Valid: the signature") {
		t.Fatalf("the verdict:\n%s", onscreen.Texts(w))
	}

	// A key that does not parse: the verdict says what is wrong with it,
	// and the claims are still checked.
	key.SetText("-----BEGIN PUBLIC KEY-----")
	if l := onscreen.Label(w, "Key: "); l == nil || l.Importance != widget.DangerImportance || !rowSays(w, "signature", "not checked") || !rowSays(w, "aud", "does not include") {
		t.Fatalf("a key that does not parse:\n%s", onscreen.Texts(w))
	}

	// A different key: the signature row fails.
	_, other := ecdsaKeyPEM(t)
	key.SetText(other)
	if !rowSays(w, "signature", "is an EC P-256 key, not an RSA key") {
		t.Fatalf("wrong key: %q", first(row(w, "signature")))
	}
}

func ecdsaKeyPEM(t *testing.T) (*ecdsa.PrivateKey, string) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	return k, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestHMACSecretAndLeewayAreApplied(t *testing.T) {
	h := newTestInspector(t)
	w, c := h.win, h.clock
	h.typeToken(testop.Sign(t, jose.HS256, []byte("a-long-shared-secret-of-32-bytes!"), "k1", auth0Claims()))
	h.tab(t, "Verify")
	chooseKeySource(t, w, keyHMAC)
	test.Type(onscreen.Entry(t, w, "shared secret"), "a-long-shared-secret-of-32-bytes!")
	if !rowSays(w, "signature", "HS256 signature verified") {
		t.Fatalf("signature: %q", first(row(w, "signature")))
	}
	c.Set(t0.Add(250*time.Second + 30*time.Second)) // 30 s past exp
	leeway := onscreen.Entry(t, w, "60s")
	leeway.SetText("45s")
	if !rowSays(w, "exp", "expired 30s ago but within the leeway 45s") {
		t.Fatalf("within the leeway: %q", first(row(w, "exp")))
	}
	leeway.SetText("10s")
	if rowSays(w, "exp", "within") || !rowSays(w, "exp", "leeway 10s") || !onscreen.Shows(w, "Not valid") {
		t.Fatalf("past the leeway: %q", first(row(w, "exp")))
	}
}

func TestCopyButtonsCopyTheClaimValueAndTheClaimsJSON(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	h.typeToken(testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", auth0Claims()))
	_, copyScope := row(w, "scope")
	if copyScope == nil {
		t.Fatalf("the scope row has no Copy button:\n%s", onscreen.Texts(w))
	}
	test.Tap(copyScope)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "openid read:orders" {
		t.Fatalf("clipboard = %q", got)
	}
	test.Tap(onscreen.Button(t, w, "Copy claims JSON"))
	var m map[string]any
	if err := json.Unmarshal([]byte(fyne.CurrentApp().Clipboard().Content()), &m); err != nil || m["sub"] != "auth0|42" {
		t.Fatalf("claims JSON = %v %v", m, err)
	}
	h.tab(t, "Header")
	test.Tap(onscreen.Button(t, w, "Copy header JSON"))
	if err := json.Unmarshal([]byte(fyne.CurrentApp().Clipboard().Content()), &m); err != nil || m["alg"] != "RS256" {
		t.Fatalf("header JSON = %v %v", m, err)
	}
}

func TestAFiveMegabytePasteStaysOutOfTheFieldAndDecodes(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	claims := auth0Claims()
	claims["blob"] = strings.Repeat("x", 3<<20)
	big := testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", claims)
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent(big)
	field := tokenField(t, w)
	field.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if !field.Disabled() || !strings.Contains(field.Text, "MB pasted") {
		t.Fatalf("the field holds %d characters", len(field.Text))
	}
	h.settle()
	blob, _ := row(w, "blob")
	if !onscreen.Shows(w, "Decoded a signed JWT") || len(blob) == 0 {
		t.Fatalf("the screen shows:\n%.2000s", onscreen.Texts(w))
	}
	if n := len(blob[0]); n > maxValueShown+100 {
		t.Fatalf("a %d-character value was put in a label", n)
	}
	test.Tap(onscreen.Button(t, w, "Clear"))
	if field.Disabled() || field.Text != "" || onscreen.Shows(w, "blob") || !onscreen.Shows(w, "Paste a token above") {
		t.Fatalf("Clear did not reset the screen:\n%.2000s", onscreen.Texts(w))
	}
}

func TestOpaqueTokenIsExplained(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	h.typeToken("9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1")
	if !onscreen.Shows(w, "Decoded an opaque token.") || !onscreen.Shows(w, "This is an opaque token: it carries no readable claims") || !onscreen.Shows(w, "An opaque token has no claims to show") {
		t.Fatalf("the screen shows:\n%s", onscreen.Texts(w))
	}
	h.tab(t, "Verify")
	if !onscreen.Shows(w, "An opaque token carries no signature here") {
		t.Fatalf("the Verify tab shows:\n%s", onscreen.Texts(w))
	}
}

func TestDecryptingAJWEShowsTheNestedClaims(t *testing.T) {
	h := newTestInspector(t)
	w := h.win
	k := testop.RSAKey()
	inner := testop.Sign(t, jose.RS256, k, "k1", auth0Claims())
	enc, _ := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: &k.PublicKey}, (&jose.EncrypterOptions{}).WithContentType("JWT"))
	obj, _ := enc.Encrypt([]byte(inner))
	compact, _ := obj.CompactSerialize()
	h.typeToken(compact)
	if !onscreen.Shows(w, "The claims are encrypted") || onscreen.Shows(w, "auth0|42") {
		t.Fatalf("a JWE should offer decryption and show no claims yet:\n%s", onscreen.Texts(w))
	}
	key := onscreen.Entry(t, w, "recipient's private key")
	key.SetText("not a key")
	test.Tap(onscreen.Button(t, w, "Decrypt"))
	if l := onscreen.Label(w, "Key: "); l == nil || l.Importance != widget.DangerImportance {
		t.Fatalf("a key that does not parse:\n%s", onscreen.Texts(w))
	}
	key.SetText(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})))
	test.Tap(onscreen.Button(t, w, "Decrypt"))
	if !onscreen.Shows(w, "auth0|42") || !onscreen.Shows(w, "decrypted: showing a signed JWT (JWS) inside") {
		t.Fatalf("after decrypting:\n%s", onscreen.Texts(w))
	}
	if slices.ContainsFunc(onscreen.Text(w, "Decrypt"), func(s onscreen.Seen) bool { _, b := s.Object.(*widget.Button); return b }) {
		t.Fatalf("the decrypt card is still offered:\n%s", onscreen.Texts(w))
	}
	h.tab(t, "Verify")
	if !rowSays(w, "signature", "not checked") {
		t.Fatalf("the JWT inside is not the one verified:\n%s", onscreen.Texts(w))
	}
}
