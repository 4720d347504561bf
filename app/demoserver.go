package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// DemoServerOutput is the --json line `tokenscope demo-server` prints.
type DemoServerOutput struct {
	Issuer   string             `json:"issuer"`
	Audience string             `json:"audience"`
	Clients  []DemoServerClient `json:"clients"`
}

// DemoServerClient is one seeded client with a fresh refresh token.
type DemoServerClient struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Auth         string `json:"auth"`
	RefreshToken string `json:"refresh_token"`
}

func runDemoServer(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		addr        = fs.String("addr", "127.0.0.1:0", "address to listen on (a free loopback port by default)")
		reveal      = fs.Bool("reveal", false, "print the client secrets and refresh tokens instead of masking them")
		asJSON      = fs.Bool("json", false, "print one JSON line with the issuer, audience and clients")
		allowRemote = fs.Bool("allow-remote", false, "allow a non-loopback address (anyone who reaches it gets tokens)")
		// Auth0's refresh-token settings and Multi-Resource Refresh Token.
		settings = refreshSettingsFlags(fs)
		mrrt     = fs.Bool("mrrt", false, "give the demo clients Multi-Resource Refresh Token policies: write:orders on "+workspace.DemoAudience+", read:billing on "+workspace.DemoBillingAudience)
	)
	return func(pos []string) int {
		ds, err := settings()
		if err != nil {
			return fail(env, "demo-server", ExitUsage, "%v", err)
		}
		ds.MRRT = *mrrt
		srv, grants, err := workspace.ServeDemo(ds, *addr, *allowRemote)
		if err != nil {
			return fail(env, "demo-server", ExitUsage, "%v", err)
		}
		defer srv.Close()
		out := DemoServerOutput{Issuer: srv.Issuer(), Audience: workspace.DemoAudience}
		for _, g := range grants {
			c := DemoServerClient{ClientID: g.ID, ClientSecret: g.Secret, Auth: g.Auth, RefreshToken: g.RefreshToken}
			if !*reveal {
				c.ClientSecret, c.RefreshToken = safetext.Mask(c.ClientSecret), safetext.Mask(c.RefreshToken)
			}
			out.Clients = append(out.Clients, c)
		}
		if *asJSON {
			_ = json.NewEncoder(env.Stdout).Encode(out) // one line
		} else {
			say(env.Stdout, "Demo tenant at %s (stop with Ctrl+C)\nAPI audience: %s\n\n", out.Issuer, out.Audience)
			tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CLIENT ID\tAUTH\tCLIENT SECRET\tREFRESH TOKEN")
			for _, c := range out.Clients {
				say(tw, "%s\t%s\t%s\t%s\n", c.ClientID, c.Auth, orDash(c.ClientSecret), c.RefreshToken)
			}
			tw.Flush()
			if !*reveal {
				fmt.Fprintln(env.Stdout, "\nSecrets are masked; run with --reveal to see them.")
			}
		}
		<-env.done()
		return ExitOK
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// done is closed when a long-running command should stop: Env.Done in
// tests, SIGINT or SIGTERM otherwise.
func (e Env) done() <-chan struct{} {
	if e.Done != nil {
		return e.Done
	}
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return ctx.Done()
}
