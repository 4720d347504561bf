package scan

import (
	"net/url"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/migrate"
)

// Endpoints are the legacy Authentication API endpoints the scanner finds:
// migrate's, but for /authorize (an implicit-grant URL is not a call).
var Endpoints = []string{string(migrate.EndpointDelegation), string(migrate.EndpointRO), string(migrate.EndpointTokenInfo),
	string(migrate.EndpointAccessToken), string(migrate.EndpointSSOData)}

// distinctive endpoints are Auth0's own; /tokeninfo and /oauth/access_token
// are also Google's and Facebook's, so those need an Auth0 host or an
// Auth0 file around them.
func distinctive(ep string) bool {
	return ep == "/delegation" || ep == "/oauth/ro" || ep == "/user/ssodata"
}

// Third-party services with look-alike paths.
var lookAlikeHosts = []string{"facebook.com", "googleapis.com", "google.com", "github.com", "linkedin.com", "twitter.com", "x.com", "microsoftonline.com", "amazon.com", "okta.com", "yahoo.com", "instagram.com"}

// legacyURL decides whether s (a string literal, or a word of a script or
// config file) is a URL, or a path, of a legacy Auth0 endpoint.
func legacyURL(s string, auth0Context bool) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ".,;:)]}>\"'`")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	var host, path string
	switch {
	case strings.Contains(s, "://"):
		rest := s[strings.Index(s, "://")+3:]
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return ""
		}
		host, path = rest[:i], rest[i:]
	case strings.HasPrefix(s, "/"):
		path = s
	default:
		i := strings.IndexByte(s, '/')
		// "https://" . $tenant . ".auth0.com/tokeninfo": the rest of a host
		// built by concatenation.
		if i <= 0 || !isPlaceholder(s[:i]) && !strings.HasSuffix(strings.ToLower(s[:i]), "auth0.com") {
			return ""
		}
		host, path = s[:i], s[i:]
	}
	path = strings.TrimSuffix(path, "/")
	ep := ""
	for _, e := range Endpoints {
		if path == e {
			ep = e
		}
	}
	if ep == "" {
		return ""
	}
	lower := strings.ToLower(host)
	switch {
	case host == "":
		if !auth0Context {
			return ""
		}
	case strings.Contains(lower, "auth0"):
	case isPlaceholder(host):
		if !auth0Context && !distinctive(ep) {
			return ""
		}
	default:
		for _, h := range lookAlikeHosts {
			if lower == h || strings.HasSuffix(lower, "."+h) {
				return ""
			}
		}
		if !auth0Context || !distinctive(ep) {
			return ""
		}
	}
	return ep
}

// auth0Host reports whether a URL's host is an Auth0 tenant (acme.auth0.com,
// acme.eu.auth0.com): what a file in any language may hold as a request.
func auth0Host(u string) bool {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	host = strings.ToLower(host)
	return strings.HasSuffix(host, ".auth0.com") || isPlaceholder(host)
}

// namesTenant reports whether a URL's host is an Auth0 tenant or a
// placeholder that names one (YOUR_DOMAIN, ${account.namespace}), not
// a bare {} or %s in prose about an SDK's internals.
func namesTenant(u string) bool {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	return strings.Contains(strings.ToLower(host), "auth0") || isPlaceholder(host) && strings.IndexFunc(host, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) >= 0
}

// isPlaceholder reports whether host is filled in at run time:
// ${domain}, {{domain}}, {domain}, {}, $DOMAIN, %s, #{domain}, YOUR_DOMAIN.
func isPlaceholder(host string) bool {
	return strings.ContainsAny(host, "{}$%") || strings.Contains(host, `\(`) || strings.HasPrefix(host, "YOUR_") || strings.Contains(host, "<") || strings.Contains(host, "+")
}

// rawURL reports a string literal that is a legacy endpoint's URL.
func (f *fileScan) rawURL(value string, off int, written string, ctx bool, params [][2]string) {
	ep := legacyURL(value, ctx)
	host := ""
	if ep == "" {
		if ep, host = customDomainURL(value); ep == "" {
			return
		}
	}
	fd := f.newFinding(off, ep, "raw HTTP", callText(written), finding.SeverityError, codeFor(ep, "request"))
	fd.Message = "A request to " + ep + ", a legacy Authentication API endpoint, built by hand."
	fd.Replacement = rawReplacement[ep]
	fd.Request = requestFor(value, ep, params)
	if host != "" {
		fd.cond, fd.host = onCustomDomain, host
	}
	f.add(fd)
}

// customDomainURL reads a full URL to a legacy path on a host that is
// neither Auth0's nor a known third party's: a request if the tree
// configures that host as its Auth0 custom domain (resolve decides).
func customDomainURL(s string) (ep, host string) {
	s = strings.TrimRight(strings.TrimSpace(s), ".,;:)]}>\"'`")
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "", ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	host, path, ok := strings.Cut(rest, "/")
	if !ok || host == "" || isPlaceholder(host) {
		return "", ""
	}
	host = strings.ToLower(host)
	for _, h := range lookAlikeHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return "", ""
		}
	}
	path = "/" + strings.TrimSuffix(path, "/")
	for _, e := range Endpoints {
		if path == e {
			return e, host
		}
	}
	return "", ""
}

// domainSetting finds a setting whose key names a domain and its value,
// in a config, .env, YAML, JSON or shell file.
var domainSetting = lazyRegexp(`(?i)([A-Za-z0-9_.-]*domain[A-Za-z0-9_.-]*)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9.:/-]+)`)

// customDomain reads the host an Auth0 domain setting names
// (AUTH0_DOMAIN=login.example.com, domain: 'login.example.com' in a file
// that names Auth0), or "".
func customDomain(key, value string) string {
	if !strings.Contains(strings.ToLower(key), "domain") {
		return ""
	}
	v := strings.ToLower(strings.Trim(strings.TrimSpace(value), "\"'`"))
	v = strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://")
	v = strings.TrimSuffix(v, "/")
	if strings.HasSuffix(v, ".auth0.com") || !strings.Contains(v, ".") || strings.ContainsAny(v, " /{}$%<>()\\") || strings.HasPrefix(v, "your") {
		return ""
	}
	return v
}

// mention reports a comment that holds a legacy endpoint's URL (commented-
// out code, documentation to update): never more than info.
func (f *fileScan) mention(text string, off int, ctx bool) {
	if !ctx {
		return
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '(' || r == '`' || r == '"' || r == '\''
	}) {
		if !strings.Contains(w, "://") {
			continue // a URL, not prose about an endpoint ("see the /delegation docs")
		}
		if ep := legacyURL(w, true); ep != "" {
			i := strings.Index(text, w)
			fd := f.newFinding(off+i, ep, "", callText(w), finding.SeverityInfo, "legacy_endpoint_mention")
			fd.Message = "A comment names " + ep + "; update it when the code around it moves to /oauth/token."
			f.add(fd)
			return
		}
	}
}

var rawReplacement = map[string]string{
	"/delegation":         "POST /oauth/token with grant_type=refresh_token (audience optional); `tokenscope migrate` rewrites the captured request",
	"/oauth/ro":           replacePassword,
	"/tokeninfo":          replaceUserinfo,
	"/oauth/access_token": replaceSocialToken,
	"/user/ssodata":       replaceSSOData,
}

// migrateCodes are the `tokenscope migrate` finding codes that explain the
// same endpoint in a captured request.
var migrateCodes = map[string]string{
	string(migrate.EndpointRO):          migrate.CodeResourceOwner,
	string(migrate.EndpointTokenInfo):   migrate.CodeTokenInfo,
	string(migrate.EndpointAccessToken): migrate.CodeSocialAccessToken,
	string(migrate.EndpointSSOData):     migrate.CodeSSOData,
}

var endpointCode = map[string]string{
	"/delegation":         "delegation",
	"/oauth/ro":           "ro",
	"/tokeninfo":          "tokeninfo",
	"/oauth/access_token": "access_token",
	"/user/ssodata":       "ssodata",
}

// codeFor names a finding: legacy_delegation_call for an SDK method,
// legacy_delegation_request for a request built by hand.
func codeFor(ep, kind string) string { return "legacy_" + endpointCode[ep] + "_" + kind }

// requestFor turns a URL the scanner found, and the body parameters it
// read around it, into a raw HTTP request `tokenscope migrate` reads. A
// host filled in at run time becomes YOUR_DOMAIN.
func requestFor(u, ep string, params [][2]string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	host := "YOUR_DOMAIN"
	if !strings.HasPrefix(u, "/") {
		rest := u
		if _, r, ok := strings.Cut(u, "://"); ok {
			rest = r
		}
		if h, _, _ := strings.Cut(rest, "/"); !isPlaceholder(h) && h != "" {
			host = h
		}
	}
	method := "POST"
	if ep == "/user/ssodata" {
		method = "GET"
	}
	form := url.Values{}
	var keys []string
	for _, p := range params {
		if _, dup := form[p[0]]; !dup {
			keys = append(keys, p[0])
		}
		form.Set(p[0], p[1])
	}
	if ep == "/delegation" && len(keys) > 0 && form.Get("grant_type") == "" {
		form.Set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
		keys = append([]string{"grant_type"}, keys...)
	}
	var body strings.Builder
	for i, k := range keys {
		if i > 0 {
			body.WriteByte('&')
		}
		body.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(form.Get(k)))
	}
	req := method + " https://" + host + ep + " HTTP/1.1\r\nHost: " + host + "\r\n"
	if body.Len() > 0 {
		req += "Content-Type: application/x-www-form-urlencoded\r\n\r\n" + body.String() + "\r\n"
	} else {
		req += "\r\n"
	}
	return req
}

// scanText reads a file that is not code (a shell script, Postman
// collection, YAML or JSON config, .env): each word around an endpoint
// path is a URL candidate; a curl command becomes the finding's request.
func (f *fileScan) scanText(comment string) {
	src := f.src
	if f.auth0Context { // AUTH0_DOMAIN=login.example.com, domain: "login.example.com"
		for _, m := range domainSetting().FindAllStringSubmatchIndex(src, -1) {
			if d := customDomain(src[m[2]:m[3]], src[m[4]:m[5]]); d != "" {
				f.flags = append(f.flags, flagHit{file: f.rel, off: m[4], ln: f.ln, domain: d})
			}
		}
	}
	seen := map[int]bool{}
	var postman map[string]string
	if f.lang == "json" {
		postman = postmanRequests(src)
	}
	for _, ep := range Endpoints {
		for from := 0; ; {
			i := strings.Index(src[from:], ep)
			if i < 0 {
				break
			}
			i += from
			if len(f.out) >= maxPerFile {
				return
			}
			start, end := wordAround(src, i, i+len(ep))
			from = end // every later match in this word is the same word
			if seen[start] {
				continue
			}
			seen[start] = true
			word := src[start:end]
			line, _ := f.ln.at(start)
			text := strings.TrimSpace(f.ln.text(line))
			if comment != "" && strings.HasPrefix(text, comment) {
				f.mention(word, start, f.auth0Context || legacyURL(word, false) != "")
				continue
			}
			if _, isRequest := postman[word]; postman != nil && !isRequest || f.lang == "prose" {
				// A collection's descriptions and a document's text name an
				// endpoint; only a request's URL calls it. A document
				// names an Auth0 tenant (acme.auth0.com, ${account.namespace}).
				if f.lang != "prose" || namesTenant(word) {
					f.mention(word, start, f.auth0Context || legacyURL(word, false) != "")
				}
				continue
			}
			if strings.HasPrefix(word, "/") && !settingValue(src, start, end) {
				continue // a path in a sentence ("migrate Auth0 /delegation calls"), not a setting's value
			}
			got, host := legacyURL(word, f.auth0Context), ""
			if got != "" && f.lang == "text" && !auth0Host(word) {
				got = ""
			}
			if got == "" {
				if got, host = customDomainURL(word); got == "" {
					continue
				}
			}
			fd := f.newFinding(start, got, "raw HTTP", callText(word), finding.SeverityError, codeFor(got, "request"))
			fd.Message = "A request to " + got + ", a legacy Authentication API endpoint, built by hand."
			fd.Replacement = rawReplacement[got]
			if req, ok := postman[word]; ok {
				fd.Request = req
			} else if cmd := curlAround(src, start); cmd != "" {
				fd.Request = cmd
				fd.Call = callText(cmd)
			} else {
				fd.Request = requestFor(word, got, nil)
			}
			if host != "" {
				fd.cond, fd.host = onCustomDomain, host
			}
			f.add(fd)
		}
	}
}

// settingValue reports whether src[start:end] stands alone as a value: after
// "=", ":", a quote, a flag or the start of its line, and before a quote, a
// comma, a backslash or the end of its line.
func settingValue(src string, start, end int) bool {
	i := start
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	before := i == 0 || strings.ContainsRune("=:\"'`\n([,", rune(src[i-1])) || i >= 2 && src[i-1] == '-' && src[i-2] == ' '
	j := end
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	after := j == len(src) || strings.ContainsRune("\"'`\r\n,\\)]", rune(src[j]))
	return before && after
}

func wordAround(src string, i, j int) (int, int) {
	stopLeft := " \t\r\n\"'`=(<,"
	stopRight := " \t\r\n\"'`<,"
	for i > 0 && !strings.ContainsRune(stopLeft, rune(src[i-1])) {
		i--
	}
	for j < len(src) && !strings.ContainsRune(stopRight, rune(src[j])) {
		j++
	}
	return i, j
}

// curlAround returns the whole curl command (with its \ continuations)
// whose URL starts at off, or "".
func curlAround(src string, off int) string {
	start := strings.LastIndexByte(src[:off], '\n') + 1
	for start > 1 && strings.HasSuffix(strings.TrimRight(src[:start-1], " \t\r"), "\\") {
		start = strings.LastIndexByte(src[:start-1], '\n') + 1
	}
	end := off
	for {
		nl := strings.IndexByte(src[end:], '\n')
		if nl < 0 {
			end = len(src)
			break
		}
		line := strings.TrimRight(src[end:end+nl], " \t\r")
		end += nl + 1
		if !strings.HasSuffix(line, "\\") {
			end--
			break
		}
	}
	cmd := strings.TrimSpace(src[start:end])
	if !strings.Contains(cmd, "curl ") {
		return ""
	}
	return cmd[strings.Index(cmd, "curl "):]
}
