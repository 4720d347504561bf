package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/migrate"
)

// Sent is one request's answer in a comparison.
type Sent struct {
	Status int
	Fields map[string]any // the JSON response
	Claims map[string]any // the ID token's claims, decoded (not verified)
	Err    string         // what went wrong, when it did
}

// Comparison is a legacy /delegation call and its migrated /oauth/token
// request, both sent, with the claims of their ID tokens side by side.
type Comparison struct {
	Legacy, New Sent
	Claims      []tokens.ClaimDiff
}

// CompareLegacy sends the legacy request first (the migrated one may
// rotate the refresh token both carry), then the new one, and compares
// the ID tokens they return. With mint (the demo tenant can mint), each
// leg gets a fresh refresh token of the same client, so the token in the
// input stays unspent and Send works right after Compare.
func CompareLegacy(ctx context.Context, hc *http.Client, legacy migrate.Legacy, migrated *migrate.Request, mint func(clientID string) (string, error)) (*Comparison, error) {
	if migrated == nil {
		return nil, fmt.Errorf("the request is not migratable, so there is nothing to compare")
	}
	for _, u := range []string{legacy.URL, migrated.URL} {
		if _, err := httpx.CheckURL(u); err != nil {
			return nil, err
		}
	}
	if mint != nil {
		var err error
		if legacy.Params, err = withFreshToken(legacy.Params, migrated.ClientID, mint); err != nil {
			return nil, err
		}
		m := *migrated
		if m.Body, err = withFreshToken(m.Body, migrated.ClientID, mint); err != nil {
			return nil, err
		}
		migrated = &m
	}
	c := &Comparison{}
	c.Legacy = send(ctx, hc, legacy.URL, legacyBody(legacy), contentType(legacy.Encoding), legacy.BasicUser, legacy.BasicPassword, migrated.Auth)
	c.New = Send(ctx, hc, migrated)
	c.Claims = tokens.CompareClaims(c.Legacy.Claims, c.New.Claims)
	return c, nil
}

// Send runs a migrated request exactly as rendered (JSON stays JSON, form
// stays form), with its literal secrets.
func Send(ctx context.Context, hc *http.Client, migrated *migrate.Request) Sent {
	if _, err := httpx.CheckURL(migrated.URL); err != nil {
		return Sent{Err: err.Error()}
	}
	body := migrated.BodyForm()
	if migrated.Encoding != migrate.EncodingForm {
		body = string(migrated.BodyJSON(false))
	}
	user, pass := "", ""
	if migrated.Auth == oauth.AuthBasic {
		user, pass = migrated.ClientID, migrated.ClientSecret
	}
	return send(ctx, hc, migrated.URL, body, migrated.ContentType(), user, pass, migrated.Auth)
}

// withFreshToken returns a copy of ps whose refresh_token is a new one.
func withFreshToken(ps migrate.Params, clientID string, mint func(string) (string, error)) (migrate.Params, error) {
	out := append(migrate.Params{}, ps...)
	for i, p := range out {
		if p.Name == "refresh_token" {
			rt, err := mint(clientID)
			if err != nil {
				return nil, fmt.Errorf("minting a refresh token for the comparison: %w", err)
			}
			out[i].Value = rt
		}
	}
	return out, nil
}

func contentType(e migrate.Encoding) string {
	if e == migrate.EncodingForm {
		return "application/x-www-form-urlencoded"
	}
	return "application/json"
}

func legacyBody(l migrate.Legacy) string {
	r := migrate.Request{Body: l.Params, Encoding: l.Encoding}
	if l.Encoding == migrate.EncodingForm {
		return r.BodyForm()
	}
	return string(r.BodyJSON(false))
}

func send(ctx context.Context, hc *http.Client, url, body, ct, user, pass string, auth oauth.AuthMethod) Sent {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return Sent{Err: err.Error()}
	}
	req.Header.Set("Content-Type", ct)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Sent{Err: err.Error()}
	}
	defer resp.Body.Close()
	b, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	s := Sent{Status: resp.StatusCode}
	if err != nil {
		s.Err = err.Error()
		return s
	}
	if json.Unmarshal(b, &s.Fields) != nil {
		s.Err = "the response is not JSON: " + strings.TrimSpace(string(b))
		return s
	}
	if e, _ := s.Fields["error"].(string); e != "" {
		d, _ := s.Fields["error_description"].(string)
		s.Err = e + ": " + d
		if hint := exchange.Explain(resp.StatusCode, e, d, resp.Header, auth); hint != "" {
			s.Err += " — " + hint
		}
	}
	if id, _ := s.Fields["id_token"].(string); id != "" {
		if tok, err := tokens.DecodeStrict(id, time.Now()); err == nil {
			s.Claims = tok.ClaimsMap()
		}
	}
	return s
}
