// The Inspect screen's Verify tab: where the keys come from, the
// expectations, and one row a check.

package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

func (s *inspectScreen) onKeySourceChanged(src string) {
	var obj fyne.CanvasObject
	switch src {
	case keyPasted:
		obj = s.keyInput
	case keyHMAC:
		obj = s.secret
	case keyJWKSURL:
		obj = s.jwksURL
	case keyIssuer:
		obj = wrapLabel("Press Verify to fetch the issuer's /.well-known/openid-configuration and its JWKS. Type the issuer you trust below: keys found only through the token's own iss can never make it valid.")
	}
	s.keyBox.Objects = []fyne.CanvasObject{obj}
	s.keyBox.Refresh()
	s.clearChecks()
	s.verifyLocal()
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

func (s *inspectScreen) options() (tokens.Options, error) {
	leeway, err := parseLeeway(s.leeway.Text)
	if err != nil {
		return tokens.Options{}, fmt.Errorf("leeway: %v", err)
	}
	return tokens.Options{
		Now: s.svc.Now(), Leeway: leeway,
		Issuer: strings.TrimSpace(s.issuer.Text), Audience: strings.TrimSpace(s.audience.Text),
		ClientID: strings.TrimSpace(s.clientID.Text), Nonce: strings.TrimSpace(s.nonce.Text),
		AccessToken: strings.TrimSpace(s.accessToken.Text),
	}, nil
}

// verifyLocal re-runs the checks when the key is local (pasted or HMAC):
// no network, so it can follow every keystroke.
func (s *inspectScreen) verifyLocal() {
	if s.token == nil || s.token.Kind != tokens.KindJWS {
		return
	}
	var keys tokens.KeyProvider
	switch s.keySource.Selected {
	case keyPasted:
		if strings.TrimSpace(s.keyInput.Text) == "" {
			s.verdict.SetText("Paste the issuer's public key (JWK, JWKS or PEM) to verify the signature.")
			s.runChecks(nil)
			return
		}
		parsed, err := tokens.ParseKeys([]byte(s.keyInput.Text))
		if err != nil {
			s.verdict.Importance = widget.DangerImportance
			s.verdict.SetText("Key: " + err.Error() + ".")
			s.runChecks(nil)
			return
		}
		keys = tokens.StaticKeys(parsed)
	case keyHMAC:
		if s.secret.Text == "" {
			s.verdict.SetText("Type the HMAC secret to verify the signature.")
			s.runChecks(nil)
			return
		}
		keys = tokens.StaticKeys{tokens.HMACKey([]byte(s.secret.Text))}
	default:
		// Remote keys are fetched only when Verify is pressed; keys already
		// fetched for this source keep verifying while only the expected
		// values change.
		if s.remote.Keys != nil && s.remoteFor == s.remoteKeyFor() {
			s.runChecksWith(s.remote)
			return
		}
		s.runChecks(nil)
		if s.remote.Keys != nil {
			s.verdict.SetText("The key source changed: press Verify to fetch its keys.")
		}
		return
	}
	s.runChecks(keys)
}

// runChecksWith runs the checks with fetched keys, trusted or not.
func (s *inspectScreen) runChecksWith(ks workspace.KeySource) {
	o, err := s.options()
	if err != nil {
		s.verdict.Importance = widget.DangerImportance
		s.verdict.SetText(err.Error())
		return
	}
	o.Keys, o.UntrustedKeys = ks.Keys, ks.Untrusted
	s.showReport(tokens.Verify(context.Background(), s.token, o))
}

// runChecks runs the checks with keys the user gave (trusted).
func (s *inspectScreen) runChecks(keys tokens.KeyProvider) {
	s.runChecksWith(workspace.KeySource{Keys: keys})
}

// onVerify runs the checks, fetching remote keys off the UI goroutine.
func (s *inspectScreen) onVerify() {
	if s.token == nil || s.token.Kind != tokens.KindJWS {
		s.verdict.Importance = widget.WarningImportance
		s.verdict.SetText("Only a signed JWT can be verified: paste one first (decrypt a JWE to verify the JWT inside).")
		return
	}
	src := s.keySource.Selected
	if src == keyPasted || src == keyHMAC {
		s.verifyLocal()
		return
	}
	o, err := s.options()
	if err != nil {
		s.verdict.SetText(err.Error())
		return
	}
	if s.cancelNet != nil {
		s.cancelNet()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	s.cancelNet = cancel
	tok := s.token
	jwksURL := strings.TrimSpace(s.jwksURL.Text)
	fetchedFor := s.remoteKeyFor()
	s.verifyBtn.Disable()
	s.startBusy("Fetching keys…")
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		var ks workspace.KeySource
		var err error
		switch {
		case src == keyJWKSURL && jwksURL == "":
			err = fmt.Errorf("type the JWKS URL first")
		case src == keyJWKSURL:
			if _, err = httpx.CheckEndpointURL(jwksURL); err == nil {
				ks.Keys = discovery.NewKeySet(s.svc.HTTP, jwksURL)
			}
		case o.Issuer != "":
			// The issuer the user typed: its keys are trusted.
			ks, err = s.svc.IssuerKeys(ctx, o.Issuer)
		default:
			// Only the token's own iss: checked, never trusted.
			ks, err = s.svc.SelfNamedKeys(ctx, tok)
		}
		var report tokens.Report
		if err == nil {
			o.Keys, o.UntrustedKeys = ks.Keys, ks.Untrusted
			report = tokens.Verify(ctx, tok, o)
		}
		s.do(func() {
			s.verifyBtn.Enable()
			s.stopBusy()
			if tok != s.token {
				return
			}
			s.setStatus(s.decodedStatus(), widget.SuccessImportance)
			if err != nil {
				s.verdict.Importance = widget.DangerImportance
				s.verdict.SetText("Could not get the keys: " + safetext.Line(err.Error()))
				return
			}
			s.remote, s.remoteFor = ks, fetchedFor
			s.showReport(report)
		})
	}()
}

func (s *inspectScreen) clearChecks() {
	s.checks.RemoveAll()
	s.checkRows = map[string]*checkRow{}
	s.verdict.Importance = widget.MediumImportance
	switch {
	case s.token == nil:
		s.verdict.SetText("Paste a signed JWT to verify it.")
	case s.token.Kind == tokens.KindOpaque:
		s.verdict.SetText("An opaque token carries no signature here: only the server that issued it can check it (for an Auth0 access token, /userinfo).")
	case s.token.Kind == tokens.KindJWE:
		s.verdict.SetText("An encrypted token: decrypt it first, then the JWT inside can be verified.")
	default:
		s.verdict.SetText("Choose a key to verify the signature.")
	}
}

func (s *inspectScreen) showReport(r tokens.Report) {
	s.checks.RemoveAll()
	s.checkRows = map[string]*checkRow{}
	for _, c := range r.Checks {
		row := &checkRow{check: c, name: boldLabel(c.Name), detail: wrapLabel(windowWords(safetext.Block(c.Detail)))}
		switch c.Status {
		case tokens.Pass:
			row.icon = widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		case tokens.Fail:
			row.icon = widget.NewIcon(theme.NewErrorThemedResource(theme.CancelIcon()))
		default:
			row.icon = widget.NewIcon(theme.NewDisabledResource(theme.MediaStopIcon()))
		}
		s.checkRows[c.Name] = row
		s.checks.Add(border(nil, nil, container.NewHBox(row.icon, row.name), nil, row.detail))
	}
	sig, _ := r.Check("signature")
	switch {
	case r.Valid:
		s.verdict.Importance = widget.SuccessImportance
		s.verdict.SetText("Valid: the signature is verified and no check failed.")
	case onlyUntrusted(r):
		// Not a forgery, not proof either: the user has one field to fill.
		s.verdict.Importance = widget.WarningImportance
		s.verdict.SetText("The signature matches the keys of the issuer the token names itself, which proves nothing: type the issuer you trust in the Issuer field, then Verify.")
	case sig.Status == tokens.Skip:
		s.verdict.Importance = widget.WarningImportance
		s.verdict.SetText("Claims checked, signature not verified: give a key.")
	default:
		s.verdict.Importance = widget.DangerImportance
		s.verdict.SetText("Not valid: see the failed checks.")
	}
}

// onlyUntrusted reports whether the one failed check is a signature that
// matches keys found through the token's own iss.
func onlyUntrusted(r tokens.Report) bool {
	untrusted := false
	for _, c := range r.Checks {
		if c.Status != tokens.Fail {
			continue
		}
		if c.Name != "signature" || !strings.Contains(c.Detail, "signature matches, but") {
			return false
		}
		untrusted = true
	}
	return untrusted
}

// --- JWE ---
