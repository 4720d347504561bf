package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/tokenscope/tokenscope/internal/finding"
)

const legacyJS = "fetch('https://acme.auth0.com/delegation', { method: 'POST' });\n"

// writeTree writes files (path → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func reportedFiles(r *Report) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range r.Findings {
		if !seen[f.File] {
			seen[f.File] = true
			out = append(out, f.File)
		}
	}
	sort.Strings(out)
	return out
}

// TestTheWalkHonoursGitignoreVendoredFoldersAndExcludes: git's rules
// (nested files, directory patterns, negation, anchoring), the vendored
// folders unless --include-vendor, --exclude globs, binary files and
// symbolic links out of the tree.
func TestTheWalkHonoursGitignoreVendoredFoldersAndExcludes(t *testing.T) {
	t.Parallel()
	outside := writeTree(t, map[string]string{"secret/legacy.js": legacyJS})
	root := writeTree(t, map[string]string{
		".gitignore":                   "dist/\n*.gen.js\n!keep.gen.js\n/top-only.js\n",
		"src/a.js":                     legacyJS,
		"src/c.gen.js":                 legacyJS,
		"src/keep.gen.js":              legacyJS,
		"src/top-only.js":              legacyJS, // the pattern is anchored to the root
		"top-only.js":                  legacyJS,
		"dist/b.js":                    legacyJS,
		"sub/.gitignore":               "local.js\n",
		"sub/local.js":                 legacyJS,
		"sub/other.js":                 legacyJS,
		"node_modules/auth0-js/x.js":   legacyJS,
		"app/vendor/lib/y.rb":          "# auth0\nURL = 'https://acme.auth0.com/tokeninfo'\n",
		"test/fixtures/z.js":           legacyJS,
		"src/spec/a.spec.js":           legacyJS,
		"src/image.js":                 "\x00\x01" + legacyJS,
		".github/workflows/renew.yaml": "run: curl https://acme.auth0.com/oauth/ro\n",
	})
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "linked")); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), []string{root}, Options{Exclude: []string{"test/**", "*.spec.js"}})
	if err != nil {
		t.Fatal(err)
	}
	want := ".github/workflows/renew.yaml src/a.js src/keep.gen.js src/top-only.js sub/other.js"
	if got := strings.Join(reportedFiles(r), " "); got != want {
		t.Fatalf("reported %s\nwant     %s", got, want)
	}
	if r.Summary.Skipped != 1 {
		t.Errorf("the binary file should be counted as skipped: %+v", r.Summary)
	}

	r, err = Run(context.Background(), []string{root}, Options{IncludeVendor: true, Exclude: []string{"test/**", "*.spec.js"}})
	if err != nil {
		t.Fatal(err)
	}
	want = ".github/workflows/renew.yaml app/vendor/lib/y.rb node_modules/auth0-js/x.js src/a.js src/keep.gen.js src/top-only.js sub/other.js"
	if got := strings.Join(reportedFiles(r), " "); got != want {
		t.Fatalf("with --include-vendor: %s\nwant %s", got, want)
	}
}

// TestWhatCannotBeScannedIsAUsageErrorThatSaysWhere: a missing path and a
// bad glob stop the scan before it starts; a cancelled scan reports
// nothing.
func TestWhatCannotBeScannedIsAUsageErrorThatSaysWhere(t *testing.T) {
	t.Parallel()
	var ue *UsageError
	_, err := Run(context.Background(), []string{"no/such/dir"}, Options{})
	if !errors.As(err, &ue) || err.Error() != "cannot scan no/such/dir: no such file or directory" {
		t.Fatalf("missing path: %v", err)
	}
	_, err = Run(context.Background(), []string{"."}, Options{Exclude: []string{"src/[a"}})
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `the exclude glob "src/[a" is not valid`) {
		t.Fatalf("bad glob: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := Run(ctx, []string{filepath.Join("testdata", "corpus")}, Options{}); !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("cancelled: %v, %v", r, err)
	}
}

// TestSeveralRootsKeepTheirOwnPaths: with one root, paths are relative to
// it; with several, each keeps the path it was given, so two files of the
// same name stay apart.
func TestSeveralRootsKeepTheirOwnPaths(t *testing.T) {
	t.Parallel()
	a := writeTree(t, map[string]string{"src/app.js": legacyJS})
	b := writeTree(t, map[string]string{"src/app.js": legacyJS, "one.sh": "curl https://acme.auth0.com/delegation\n"})
	r, err := Run(context.Background(), []string{a, b, filepath.Join(b, "one.sh")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.ToSlash(a) + "/src/app.js", filepath.ToSlash(b) + "/one.sh", filepath.ToSlash(b) + "/src/app.js"}
	sort.Strings(want)
	got := reportedFiles(r)
	if strings.Join(got, " ") != strings.Join(want, " ") || len(r.Findings) != 4 {
		t.Fatalf("got %q (%d findings), want %q", got, len(r.Findings), want)
	}
	r, err = Run(context.Background(), []string{filepath.Join(b, "one.sh")}, Options{})
	if err != nil || len(r.Findings) != 1 || r.Findings[0].File != "one.sh" {
		t.Fatalf("a single file root: %+v %v", r, err)
	}
}

// TestProgressCountsEveryFileAndStopsWithTheScan: the last call has the
// totals, and none comes after Run returns.
func TestProgressCountsEveryFileAndStopsWithTheScan(t *testing.T) {
	t.Parallel()
	var calls, after atomic.Int64
	var done atomic.Bool
	var lastFiles atomic.Int64
	r, err := Run(context.Background(), []string{filepath.Join("testdata", "corpus")}, Options{Progress: func(files int, n int64) {
		calls.Add(1)
		lastFiles.Store(int64(files))
		if done.Load() {
			after.Add(1)
		}
	}})
	done.Store(true)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() == 0 || int(lastFiles.Load()) != r.Summary.Files || after.Load() != 0 {
		t.Fatalf("progress: %d calls, last %d files (report %d), %d after Run returned", calls.Load(), lastFiles.Load(), r.Summary.Files, after.Load())
	}
}

// TestTheJSONReportIsTheDocumentedContract decodes `scan --json` as a CI
// script would.
func TestTheJSONReportIsTheDocumentedContract(t *testing.T) {
	t.Parallel()
	r, err := Run(context.Background(), []string{filepath.Join("testdata", "corpus")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Manifest []map[string]any `json:"manifests"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "line", "column", "endpoint", "sdk", "call", "severity", "code", "message", "replacement"} {
		if _, ok := doc.Findings[0][k]; !ok {
			t.Errorf("a finding has no %q: %v", k, doc.Findings[0])
		}
	}
	for _, k := range []string{"file", "line", "package", "version", "message", "fixed_in"} {
		if _, ok := doc.Manifest[0][k]; !ok {
			t.Errorf("a manifest has no %q: %v", k, doc.Manifest[0])
		}
	}
	if doc.Findings[0]["file"] != "android/app/src/main/java/com/example/legacy/LegacyAuth.java" {
		t.Errorf("file is not relative with forward slashes: %v", doc.Findings[0]["file"])
	}
	eps := doc.Summary["by_endpoint"].(map[string]any)
	if doc.Summary["findings"].(float64) != 45 || eps["/delegation"].(float64) != 22 || doc.Summary["files"].(float64) != float64(r.Summary.Files) {
		t.Errorf("summary %v", doc.Summary)
	}
}

// TestSARIFHasOneRulePerCodeAndEveryResultPointsAtOne checks the log
// against SARIF 2.1.0's required structure (§3.13, §3.19, §3.27, §3.49).
func TestSARIFHasOneRulePerCodeAndEveryResultPointsAtOne(t *testing.T) {
	t.Parallel()
	r, err := Run(context.Background(), []string{filepath.Join("testdata", "corpus")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteSARIF(&buf, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	log, err := sarif.FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "tokenscope" || *log.Runs[0].Tool.Driver.Version != "1.2.3" {
		t.Fatalf("log header: %+v", log)
	}
	run := log.Runs[0]
	ids := map[string]bool{}
	for _, rule := range run.Tool.Driver.Rules {
		if ids[rule.ID] || rule.ShortDescription == nil || *rule.ShortDescription.Text == "" || *rule.ShortDescription.Text == rule.ID {
			t.Errorf("rule %+v repeated or undescribed", rule)
		}
		ids[rule.ID] = true
	}
	codes := map[string]bool{"legacy_sdk_version": true}
	for _, f := range r.Findings {
		codes[f.Code] = true
	}
	if len(ids) != len(codes) {
		t.Errorf("%d rules for %d codes", len(ids), len(codes))
	}
	if len(run.Results) != len(r.Findings)+len(r.Manifests) {
		t.Fatalf("%d results for %d findings and %d manifests", len(run.Results), len(r.Findings), len(r.Manifests))
	}
	levels := map[string]int{}
	for _, res := range run.Results {
		if res.RuleIndex == nil || run.Tool.Driver.Rules[*res.RuleIndex].ID != *res.RuleID {
			t.Errorf("result %s points at rule %v", *res.RuleID, res.RuleIndex)
		}
		loc := res.Locations[0].PhysicalLocation
		if strings.HasPrefix(*loc.ArtifactLocation.URI, "/") || *loc.ArtifactLocation.URIBaseId != "%SRCROOT%" || *loc.Region.StartLine < 1 {
			t.Errorf("location %+v", loc)
		}
		levels[*res.Level]++
	}
	if levels["error"] != r.Summary.BySeverity["error"] || levels["warning"] != r.Summary.BySeverity["warning"] || levels["note"] != r.Summary.BySeverity["info"] {
		t.Errorf("levels %v, severities %v", levels, r.Summary.BySeverity)
	}
	// An empty scan is still a valid log: results is [], not null.
	buf.Reset()
	if err := (&Report{}).WriteSARIF(&buf, "1.2.3"); err != nil || !strings.Contains(buf.String(), `"results": []`) {
		t.Fatalf("empty scan: %v\n%s", err, buf.String())
	}
}

// TestTheTextReportPutsACaretUnderTheCall.
func TestTheTextReportPutsACaretUnderTheCall(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"web/auth.js": "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\nexport const f = () => a0.refreshToken(rt, cb);\n"})
	r, err := Run(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := "web/auth.js\n  3:24  error  /delegation  auth0.js@7  [legacy_delegation_call]\n    export const f = () => a0.refreshToken(rt, cb);\n                           ^\n"
	if !strings.HasPrefix(buf.String(), want) || !strings.HasSuffix(buf.String(), "1 finding and 0 legacy SDK pins (1 error) in 1 file (104 bytes): /delegation 1.\n") {
		t.Fatalf("text report:\n%s", buf.String())
	}
	if !r.Failing() {
		t.Fatal("an error finding must fail the scan")
	}
	r.Findings[0].Severity = finding.SeverityInfo
	if r.Failing() {
		t.Fatal("info alone must not fail the scan")
	}
}

// TestAnSDKObjectIsFollowedIntoTheModulesThatImportIt: exported from one
// module (module.exports, export const, export default) and used in
// another through a relative import or require; a same-named export that
// is no SDK object, and a package import, are not followed.
func TestAnSDKObjectIsFollowedIntoTheModulesThatImportIt(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{
		"lib/client.js":     "const { AuthenticationClient } = require('auth0');\nmodule.exports = new AuthenticationClient({});\n",
		"lib/web.ts":        "import auth0 from 'auth0-js';\nexport const webAuth = new auth0.WebAuth({});\nconst legacy = new auth0.Authentication({});\nexport { legacy as authApi };\n",
		"lib/lock/index.js": "import Auth0Lock from 'auth0-lock';\nexport default new Auth0Lock('id', 'acme.auth0.com');\n",
		"lib/fake.js":       "// auth0 look-alike\nmodule.exports = { tokens: { getInfo() {} } };\n",
		"routes/a.js":       "const auth0 = require('../lib/client');\nauth0.tokens.getInfo(t);\n",
		"routes/b.ts":       "import { webAuth, authApi as api } from '../lib/web';\nwebAuth.client.delegation({}, cb);\napi.loginWithResourceOwner({}, cb);\n",
		"routes/c.js":       "import lock from '../lib/lock';\nlock.getProfile(t, cb); // auth0\n",
		"routes/d.js":       "const auth0 = require('../lib/fake');\nauth0.tokens.getInfo(t);\n",
		"routes/e.js":       "const auth0 = require('auth0-client');\nauth0.tokens.getInfo(t);\n",
	})
	got := scanLines(t, root)
	if want := "routes/a.js:2 legacy_tokeninfo_call, routes/b.ts:2 legacy_delegation_call, routes/b.ts:3 legacy_ro_call, routes/c.js:2 legacy_tokeninfo_call"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestAPythonModulesSDKObjectIsFollowedIntoItsImporters: a top-level
// binding is importable (absolutely, matched by the end of its path, or
// relatively); a binding inside a function is not.
func TestAPythonModulesSDKObjectIsFollowedIntoItsImporters(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{
		"backend/utils/auth0.py":    "from auth0.v3.authentication import Delegated, Users\ndelegated = Delegated('acme.auth0.com')\n\ndef make():\n    users = Users('acme.auth0.com')\n    return users\n",
		"backend/views/a.py":        "from utils.auth0 import delegated as d\n\ndef go(rt):\n    return d.get_token(client_id='x', target='x', api_type='app', grant_type='g', refresh_token=rt)\n",
		"backend/views/b.py":        "from ..utils.auth0 import (\n    delegated,\n)\ndelegated.get_token(client_id='x', target='x', api_type='app', grant_type='g', id_token=t)\n",
		"backend/views/c.py":        "from utils.auth0 import users\nusers.tokeninfo(jwt)\n",
		"backend/views/__init__.py": "",
	})
	got := scanLines(t, root)
	if want := "backend/views/a.py:4 legacy_delegation_call, backend/views/b.py:4 legacy_delegation_call"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// scanLines scans root and lists its findings as "file:line code".
func scanLines(t *testing.T, root string) string {
	t.Helper()
	r, err := Run(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Code))
	}
	return strings.Join(got, ", ")
}

// TestACapOnOneKindNeverHidesAnother: a file with 1,500 /delegation calls
// and then one /tokeninfo request lists 1,000 of the first, the second,
// and says how many it dropped where.
func TestACapOnOneKindNeverHidesAnother(t *testing.T) {
	t.Parallel()
	src := "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\n" + strings.Repeat("a0.refreshToken(rt, cb);\n", 1500) + "fetch('https://acme.auth0.com/tokeninfo');\n"
	root := writeTree(t, map[string]string{"gen.js": src})
	r, err := Run(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.ByEndpoint["/delegation"] != maxPerKind || r.Summary.ByEndpoint["/tokeninfo"] != 1 {
		t.Fatalf("by endpoint %v", r.Summary.ByEndpoint)
	}
	want := []Capped{{File: "gen.js", Endpoint: "/delegation", Code: "legacy_delegation_call", Listed: 1000, Dropped: 500}}
	if fmt.Sprint(r.Capped) != fmt.Sprint(want) {
		t.Fatalf("capped %+v", r.Capped)
	}
}
