// Package scan finds the calls a codebase makes to Auth0's legacy
// Authentication API endpoints — through an SDK method, by hand, or pinned
// in a manifest — and names what replaces each one. Like migrate, it is a
// pure library: no Fyne, no network.
package scan

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/migrate"
)

// Finding is one legacy call. Its JSON is part of `scan --json`.
type Finding struct {
	File        string           `json:"file"`
	Line        int              `json:"line"`
	Column      int              `json:"column"`
	Endpoint    string           `json:"endpoint"`
	SDK         string           `json:"sdk"`
	Call        string           `json:"call"`
	Severity    finding.Severity `json:"severity"`
	Code        string           `json:"code"`
	Message     string           `json:"message"`
	Replacement string           `json:"replacement,omitempty"`
	// MigrateCode is the `tokenscope migrate` finding that explains the
	// same endpoint, where there is one.
	MigrateCode string `json:"migrate_code,omitempty"`
	// Request is what `tokenscope migrate` reads for a request built by
	// hand: the curl command, or the URL with POST.
	Request string `json:"request,omitempty"`
	// Delegation says what a /delegation call was for (renew, another API,
	// an add-on) and what replaces it, when its call or request carries
	// enough to tell (migrate's rule); absent otherwise.
	Delegation *migrate.DelegationUse `json:"delegation,omitempty"`
	// Source is the finding's line as written.
	Source string `json:"source"`

	cond    condition
	sdk     *sdk
	fixedIn string
	host    string // for onCustomDomain
}

// Manifest is an Auth0 SDK pinned at a version with the legacy methods.
type Manifest struct {
	File     string           `json:"file"`
	Line     int              `json:"line"`
	Package  string           `json:"package"`
	Version  string           `json:"version"`
	FixedIn  string           `json:"fixed_in"`
	Severity finding.Severity `json:"severity"`
	Message  string           `json:"message"`
	Source   string           `json:"source"`

	major int
}

// Summary counts what was scanned and found.
type Summary struct {
	Files      int            `json:"files"`
	Bytes      int64          `json:"bytes"`
	Skipped    int            `json:"skipped"`
	Findings   int            `json:"findings"`
	Manifests  int            `json:"manifests"`
	BySeverity map[string]int `json:"by_severity"`
	ByEndpoint map[string]int `json:"by_endpoint"`
}

// Report is a scan's result, sorted by file, line and column.
type Report struct {
	Findings  []Finding  `json:"findings"`
	Manifests []Manifest `json:"manifests"`
	Summary   Summary    `json:"summary"`
	// Problems are files that could not be read (the scan goes on).
	Problems []string `json:"problems,omitempty"`
	// NotRead lists every file the scan passed over, and why: too big,
	// binary, unreadable, a symbolic link or special file, a .gitignore
	// whose patterns were not applied.
	NotRead []NotRead `json:"not_read"`
	// Capped lists the files where a kind of finding reached the per-file
	// cap: the findings past it are counted, not listed.
	Capped []Capped `json:"capped"`

	roots []root // what was scanned, for SARIF's originalUriBaseIds
}

// Failing reports whether anything at warning or above was found.
func (r *Report) Failing() bool {
	for _, f := range r.Findings {
		if f.Severity != finding.SeverityInfo {
			return true
		}
	}
	for _, m := range r.Manifests {
		if m.Severity != finding.SeverityInfo {
			return true
		}
	}
	return false
}

// fileScan is one file being read.
type fileScan struct {
	rel          string
	lang         string
	src          string
	ln           *lines
	auth0Context bool // the file names Auth0 somewhere
	out          []Finding
	flags        []flagHit
	// JavaScript modules: SDK objects given by the modules this one imports
	// (seeds), the ones it exports, and what it imports by relative path.
	seeds   map[string]binding
	exports map[string]binding
	imports []relImport
	// kept counts the findings listed per endpoint and code; dropped, those
	// past maxPerKind.
	kept, dropped map[capKey]int
	// srcLine's text, clipped, as the last finding quoted it.
	srcLine int
	srcText string
}

// capKey is one endpoint and kind of finding (the code says SDK call,
// request or comment).
type capKey struct{ endpoint, code string }

// flagHit is a place that makes an SDK OIDC-conformant.
type flagHit struct {
	sdk  *sdk
	file string
	off  int
	ln   *lines
	// domain, when set, is an Auth0 custom domain the file configures
	// (AUTH0_DOMAIN=login.example.com), not an SDK flag.
	domain string
}

func (f *fileScan) newFinding(off int, ep, sdkName, call string, sev finding.Severity, code string) Finding {
	line, col := f.ln.at(off)
	if line != f.srcLine || f.srcText == "" { // one long line can hold thousands of findings: clip it once
		f.srcLine, f.srcText = line, clip(f.ln.text(line))
	}
	return Finding{File: f.rel, Line: line, Column: col, Endpoint: ep, SDK: sdkName, Call: call, Severity: sev, Code: code, MigrateCode: migrateCodes[ep], Source: f.srcText}
}

// maxSource caps the source line a finding quotes (a minified file is one
// long line).
const maxSource = 1000

func clip(line string) string {
	if len(line) <= maxSource {
		return line
	}
	cut := maxSource // at a character's start, so the source stays a prefix of its line
	for cut > 0 && !utf8.RuneStart(line[cut]) {
		cut--
	}
	return line[:cut]
}

// maxPerKind caps one file's findings of one endpoint and kind (a
// generated file could hold thousands), so that a flood of one kind never
// hides another; the report says where a cap was reached and how many
// findings it dropped. maxPerFile bounds them all together: no file has
// that many kinds.
const (
	maxPerKind = 1000
	maxPerFile = 16 * maxPerKind
)

func (f *fileScan) add(fd Finding) {
	k := capKey{fd.Endpoint, fd.Code}
	if f.kept[k] >= maxPerKind {
		if f.dropped == nil {
			f.dropped = map[capKey]int{}
		}
		f.dropped[k]++
		return
	}
	if f.kept == nil {
		f.kept = map[capKey]int{}
	}
	f.kept[k]++
	f.out = append(f.out, fd)
}

// languages by file extension; "text" files are read for URLs only.
var languages = map[string]string{
	".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js", ".ts": "js", ".tsx": "js", ".vue": "js", ".svelte": "js",
	// Pages and templates: legacy apps loaded auth0.js and Lock from the
	// CDN and called them in inline scripts.
	".html": "html", ".htm": "html", ".ejs": "html", ".hbs": "html", ".handlebars": "html", ".cshtml": "html", ".jsp": "html", ".erb": "html", ".pug": "html", ".jade": "html",
	".java": "java", ".kt": "kotlin", ".kts": "kotlin",
	".swift": "swift", ".m": "objc",
	".cs":  "csharp",
	".py":  "python",
	".php": "php",
	".rb":  "ruby",
	".go":  "go",
	".sh":  "shell", ".bash": "shell", ".zsh": "shell", ".ps1": "shell", ".bat": "shell", ".cmd": "shell",
	".yml": "yaml", ".yaml": "yaml",
	".json": "json",
	".env":  "config", ".properties": "config", ".toml": "config", ".ini": "config", ".conf": "config", ".cfg": "config", ".xml": "config", ".plist": "config", ".gradle": "config",
	".http": "config", ".rest": "config",
	// Scripts in other languages: full URLs, and paths on a templated host in a file that names Auth0.
	".pl": "script", ".pm": "script", ".r": "script", ".lua": "script", ".dart": "script", ".ex": "script", ".exs": "script", ".tf": "script", ".hcl": "script",
	".mk": "script", ".scala": "script", ".groovy": "script", ".rs": "script", ".c": "script", ".cc": "script", ".cpp": "script", ".h": "script", ".vb": "script", ".fs": "script",
	".psm1": "shell", ".fish": "shell", ".ipynb": "text",
}

var syntaxes = map[string]*syntax{
	"js": jsLike, "html": htmlLike, "java": cLike, "kotlin": triC, "swift": triC, "objc": cLike, "csharp": cLike,
	"python": python, "php": php, "ruby": ruby, "go": goLang,
}

// textComments is each text language's comment marker.
var textComments = map[string]string{"shell": "#", "yaml": "#", "config": "#", "script": "#"}

// Every other text file is read for full URLs on an Auth0 host: a
// request in Perl, R, Lua, Dart, Elixir, Terraform or a notebook is still
// a request ("text"); prose names an endpoint at info ("prose"). Files
// that are never text are left out before they are read.
var proseExtensions = map[string]bool{".md": true, ".markdown": true, ".mdx": true, ".rst": true, ".txt": true, ".adoc": true, ".textile": true, ".org": true}

var binaryExtensions = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".icns": true, ".bmp": true, ".webp": true, ".tif": true, ".tiff": true, ".psd": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true, ".pdf": true, ".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true, ".rar": true, ".tar": true,
	".jar": true, ".war": true, ".aar": true, ".class": true, ".dex": true, ".apk": true, ".ipa": true, ".so": true, ".dylib": true, ".dll": true, ".exe": true, ".o": true, ".a": true, ".lib": true, ".bin": true,
	".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".webm": true, ".wav": true, ".ogg": true, ".flac": true, ".wasm": true, ".pyc": true, ".db": true, ".sqlite": true, ".keystore": true, ".jks": true,
	".p12": true, ".pfx": true, ".der": true, ".car": true, ".nib": true, ".xcassets": true, ".snap": true, ".map": true}

// languageOf names the language of a file, or "" for one the scanner skips.
func languageOf(name string) string {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".min.js"), strings.HasSuffix(base, ".bundle.js"), strings.HasSuffix(base, ".map"):
		return "" // built or vendored copies
	case base == "Dockerfile" || base == "Makefile" || base == "Jenkinsfile" || strings.HasPrefix(base, ".env"):
		return "config"
	}
	ext := strings.ToLower(path.Ext(base))
	if l, ok := languages[ext]; ok {
		return l
	}
	switch {
	case proseExtensions[ext]:
		return "prose"
	case binaryExtensions[ext]:
		return ""
	}
	return "text"
}

// worthReading is the byte-level prefilter: a file that names neither
// Auth0 nor one of Auth0's own legacy paths cannot have a finding.
func worthReading(b []byte) (auth0 bool, any bool) {
	auth0 = hasAuth0(b)
	if auth0 {
		return true, true
	}
	for _, p := range [][]byte{[]byte("/delegation"), []byte("/oauth/ro"), []byte("/user/ssodata"), []byte("/tokeninfo"), []byte("/oauth/access_token")} { // the last two on a custom domain
		if bytes.Contains(b, p) {
			return false, true
		}
	}
	return false, false
}

// hasAuth0 reports whether b contains "auth0" in any case.
func hasAuth0(b []byte) bool {
	for _, n := range [][]byte{[]byte("uth0"), []byte("UTH0")} {
		for off := 0; ; {
			i := bytes.Index(b[off:], n)
			if i < 0 {
				break
			}
			i += off
			if i > 0 && (b[i-1]|0x20) == 'a' {
				return true
			}
			off = i + 1
		}
	}
	return false
}

// File scans one file's contents; rel is its path in the report. It is the
// whole per-file pipeline (prefilter, language scanner), for the tree walk
// and for tests and fuzzing.
func File(rel string, data []byte) ([]Finding, []flagHit) {
	f := scanFile(rel, data, nil)
	out := f.out[:0:0]
	for _, fd := range f.out {
		if fd.cond != onCustomDomain { // only the tree can say its custom domain
			out = append(out, fd)
		}
	}
	return out, f.flags
}

// scanFile is File with the SDK objects a module's imports give it.
func scanFile(rel string, data []byte, seeds map[string]binding) *fileScan {
	lang := languageOf(rel)
	if lang == "" {
		return &fileScan{rel: rel}
	}
	auth0, any := worthReading(data)
	if !any && (lang == "js" || lang == "html") {
		// A script may call a legacy method on a global another script
		// builds (lock.getProfile, auth.refreshIdToken) without naming Auth0.
		any = bytes.Contains(data, []byte("Token(")) || bytes.Contains(data, []byte("Profile("))
	}
	if !any && (lang == "objc" || lang == "swift") {
		// Lock for iOS 1.x code need not spell Auth0: A0Lock, A0APIClient.
		any = bytes.Contains(data, []byte("A0Lock")) || bytes.Contains(data, []byte("A0APIClient"))
	}
	if !any && len(seeds) == 0 { // an importer of an SDK object is read whatever it names
		f := &fileScan{rel: rel}
		if linksModules(lang) {
			f.imports = importsRecorded(rel, lang, data)
		}
		return f
	}
	src := string(data)
	f := &fileScan{rel: rel, lang: lang, src: src, ln: newLines(src), auth0Context: auth0, seeds: seeds}
	if syn := syntaxes[lang]; syn != nil {
		f.scanCode(syn)
	} else {
		f.scanText(textComments[lang])
	}
	return f
}

// resolve settles what depends on the whole tree: OIDC-conformance flags
// set in another file and SDK versions pinned in a manifest.
func resolve(r *Report, flags []flagHit, ps []pin) {
	r.Manifests = append(r.Manifests, legacyPins(ps)...)
	domains := map[string]*flagHit{}
	for i := range flags {
		if d := flags[i].domain; d != "" && domains[d] == nil {
			domains[d] = &flags[i]
		}
	}
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		switch f.cond {
		case onCustomDomain:
			hit := domains[f.host]
			if hit == nil {
				continue // a host nobody configures as Auth0's: somebody else's API
			}
			line, _ := hit.ln.at(hit.off)
			f.Message += fmt.Sprintf(" %s is the Auth0 custom domain %s:%d configures.", f.host, hit.file, line)
		case unlessOIDC:
			if hit := flagFor(flags, f.sdk); hit != nil {
				line, _ := hit.ln.at(hit.off)
				f.Severity = finding.SeverityWarning
				f.Message += fmt.Sprintf(" It is legacy unless the Auth0 instance used here is OIDC-conformant; %s:%d makes one instance so — check that it is this one.", hit.file, line)
			} else {
				f.Severity = finding.SeverityWarning
				f.Message += " It is legacy unless the Auth0 instance is OIDC-conformant, and no scanned file sets " + f.sdk.flag[0] + "(true)."
			}
		case belowVersion:
			if p := pinFor(ps, f.sdk.pkg, f.File); p != nil {
				if !versionBelow(p.version, f.fixedIn) {
					continue
				}
				f.Message += fmt.Sprintf(" %s is pinned to %s in %s:%d.", p.pkg, p.version, p.file, p.line)
			} else {
				f.Severity = finding.SeverityWarning
				f.Message += fmt.Sprintf(" It is legacy only below %s %s, and no scanned manifest pins %s.", f.sdk.pkg, f.fixedIn, f.sdk.pkg)
			}
		case belowMajor:
			if p := pinFor(ps, f.sdk.pkg, f.File); p != nil {
				if p.major >= f.sdk.fixedMajor {
					continue // the pinned version no longer calls the legacy endpoint
				}
				f.Message += fmt.Sprintf(" %s is pinned to %s in %s:%d.", p.pkg, p.version, p.file, p.line)
			} else {
				f.Severity = finding.SeverityWarning
				f.Message += fmt.Sprintf(" It is legacy only below %s %d, and no scanned manifest pins %s.", f.sdk.pkg, f.sdk.fixedMajor, f.sdk.pkg)
			}
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	sort.Slice(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	sort.Slice(r.Manifests, func(i, j int) bool {
		a, b := r.Manifests[i], r.Manifests[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	s := &r.Summary
	s.Findings, s.Manifests = len(r.Findings), len(r.Manifests)
	s.BySeverity, s.ByEndpoint = map[string]int{}, map[string]int{}
	for _, f := range r.Findings {
		s.BySeverity[string(f.Severity)]++
		s.ByEndpoint[f.Endpoint]++
	}
	for _, m := range r.Manifests {
		s.BySeverity[string(m.Severity)]++
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Manifests == nil {
		r.Manifests = []Manifest{}
	}
}

// versionBelow reports whether the lowest version a pin or range allows
// ("~> 4.1", "4.2.0", "^4.0") is below fixed ("4.3.0"), by major then minor.
func versionBelow(pinned, fixed string) bool {
	p, f := majorMinor(pinned), majorMinor(fixed)
	return p[0] < f[0] || p[0] == f[0] && p[1] < f[1]
}

func majorMinor(v string) [2]int {
	var out [2]int
	i := strings.IndexAny(v, "0123456789")
	if i < 0 {
		return out
	}
	for k, part := range strings.SplitN(v[i:], ".", 3) {
		if k > 1 {
			break
		}
		n := 0
		for j := 0; j < len(part) && part[j] >= '0' && part[j] <= '9'; j++ {
			n = n*10 + int(part[j]-'0')
		}
		out[k] = n
	}
	return out
}

func flagFor(flags []flagHit, s *sdk) *flagHit {
	for i := range flags {
		if flags[i].sdk == s {
			return &flags[i]
		}
	}
	return nil
}

// pinFor finds the manifest pin for pkg nearest to file: in its
// directory or the closest one above it.
func pinFor(ps []pin, pkg, file string) *pin {
	var best *pin
	for i := range ps {
		p := &ps[i]
		dir := path.Dir(p.file)
		if p.pkg != pkg || !(dir == "." || strings.HasPrefix(file, dir+"/")) {
			continue
		}
		if best == nil || len(dir) > len(path.Dir(best.file)) {
			best = p
		}
	}
	return best
}
