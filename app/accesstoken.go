package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// runAccessToken prints only a valid access token, for
// curl -H "Authorization: Bearer $(tokenscope access-token --profile api)".
// Nothing else ever goes to stdout: a failure is one sentence on stderr.
func runAccessToken(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile  = fs.String("profile", "", "the profile whose access token to print")
		minValid = fs.Duration("min-valid", workspace.DefaultMinValid, "refresh when the cached token is valid for less than this")
		audience = fs.String("audience", "", "another audience than the profile's (Auth0: allowed by a multi-resource refresh-token policy)")
		scope    = fs.String("scope", "", "another scope than the profile's (a refresh can only narrow it)")
		wait     = fs.Duration("wait", workspace.DefaultWait, "how long to wait for another refresh of the same profile")
	)
	return func(pos []string) int {
		if *minValid < 0 || *wait <= 0 {
			return fail(env, "access-token", ExitUsage, "--min-valid must not be negative and --wait must be positive")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout+*wait)
		defer cancel()
		stop := env.onSignal(cancel)
		defer stop()
		t, err := env.workspace().AccessToken(ctx, *profile, workspace.AccessTokenOptions{MinValid: *minValid, Audience: *audience, Scope: *scope, Wait: *wait, Now: env.Now})
		switch {
		case errors.Is(err, workspace.ErrNoProfile):
			return fail(env, "access-token", ExitUsage, "%v", err)
		case err != nil:
			return fail(env, "access-token", ExitNegative, "%v", err)
		}
		fmt.Fprintln(env.Stdout, t.Token)
		return ExitOK
	}
}
