package scan

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// pin is an Auth0 SDK version a manifest or lock file names.
type pin struct {
	file, ecosystem, pkg, version string
	line, major                   int
	source                        string
}

// manifestRules find Auth0 SDK versions in each manifest format. Each
// pattern's first group is the package, the second the version (or range).
var manifestRules = []struct {
	match     func(base string) bool
	pattern   func() *regexp.Regexp
	ecosystem string
}{
	{isBase("package.json"), lazyRegexp(`"(auth0-js|auth0-lock|auth0)"\s*:\s*"([^"]*)"`), "npm"},
	{isBase("package-lock.json"), lazyRegexp(`"(?:node_modules/)?(auth0-js|auth0-lock|auth0)"\s*:\s*\{[^{}]*?"version"\s*:\s*"([^"]*)"`), "npm"},
	{isBase("yarn.lock"), lazyRegexp(`(?m)^"?(auth0-js|auth0-lock|auth0)@[^\n]*:\n\s+version:? "?([^"\n]+)"?`), "npm"},
	{hasSuffix(".gradle", ".gradle.kts"), lazyRegexp(`(com\.auth0\.android:(?:auth0|lock)):([0-9][^'")\s]*)`), "maven"},
	{isBase("Podfile"), lazyRegexp(`pod\s+['"](Auth0|Lock)['"]\s*,\s*['"]([^'"]+)['"]`), "cocoapods"},
	{isBase("Podfile.lock"), lazyRegexp(`(?m)^\s+- (Auth0|Lock) \(([^)]+)\)`), "cocoapods"},
	{hasSuffix(".csproj", ".fsproj", ".vbproj"), lazyRegexp(`<PackageReference\s+Include="(Auth0\.AuthenticationApi)"\s+Version="([^"]+)"`), "nuget"},
	{isBase("packages.config"), lazyRegexp(`<package\s+id="(Auth0\.AuthenticationApi)"\s+version="([^"]+)"`), "nuget"},
	{func(b string) bool { return strings.HasPrefix(b, "requirements") && strings.HasSuffix(b, ".txt") }, lazyRegexp(`(?mi)^\s*(auth0-python)\s*(?:==|~=|>=|<=|<)\s*([0-9][^\s;,#]*)`), "pypi"},
	{isBase("pyproject.toml"), lazyRegexp(`(?i)"?(auth0-python)"?\s*(?:=\s*"\^?|[=~<>]=?)\s*([0-9][^"',\s]*)`), "pypi"},
	{isBase("composer.json"), lazyRegexp(`"(auth0/auth0-php)"\s*:\s*"([^"]*)"`), "composer"},
	{isBase("Gemfile"), lazyRegexp(`gem\s+['"](auth0)['"]\s*,\s*['"]([^'"]+)['"]`), "rubygems"},
	{isBase("Gemfile.lock"), lazyRegexp(`(?m)^    (auth0) \(([^)]+)\)`), "rubygems"},
}

func isBase(name string) func(string) bool { return func(b string) bool { return b == name } }
func hasSuffix(s ...string) func(string) bool {
	return func(b string) bool {
		for _, x := range s {
			if strings.HasSuffix(b, x) {
				return true
			}
		}
		return false
	}
}

// isManifest reports whether the scanner reads name for SDK versions.
func isManifest(name string) bool {
	base := path.Base(name)
	for _, r := range manifestRules {
		if r.match(base) {
			return true
		}
	}
	return false
}

// pins reads the Auth0 SDK versions a manifest names.
func pins(rel string, data []byte) []pin {
	base := path.Base(rel)
	if !hasAuth0(data) && !(strings.HasPrefix(base, "Podfile") && bytes.Contains(data, []byte("Lock"))) { // Lock for iOS 1.x: pod 'Lock'
		return nil
	}
	src := string(data)
	var ln *lines
	var out []pin
	for _, r := range manifestRules {
		if !r.match(base) {
			continue
		}
		for _, m := range r.pattern().FindAllStringSubmatchIndex(src, -1) {
			pkg, version := src[m[2]:m[3]], strings.TrimSpace(src[m[4]:m[5]])

			major, ok := majorOf(version)
			if !ok {
				continue
			}
			if ln == nil {
				ln = newLines(src)
			}
			line, _ := ln.at(m[0])
			out = append(out, pin{file: rel, ecosystem: r.ecosystem, pkg: pkg, version: version, line: line, major: major, source: clip(ln.text(line))})
		}
	}
	return out
}

// majorOf reads the major version of a version or range ("^7.6.1", "~> 4.0",
// "[3.7.0,4)"); a range with no number (*, latest) has none.
func majorOf(v string) (int, bool) {
	i := strings.IndexAny(v, "0123456789")
	if i < 0 {
		return 0, false
	}
	j := i
	for j < len(v) && v[j] >= '0' && v[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(v[i:j])
	return n, err == nil
}

// legacyPins turns pins below the version that drops the legacy methods
// into manifest findings.
func legacyPins(ps []pin) []Manifest {
	var out []Manifest
	for _, p := range ps {
		for _, mp := range manifestPackages {
			if mp.name != p.pkg || mp.ecosystem != p.ecosystem {
				continue
			}
			fixed, _ := majorOf(mp.fixed)
			if p.major >= fixed {
				continue
			}
			out = append(out, Manifest{File: p.file, Line: p.line, Package: p.pkg, Version: p.version, FixedIn: mp.fixed, Severity: finding.SeverityWarning,
				Message: mp.message + ".", Source: p.source, major: p.major})
		}
	}
	return out
}

// cdnScripts are the Auth0 CDN's script URLs, which pin a version in a
// page: //cdn.auth0.com/w2/auth0-7.6.1.min.js (auth0.js 7),
// /js/auth0/9.11/auth0.min.js, /js/lock/10.24.3/lock.min.js and Lock 9's
// /js/lock-9.2.min.js.
var cdnScripts = []struct {
	pattern func() *regexp.Regexp
	pkg     string
}{
	{lazyRegexp(`cdn\.auth0\.com/w2/auth0-(\d+(?:\.\d+)*)`), "auth0-js"},
	{lazyRegexp(`cdn\.auth0\.com/js/auth0/(\d+(?:\.\d+)*)/`), "auth0-js"},
	{lazyRegexp(`cdn\.auth0\.com/js/lock/(\d+(?:\.\d+)*)/`), "auth0-lock"},
	{lazyRegexp(`cdn\.auth0\.com/js/lock-(\d+(?:\.\d+)*)`), "auth0-lock"},
}

// cdnPins reads the versions a page loads from the Auth0 CDN; a script tag
// inside an HTML comment loads nothing and is left out.
func cdnPins(rel string, data []byte) []pin {
	if !bytes.Contains(data, []byte("cdn.auth0.com")) {
		return nil
	}
	src := string(data)
	ln := newLines(src)
	var out []pin
	for _, c := range cdnScripts {
		for _, m := range c.pattern().FindAllStringSubmatchIndex(src, -1) {
			if inHTMLComment(src, m[0]) {
				continue
			}
			version := src[m[2]:m[3]]
			major, ok := majorOf(version)
			if !ok {
				continue
			}
			line, _ := ln.at(m[0])
			out = append(out, pin{file: rel, ecosystem: "npm", pkg: c.pkg, version: version, line: line, major: major, source: clip(ln.text(line))})
		}
	}
	return out
}

func inHTMLComment(src string, off int) bool {
	open := strings.LastIndex(src[:off], "<!--")
	return open >= 0 && !strings.Contains(src[open:off], "-->")
}

// lazyRegexp compiles a pattern the first time it is used, so the command
// line does not pay for the manifest readers unless it scans.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
