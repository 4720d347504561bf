package scan

import (
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// Requests built by joining a legacy path to a base URL: $base . 'oauth/ro',
// baseUrl + "delegation", new Uri(domain, "tokeninfo"),
// Connection.PostAsync("delegation", …), urljoin(root, 'delegation'),
// .addPathSegment("tokeninfo"), `${base}delegation`, a constant
// DELEGATION_PATH = "delegation" or a router's delegationPath returning
// @"delegation". The path has no leading slash, so the full-URL rules do
// not see it; what makes it a request is the base URL next to it.

// relativePath returns the endpoint a string names without its leading
// slash ("oauth/ro", "delegation/"), and whether a base URL placeholder
// comes first ("${base}delegation", "{0}oauth/ro", "%stokeninfo").
func relativePath(s string) (ep string, templated bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	for _, open := range []string{"${", "#{", "{"} {
		if strings.HasPrefix(s, open) {
			if end := strings.IndexByte(s, '}'); end > 0 {
				s, templated = s[end+1:], true
			}
			break
		}
	}
	if strings.HasPrefix(s, "%s") {
		s, templated = s[2:], true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "./"), "/")
	for _, e := range Endpoints {
		if s == e[1:] {
			return e, templated
		}
	}
	return "", false
}

// notURLKeys name a route, a state or an action, never a request.
var notURLKeys = map[string]bool{"path": true, "name": true, "route": true, "redirectto": true, "component": true, "state": true, "type": true, "action": true,
	"kind": true, "event": true, "id": true, "key": true, "label": true, "title": true, "view": true, "page": true, "tab": true, "scope": true, "grant_type": true, "api_type": true}

// baseURLWords are the names code gives a base URL, a domain or a path
// constant; a legacy path next to one is being joined into a URL.
var baseURLWords = []string{"domain", "baseurl", "base_url", "baseuri", "base_uri", "endpoint", "apiurl", "api_url", "rooturl", "root_url", "issuer", "tenant", "host", "auth0", "url", "uri", "base", "root", "path", "router"}

// joiningCalls are the functions and methods that put a relative path on
// a base URL or send it.
var joiningCalls = map[string]bool{"addPathSegment": true, "addPathSegments": true, "addPath": true, "urljoin": true, "urlJoin": true, "url_join": true, "join": true, "Join": true,
	"resolve": true, "Uri": true, "URL": true, "URI": true, "UriBuilder": true, "PostAsync": true, "GetAsync": true, "SendAsync": true, "post": true, "get": true, "request": true,
	"@POST": true, "@GET": true, // Retrofit: @POST("oauth/ro") on an Auth0 base URL
	"post_form": true, "format": true, "Format": true, "sprintf": true, "Sprintf": true, "appendingPathComponent": true, "URLByAppendingPathComponent": true, "stringByAppendingPathComponent": true, "URLWithString": true}

func hasBaseURLWord(name string) bool {
	l := strings.ToLower(strings.TrimLeft(name, "$@"))
	for _, w := range baseURLWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// relativeRequest decides whether the string at toks[i] is a legacy path
// joined to a base URL, and returns its endpoint. Only in a file that
// names Auth0 or uses an Auth0 SDK: "delegation" alone is a common word.
func (c *codeFile) relativeRequest(i int, ctx bool) string {
	ep, templated := relativePath(c.toks[i].text)
	if ep == "" || !ctx {
		return ""
	}
	if c.next(i, ":") || c.next(i, "=>") || c.next(i, "]") && c.lang == "php" || c.prev(i, "==") || c.prev(i, "===") || c.prev(i, "case") {
		return "" // a key or a comparison, not a URL
	}
	if c.isRouteDefinition(i) || i >= 2 && c.toks[i-1].text == "(" && (c.toks[i-2].text == "path" || c.toks[i-2].text == "url") {
		return ""
	}
	if i >= 2 && (c.prev(i, ":") || c.prev(i, "=")) && notURLKeys[strings.ToLower(strings.Trim(c.toks[i-2].text, "$@"))] {
		return "" // { path: 'delegation', component: … }, { type: 'delegation' }: a route or a name
	}
	if templated {
		return ep
	}
	line, _ := c.ln.at(c.toks[i].off)
	for k := max(0, i-8); k < len(c.toks) && k <= i+4; k++ {
		t := c.toks[k]
		if k == i || t.kind != tIdent {
			continue
		}
		if l, _ := c.ln.at(t.off); l < line-1 || l > line+1 {
			continue
		}
		if joiningCalls[t.text] && k < i || hasBaseURLWord(t.text) {
			return ep
		}
	}
	return ""
}

// relativeURL reports a legacy path joined to a base URL.
func (f *fileScan) relativeURL(ep string, off int, written string, params [][2]string) {
	fd := f.newFinding(off, ep, "raw HTTP", callText(written), finding.SeverityError, codeFor(ep, "request"))
	fd.Message = "A request to " + ep + ", a legacy Authentication API endpoint, built by joining its path to a base URL."
	fd.Replacement = rawReplacement[ep]
	fd.Request = requestFor(ep, ep, params)
	f.add(fd)
}
