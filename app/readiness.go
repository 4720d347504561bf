package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/atomicfile"
	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/scan"
)

// runReadiness is `tokenscope readiness`: the tenant's evidence, the
// code's and the steps left, per application, as text, JSON or one
// self-contained HTML page.
func runReadiness(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		profile = fs.String("profile", "", "a profile with Management API client credentials (audience https://TENANT/api/v2/; scopes "+workspace.MgmtScopes+")")
		since   = fs.String("since", "30d", "how far back to read the deprecation notes: 30d, 72h, …")
		roots   = fs.StringArray("scan", nil, "a codebase to scan and join by client ID (repeatable)")
		asJSON  = fs.Bool("json", false, "print the documented JSON report instead of text")
		html    = fs.String("html", "", "write the report as one self-contained HTML page to `FILE`")
		demo    = fs.Bool("demo", false, "run the whole report on a fresh embedded demo tenant, with a rehearsal of its legacy flags switched off")
	)
	return func(pos []string) int {
		d, err := parseSince(*since)
		if err != nil {
			return fail(env, "readiness", ExitUsage, "--since: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		stop := env.onSignal(cancel)
		defer stop()
		o := workspace.ReadinessOptions{Since: d, ScanRoots: *roots, Scan: scanForReadiness, Now: env.Now}
		var rep workspace.ReadinessReport
		if *demo {
			o.Now = nil // the demo tenant's history is on the real clock
			rep, err = workspace.ReadinessOnDemo(ctx, o)
		} else {
			rep, err = env.workspace().Readiness(ctx, *profile, o)
		}
		switch {
		case errors.Is(err, workspace.ErrNoProfile):
			return fail(env, "readiness", ExitUsage, "%v", err)
		case err != nil:
			return fail(env, "readiness", ExitNegative, "%v", err)
		}
		return writeReadiness(env, rep, *asJSON, *html)
	}
}

// writeReadiness prints the report and returns 1 when an application
// still calls legacy endpoints.
func writeReadiness(env Env, rep workspace.ReadinessReport, asJSON bool, htmlFile string) int {
	if htmlFile != "" {
		var b bytes.Buffer
		if err := readinessPage.Execute(&b, rep); err != nil {
			return fail(env, "readiness", ExitUsage, "rendering the report: %v", err)
		}
		if err := atomicfile.Write(htmlFile, b.Bytes(), 0o644); err != nil {
			return fail(env, "readiness", ExitUsage, "writing %s: %v", htmlFile, err)
		}
	}
	switch {
	case asJSON:
		writeJSON(env, rep)
	case htmlFile == "":
		printReadiness(env, rep)
	default:
		say(env.Stdout, "Wrote the readiness report of %s to %s.\n", rep.Tenant, htmlFile)
	}
	for _, a := range rep.Applications {
		if a.Light == workspace.LightLegacy {
			return ExitNegative
		}
	}
	return ExitOK
}

// parseSince reads 30d, 12h, 90m.
func parseSince(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("%q is not a number of days such as 30d", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a period such as 30d or 72h", s)
	}
	return d, nil
}

// scanForReadiness runs the scanner on one root for the readiness join.
func scanForReadiness(ctx context.Context, root string) ([]workspace.CodeFinding, error) {
	rep, err := scan.Run(ctx, []string{root}, scan.Options{})
	if err != nil {
		return nil, err
	}
	out := make([]workspace.CodeFinding, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		if f.Severity == finding.SeverityInfo { // a comment naming an endpoint is not a call
			continue
		}
		out = append(out, workspace.CodeFinding{File: f.File, Line: f.Line, Endpoint: f.Endpoint, Code: f.Code, Message: f.Message})
	}
	return out, nil
}

func twinStatus(s int) string {
	if s == 0 {
		return "not served here"
	}
	return strconv.Itoa(s)
}

var lightWords = map[workspace.Light]string{
	workspace.LightLegacy: "STILL CALLING LEGACY ENDPOINTS",
	workspace.LightFlag:   "ONLY ALLOWED BY A SETTING",
	workspace.LightReady:  "READY",
}

func printReadiness(env Env, rep workspace.ReadinessReport) {
	say(env.Stdout, "Readiness of %s, deprecation notes since %s.\n", rep.Tenant, rep.Since.Format("2006-01-02"))
	say(env.Stdout, "Tenant flags: %s.\n", rep.FlagsSentence())
	for _, a := range rep.Applications {
		say(env.Stdout, "\n[%s] %s (%s, %s): %s\n", lightWords[a.Light], a.Name, a.ClientID, a.AppType, a.Why)
		for _, u := range a.LegacyUse {
			say(env.Stdout, "  logs: %s ×%d, last %s%s\n", u.Endpoint, u.Count, u.Last.Format("2006-01-02 15:04 MST"), map[bool]string{true: " (allowed by " + u.Flag + ")", false: ""}[u.Flag != "" && rep.Flags[u.Flag]])
		}
		for _, c := range a.Code {
			say(env.Stdout, "  code: %s:%d %s (%s)\n", c.File, c.Line, c.Endpoint, c.Code)
		}
		for i, s := range a.Steps {
			say(env.Stdout, "  %d. %s\n", i+1, s)
		}
	}
	if len(rep.Rehearsal) > 0 {
		say(env.Stdout, "\nRehearsal on the demo tenant: each legacy call with the flags on, then off, next to its migrated twin:\n")
		for _, r := range rep.Rehearsal {
			say(env.Stdout, "  %s (%s): flags on %d, flags off %d %s; twin %s: %s\n    %s\n", r.Endpoint, r.ClientID, r.FlagsOn, r.FlagsOff, r.FlagsOffError, r.Twin, twinStatus(r.TwinStatus), r.Verdict)
		}
	}
	if len(rep.Unattributed) > 0 {
		say(env.Stdout, "\nLegacy calls in code no application's client ID was found beside:\n")
		for _, c := range rep.Unattributed {
			say(env.Stdout, "  %s:%d %s (%s)\n", c.File, c.Line, c.Endpoint, c.Code)
		}
	}
	for _, e := range rep.ScanErrors {
		say(env.Stderr, "tokenscope readiness: %s\n", e)
	}
}

// readinessPage is the report as one page: no external assets, every
// value escaped by html/template.
var readinessPage = template.Must(template.New("readiness").Funcs(template.FuncMap{
	"words": func(l workspace.Light) string { return lightWords[l] },
	"date":  func(t time.Time) string { return t.Format("2006-01-02 15:04 MST") },
	"on":    func(flags map[string]bool, f string) bool { return flags[f] },
	"twin":  twinStatus,
	"flags": func() []string { return workspace.LegacyFlags },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Legacy endpoint readiness — {{.Tenant}}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #d0d7de}
.light{display:inline-block;width:.9rem;height:.9rem;border-radius:50%;margin-right:.4rem;vertical-align:-.1rem}
.legacy .light{background:#cf222e}.flag .light{background:#bf8700}.ready .light{background:#1a7f37}
code{font-size:.9em}ol{margin:.2rem 0 0 1.1rem;padding:0}.muted{color:#57606a}
</style></head><body>
<h1>Is {{.Tenant}} ready to switch the legacy endpoints off?</h1>
<p class="muted">Deprecation notes since {{date .Since}}; generated {{date .GeneratedAt}} by Tokenscope.</p>
<p>Tenant flags:{{range $f := flags}} <code>{{$f}}</code> {{if on $.Flags $f}}<strong>on</strong>{{else}}off{{end}};{{end}}</p>
<table><thead><tr><th>Application</th><th>Evidence</th><th>Steps left</th></tr></thead><tbody>
{{range .Applications}}<tr class="app {{.Light}}" data-client-id="{{.ClientID}}">
<td><span class="light" title="{{words .Light}}"></span><strong>{{.Name}}</strong><br><code>{{.ClientID}}</code> {{.AppType}}<br><span class="verdict">{{words .Light}}</span></td>
<td>{{.Why}}{{range .LegacyUse}}<br>logs: <code>{{.Endpoint}}</code> ×{{.Count}}, last {{date .Last}}{{end}}{{range .Code}}<br>code: <code>{{.File}}:{{.Line}}</code> {{.Endpoint}} ({{.Code}}){{end}}</td>
<td>{{if .Steps}}<ol>{{range .Steps}}<li>{{.}}</li>{{end}}</ol>{{else}}Nothing left.{{end}}</td>
</tr>
{{end}}</tbody></table>
{{if .Rehearsal}}<h2>Rehearsal: the legacy flags switched off on the demo tenant</h2>
<table><thead><tr><th>Legacy call</th><th>Flags on</th><th>Flags off</th><th>Migrated twin (flags off)</th><th>Verdict</th></tr></thead><tbody>
{{range .Rehearsal}}<tr class="replay"><td><code>{{.Endpoint}}</code><br><code>{{.ClientID}}</code></td><td>{{.FlagsOn}}</td><td>{{.FlagsOff}} {{.FlagsOffError}}</td><td>{{.Twin}}: {{twin .TwinStatus}}</td><td>{{.Verdict}}</td></tr>
{{end}}</tbody></table>{{end}}
{{if .Unattributed}}<h2>Legacy calls in code no application's client ID was found beside</h2><ul>{{range .Unattributed}}<li><code>{{.File}}:{{.Line}}</code> {{.Endpoint}} ({{.Code}})</li>{{end}}</ul>{{end}}
</body></html>
`))
