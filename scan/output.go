package scan

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tokenscope/tokenscope/internal/bytecount"
	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/safetext"
)

// WriteText writes the report for a terminal: findings grouped by file,
// each with its line, a caret under the call, what it is and what
// replaces it; then the manifests, what was not read, where a cap was
// reached, and a summary. Everything that comes from the scanned files
// (names, lines, versions) goes through safetext: a control, BiDi or
// zero-width character, or a byte that is not UTF-8, is shown as an
// escape, never sent to the terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	file := ""
	for _, f := range r.Findings {
		if f.File != file {
			if file != "" {
				b.WriteByte('\n')
			}
			file = f.File
			b.WriteString(safetext.Line(file) + "\n")
		}
		sdk := f.SDK
		if sdk == "" {
			sdk = "comment"
		}
		fmt.Fprintf(&b, "  %d:%d  %s  %s  %s  [%s]\n", f.Line, f.Column, f.Severity, f.Endpoint, safetext.Line(sdk), f.Code)
		src, caret := Caret(f.Source, f.Column)
		fmt.Fprintf(&b, "    %s\n    %s\n", src, caret)
		fmt.Fprintf(&b, "    %s\n", safetext.Line(f.Message))
		if f.Replacement != "" {
			fmt.Fprintf(&b, "    Replace with: %s\n", safetext.Line(f.Replacement))
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
			fmt.Fprintf(&b, "  %s:%d  %s  %s %s (fixed in %s)\n    %s\n", safetext.Line(m.File), m.Line, m.Severity, safetext.Line(m.Package), safetext.Line(m.Version), m.FixedIn, safetext.Line(m.Message))
		}
	}
	if nr := r.NotReadText(); nr != "" {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(nr)
	}
	for _, c := range r.Capped {
		fmt.Fprintf(&b, "\n%s: only the first %s are listed (%s); %s.\n", safetext.Line(c.File), plural(c.Listed, c.Endpoint+" finding"), c.Code, moreNotListed(c.Dropped))
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(r.SummaryLine() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// notReadCounts counts the files not read and the .gitignore files not
// applied.
func (r *Report) notReadCounts() (files, ignores int) {
	for _, nr := range r.NotRead {
		if nr.Reason == "gitignore" {
			ignores++
		} else {
			files++
		}
	}
	return files, ignores
}

func moreNotListed(n int) string {
	if n == 1 {
		return "1 more is not"
	}
	return fmt.Sprintf("%d more are not", n)
}

// notReadShown is how many paths the text output names for each reason.
const notReadShown = 3

// notReadOrder puts what a user must act on first.
var notReadOrder = []string{"unreadable", "gitignore", "too_big", "binary", "special", "symlink"}

// NotReadText lists what the scan did not read, grouped by why, with a
// count and the first few paths of each (the JSON lists them all); "" when
// it read everything.
func (r *Report) NotReadText() string {
	if len(r.NotRead) == 0 {
		return ""
	}
	var b strings.Builder
	if n, _ := r.notReadCounts(); n > 0 {
		fmt.Fprintf(&b, "Not read: %s (--json lists every one under not_read)\n", plural(n, "file"))
	}
	for _, reason := range notReadOrder {
		groups := map[string][]string{}
		var details []string
		for _, nr := range r.NotRead {
			if nr.Reason != reason {
				continue
			}
			if _, ok := groups[nr.Detail]; !ok {
				details = append(details, nr.Detail)
			}
			groups[nr.Detail] = append(groups[nr.Detail], safetext.Line(nr.File))
		}
		sort.Strings(details)
		for _, d := range details {
			names := groups[d]
			if reason == "gitignore" {
				fmt.Fprintf(&b, ".gitignore not applied: %s (%s)\n", strings.Join(names, ", "), d)
				continue
			}
			shown := names
			more := ""
			if len(shown) > notReadShown {
				shown, more = shown[:notReadShown], fmt.Sprintf(", and %d more", len(names)-notReadShown)
			}
			fmt.Fprintf(&b, "  %d %s: %s%s\n", len(names), d, strings.Join(shown, ", "), more)
		}
	}
	return b.String()
}

// SummaryLine is one sentence of what the scan found.
func (r *Report) SummaryLine() string {
	s := r.Summary
	notRead := ""
	if files, ignores := r.notReadCounts(); files+ignores > 0 {
		var parts []string
		if files == 1 {
			parts = append(parts, "1 file was not read")
		} else if files > 1 {
			parts = append(parts, fmt.Sprintf("%d files were not read", files))
		}
		if ignores == 1 {
			parts = append(parts, "1 .gitignore was not applied")
		} else if ignores > 1 {
			parts = append(parts, fmt.Sprintf("%d .gitignore files were not applied", ignores))
		}
		notRead = " " + strings.Join(parts, " and ") + "."
	}
	if s.Findings == 0 && s.Manifests == 0 {
		return fmt.Sprintf("No legacy Auth0 calls found in %s (%s).", plural(s.Files, "file"), bytecount.Size(s.Bytes)) + notRead
	}
	var parts []string
	for _, sev := range []finding.Severity{finding.SeverityError, finding.SeverityWarning, finding.SeverityInfo} {
		if n := s.BySeverity[string(sev)]; n > 0 {
			if sev == finding.SeverityInfo {
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
	line := fmt.Sprintf("%s and %s (%s) in %s (%s)", plural(s.Findings, "finding"), plural(s.Manifests, "legacy SDK pin"), strings.Join(parts, ", "), plural(s.Files, "file"), bytecount.Size(s.Bytes))
	if len(eps) > 0 {
		line += ": " + strings.Join(eps, ", ")
	}
	return line + "." + notRead
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Caret returns a finding's source line (tabs shown as spaces, trimmed to
// fit a terminal around the column, hidden characters escaped by
// safetext) and a caret under the column, which counts code points of the
// line as written.
func Caret(src string, col int) (string, string) {
	type cell struct {
		text  string
		width int
	}
	var cells []cell
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		t := src[i : i+n]
		if r == '\t' {
			t = " "
		} else {
			t = safetext.Line(t)
		}
		cells = append(cells, cell{t, utf8.RuneCountInString(t)})
		i += n
	}
	start := 0
	if col > 80 {
		start = col - 40
	}
	start = min(start, len(cells))
	end := min(len(cells), start+120)
	var line strings.Builder
	pad := 0
	for i := start; i < end; i++ {
		if i < col-1 {
			pad += cells[i].width
		}
		line.WriteString(cells[i].text)
	}
	if col-1 > end {
		pad += col - 1 - end
	}
	prefix := ""
	if start > 0 {
		prefix = "…"
		pad++
	}
	return prefix + line.String(), strings.Repeat(" ", pad) + "^"
}

// WriteJSON writes the documented --json contract. It is exact: a file
// name that is not UTF-8 (which JSON strings cannot hold) keeps its lossy
// "file" and gains "file_bytes", the name's bytes in base64, as ripgrep's
// JSON carries such paths (and a source line, "source_bytes").
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// fileBytes is name's bytes when they are not UTF-8, for "file_bytes".
func fileBytes(name string) []byte {
	if utf8.ValidString(name) {
		return nil
	}
	return []byte(name)
}

// MarshalJSON adds file_bytes to a finding whose file name is not UTF-8,
// and source_bytes when its line is not.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	return json.Marshal(struct {
		plain
		FileBytes   []byte `json:"file_bytes,omitempty"`
		SourceBytes []byte `json:"source_bytes,omitempty"`
	}{plain(f), fileBytes(f.File), fileBytes(f.Source)})
}

// MarshalJSON adds file_bytes to a manifest whose file name is not UTF-8.
func (m Manifest) MarshalJSON() ([]byte, error) {
	type plain Manifest
	return json.Marshal(struct {
		plain
		FileBytes []byte `json:"file_bytes,omitempty"`
	}{plain(m), fileBytes(m.File)})
}

// MarshalJSON adds file_bytes to a file not read whose name is not UTF-8.
func (n NotRead) MarshalJSON() ([]byte, error) {
	type plain NotRead
	return json.Marshal(struct {
		plain
		FileBytes []byte `json:"file_bytes,omitempty"`
	}{plain(n), fileBytes(n.File)})
}

// MarshalJSON adds file_bytes to a capped file whose name is not UTF-8.
func (c Capped) MarshalJSON() ([]byte, error) {
	type plain Capped
	return json.Marshal(struct {
		plain
		FileBytes []byte `json:"file_bytes,omitempty"`
	}{plain(c), fileBytes(c.File)})
}

// URIPath percent-encodes a slash-separated relative path as an RFC 3986
// relative reference (SARIF 2.1.0 §3.10.2): every byte but the unreserved
// characters and the slashes between names is written %XX, so a space, a
// #, a ?, a %, a control character or a byte that is not UTF-8 stays part
// of the name and decodes back to the same bytes.
func URIPath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// sarifBase names where a report path is relative to: %SRCROOT% (the
// scanned path) for one root; with several, one base per root, each
// defined in originalUriBaseIds, and the path below it.
func (r *Report) sarifBase(file string) (base, rel string) {
	if len(r.roots) < 2 {
		return "%SRCROOT%", file
	}
	best := -1
	for i, rt := range r.roots {
		if strings.HasPrefix(file, rt.prefix) && (best < 0 || len(rt.prefix) > len(r.roots[best].prefix)) {
			best = i
		}
	}
	if best < 0 {
		return "%SRCROOT%", file
	}
	return rootID(best), strings.TrimPrefix(file, r.roots[best].prefix)
}

func rootID(i int) string { return fmt.Sprintf("ROOT%d", i+1) }

// originalURIBases defines each root's base: relative to %SRCROOT% (where
// the scan ran) when the root is below it, else its absolute file URI.
func (r *Report) originalURIBases() map[string]*sarif.ArtifactLocation {
	if len(r.roots) < 2 {
		return nil
	}
	bases := map[string]*sarif.ArtifactLocation{}
	for i, rt := range r.roots {
		dir := strings.TrimSuffix(rt.prefix, "/")
		loc := sarif.NewArtifactLocation().WithDescriptionText("the scanned path " + rt.path)
		if p := path.Clean(dir); !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../") && !filepath.IsAbs(filepath.FromSlash(dir)) {
			if p == "." {
				loc.WithUri("./")
			} else {
				loc.WithUri(URIPath(p) + "/")
			}
			loc.WithUriBaseId("%SRCROOT%")
		} else {
			abs, err := filepath.Abs(filepath.FromSlash(dir))
			if err != nil {
				abs = dir
			}
			abs = filepath.ToSlash(abs)
			if !strings.HasPrefix(abs, "/") {
				abs = "/" + abs // C:/x is file:///C:/x
			}
			loc.WithUri("file://" + URIPath(strings.TrimSuffix(abs, "/")) + "/")
		}
		bases[rootID(i)] = loc
	}
	return bases
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

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the report as SARIF 2.1.0
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for
// GitHub code scanning and other CI viewers, through go-sarif: one rule
// per finding code, one result per finding and per manifest, file URIs
// percent-encoded relative references (URIPath) to %SRCROOT% (the scanned
// path) or, with several roots, to one base per root (ROOT1, ROOT2, …,
// defined in the run's originalUriBaseIds).
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
	run.OriginalUriBaseIDs = r.originalURIBases()
	location := func(file string, line, col int, snippet string) *sarif.Location {
		region := sarif.NewRegion().WithStartLine(line).WithSnippet(sarif.NewArtifactContent().WithText(snippet))
		if col > 0 {
			region.WithStartColumn(col)
		}
		base, rel := r.sarifBase(file)
		return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(URIPath(rel)).WithUriBaseId(base)).
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
	// What was not read and where a cap dropped findings are the run's
	// notifications (§3.20.21), each pointing at its file.
	if len(r.NotRead)+len(r.Capped) > 0 {
		inv := run.AddInvocation(true)
		for _, n := range r.NotRead {
			base, rel := r.sarifBase(n.File)
			inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").
				WithTextMessage("Not read: " + n.Detail + ".").
				WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(URIPath(rel)).WithUriBaseId(base)))}))
		}
		for _, c := range r.Capped {
			base, rel := r.sarifBase(c.File)
			inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").
				WithTextMessage(fmt.Sprintf("Only the first %d %s findings (%s) are listed; %s.", c.Listed, c.Endpoint, c.Code, moreNotListed(c.Dropped))).
				WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(URIPath(rel)).WithUriBaseId(base)))}))
		}
	}
	log.AddRun(run)
	return log.PrettyWrite(w)
}

func ptr(s string) *string { return &s }
