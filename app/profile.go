package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// paramFlags collects repeated --param KEY=VALUE flags.
type paramFlags map[string]string

func (p paramFlags) String() string { return fmt.Sprint(map[string]string(p)) }

func (p paramFlags) Type() string { return "KEY=VALUE" }

func (p paramFlags) Set(v string) error {
	k, val, err := workspace.ParseParam(v)
	if err != nil {
		return err
	}
	p[k] = val
	return nil
}

func profileList(env Env, fs *pflag.FlagSet) func(pos []string) int {
	asJSON := fs.Bool("json", false, "print the profiles as a JSON array")
	return func(pos []string) int {
		ps, err := env.workspace().Profiles.Load()
		if err != nil {
			return fail(env, "profile list", ExitUsage, "%v", err)
		}
		if *asJSON {
			if ps == nil {
				ps = []profiles.Profile{}
			}
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(ps)
			return ExitOK
		}
		if len(ps) == 0 {
			fmt.Fprintln(env.Stdout, "No profiles yet: add one with 'tokenscope profile add NAME --domain DOMAIN --client-id ID'.")
			return ExitOK
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tISSUER\tCLIENT ID\tAUTH")
		for _, p := range ps {
			say(tw, "%s\t%s\t%s\t%s\n", p.Name, p.Issuer, p.ClientID, p.Auth)
		}
		tw.Flush()
		return ExitOK
	}
}

func profileShow(env Env, fs *pflag.FlagSet) func(pos []string) int {
	return func(pos []string) int {
		var err error
		if len(pos) != 1 {
			return fail(env, "profile show", ExitUsage, "name one profile")
		}
		ws := env.workspace()
		p, err := ws.Profiles.Get(pos[0])
		if err != nil {
			return fail(env, "profile show", ExitUsage, "%v", err)
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		say(tw, "Name:\t%s\nIssuer:\t%s\nClient ID:\t%s\nAuth:\t%s\n", p.Name, p.Issuer, p.ClientID, p.Auth)
		if p.Audience != "" {
			say(tw, "Audience:\t%s\n", p.Audience)
		}
		if p.Scope != "" {
			say(tw, "Scope:\t%s\n", p.Scope)
		}
		for k, v := range p.Params {
			say(tw, "Param:\t%s=%s\n", k, v)
		}
		if p.RedirectURI != "" {
			say(tw, "Redirect URI:\t%s\n", p.RedirectURI)
		}
		if p.LastSignIn != nil {
			say(tw, "Last sign-in:\t%s\n", p.LastSignIn.Local().Format("2006-01-02 15:04"))
		}
		if p.Endpoints != nil {
			say(tw, "Token endpoint:\t%s (discovered %s)\n", p.Endpoints.Token, p.Endpoints.DiscoveredAt.Format("2006-01-02 15:04"))
		}
		cs, rt := ws.SecretStates(p.Name)
		say(tw, "Client secret:\t%s\n", cs)
		say(tw, "Refresh token:\t%s\n", rt)
		tw.Flush()
		return ExitOK
	}
}

func profileAdd(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		issuer    = fs.String("issuer", "", "issuer URL (its discovery document gives the endpoints)")
		domain    = fs.String("domain", "", "Auth0 domain, e.g. tenant.eu.auth0.com (issuer https://DOMAIN/)")
		clientID  = fs.String("client-id", "", "the application's client ID")
		auth      = fs.String("auth", "none", "client authentication: none, post or basic")
		audience  = fs.String("audience", "", "audience to request")
		scope     = fs.String("scope", "", "scope to request")
		secretEnv = fs.String("client-secret-env", "", "environment variable holding the client secret (stored in the keyring)")
		rtEnv     = fs.String("refresh-token-env", "", "environment variable holding a refresh token (stored in the keyring)")
		redirect  = fs.String("redirect-uri", "", "sign-in callback http://127.0.0.1:PORT/PATH, when the tenant needs an exact match (confidential clients)")
		replace   = fs.Bool("replace", false, "replace an existing profile of the same name (its secrets are deleted if the issuer or client ID changes)")
		params    = paramFlags{}
	)
	fs.Var(params, "param", "extra token-request parameter KEY=VALUE (repeatable)")
	return func(pos []string) int {
		var err error
		if len(pos) != 1 {
			return fail(env, "profile add", ExitUsage, "name the profile: tokenscope profile add NAME --domain DOMAIN --client-id ID")
		}
		if (*issuer == "") == (*domain == "") {
			return fail(env, "profile add", ExitUsage, "give exactly one of --issuer and --domain")
		}
		am, err := oauth.ParseAuthMethod(*auth)
		if err != nil {
			return fail(env, "profile add", ExitUsage, "--auth: %v", err)
		}
		iss := *issuer
		if *domain != "" {
			iss = workspace.IssuerURL(*domain)
		}
		p := profiles.Profile{Name: pos[0], Issuer: iss, ClientID: *clientID, Auth: string(am), Audience: *audience, Scope: *scope, RedirectURI: *redirect}
		if len(params) > 0 {
			p.Params = params
		}
		if err := p.Validate(); err != nil {
			return fail(env, "profile add", ExitUsage, "%v", err)
		}
		req := workspace.SaveRequest{Profile: p, Replace: *replace}
		for _, s := range []struct {
			env    string
			change *workspace.SecretChange
		}{{*secretEnv, &req.ClientSecret}, {*rtEnv, &req.RefreshToken}} {
			if s.env == "" {
				continue
			}
			v := env.Getenv(s.env)
			if v == "" {
				return fail(env, "profile add", ExitUsage, "%s is empty or unset", s.env)
			}
			*s.change = workspace.Store(v)
		}
		res, err := env.workspace().Save(req)
		switch {
		case errors.Is(err, workspace.ErrProfileExists):
			return fail(env, "profile add", ExitUsage, "%v", err)
		case errors.Is(err, workspace.ErrKeyringAfterSave):
			return fail(env, "profile add", ExitNegative, "%v", err)
		case err != nil:
			return fail(env, "profile add", ExitUsage, "%v", err)
		}
		verb := "Saved"
		if res.Replaced {
			verb = "Replaced"
		}
		say(env.Stdout, "%s profile %s (%s, client %s, auth %s).\n", verb, p.Name, p.Issuer, p.ClientID, p.Auth)
		if res.Dropped != "" {
			say(env.Stderr, "tokenscope profile add: %s.\n", res.Dropped)
		}
		return ExitOK
	}
}

func profileRename(env Env, fs *pflag.FlagSet) func(pos []string) int {
	return func(pos []string) int {
		if len(pos) != 2 {
			return fail(env, "profile rename", ExitUsage, "usage: tokenscope profile rename OLD NEW")
		}
		if err := env.workspace().Rename(pos[0], pos[1]); err != nil {
			code := ExitUsage
			if errors.Is(err, workspace.ErrKeyringAfterSave) {
				code = ExitNegative
			}
			return fail(env, "profile rename", code, "%v", err)
		}
		say(env.Stdout, "Renamed %s to %s.\n", pos[0], pos[1])
		return ExitOK
	}
}

func profileRemove(env Env, fs *pflag.FlagSet) func(pos []string) int {
	return func(pos []string) int {
		if len(pos) != 1 {
			return fail(env, "profile remove", ExitUsage, "name one profile")
		}
		if err := env.workspace().Remove(pos[0]); err != nil {
			code := ExitUsage
			if errors.Is(err, workspace.ErrKeyringAfterSave) {
				code = ExitNegative
			}
			return fail(env, "profile remove", code, "%v", err)
		}
		say(env.Stdout, "Removed %s and its keyring entries.\n", pos[0])
		return ExitOK
	}
}
