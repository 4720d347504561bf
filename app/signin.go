package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// runLogin signs in: the browser and a loopback redirect, or the device
// grant. Its --json output has refresh's shape.
func runLogin(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile   = fs.String("profile", "", "the profile to sign in with (its refresh token is stored in the keyring)")
		scope     = fs.String("scope", "", "scope to ask for (default: the profile's, or "+workspace.DefaultLoginScope+")")
		audience  = fs.String("audience", "", "API audience (default: the profile's)")
		prompt    = fs.String("prompt", "", "prompt: none, login, consent or select_account")
		org       = fs.String("organization", "", "Auth0 organization ID or name")
		conn      = fs.String("connection", "", "connection to sign in with")
		hint      = fs.String("login-hint", "", "login_hint (a username or email to pre-fill)")
		maxAge    = fs.Int("max-age", -1, "max_age in seconds (re-authenticate when the session is older)")
		redirect  = fs.String("redirect-uri", "", "loopback redirect URI to listen on (default: the profile's, or a free port)")
		device    = fs.Bool("device", false, "use the device grant: show a code to approve on another device")
		noBrowser = fs.Bool("no-browser", false, "print the URL on stderr instead of opening the browser")
		timeout   = fs.Duration("timeout", workspace.DefaultLoginTimeout, "how long to wait for the browser or the device approval")
		reveal    = fs.Bool("reveal", false, "show the refresh token instead of masking it")
		asJSON    = fs.Bool("json", false, "print the JSON object refresh prints")
		params    = paramFlags{}
	)
	fs.Var(params, "param", "extra authorization parameter KEY=VALUE (repeatable)")
	return func(pos []string) int {
		if *profile == "" {
			return fail(env, "login", ExitUsage, "name the profile: tokenscope login --profile NAME")
		}
		o := workspace.LoginOptions{Scope: *scope, Audience: *audience, Prompt: *prompt, Organization: *org, Connection: *conn, LoginHint: *hint,
			RedirectURI: *redirect, Params: params, Timeout: *timeout}
		if *maxAge >= 0 {
			o.MaxAge = maxAge
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stop := env.onSignal(func() {
			fmt.Fprintln(env.Stderr, "tokenscope login: interrupted; the sign-in is cancelled")
			cancel()
		})
		defer stop()
		ws := env.workspace()
		var res workspace.LoginResult
		if *device {
			res = ws.LoginDevice(ctx, *profile, o, func(c workspace.DeviceCode) {
				say(env.Stderr, "To sign in, open %s and enter the code %s", c.VerificationURI, c.UserCode)
				if c.VerificationURIComplete != "" {
					say(env.Stderr, " (or open %s)", c.VerificationURIComplete)
				}
				say(env.Stderr, ". Waiting…\n")
			})
		} else {
			o.OnURL = func(u string) {
				if *noBrowser {
					say(env.Stderr, "Open this URL in a browser to sign in:\n%s\nWaiting for the redirect…\n", u)
				} else {
					say(env.Stderr, "Opening the browser to sign in (if it does not open, use this URL):\n%s\n", u)
				}
			}
			if !*noBrowser {
				o.Open = env.opener()
			}
			res = ws.Login(ctx, *profile, o)
		}
		var le *workspace.LoginError
		var xe *exchange.Error
		if res.Err != nil && !errors.As(res.Err, &le) && !errors.As(res.Err, &xe) {
			return fail(env, "login", ExitUsage, "%v", res.Err)
		}
		if res.Err != nil && res.Response == nil && le != nil {
			out := RefreshOutput{TokenEndpoint: safetext.RedactURL(res.TokenURL), Error: &RefreshError{Code: le.Code, Description: le.Description, Hint: le.Hint}}
			if out.Error.Code == "" {
				out.Error.Code = "cancelled"
			}
			if *asJSON {
				writeJSON(env, out)
			} else {
				say(env.Stdout, "Sign-in failed: %v.\n", res.Err)
			}
			return ExitNegative
		}
		return reportRefresh(env, workspace.RefreshResult{Profile: res.Profile, Request: exchange.Request{TokenURL: res.TokenURL}, Response: res.Response, Err: res.Err, Sent: true},
			*profile, *reveal, *asJSON, grantReport{cmd: "login", verb: "Signed in at", failed: "Sign-in failed at", signIn: true, subject: res.Subject, issuer: res.Issuer})
	}
}

// opener is the browser opener: Env.Open in tests, the system browser otherwise.
func (e Env) opener() func(string) error {
	if e.Open != nil {
		return e.Open
	}
	return workspace.OpenBrowser
}

// runToken runs the client credentials grant for a machine-to-machine profile.
func runToken(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile  = fs.String("profile", "", "a confidential (post or basic) profile")
		audience = fs.String("audience", "", "API audience (default: the profile's; Auth0 requires one)")
		scope    = fs.String("scope", "", "scope to ask for (default: the profile's)")
		reveal   = fs.Bool("reveal", false, "accepted for symmetry: client credentials return no refresh token")
		asJSON   = fs.Bool("json", false, "print the JSON object refresh prints")
	)
	return func(pos []string) int {
		if *profile == "" {
			return fail(env, "token", ExitUsage, "name the profile: tokenscope token --profile NAME")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout)
		defer cancel()
		res := env.workspace().ClientCredentials(ctx, *profile, *audience, *scope)
		if !res.Sent {
			return fail(env, "token", ExitUsage, "%v", res.Err)
		}
		return reportRefresh(env, res, *profile, *reveal, *asJSON, grantClient)
	}
}

// UserinfoOutput is the --json contract of `tokenscope userinfo`.
type UserinfoOutput struct {
	Endpoint string         `json:"endpoint"`
	Status   int            `json:"status"`
	Claims   map[string]any `json:"claims"`
	Error    string         `json:"error,omitempty"`
}

// runUserinfo calls /userinfo with an access token from an environment
// variable, or (without one) from a fresh refresh of the profile.
func runUserinfo(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile = fs.String("profile", "", "the profile whose issuer's /userinfo to call")
		atEnv   = fs.String("access-token-env", "", "environment variable holding the access token (default: refresh the profile for one)")
		asJSON  = fs.Bool("json", false, "print {endpoint, status, claims, error}")
	)
	return func(pos []string) int {
		if *profile == "" {
			return fail(env, "userinfo", ExitUsage, "name the profile: tokenscope userinfo --profile NAME")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout)
		defer cancel()
		ws := env.workspace()
		at, err := secretFromEnv(env, *atEnv)
		if err != nil {
			return fail(env, "userinfo", ExitUsage, "--access-token-env: %v", err)
		}
		if at == "" {
			r := ws.Refresh(ctx, *profile, workspace.RefreshOptions{})
			if r.Err != nil {
				return fail(env, "userinfo", ExitNegative, "getting an access token by refreshing profile %s: %v (or give one with --access-token-env)", *profile, r.Err)
			}
			at = r.Response.AccessToken
		}
		res := ws.Userinfo(ctx, *profile, at)
		out := UserinfoOutput{Endpoint: res.Endpoint, Status: res.Status, Claims: res.Claims}
		if res.Err != nil {
			out.Error = res.Err.Error()
		}
		if *asJSON {
			writeJSON(env, out)
		} else if res.Err == nil {
			keys := make([]string, 0, len(res.Claims))
			for k := range res.Claims {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				say(env.Stdout, "%s: %v\n", k, res.Claims[k])
			}
		}
		if res.Err != nil {
			if res.Status == 0 && !*asJSON {
				return fail(env, "userinfo", ExitUsage, "%v", res.Err)
			}
			if !*asJSON {
				say(env.Stderr, "tokenscope userinfo: %v\n", res.Err)
			}
			return ExitNegative
		}
		return ExitOK
	}
}

// runRevoke revokes the profile's stored refresh token.
func runRevoke(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile = fs.String("profile", "", "the profile whose stored refresh token to revoke")
		asJSON  = fs.Bool("json", false, `print {"endpoint", "revoked", "error"}`)
	)
	return func(pos []string) int {
		if *profile == "" {
			return fail(env, "revoke", ExitUsage, "name the profile: tokenscope revoke --profile NAME")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout)
		defer cancel()
		endpoint, err := env.workspace().Revoke(ctx, *profile)
		if *asJSON {
			out := map[string]any{"endpoint": endpoint, "revoked": err == nil, "error": nil}
			if err != nil {
				out["error"] = err.Error()
			}
			writeJSON(env, out)
		}
		switch {
		case err != nil && endpoint == "":
			return fail(env, "revoke", ExitUsage, "%v", err)
		case err != nil:
			if !*asJSON {
				say(env.Stderr, "tokenscope revoke: %v\n", err)
			}
			return ExitNegative
		}
		if !*asJSON {
			say(env.Stdout, "Revoked at %s; the refresh token of %s is removed from the keyring.\n", endpoint, *profile)
		}
		return ExitOK
	}
}

func writeJSON(env Env, v any) {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
