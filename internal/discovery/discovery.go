// Package discovery reads OpenID Provider metadata and keeps an issuer's
// JSON Web Key Set, following internal/httpx's network rules.
package discovery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"golang.org/x/sync/singleflight"
)

// Metadata is the part of /.well-known/openid-configuration Tokenscope uses.
type Metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint,omitempty"`
	JWKSURI                           string   `json:"jwks_uri"`
	RevocationEndpoint                string   `json:"revocation_endpoint,omitempty"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint,omitempty"`
	GrantTypesSupported               []string `json:"grant_types_supported,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	ScopesSupported                   []string `json:"scopes_supported,omitempty"`
}

// IssuerURL turns what a person types into an issuer URL: an Auth0 domain
// such as tenant.eu.auth0.com becomes https://tenant.eu.auth0.com/.
func IssuerURL(domainOrIssuer string) string {
	s := strings.TrimSpace(domainOrIssuer)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	if !strings.HasSuffix(s, "/") && strings.Count(s, "/") == 2 {
		s += "/"
	}
	return s
}

// Discover fetches issuer's metadata and checks that it names the same
// issuer, as OpenID Connect Discovery requires.
func Discover(ctx context.Context, client *http.Client, issuer string) (*Metadata, error) {
	issuer = IssuerURL(issuer)
	if _, err := httpx.CheckURL(issuer); err != nil {
		return nil, err
	}
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	var m Metadata
	if err := getJSON(ctx, client, u, &m); err != nil {
		return nil, err
	}
	if m.Issuer != issuer && m.Issuer != strings.TrimSuffix(issuer, "/") {
		return nil, fmt.Errorf("%s names issuer %q, not %q: check the domain (Auth0 issuers end with a slash)", u, m.Issuer, issuer)
	}
	if m.TokenEndpoint == "" || m.JWKSURI == "" {
		return nil, fmt.Errorf("%s has no token_endpoint or jwks_uri: is this an OpenID provider?", u)
	}
	if err := m.checkEndpoints(); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return &m, nil
}

// checkEndpoints holds every endpoint the document names to the rule the
// refresh path keeps (httpx.CheckEndpointURL: https, or http to loopback;
// no user info, fragment or secret in the query) before anything is sent
// to one: a document naming http://tokens.example.test/token would
// otherwise receive the client secret, the code and the PKCE verifier in
// clear. One bad endpoint refuses the whole document: a provider that
// names one is misconfigured or hostile.
func (m *Metadata) checkEndpoints() error {
	for _, e := range []struct{ name, url string }{
		{"token_endpoint", m.TokenEndpoint}, {"jwks_uri", m.JWKSURI}, {"authorization_endpoint", m.AuthorizationEndpoint},
		{"device_authorization_endpoint", m.DeviceAuthorizationEndpoint}, {"userinfo_endpoint", m.UserinfoEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint},
	} {
		if e.url == "" {
			continue
		}
		if _, err := httpx.CheckEndpointURL(e.url); err != nil {
			return fmt.Errorf("its %s is refused (%w): nothing is sent to a provider that names it; fix the provider's configuration", e.name, err)
		}
	}
	return nil
}

func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	if _, err := httpx.CheckURL(u); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("could not reach %s: %s", u, httpx.Describe(err))
	}
	defer resp.Body.Close()
	body, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	if err != nil {
		return fmt.Errorf("reading %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s: check the URL", u, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s did not return JSON: %w", u, err)
	}
	return nil
}

// KeySet is a remote JWKS, cached by kid. A kid it does not know triggers
// one refetch (keys rotate); concurrent fetches are collapsed into one.
// It is safe for concurrent use.
type KeySet struct {
	client *http.Client
	url    string
	// MinRefresh stops a stream of unknown kids from hammering the server.
	MinRefresh time.Duration
	now        func() time.Time

	mu      sync.Mutex
	keys    []tokens.Key
	fetched time.Time
	group   singleflight.Group
}

// NewKeySet returns a key set for a JWKS URL.
func NewKeySet(client *http.Client, jwksURL string) *KeySet {
	return &KeySet{client: client, url: jwksURL, MinRefresh: 10 * time.Second, now: time.Now}
}

// Keys implements tokens.KeyProvider.
func (s *KeySet) Keys(ctx context.Context, kid string) ([]tokens.Key, error) {
	s.mu.Lock()
	keys, fetched := s.keys, s.fetched
	s.mu.Unlock()
	if keys != nil && (kid == "" || hasKID(keys, kid)) {
		return tokens.SelectByKID(keys, kid), nil
	}
	if keys != nil && s.now().Sub(fetched) < s.MinRefresh {
		return tokens.SelectByKID(keys, kid), nil
	}
	v, err, _ := s.group.Do("fetch", func() (any, error) { return s.fetch(ctx) })
	if err != nil {
		return nil, err
	}
	return tokens.SelectByKID(v.([]tokens.Key), kid), nil
}

func (s *KeySet) fetch(ctx context.Context) ([]tokens.Key, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	if _, err := httpx.CheckEndpointURL(s.url); err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not reach the JWKS at %s: %s", s.url, httpx.Describe(err))
	}
	defer resp.Body.Close()
	body, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("reading the JWKS at %s: %w", s.url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the JWKS at %s answered %s", s.url, resp.Status)
	}
	keys, err := tokens.ParseKeys(body)
	if err != nil {
		return nil, fmt.Errorf("the JWKS at %s: %w", s.url, err)
	}
	s.mu.Lock()
	s.keys, s.fetched = keys, s.now()
	s.mu.Unlock()
	return keys, nil
}

func hasKID(keys []tokens.Key, kid string) bool {
	for _, k := range keys {
		if k.KeyID == kid {
			return true
		}
	}
	return false
}

// IssuerKeys discovers issuer's jwks_uri and returns its key set.
func IssuerKeys(ctx context.Context, client *http.Client, issuer string) (*KeySet, error) {
	m, err := Discover(ctx, client, issuer)
	if err != nil {
		return nil, err
	}
	return NewKeySet(client, m.JWKSURI), nil
}
