package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// RefreshOutput is the --json contract of `tokenscope refresh`.
type RefreshOutput struct {
	Status        int            `json:"status"`
	TokenEndpoint string         `json:"token_endpoint"`
	Response      map[string]any `json:"response"`
	Rotated       bool           `json:"rotated"`
	Stored        bool           `json:"stored"`
	Error         *RefreshError  `json:"error"`
}

// RefreshError explains a failed refresh.
type RefreshError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Hint        string `json:"hint"`
}

func runRefresh(env Env, args []string) int {
	fs := newFlagSet(env, "refresh")
	var (
		profile   = fs.String("profile", "", "a saved profile: its client, endpoints and keyring secrets")
		issuer    = fs.String("issuer", "", "issuer URL; the token endpoint comes from its discovery document")
		tokenURL  = fs.String("token-url", "", "the token endpoint itself")
		clientID  = fs.String("client-id", "", "client ID (required without --profile)")
		auth      = fs.String("auth", "", "client authentication: none, post or basic (default: the profile's, or none)")
		secretEnv = fs.String("client-secret-env", "", "environment variable holding the client secret")
		rtEnv     = fs.String("refresh-token-env", "", "environment variable holding the refresh token (without it and --profile, standard input)")
		audience  = fs.String("audience", "", "audience to request")
		scope     = fs.String("scope", "", "scope to request (a refresh can only narrow it)")
		reveal    = fs.Bool("reveal", false, "show the refresh token in the output instead of masking it")
		asJSON    = fs.Bool("json", false, "print the documented JSON object instead of text")
		params    = paramFlags{}
	)
	fs.Var(params, "param", "extra token-request parameter KEY=VALUE (repeatable), e.g. resource=https://api")
	if _, err := parseFlags(fs, args); err != nil {
		return ExitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if n := btoi(set["profile"]) + btoi(set["issuer"]) + btoi(set["token-url"]); n != 1 {
		return fail(env, "refresh", ExitUsage, "give exactly one of --profile, --issuer and --token-url")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*httpx.DefaultTimeout)
	defer cancel()

	var p profiles.Profile
	r := exchange.Request{ClientID: *clientID, Audience: *audience, Scope: *scope, Params: map[string]string{}, Auth: exchange.AuthNone}
	key := "cli"
	if *profile != "" {
		var err error
		if p, err = env.Profiles.Get(*profile); err != nil {
			return fail(env, "refresh", ExitUsage, "%v", err)
		}
		key = p.Name
		r.ClientID, r.Auth, r.Audience, r.Scope = p.ClientID, exchange.Auth(p.Auth), p.Audience, p.Scope
		for k, v := range p.Params {
			r.Params[k] = v
		}
		if set["client-id"] {
			r.ClientID = *clientID
		}
		if set["audience"] {
			r.Audience = *audience
		}
		if set["scope"] {
			r.Scope = *scope
		}
	}
	for k, v := range params {
		r.Params[k] = v
	}
	if set["auth"] {
		am, err := exchange.ParseAuth(*auth)
		if err != nil {
			return fail(env, "refresh", ExitUsage, "--auth: %v", err)
		}
		r.Auth = am
	}

	// Secrets: an environment variable named by a flag, else the keyring
	// (with --profile), else standard input for the refresh token.
	var err error
	if r.ClientSecret, err = secretFrom(env, *secretEnv, p.Name, secrets.ClientSecret); err != nil {
		return fail(env, "refresh", ExitUsage, "%v", err)
	}
	if r.RefreshToken, err = secretFrom(env, *rtEnv, p.Name, secrets.RefreshToken); err != nil {
		return fail(env, "refresh", ExitUsage, "%v", err)
	}
	if r.RefreshToken == "" && p.Name == "" && *rtEnv == "" {
		in, err := readInput(env, nil, "refresh token")
		if err != nil {
			return fail(env, "refresh", ExitUsage, "%v (or name a variable with --refresh-token-env)", err)
		}
		r.RefreshToken = strings.TrimSpace(in)
	}
	if r.RefreshToken == "" && p.Name != "" {
		return fail(env, "refresh", ExitUsage, "profile %s has no refresh token in the keyring: store one with 'tokenscope profile add %s ... --refresh-token-env VAR' or give --refresh-token-env", p.Name, p.Name)
	}

	switch {
	case *tokenURL != "":
		r.TokenURL = *tokenURL
	case *issuer != "":
		m, err := discovery.Discover(ctx, httpx.NewClient(httpx.DefaultTimeout), *issuer)
		if err != nil {
			return fail(env, "refresh", ExitUsage, "discovering %s: %v", *issuer, err)
		}
		r.TokenURL = m.TokenEndpoint
	default:
		if r.TokenURL, err = profileTokenEndpoint(ctx, env, &p); err != nil {
			return fail(env, "refresh", ExitUsage, "%v", err)
		}
	}
	if err := r.Validate(); err != nil {
		return fail(env, "refresh", ExitUsage, "%v", err)
	}

	var store func(string) error
	if p.Name != "" && *rtEnv == "" {
		store = func(tok string) error { return env.Secrets.Set(p.Name, secrets.RefreshToken, tok) }
	}
	start := time.Now()
	resp, err := exchange.NewClient().Refresh(ctx, key, r, store)
	if h := env.history(); h != nil {
		_ = h.Add(exchange.EntryFor(key, r.TokenURL, start, resp, err))
	}
	out := RefreshOutput{TokenEndpoint: r.TokenURL}
	var xe *exchange.Error
	switch {
	case errors.As(err, &xe):
		out.Status = xe.Status
		code := xe.Code
		if code == "" && xe.Status == 0 {
			code = "network"
		}
		out.Error = &RefreshError{Code: code, Description: firstNonEmpty(xe.Description, xe.Body, errString(xe.Cause)), Hint: xe.Hint}
	case err != nil:
		return fail(env, "refresh", ExitUsage, "%v", err)
	default:
		out.Status, out.Rotated, out.Stored = resp.Status, resp.Rotated, resp.Stored
		out.Response = resp.Fields
		if rt, ok := out.Response["refresh_token"].(string); ok && !*reveal && !(resp.Rotated && !resp.Stored) {
			out.Response["refresh_token"] = secrets.Mask(rt)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		printRefresh(env, out, resp, p.Name)
	}
	if resp != nil && resp.Rotated && !resp.Stored {
		why := "no profile to store it in"
		if resp.StoreErr != nil {
			why = resp.StoreErr.Error()
		}
		fmt.Fprintf(env.Stderr, "WARNING: the refresh token rotated and the new one could not be stored (%s). The old one no longer works; the new one is in the output above and is the only copy: save it now.\n", why)
	}
	if out.Error != nil {
		return ExitNegative
	}
	return ExitOK
}

// profileTokenEndpoint returns the cached token endpoint, discovering and
// caching it on first use.
func profileTokenEndpoint(ctx context.Context, env Env, p *profiles.Profile) (string, error) {
	if p.Endpoints != nil && p.Endpoints.Token != "" {
		return p.Endpoints.Token, nil
	}
	m, err := discovery.Discover(ctx, httpx.NewClient(httpx.DefaultTimeout), p.Issuer)
	if err != nil {
		return "", fmt.Errorf("discovering the endpoints of profile %s: %v", p.Name, err)
	}
	p.Endpoints = &profiles.Endpoints{Token: m.TokenEndpoint, JWKS: m.JWKSURI, Userinfo: m.UserinfoEndpoint, DiscoveredAt: time.Now().UTC()}
	_ = env.Profiles.Put(*p) // a cache: failing to save it costs one more discovery
	return m.TokenEndpoint, nil
}

// secretFrom reads a secret from the named environment variable, or the
// profile's keyring entry; "" when neither has one.
func secretFrom(env Env, envVar, profile, kind string) (string, error) {
	if envVar != "" {
		v := env.Getenv(envVar)
		if v == "" {
			return "", fmt.Errorf("%s is empty or unset", envVar)
		}
		return v, nil
	}
	if profile == "" {
		return "", nil
	}
	v, err := env.Secrets.Get(profile, kind)
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	return v, err
}

func printRefresh(env Env, out RefreshOutput, resp *exchange.Response, profile string) {
	if out.Error != nil {
		status := "no response"
		if out.Status != 0 {
			status = fmt.Sprintf("HTTP %d", out.Status)
		}
		fmt.Fprintf(env.Stdout, "Refresh failed at %s (%s): %s\n", out.TokenEndpoint, status, out.Error.Code)
		if out.Error.Description != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", out.Error.Description)
		}
		if out.Error.Hint != "" {
			fmt.Fprintf(env.Stdout, "  What it means: %s.\n", out.Error.Hint)
		}
		return
	}
	fmt.Fprintf(env.Stdout, "Refreshed at %s (HTTP %d, %d ms).\n", out.TokenEndpoint, out.Status, resp.Duration.Milliseconds())
	keys := make([]string, 0, len(out.Response))
	for k := range out.Response {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(env.Stdout, "%s: %v\n", k, out.Response[k])
	}
	if !resp.Expiry.IsZero() {
		fmt.Fprintf(env.Stdout, "The access token expires at %s.\n", resp.Expiry.UTC().Format(time.RFC3339))
	}
	if resp.Rotated && resp.Stored {
		fmt.Fprintf(env.Stdout, "The refresh token rotated; the new one replaced the old in the OS keyring for profile %s.\n", profile)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// history is history.json beside the profiles file.
func (e Env) history() *exchange.History {
	if e.Profiles == nil || e.Profiles.Path == "" {
		return nil
	}
	return &exchange.History{Path: filepath.Join(filepath.Dir(e.Profiles.Path), "history.json")}
}
