package app

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// runFamily lists a profile's refresh-token lineage: fingerprints, never
// the tokens.
func runFamily(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile = fs.String("profile", "", "the profile whose refresh-token family to list")
		asJSON  = fs.Bool("json", false, "print the documented JSON object instead of text")
	)
	return func(pos []string) int {
		ws := env.workspace()
		if _, err := ws.Profiles.Get(*profile); errors.Is(err, workspace.ErrNoProfile) {
			return fail(env, "family", ExitUsage, "%v", err)
		}
		f, err := ws.Family(*profile)
		if err != nil {
			return fail(env, "family", ExitUsage, "%v", err)
		}
		if *asJSON {
			writeJSON(env, f)
			return ExitOK
		}
		if len(f.Tokens) == 0 {
			say(env.Stdout, "Tokenscope has seen no refresh token of profile %s yet: sign in, or refresh, and its lineage starts.\n", *profile)
			return ExitOK
		}
		say(env.Stdout, "Refresh tokens of profile %s as Tokenscope saw them, oldest first (fingerprints, never the tokens):\n", *profile)
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\tFINGERPRINT\tFROM\tISSUED\tUSES\tLAST USED\tNOW")
		for i, t := range f.Tokens {
			link := "  "
			if i > 0 && t.Origin == "rotation" {
				link = "↳ "
			}
			last := "-"
			if t.LastUsedAt != nil {
				last = t.LastUsedAt.Local().Format("2006-01-02 15:04:05")
			}
			state := string(t.State)
			if t.Reason != "" {
				state += " (" + t.Reason + ")"
			}
			say(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", link, t.Fingerprint, t.Origin, t.IssuedAt.Local().Format(time.DateTime), t.Uses, last, state)
		}
		tw.Flush()
		return ExitOK
	}
}
