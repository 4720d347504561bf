package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/migrate"
)

// MigrateOutput is one element of `tokenscope migrate --json`.
type MigrateOutput struct {
	Source     migrate.Source    `json:"source"`
	Migratable bool              `json:"migratable"`
	Request    *MigrateRequest   `json:"request"`
	Findings   []finding.Finding `json:"findings"`
	// Delegation says what a /delegation call was for (renew, other_api,
	// addon) and what replaces it; null for other endpoints.
	Delegation *migrate.DelegationUse `json:"delegation"`
	// Alternative is the RFC 8693 token exchange for a call that asked for
	// another API's token, shaped like request; null when there is none.
	Alternative *MigrateRequest `json:"alternative"`
}

// MigrateRequest is the new request, its body decoded into an object
// whatever its encoding.
type MigrateRequest struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"headers"`
	ContentType string            `json:"content_type"`
	Body        json.RawMessage   `json:"body"`
}

// NewMigrateOutput shapes a result for --json, masking secrets unless reveal.
func NewMigrateOutput(r migrate.Result, reveal bool) MigrateOutput {
	out := MigrateOutput{Source: r.Source, Migratable: r.Migratable, Findings: r.Findings, Delegation: r.Delegation}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	out.Request = newMigrateRequest(r.Request, reveal)
	out.Alternative = newMigrateRequest(r.Alternative, reveal)
	return out
}

// newMigrateRequest shapes a request for --json (nil for none).
func newMigrateRequest(req *migrate.Request, reveal bool) *MigrateRequest {
	if req == nil {
		return nil
	}
	if !reveal {
		req = req.Masked()
	}
	headers := map[string]string{}
	for _, h := range req.Headers() {
		headers[h.Name] = h.Value
	}
	return &MigrateRequest{Method: req.Method, URL: req.URL, Headers: headers, ContentType: req.ContentType(), Body: req.BodyJSON(false)}
}

func runMigrate(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		format   = fs.String("format", "curl", "output: json, form, curl, http or go")
		domain   = fs.String("domain", "", "tenant domain for the new URL (default: the input's host)")
		auth     = fs.String("auth", "", "client authentication: none (native apps), post or basic (default: as the legacy call did)")
		audience = fs.String("audience", "", "audience to request (see the audience_on_refresh finding)")
		subject  = fs.String("subject-token-type", "", "subject_token_type of the token-exchange alternative: a `URI` you own (default "+migrate.DefaultSubjectTokenType+", a placeholder)")
		reveal   = fs.Bool("reveal", false, "show the refresh token and client secret instead of $REFRESH_TOKEN and $CLIENT_SECRET")
		asJSON   = fs.Bool("json", false, "print the documented JSON array instead of the rendered requests")
	)
	return func(pos []string) int {
		var err error
		var am oauth.AuthMethod
		if *auth != "" {
			if am, err = oauth.ParseAuthMethod(*auth); err != nil {
				return fail(env, "migrate", ExitUsage, "--auth: %v", err)
			}
		}
		if *subject != "" {
			if err := migrate.CheckSubjectTokenType(*subject); err != nil {
				return fail(env, "migrate", ExitUsage, "--subject-token-type: %v", err)
			}
		}
		f := migrate.Format(*format)
		if _, err := migrate.Render(&migrate.Request{URL: "https://x/"}, f, false); err != nil {
			return fail(env, "migrate", ExitUsage, "--format: %v", err)
		}
		if *domain != "" {
			if u, err := url.Parse("https://" + *domain); err != nil || u.Host == "" {
				return fail(env, "migrate", ExitUsage, "--domain %q is not a host name such as tenant.eu.auth0.com", *domain)
			}
		}
		if len(pos) > 1 {
			return fail(env, "migrate", ExitUsage, "expected one file, got %d arguments", len(pos))
		}
		// Read as a stream: a HAR is taken one entry at a time.
		in := env.Stdin
		if len(pos) == 1 && pos[0] != "-" {
			f, err := os.Open(pos[0])
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					return fail(env, "migrate", ExitUsage, "%s does not exist", pos[0])
				}
				return fail(env, "migrate", ExitUsage, "cannot open %s: %v", pos[0], err)
			}
			defer f.Close()
			in = f
		}
		batch, err := migrate.ParseReader(in)
		if err != nil {
			where := "the input"
			if len(pos) == 1 && pos[0] != "-" {
				where = pos[0]
			}
			return fail(env, "migrate", ExitUsage, "%s: %v", where, err)
		}
		results := migrate.RewriteAll(batch, migrate.Options{Domain: *domain, Auth: am, Audience: *audience, SubjectTokenType: *subject})
		if len(results) == 0 {
			return fail(env, "migrate", ExitNegative, "the %s has %d entries and none is a /delegation call", batch.Form, batch.Skipped)
		}
		allOK := true
		for _, r := range results {
			allOK = allOK && r.Migratable
		}
		if *asJSON {
			outs := make([]MigrateOutput, len(results))
			for i, r := range results {
				outs[i] = NewMigrateOutput(r, *reveal)
			}
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(outs)
		} else {
			printMigration(env, batch, results, f, *reveal)
		}
		if !allOK {
			return ExitNegative
		}
		return ExitOK
	}
}

// printMigration writes the rendered requests on stdout (so they can be
// piped or saved) and the findings on stderr.
func printMigration(env Env, batch *migrate.Batch, results []migrate.Result, f migrate.Format, reveal bool) {
	say(env.Stderr, "Read a %s: %s\n", batch.Form, migrate.Summarize(batch, results))
	for i, r := range results {
		label := fmt.Sprintf("%s %s", r.Source.Format, r.Source.Location)
		if r.Migratable {
			say(env.Stderr, "%s: migratable\n", label)
		} else {
			say(env.Stderr, "%s: NOT migratable\n", label)
		}
		for _, fd := range r.Findings {
			say(env.Stderr, "  %-7s %s: %s\n", fd.Severity, fd.Code, fd.Message)
		}
		// stdout holds one request a call: the refresh, or, when there is
		// none, the token exchange; an alternative beside a refresh goes to
		// stderr after the findings.
		main, alt := r.Request, r.Alternative
		if main == nil {
			main, alt = alt, nil
		}
		if main != nil {
			text, _ := migrate.Render(main, f, reveal)
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprint(env.Stdout, safetext.Block(text))
		}
		if alt != nil {
			text, _ := migrate.Render(alt, f, reveal)
			say(env.Stderr, "  Alternative, an RFC 8693 token exchange (Custom Token Exchange):\n")
			fmt.Fprint(env.Stderr, safetext.Block(text))
			if !strings.HasSuffix(text, "\n") {
				fmt.Fprintln(env.Stderr)
			}
		}
	}
}
