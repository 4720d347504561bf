package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// RefreshOutput is the --json contract of `tokenscope refresh`.
type RefreshOutput struct {
	Status        int            `json:"status"`
	TokenEndpoint string         `json:"token_endpoint"`
	Response      map[string]any `json:"response"`
	Rotated       bool           `json:"rotated"`
	Stored        bool           `json:"stored"`
	Error         *RefreshError  `json:"error"`
	// Ignored is what the server left out of the audience and scope asked
	// for, with one sentence saying why; null when nothing was.
	Ignored *workspace.Ignored `json:"ignored"`
}

// RefreshError explains a failed refresh.
type RefreshError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Hint        string `json:"hint"`
}

func runRefresh(env Env, fs *pflag.FlagSet) func(pos []string) int {
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
		wait      = fs.Duration("wait", workspace.DefaultWait, "how long to wait for another refresh of the same profile to finish")
		reveal    = fs.Bool("reveal", false, "show the refresh token in the output instead of masking it")
		asJSON    = fs.Bool("json", false, "print the documented JSON object instead of text")
		params    = paramFlags{}
	)
	fs.Var(params, "param", "extra token-request parameter KEY=VALUE (repeatable), e.g. resource=https://api")
	return func(pos []string) int {
		// Exactly one of --profile, --issuer and --token-url: declared on
		// the command (commands()), checked by cobra before this runs.
		if *wait <= 0 {
			return fail(env, "refresh", ExitUsage, "--wait must be a positive duration such as 30s")
		}
		o := workspace.Overrides{ClientID: *clientID, Audience: *audience, Scope: *scope, Params: params}
		if fs.Changed("auth") {
			am, err := oauth.ParseAuthMethod(*auth)
			if err != nil {
				return fail(env, "refresh", ExitUsage, "--auth: %v", err)
			}
			o.Auth = am
		}
		var err error
		if o.ClientSecret, err = secretFromEnv(env, *secretEnv); err != nil {
			return fail(env, "refresh", ExitUsage, "--client-secret-env: %v", err)
		}
		if o.RefreshToken, err = secretFromEnv(env, *rtEnv); err != nil {
			return fail(env, "refresh", ExitUsage, "--refresh-token-env: %v", err)
		}
		if o.RefreshToken == "" && *profile == "" {
			in, err := readInput(env, nil, "refresh token")
			if err != nil {
				return fail(env, "refresh", ExitUsage, "%v (or name a variable with --refresh-token-env)", err)
			}
			o.RefreshToken = strings.TrimSpace(in)
		}

		// SIGINT and SIGTERM cancel the request while it is in flight. Once
		// the server has answered they are held: the process finishes storing
		// (or printing) a rotated refresh token, then exits.
		ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout+*wait)
		defer cancel()
		stop := env.onSignal(func() {
			fmt.Fprintln(env.Stderr, "tokenscope refresh: interrupted; a refresh token the server already sent is stored or printed before exiting")
			cancel()
		})
		defer stop()

		ws := env.workspace()
		var res workspace.RefreshResult
		if *profile != "" {
			res = ws.Refresh(ctx, *profile, workspace.RefreshOptions{Overrides: o, Wait: *wait, OnWait: func() {
				say(env.Stderr, "tokenscope refresh: another refresh of profile %s is running; waiting up to %s for it to store its new refresh token…\n", *profile, *wait)
			}})
			if !res.Sent {
				code := ExitUsage
				if errors.Is(res.Err, workspace.ErrLockTimeout) || errors.Is(res.Err, context.Canceled) {
					code = ExitNegative
				}
				return fail(env, "refresh", code, "%v", res.Err)
			}
		} else {
			res = ws.RefreshTarget(ctx, workspace.Target{Issuer: *issuer, TokenURL: *tokenURL}, o)
			if !res.Sent {
				return fail(env, "refresh", ExitUsage, "%v", res.Err)
			}
		}
		return reportRefresh(env, res, *profile, *reveal, *asJSON, grantRefresh)
	}
}

// grantReport says which grant's outcome reportRefresh prints: the JSON
// is the same, the human sentences are not ("Refreshed", "Signed in").
type grantReport struct {
	cmd          string // the subcommand, for its error sentences
	verb, failed string // "Refreshed at", "Refresh failed at"
	// signIn is set for a first sign-in: the subject and issuer the ID
	// token names, and no "rotated" sentence (nothing was rotated).
	signIn          bool
	subject, issuer string
}

var (
	grantRefresh = grantReport{cmd: "refresh", verb: "Refreshed at", failed: "Refresh failed at"}
	grantClient  = grantReport{cmd: "token", verb: "Got a token at", failed: "The client credentials grant failed at"}
)

// reportRefresh prints a refresh's outcome and returns the exit code. A
// rotated refresh token that was not stored is printed unmasked, once: it
// is the only copy.
func reportRefresh(env Env, res workspace.RefreshResult, profile string, reveal, asJSON bool, g grantReport) int {
	resp, err := res.Response, res.Err
	out := RefreshOutput{TokenEndpoint: safetext.RedactURL(res.Request.TokenURL)}
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
		return fail(env, g.cmd, ExitUsage, "%v", err)
	}
	onlyCopy := resp != nil && resp.Rotated && !resp.Stored
	if resp != nil {
		out.Status, out.Rotated, out.Stored = resp.Status, resp.Rotated, resp.Stored
		out.Response = resp.Fields
		if rt, ok := out.Response["refresh_token"].(string); ok && !reveal && !onlyCopy {
			out.Response["refresh_token"] = safetext.Mask(rt)
		}
	}
	if g.cmd == grantRefresh.cmd {
		out.Ignored = res.Ignored()
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		printRefresh(env, out, resp, profile, g)
	}
	if onlyCopy {
		why := "this run's refresh token came from outside the profile"
		if profile == "" {
			why = "no profile to store it in"
		}
		if resp.StoreErr != nil {
			why = resp.StoreErr.Error()
		}
		if !asJSON && out.Error != nil {
			// printRefresh shows only the error: the token must be seen.
			say(env.Stdout, "refresh_token: %s\n", resp.RefreshToken)
		}
		say(env.Stderr, "WARNING: the refresh token rotated and the new one could not be stored (%s). The old one no longer works; the new one is in the output above and is the only copy: save it now.\n", why)
		if profile != "" {
			return ExitNegative
		}
	}
	if out.Error != nil {
		return ExitNegative
	}
	return ExitOK
}

// secretFromEnv reads a secret from the environment variable a flag names
// ("" when no flag was given).
func secretFromEnv(env Env, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	v := env.Getenv(name)
	if v == "" {
		return "", fmt.Errorf("%s is empty or unset", name)
	}
	return v, nil
}

func printRefresh(env Env, out RefreshOutput, resp *exchange.Response, profile string, g grantReport) {
	if out.Error != nil {
		status := "no response"
		if out.Status != 0 {
			status = fmt.Sprintf("HTTP %d", out.Status)
		}
		say(env.Stdout, g.failed+" %s (%s): %s\n", out.TokenEndpoint, status, out.Error.Code)
		if out.Error.Description != "" {
			say(env.Stdout, "  %s\n", out.Error.Description)
		}
		if out.Error.Hint != "" {
			say(env.Stdout, "  What it means: %s.\n", out.Error.Hint)
		}
		return
	}
	if g.signIn {
		who := "Signed in"
		if g.subject != "" {
			who = fmt.Sprintf("Signed in as %s at %s", safetext.Line(g.subject), safetext.Line(g.issuer))
		}
		switch {
		case resp.RefreshToken == "":
			say(env.Stdout, "%s; no refresh token was issued: ask for the offline_access scope (Auth0: and allow offline access on the API); a provider may drop offline_access unless the sign-in asks for consent (OpenID Connect Core §11), so try --prompt consent.\n", who)
		case resp.Stored:
			say(env.Stdout, "%s; refresh token stored in the keyring for profile %s.\n", who, profile)
		default:
			say(env.Stdout, "%s; the refresh token could not be stored in the keyring.\n", who)
		}
	} else {
		say(env.Stdout, g.verb+" %s (HTTP %d, %d ms).\n", out.TokenEndpoint, out.Status, resp.Duration.Milliseconds())
	}
	keys := make([]string, 0, len(out.Response))
	for k := range out.Response {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		say(env.Stdout, "%s: %v\n", k, out.Response[k])
	}
	if !resp.Expiry.IsZero() {
		say(env.Stdout, "The access token expires at %s.\n", resp.Expiry.UTC().Format(time.RFC3339))
	}
	if out.Ignored != nil {
		say(env.Stdout, "%s\n", out.Ignored.Explanation)
	}
	if resp.Rotated && resp.Stored && !g.signIn {
		say(env.Stdout, "The refresh token rotated; the new one replaced the old in the OS keyring for profile %s.\n", profile)
	}
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
