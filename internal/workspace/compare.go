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
// the ID tokens they return. Both come as they go on the wire (migrate's
// Legacy.Wire and Request.Wire); an error answer to either is explained
// for the migrated request's client authentication. With mint (the demo
// tenant can mint), each leg gets a fresh refresh token of the migrated
// request's client, so the token in the input stays unspent and Send
// works right after Compare.
func CompareLegacy(ctx context.Context, hc *http.Client, legacy, migrated oauth.WireRequest, mint func(clientID string) (string, error)) (*Comparison, error) {
	if migrated.URL == "" {
		return nil, fmt.Errorf("the request is not migratable, so there is nothing to compare")
	}
	for _, u := range []string{legacy.URL, migrated.URL} {
		if _, err := httpx.CheckURL(u); err != nil {
			return nil, err
		}
	}
	if mint != nil {
		var err error
		if legacy, err = withFreshToken(legacy, migrated.ClientID, mint); err != nil {
			return nil, err
		}
		if migrated, err = withFreshToken(migrated, migrated.ClientID, mint); err != nil {
			return nil, err
		}
	}
	c := &Comparison{}
	c.Legacy = send(ctx, hc, legacy, migrated.Auth)
	c.New = Send(ctx, hc, migrated)
	c.Claims = tokens.CompareClaims(c.Legacy.Claims, c.New.Claims)
	return c, nil
}

// Send runs a request exactly as it goes on the wire (a migrated request:
// JSON stays JSON, form stays form), with its literal secrets.
func Send(ctx context.Context, hc *http.Client, r oauth.WireRequest) Sent {
	if _, err := httpx.CheckURL(r.URL); err != nil {
		return Sent{Err: err.Error()}
	}
	return send(ctx, hc, r, r.Auth)
}

// withFreshToken returns a copy of r whose refresh_token is a new one.
func withFreshToken(r oauth.WireRequest, clientID string, mint func(string) (string, error)) (oauth.WireRequest, error) {
	r.Params = append([]oauth.Param(nil), r.Params...)
	for i, p := range r.Params {
		if p.Name == "refresh_token" {
			rt, err := mint(clientID)
			if err != nil {
				return r, fmt.Errorf("minting a refresh token for the comparison: %w", err)
			}
			r.Params[i].Value = rt
		}
	}
	return r, nil
}

// send POSTs r; an error answer is explained for a request that
// authenticated with auth.
func send(ctx context.Context, hc *http.Client, r oauth.WireRequest, auth oauth.AuthMethod) Sent {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, strings.NewReader(r.Body()))
	if err != nil {
		return Sent{Err: err.Error()}
	}
	req.Header.Set("Content-Type", r.ContentType())
	if r.BasicUser != "" {
		req.SetBasicAuth(r.BasicUser, r.BasicPassword)
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
