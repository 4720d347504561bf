package scan

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// TestEveryManifestFormatNamesTheLegacyPinAndItsLine, in the shapes each
// tool writes (lock files included), and leaves modern pins alone.
func TestEveryManifestFormatNamesTheLegacyPinAndItsLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ file, src, want string }{
		{"package.json", "{\n  \"dependencies\": {\n    \"auth0-js\": \"~7.6.1\",\n    \"auth0-lock\": \"^11.35.1\"\n  }\n}\n", "3 auth0-js ~7.6.1 8.0.0"},
		{"package-lock.json", "{\n  \"packages\": {\n    \"node_modules/auth0\": {\n      \"version\": \"2.44.1\",\n      \"resolved\": \"https://registry.npmjs.org/auth0/-/auth0-2.44.1.tgz\"\n    }\n  }\n}\n", "3 auth0 2.44.1 4.0.0"},
		{"yarn.lock", "auth0-lock@^10.24.3:\n  version \"10.24.3\"\n  resolved \"https://registry.yarnpkg.com/auth0-lock/-/auth0-lock-10.24.3.tgz\"\n", "1 auth0-lock 10.24.3 11.0.0"},
		{"build.gradle.kts", "dependencies {\n    implementation(\"com.auth0.android:auth0:1.30.0\")\n}\n", "2 com.auth0.android:auth0 1.30.0 2.0.0"},
		{"Podfile.lock", "PODS:\n  - Auth0 (1.39.1):\n    - JWTDecode\n", "2 Auth0 1.39.1 2.0.0"},
		{"packages.config", "<packages>\n  <package id=\"Auth0.AuthenticationApi\" version=\"3.7.0\" targetFramework=\"net452\" />\n</packages>\n", "2 Auth0.AuthenticationApi 3.7.0 4.0.0"},
		{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.8\"\nauth0-python = \"^3.24\"\n", "3 auth0-python 3.24 4.0.0"},
		{"requirements-dev.txt", "auth0-python>=4.1\n", ""},
		{"composer.json", "{\"require\": {\"auth0/auth0-php\": \"^7.0\"}}\n", ""},
		{"Gemfile.lock", "GEM\n  specs:\n    auth0 (4.17.1)\n      rest-client (~> 2.1)\n", "3 auth0 4.17.1 5.0.0"},
		{"package.json", "{\"dependencies\": {\"auth0-js\": \"latest\"}}\n", ""},
	} {
		var got []string
		for _, m := range legacyPins(pins(c.file, []byte(c.src))) {
			got = append(got, fmt.Sprintf("%d %s %s %s", m.Line, m.Package, m.Version, m.FixedIn))
		}
		if strings.Join(got, "; ") != c.want {
			t.Errorf("%s:\n%s\ngot  %q\nwant %q", c.file, c.src, got, c.want)
		}
	}
}

// TestAVersionConditionFollowsTheNearestManifest: Lock's getProfile is an
// error under a Lock 10 pin, gone under Lock 11, and a warning that says
// why when no manifest pins Lock.
func TestAVersionConditionFollowsTheNearestManifest(t *testing.T) {
	t.Parallel()
	call := "import Auth0Lock from 'auth0-lock';\nconst lock = new Auth0Lock('id', 'acme.auth0.com');\nlock.getProfile(t, cb);\n"
	root := writeTree(t, map[string]string{
		"package.json":          "{\"dependencies\": {\"auth0-lock\": \"10.24.3\"}}\n",
		"old/app.js":            call,
		"new/package.json":      "{\"dependencies\": {\"auth0-lock\": \"11.35.1\"}}\n",
		"new/app.js":            call,
		"elsewhere/app.js":      call,
		"elsewhere/deep/app.js": call,
	})
	r, err := Run(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.File+" "+string(f.Severity))
	}
	if strings.Join(got, ", ") != "elsewhere/app.js error, elsewhere/deep/app.js error, old/app.js error" {
		t.Fatalf("with a root Lock 10 pin: %q", got)
	}
	root = writeTree(t, map[string]string{"app.js": call})
	r, err = Run(context.Background(), []string{root}, Options{})
	if err != nil || len(r.Findings) != 1 || r.Findings[0].Severity != finding.SeverityWarning || !strings.Contains(r.Findings[0].Message, "no scanned manifest pins auth0-lock") {
		t.Fatalf("without a manifest: %+v %v", r.Findings, err)
	}
}
