// The Verify tab's form: where the keys come from (keyPanel) and what the
// token is expected to say (expectPanel).

package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// Key sources for verification.
const (
	keyPasted  = "Pasted key (JWK, JWKS or PEM)"
	keyHMAC    = "HMAC secret"
	keyJWKSURL = "JWKS URL"
	keyIssuer  = "Issuer discovery (from iss)"
)

// keyPanel is the key source: a choice, and under it the one field (or
// sentence) that choice needs.
type keyPanel struct {
	source *widget.Select
	// One of these is in box at a time, the one source needs.
	pasted, jwksURL, secret *widget.Entry
	issuerHint              *widget.Label
	box                     *fyne.Container
	items                   []*widget.FormItem
	// onKey is called on every keystroke in a key field, onSource when
	// another source is chosen.
	onKey, onSource func()
}

func newKeyPanel(onKey, onSource func()) *keyPanel {
	p := &keyPanel{onKey: onKey, onSource: onSource}
	p.pasted = widget.NewMultiLineEntry()
	p.pasted.SetPlaceHolder(`{"kty":"RSA","n":"…","e":"AQAB"} or -----BEGIN PUBLIC KEY-----`)
	p.pasted.SetMinRowsVisible(4)
	p.jwksURL = widget.NewEntry()
	p.jwksURL.SetPlaceHolder("https://tenant.auth0.com/.well-known/jwks.json")
	p.secret = widget.NewPasswordEntry()
	p.secret.SetPlaceHolder("shared secret for HS256/384/512")
	for _, e := range []*widget.Entry{p.pasted, p.jwksURL, p.secret} {
		e.OnChanged = func(string) { p.onKey() }
	}
	p.issuerHint = wrapLabel("Press Verify to fetch the issuer's /.well-known/openid-configuration and its JWKS. Type the issuer you trust below: keys found only through the token's own iss can never make it valid.")
	p.box = container.NewStack()
	p.source = widget.NewSelect([]string{keyPasted, keyHMAC, keyJWKSURL, keyIssuer}, nil)
	p.source.SetSelected(keyPasted)
	p.showField()
	p.source.OnChanged = func(string) { p.showField(); p.onSource() }
	p.items = []*widget.FormItem{widget.NewFormItem("Key", p.source), widget.NewFormItem("", p.box)}
	return p
}

// showField puts the chosen source's field in the box.
func (p *keyPanel) showField() {
	obj := map[string]fyne.CanvasObject{keyPasted: p.pasted, keyHMAC: p.secret, keyJWKSURL: p.jwksURL, keyIssuer: p.issuerHint}[p.source.Selected]
	p.box.Objects = []fyne.CanvasObject{obj}
	p.box.Refresh()
}

// choose selects a key source, as the user would.
func (p *keyPanel) choose(src string) { p.source.SetSelected(src) }

// local reports whether the chosen source needs no network (a pasted key
// or an HMAC secret), so the checks can follow every keystroke.
func (p *keyPanel) local() bool {
	return p.source.Selected == keyPasted || p.source.Selected == keyHMAC
}

// jwksMissing reports a JWKS URL source with no URL typed.
func (p *keyPanel) jwksMissing() bool {
	return p.source.Selected == keyJWKSURL && strings.TrimSpace(p.jwksURL.Text) == ""
}

// spec is the key source as the user gave it, with issuer (the Issuer
// field) for issuer discovery. A local source with nothing typed yet is
// the empty spec (no key).
func (p *keyPanel) spec(issuer string) workspace.KeySpec {
	switch p.source.Selected {
	case keyPasted:
		if strings.TrimSpace(p.pasted.Text) == "" {
			return workspace.KeySpec{}
		}
		return workspace.KeySpec{Key: []byte(p.pasted.Text)}
	case keyHMAC:
		return workspace.KeySpec{Secret: []byte(p.secret.Text)}
	case keyJWKSURL:
		return workspace.KeySpec{JWKS: strings.TrimSpace(p.jwksURL.Text)}
	}
	return workspace.KeySpec{Issuer: issuer}
}

// remoteFor names what remote keys are fetched for: the source, and the
// JWKS URL or the issuer typed (which decides whose keys, and whether
// they are trusted).
func (p *keyPanel) remoteFor(issuer string) string {
	switch src := p.source.Selected; src {
	case keyJWKSURL:
		return src + "|" + strings.TrimSpace(p.jwksURL.Text)
	case keyIssuer:
		return src + "|" + issuer
	}
	return ""
}

// expectPanel is what the token should say: issuer, audience, client,
// nonce, the access token issued with it, and the leeway on its times.
type expectPanel struct {
	svc                                                    *Services
	issuer, audience, clientID, nonce, accessToken, leeway *widget.Entry
	items                                                  []*widget.FormItem
	// issuerFromProfile is the Issuer expectIssuer filled in.
	issuerFromProfile string
}

func newExpectPanel(svc *Services, onChanged func()) *expectPanel {
	p := &expectPanel{svc: svc}
	p.issuer = widget.NewEntry()
	p.issuer.SetPlaceHolder("expected iss (optional)")
	p.audience = widget.NewEntry()
	p.audience.SetPlaceHolder("expected audience (optional)")
	p.clientID = widget.NewEntry()
	p.clientID.SetPlaceHolder("expected azp / client_id (optional)")
	p.nonce = widget.NewEntry()
	p.nonce.SetPlaceHolder("expected nonce (optional)")
	p.accessToken = widget.NewEntry()
	p.accessToken.SetPlaceHolder("access token issued with this ID token (checks at_hash)")
	p.leeway = widget.NewEntry()
	p.leeway.SetText("60s")
	p.leeway.Validator = func(v string) error { _, err := parseLeeway(v); return err }
	for _, e := range []*widget.Entry{p.issuer, p.audience, p.clientID, p.nonce, p.accessToken, p.leeway} {
		e.OnChanged = func(string) { onChanged() }
	}
	p.items = []*widget.FormItem{
		widget.NewFormItem("Issuer", p.issuer),
		widget.NewFormItem("Audience", p.audience),
		widget.NewFormItem("Client ID", p.clientID),
		widget.NewFormItem("Nonce", p.nonce),
		widget.NewFormItem("Access token", p.accessToken),
		widget.NewFormItem("Leeway", p.leeway),
	}
	return p
}

// issuerText is the issuer typed, trimmed ("" for none).
func (p *expectPanel) issuerText() string { return strings.TrimSpace(p.issuer.Text) }

// expectIssuer fills in a profile's issuer unless the user typed another,
// and reports whether it did.
func (p *expectPanel) expectIssuer(iss string) bool {
	if t := p.issuerText(); t != "" && t != p.issuerFromProfile {
		return false
	}
	p.issuerFromProfile = iss
	p.issuer.SetText(iss)
	return true
}

// leewayOrDefault is the leeway typed, or the default while it is not a
// duration.
func (p *expectPanel) leewayOrDefault() time.Duration {
	leeway, err := parseLeeway(p.leeway.Text)
	if err != nil {
		return tokens.DefaultLeeway
	}
	return leeway
}

// options are the checks' expectations as typed, at the screen's now.
func (p *expectPanel) options() (tokens.Options, error) {
	leeway, err := parseLeeway(p.leeway.Text)
	if err != nil {
		return tokens.Options{}, fmt.Errorf("leeway: %w", err)
	}
	return tokens.Options{
		Now: p.svc.Now(), Leeway: leeway,
		Issuer: p.issuerText(), Audience: strings.TrimSpace(p.audience.Text),
		ClientID: strings.TrimSpace(p.clientID.Text), Nonce: strings.TrimSpace(p.nonce.Text),
		AccessToken: strings.TrimSpace(p.accessToken.Text),
	}, nil
}

func parseLeeway(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, nil
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && secs >= 0 && fmt.Sprint(secs) == v {
		return time.Duration(secs) * time.Second, nil
	}
	return 0, fmt.Errorf("a duration such as 60s or 2m")
}
