package scan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tokenscope/tokenscope/internal/iox"
)

// WriteText writes the report for a terminal: findings grouped by file,
// each with its line, a caret under the call, what it is and what
// replaces it; then the manifests and a summary.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	file := ""
	for _, f := range r.Findings {
		if f.File != file {
			if file != "" {
				b.WriteByte('\n')
			}
			file = f.File
			b.WriteString(file + "\n")
		}
		sdk := f.SDK
		if sdk == "" {
			sdk = "comment"
		}
		fmt.Fprintf(&b, "  %d:%d  %s  %s  %s  [%s]\n", f.Line, f.Column, f.Severity, f.Endpoint, sdk, f.Code)
		src, caret := Caret(f.Source, f.Column)
		fmt.Fprintf(&b, "    %s\n    %s\n", src, caret)
		fmt.Fprintf(&b, "    %s\n", f.Message)
		if f.Replacement != "" {
			fmt.Fprintf(&b, "    Replace with: %s\n", f.Replacement)
		}
		if f.MigrateCode != "" {
			fmt.Fprintf(&b, "    See also: tokenscope migrate finding %q\n", f.MigrateCode)
		}
	}
	if len(r.Manifests) > 0 {
		if file != "" {
			b.WriteByte('\n')
		}
		b.WriteString("Manifests pinning a legacy Auth0 SDK\n")
		for _, m := range r.Manifests {
			fmt.Fprintf(&b, "  %s:%d  %s  %s %s (fixed in %s)\n    %s\n", m.File, m.Line, m.Severity, m.Package, m.Version, m.FixedIn, m.Message)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\ncould not read %s", p)
	}
	if len(r.Problems) > 0 {
		b.WriteByte('\n')
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(r.SummaryLine() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// SummaryLine is one sentence of what the scan found.
func (r *Report) SummaryLine() string {
	s := r.Summary
	if s.Findings == 0 && s.Manifests == 0 {
		return fmt.Sprintf("No legacy Auth0 calls found in %s (%s).", plural(s.Files, "file"), iox.Size(s.Bytes))
	}
	var parts []string
	for _, sev := range []Severity{SeverityError, SeverityWarning, SeverityInfo} {
		if n := s.BySeverity[string(sev)]; n > 0 {
			if sev == SeverityInfo {
				parts = append(parts, fmt.Sprintf("%d info", n))
			} else {
				parts = append(parts, plural(n, string(sev)))
			}
		}
	}
	var eps []string
	for _, ep := range Endpoints {
		if n := s.ByEndpoint[ep]; n > 0 {
			eps = append(eps, fmt.Sprintf("%s %d", ep, n))
		}
	}
	line := fmt.Sprintf("%s and %s (%s) in %s (%s)", plural(s.Findings, "finding"), plural(s.Manifests, "legacy SDK pin"), strings.Join(parts, ", "), plural(s.Files, "file"), iox.Size(s.Bytes))
	if len(eps) > 0 {
		line += ": " + strings.Join(eps, ", ")
	}
	return line + "."
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Caret returns a finding's source line (tabs shown as spaces, trimmed to
// fit a terminal around the column) and a caret under the column.
func Caret(src string, col int) (string, string) {
	runes := []rune(strings.ReplaceAll(src, "\t", " "))
	start := 0
	if col > 80 {
		start = col - 40
	}
	if start > len(runes) {
		start = len(runes)
	}
	end := len(runes)
	if end-start > 120 {
		end = start + 120
	}
	line := string(runes[start:end])
	pad := col - 1 - start
	if pad < 0 {
		pad = 0
	}
	prefix := ""
	if start > 0 {
		prefix = "…"
		pad++
	}
	return prefix + line, strings.Repeat(" ", pad) + "^"
}

// WriteJSON writes the documented --json contract.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ruleText describes each finding code for SARIF viewers.
func ruleText(code string) (name, short, full string) {
	if code == "legacy_sdk_version" {
		return "LegacySDKVersion", "An Auth0 SDK pinned at a version with the legacy Authentication API methods",
			"The manifest pins an Auth0 SDK version that still calls legacy endpoints; the message names the first version without them."
	}
	if code == "legacy_endpoint_mention" {
		return "LegacyEndpointMention", "A comment holds a legacy Auth0 endpoint URL",
			"Documentation or commented-out code names a legacy Authentication API endpoint; update it with the code."
	}
	for ep, short := range endpointCode {
		for _, kind := range []string{"call", "request"} {
			if code == codeFor(ep, kind) {
				how := "an Auth0 SDK method"
				if kind == "request" {
					how = "a request built by hand (URL, curl, Postman, config)"
				}
				return "Legacy" + strings.ToUpper(short[:1]) + short[1:] + strings.ToUpper(kind[:1]) + kind[1:],
					"A call to Auth0's legacy " + ep + " endpoint through " + how,
					"Auth0 deprecated " + ep + ". Replacement: " + rawReplacement[ep] + "."
			}
		}
	}
	return code, code, code
}

func sarifLevel(s Severity) string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the report as SARIF 2.1.0
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for
// GitHub code scanning and other CI viewers, through go-sarif: one rule
// per finding code, one result per finding and per manifest, file URIs
// relative to %SRCROOT% (the scanned path).
func (r *Report) WriteSARIF(w io.Writer, toolVersion string) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	driver := sarif.NewVersionedDriver("tokenscope", toolVersion)
	driver.InformationURI = ptr("https://github.com/tokenscope/tokenscope")
	run := sarif.NewRun(*sarif.NewTool(driver)).WithColumnKind("unicodeCodePoints")
	run.Results = []*sarif.Result{} // an empty scan is [], not null
	codes := map[string]bool{}
	for _, f := range r.Findings {
		codes[f.Code] = true
	}
	if len(r.Manifests) > 0 {
		codes["legacy_sdk_version"] = true
	}
	var ids []string
	for c := range codes {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		name, short, full := ruleText(id)
		level := "error"
		switch id {
		case "legacy_endpoint_mention":
			level = "note"
		case "legacy_sdk_version":
			level = "warning"
		}
		run.AddRule(id).WithName(name).
			WithShortDescription(sarif.NewMultiformatMessageString(short)).
			WithFullDescription(sarif.NewMultiformatMessageString(full)).
			WithTextHelp(full).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level))
	}
	location := func(file string, line, col int, snippet string) *sarif.Location {
		region := sarif.NewRegion().WithStartLine(line).WithSnippet(sarif.NewArtifactContent().WithText(snippet))
		if col > 0 {
			region.WithStartColumn(col)
		}
		return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(file).WithUriBaseId("%SRCROOT%")).
			WithRegion(region))
	}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Replacement != "" {
			msg += " Replace with: " + f.Replacement
		}
		// The partial fingerprint survives lines moving, for code scanning
		// (go-sarif's SetPartialFingerPrint writes to a nil map: the map is
		// given whole).
		run.AddResult(sarif.NewRuleResult(f.Code).WithRuleIndex(index[f.Code]).WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).WithLocations([]*sarif.Location{location(f.File, f.Line, f.Column, f.Source)}).
			WithPartialFingerPrints(map[string]any{"tokenscopeCall/v1": f.Code + ":" + f.Call}))
	}
	for _, m := range r.Manifests {
		run.AddResult(sarif.NewRuleResult("legacy_sdk_version").WithRuleIndex(index["legacy_sdk_version"]).WithLevel(sarifLevel(m.Severity)).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s %s: %s First version without them: %s.", m.Package, m.Version, m.Message, m.FixedIn))).
			WithLocations([]*sarif.Location{location(m.File, m.Line, 0, m.Source)}))
	}
	log.AddRun(run)
	return log.PrettyWrite(w)
}

func ptr(s string) *string { return &s }
