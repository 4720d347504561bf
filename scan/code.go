package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// callArgs is what the rules need of a call's arguments.
type callArgs struct {
	count  int
	labels []string // Swift argument labels
	first  string   // the first argument's first token
}

// codeFile is one source file being read for SDK calls.
type codeFile struct {
	*fileScan
	toks  []token
	inUse []*sdk             // SDKs this file imports or builds
	bound map[string]binding // variables, fields and parameters holding an SDK object
	// factories are functions and getters that return a new SDK object
	// (function initAuth0() { return new auth0.WebAuth(…) }, def client():
	// return Delegated(…)): calling one builds that object.
	factories map[string]binding
	bare      map[string]binding // methods destructured off an SDK object, called bare
	flagged   map[*sdk]bool      // SDKs this file makes OIDC-conformant
}

var importKeywords = map[string]bool{"namespace": true, "import": true, "from": true, "using": true, "use": true, "require": true, "require_once": true, "include": true}

var definitionKeywords = map[string]bool{"function": true, "def": true, "fun": true, "func": true, "class": true, "interface": true, "struct": true, "protocol": true, "extension": true}

var memberOps = map[string]bool{".": true, "?.": true, "->": true, "::": true}

// maxLookaround bounds how far a rule looks for a bracket's partner or a
// call's arguments, so hostile or generated input stays linear.
const maxLookaround = 1000

// scanCode finds SDK calls, raw legacy URLs in string literals and
// mentions in comments.
func (f *fileScan) scanCode(syn *syntax) {
	src := f.src
	if f.lang == "html" && !strings.HasSuffix(f.rel, ".pug") && !strings.HasSuffix(f.rel, ".jade") {
		src = scriptsOnly(src)
	}
	c := &codeFile{fileScan: f, toks: lex(src, syn), bound: map[string]binding{}, bare: map[string]binding{}, flagged: map[*sdk]bool{}}
	c.findSDKs()
	for local, b := range f.seeds {
		c.bound[local] = b
		if b.factory {
			if c.factories == nil {
				c.factories = map[string]binding{}
			}
			c.factories[local] = b
		}
		if !slices.Contains(c.inUse, b.sdk) {
			c.inUse = append(c.inUse, b.sdk)
		}
	}
	if len(c.inUse) > 0 {
		c.findBindings()
		c.findCalls()
		if linksModules(c.lang) {
			c.findExports()
		}
		if c.lang == "js" || c.lang == "html" {
			c.findGlobals()
		}
	}
	if linksModules(c.lang) {
		c.findImports()
	}
	if c.lang == "js" || c.lang == "html" {
		c.findGlobalUses()
	}
	ctx := f.auth0Context || len(c.inUse) > 0
	for i, t := range c.toks {
		if len(f.out) >= maxPerFile {
			break
		}
		switch t.kind {
		case tString:
			if f.auth0Context && i >= 2 && c.toks[i-1].kind == tPunct && (c.toks[i-1].text == "=" || c.toks[i-1].text == ":" || c.toks[i-1].text == "=>" || c.toks[i-1].text == ":=") {
				if d := customDomain(c.toks[i-2].text, t.text); d != "" { // AUTH0_DOMAIN = 'login.example.com'
					f.flags = append(f.flags, flagHit{file: f.rel, off: t.off, ln: f.ln, domain: d})
				}
			}
			if strings.HasPrefix(t.text, "/") && (c.isRouteDefinition(i) || c.prev(i, "[") && c.next(i, "]") || c.next(i, ":") && !c.prev(i, "?")) {
				continue // a route served, a map's key or index: a path, not a request
			}
			if ep := c.relativeRequest(i, ctx); ep != "" {
				f.relativeURL(ep, t.off, f.src[t.off:t.end], c.nearbyParams(i))
				continue
			}
			f.rawURL(t.text, t.off, f.src[t.off:t.end], ctx, c.nearbyParams(i))
		case tComment:
			f.mention(t.text, t.off, ctx)
		}
	}
}

// scriptsOnly blanks a page's markup outside its <script> elements (keeping
// every newline, so offsets and lines stay): the JavaScript in a page or a
// template (ERB, JSP, Razor, Handlebars, EJS) is read as JavaScript, and
// its text (documentation, a backquoted path in prose) is not code.
func scriptsOnly(src string) string {
	b := []byte(src)
	lb := make([]byte, len(b)) // ASCII-only lowering keeps every offset (strings.ToLower does not on invalid UTF-8)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		lb[i] = ch
	}
	lower := string(lb)
	keepFrom := -1 // start of the script being kept
	for i := 0; i < len(b); {
		if keepFrom < 0 {
			open := strings.Index(lower[i:], "<script")
			end := len(b)
			if open >= 0 {
				end = i + open
			}
			for k := i; k < end; k++ {
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
			if open < 0 {
				break
			}
			gt := strings.IndexByte(lower[end:], '>')
			if gt < 0 {
				for k := end; k < len(b); k++ {
					if b[k] != '\n' {
						b[k] = ' '
					}
				}
				break
			}
			for k := end; k <= end+gt; k++ { // the tag itself: its src= is read for pins elsewhere
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
			i, keepFrom = end+gt+1, end+gt+1
			continue
		}
		close := strings.Index(lower[i:], "</script")
		if close < 0 {
			break
		}
		i, keepFrom = i+close, -1
	}
	return string(b)
}

// findSDKs reads the file's imports; a strong constructor (new Auth0Lock)
// counts as one, for SDKs loaded from a <script> tag.
func (c *codeFile) findSDKs() {
	modules := []string{}
	for i := 0; i < len(c.toks); i++ {
		t := c.toks[i]
		if t.kind != tIdent || !importKeywords[t.text] {
			continue
		}
		j := i + 1
		if j < len(c.toks) && (c.toks[j].text == "(" || c.toks[j].text == "<") { // require('x'), #import <Lock/Lock.h>
			j++
		}
		if j < len(c.toks) && c.toks[j].kind == tString {
			modules = append(modules, c.toks[j].text)
			continue
		}
		var b strings.Builder
		for ; j < len(c.toks) && c.toks[j].kind == tIdent; j += 2 {
			b.WriteString(c.toks[j].text)
			if j+1 >= len(c.toks) || (c.toks[j+1].text != "." && c.toks[j+1].text != "\\" && c.toks[j+1].text != "::" && c.toks[j+1].text != "/") {
				break
			}
			b.WriteByte('.')
		}
		if b.Len() > 0 {
			modules = append(modules, strings.TrimPrefix(b.String(), "."))
		}
	}
	for _, s := range sdks {
		if !s.speaks(c.lang) {
			continue
		}
		if c.importsSDK(s, modules) || c.buildsStrong(s) || s.provider != "" && c.configures(s.provider) || s == lockSDK() && c.auth0Context && c.reachesLockClient() {
			c.inUse = append(c.inUse, s)
		}
	}
}

// speaks reports whether s's calls can appear in a file of lang: pages
// and PHP templates hold JavaScript too.
func (s *sdk) speaks(lang string) bool {
	for _, l := range s.langs {
		if l == lang || l == "js" && (lang == "html" || lang == "php") {
			return true
		}
	}
	return false
}

func (c *codeFile) importsSDK(s *sdk, modules []string) bool {
	for _, m := range modules {
		for _, imp := range s.imports {
			if m == imp || strings.HasPrefix(m, imp+".") || strings.HasPrefix(m, imp+"/") {
				return true
			}
		}
	}
	return false
}

// reachesLockClient reports whether the file calls a method on
// getClient() or $auth0, Lock's auth0.js client.
func (c *codeFile) reachesLockClient() bool {
	for i, t := range c.toks {
		if t.kind == tIdent && (t.text == "getClient" && c.next(i, "(") || t.text == "$auth0" && c.next(i, ".")) {
			return true
		}
	}
	return false
}

// configures reports whether the file calls a method of provider
// (authProvider.init(…)).
func (c *codeFile) configures(provider string) bool {
	for i, t := range c.toks {
		if t.kind == tIdent && t.text == provider && c.next(i, ".") {
			return true
		}
	}
	return false
}

func (c *codeFile) buildsStrong(s *sdk) bool {
	for i, t := range c.toks {
		if t.kind != tIdent || !slices.Contains(s.strong, t.text) {
			continue
		}
		switch {
		case c.lang == "objc" || c.lang == "swift":
			return true // A0Lock, A0APIClient: nobody else's names
		case c.next(i, "(") && (c.prev(i, "new") || i >= 3 && c.prev(i, ".") && c.toks[i-3].text == "new"): // new Auth0Lock(…), new window.Auth0Lock(…)
			return true
		case c.lang == "ruby" && c.next(i, ".") && i+2 < len(c.toks) && c.toks[i+2].text == "new": // Auth0Client.new(…): a gem Bundler requires
			return true
		}
	}
	if c.lang != "ruby" || !slices.Contains(s.ctors, "Auth0.Client") {
		return false
	}
	for i, t := range c.toks { // Auth0::Client.new(…), ruby-auth0's other name for it
		if t.text == "Client" && c.prev(i, "::") && i >= 2 && c.toks[i-2].text == "Auth0" && c.next(i, ".") && i+2 < len(c.toks) && c.toks[i+2].text == "new" {
			return true
		}
	}
	return false
}

func (c *codeFile) next(i int, text string) bool {
	return i+1 < len(c.toks) && c.toks[i+1].kind != tString && c.toks[i+1].kind != tComment && c.toks[i+1].text == text
}

func (c *codeFile) prev(i int, text string) bool {
	return i > 0 && c.toks[i-1].kind != tString && c.toks[i-1].kind != tComment && c.toks[i-1].text == text
}

// binding is what a name holds: an object of sdk, built by (or typed as)
// ctor.
type binding struct {
	sdk  *sdk
	ctor string
	// factory: the name is a function that returns the object (an
	// imported initAuth0), so calling it builds one.
	factory bool
}

// ctorAt reports whether toks[i] constructs an object of an SDK in use:
// Name(…), new Name(…), Qualifier.Name(…) or Ruby's Name.new(…).
func (c *codeFile) ctorAt(i int) binding {
	t := c.toks[i]
	if t.kind != tIdent || c.prev(i, "function") || c.prev(i, "class") || c.prev(i, "def") {
		return binding{}
	}
	if b, ok := c.factories[t.text]; ok && c.next(i, "(") && !c.prev(i, "fun") && !c.prev(i, "func") {
		b.factory = false // what the call returns is the object itself
		return b
	}
	call := c.next(i, "(") || (c.next(i, ".") && i+2 < len(c.toks) && c.toks[i+2].text == "new")
	if !call {
		return binding{}
	}
	for _, s := range c.inUse {
		for _, name := range s.ctors {
			qual, base, dotted := strings.Cut(name, ".")
			if !dotted {
				base = qual
			}
			if t.text != base {
				continue
			}
			if dotted && !(i >= 2 && (c.prev(i, ".") || c.prev(i, "::")) && c.toks[i-2].text == qual) {
				continue
			}
			getter := strings.HasPrefix(base, "get") && len(base) > 3 // lock.getAuthenticationAPIClient()
			if c.prev(i, ".") && !dotted && !getter && !(i >= 2 && c.toks[i-2].kind == tIdent && i >= 3 && c.toks[i-3].text == "new") && !(i >= 2 && strings.EqualFold(c.toks[i-2].text, "auth0")) {
				// x.Authentication(...) is somebody else's method,
				// unless it is new auth0.WebAuth(...) or auth0.Authentication(...).
				continue
			}
			return binding{sdk: s, ctor: base}
		}
	}
	return binding{}
}

// findBindings follows SDK objects into variables: assignments from a
// constructor, typed variables and parameters, aliases and destructuring.
func (c *codeFile) findBindings() {
	for _, s := range c.inUse {
		if s.service != "" {
			c.bound[s.service] = binding{sdk: s, ctor: s.service} // injected wherever the app asks for it
		}
	}
	c.findFactories()
	for i, t := range c.toks {
		if t.kind != tIdent {
			continue
		}
		if b := c.ctorAt(i); b.sdk != nil {
			if name := c.assignedTo(c.chainStart(i)); name != "" {
				c.bound[name] = b
			}
			continue
		}
		for _, s := range c.inUse {
			if slices.Contains(s.types, t.text) && c.resolvedFromContainer(i) {
				// x = container.get<WebAuth>(…), provider.GetRequiredService<IAuthenticationApiClient>(),
				// ctx.getBean(AuthenticationAPIClient.class), injector.get(Delegated)
				for k := i - 1; k >= 1 && k > i-12; k-- {
					if c.toks[k].kind == tPunct && (c.toks[k].text == "=" || c.toks[k].text == ":=") {
						if name := c.assignedTo(k + 1); name != "" {
							c.bound[name] = binding{sdk: s, ctor: t.text}
						}
						break
					}
				}
				continue
			}
			if slices.Contains(s.types, t.text) {
				n := i + 1
				if c.next(i, "*") { // Objective-C: A0Lock *lock
					n++
				}
				if n < len(c.toks) && c.toks[n].kind == tIdent && !c.next(n, "(") && !c.next(n, ".") {
					c.bound[c.toks[n].text] = binding{sdk: s, ctor: t.text} // Java, C#, PHP: Type name
				} else if q := c.chainStart(i); q >= 2 && c.prev(q, ":") && c.toks[q-2].kind == tIdent {
					c.bound[c.toks[q-2].text] = binding{sdk: s, ctor: t.text} // Kotlin, Swift, TypeScript: name: Type, name: pkg.Type
				}
			}
			if slices.Contains(s.flag, t.text) && c.setsTrue(i) {
				c.flagged[s] = true
				c.flags = append(c.flags, flagHit{sdk: s, file: c.rel, off: t.off, ln: c.ln})
			}
		}
	}
	// Aliases: b = a, b = a.client, { getDelegationToken } = a. Twice, so
	// an alias of an alias is found whatever the order.
	for round := 0; round < 2; round++ {
		for i := 1; i+1 < len(c.toks); i++ {
			if c.toks[i].text != "=" && c.toks[i].text != ":=" || c.toks[i].kind != tPunct {
				continue
			}
			b, end := c.boundChain(i + 1)
			if b.sdk == nil || end < len(c.toks) && (c.toks[end].text == "(" || c.toks[end].text == "[") {
				continue
			}
			if c.toks[i-1].text == "}" {
				c.destructure(i-1, b)
			} else if name := c.assignedTo(i + 1); name != "" {
				c.bound[name] = b
			}
		}
	}
}

// findFactories records the functions, methods and getters that return a
// new SDK object: return new X(…) inside function f() {…}, def f(): return
// X(…), const f = () => new X(…).
func (c *codeFile) findFactories() {
	searched := 0
	for i, t := range c.toks {
		if t.kind != tIdent || searched >= maxFactorySearches {
			continue
		}
		b := c.ctorAt(i)
		if b.sdk == nil {
			continue
		}
		st := c.chainStart(i)
		name := ""
		switch {
		case c.prev(st, "return"):
			searched++
			name = c.enclosingFunction(st - 1)
		case c.prev(st, "=>") && st >= 2 && c.toks[st-2].text == ")":
			if open := c.matchBack(st - 2); open >= 2 {
				j := open - 1
				if c.toks[j].text == "async" {
					j--
				}
				if j >= 1 && (c.toks[j].text == "=" || c.toks[j].text == ":") && c.toks[j-1].kind == tIdent {
					name = c.toks[j-1].text
				}
			}
		}
		if name != "" {
			if c.factories == nil {
				c.factories = map[string]binding{}
			}
			b.factory = true
			c.factories[name], c.bound[name] = b, b
		}
	}
}

// maxFactorySearches bounds the walks back to an enclosing function, so a
// generated file of a million return new X() stays linear.
const maxFactorySearches = 1000

// controlWords open a block that is not a function.
var controlWords = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "catch": true, "function": true, "return": true, "with": true, "foreach": true, "using": true, "lock": true, "elif": true, "else": true}

// enclosingFunction names the function whose body holds toks[i]: the
// nearest def in Python and Ruby, else the name before the parameters of
// the innermost open brace's block.
func (c *codeFile) enclosingFunction(i int) string {
	if c.lang == "python" || c.lang == "ruby" {
		for k := i; k >= 0 && k > i-maxLookaround; k-- {
			if c.toks[k].text == "def" && k+1 < len(c.toks) && c.toks[k+1].kind == tIdent {
				if c.toks[k+1].text == "self" && k+3 < len(c.toks) && c.toks[k+2].text == "." { // Ruby: def self.client
					return c.toks[k+3].text
				}
				return c.toks[k+1].text
			}
		}
		return ""
	}
	depth := 0
	for k := i; k >= 0 && k > i-maxLookaround; k-- {
		if c.toks[k].kind != tPunct {
			continue
		}
		switch c.toks[k].text {
		case "}":
			depth++
		case "{":
			if depth > 0 {
				depth--
				continue
			}
			for j := k - 1; j >= 0 && j > k-8; j-- { // over a return type: ): T {, ) -> T {
				if c.toks[j].text == ")" && c.toks[j].kind == tPunct {
					if open := c.matchBack(j); open >= 1 && c.toks[open-1].kind == tIdent && !controlWords[c.toks[open-1].text] {
						return c.toks[open-1].text
					}
					return ""
				}
			}
			return ""
		}
	}
	return ""
}

// resolvedFromContainer reports whether the type name at toks[i] asks a
// dependency-injection container for an object: a generic argument of a
// call (get<T>(), GetService<T>()), T.class, or the argument of get,
// resolve, getBean or inject.
func (c *codeFile) resolvedFromContainer(i int) bool {
	switch {
	case c.prev(i, "<") && c.next(i, ">") && i+2 < len(c.toks) && c.toks[i+2].text == "(":
		return true
	case c.next(i, ".") && i+2 < len(c.toks) && c.toks[i+2].text == "class":
		return true
	case c.prev(i, "(") && i >= 2:
		switch c.toks[i-2].text {
		case "get", "resolve", "getBean", "inject", "Resolve", "GetService", "GetRequiredService", "getInstance":
			return true
		}
	}
	return false
}

// setsTrue reports whether the flag at toks[i] is set to true:
// flag(true), flag = true or flag: true.
func (c *codeFile) setsTrue(i int) bool {
	if i+2 >= len(c.toks) {
		return false
	}
	op := c.toks[i+1].text
	return (op == "(" || op == "=" || op == ":") && c.toks[i+1].kind == tPunct && c.toks[i+2].text == "true"
}

// chainStart walks back from toks[i] over a qualifier (auth0.WebAuth) and
// the words that may precede a constructor call.
func (c *codeFile) chainStart(i int) int {
	for i >= 2 && (c.prev(i, ".") || c.prev(i, "::")) && c.toks[i-2].kind == tIdent {
		i -= 2
	}
	for i >= 1 && (c.toks[i-1].text == "new" || c.toks[i-1].text == "await" || c.toks[i-1].text == "try" || c.toks[i-1].text == "!" && i >= 2 && c.toks[i-2].text == "try") {
		i--
	}
	return i
}

// assignedTo names the variable that toks[i] (the start of a right-hand
// side) is assigned to: x = …, Type x = …, x: Type = …, this.x = ….
func (c *codeFile) assignedTo(i int) string {
	if i < 2 || c.toks[i-1].kind != tPunct || (c.toks[i-1].text != "=" && c.toks[i-1].text != ":=") {
		return ""
	}
	l := c.toks[i-2]
	if l.kind != tIdent {
		return ""
	}
	if i >= 4 && c.toks[i-3].text == ":" && c.toks[i-4].kind == tIdent {
		return c.toks[i-4].text
	}
	return l.text
}

// boundChain reads a receiver chain starting at toks[i] (a.b.c) and
// returns the binding of the first bound name in it and where it ends.
func (c *codeFile) boundChain(i int) (binding, int) {
	var found binding
	for i < len(c.toks) && c.toks[i].kind == tIdent {
		if b, ok := c.bound[c.toks[i].text]; ok && found.sdk == nil {
			found = b
		}
		if i+1 < len(c.toks) && memberOps[c.toks[i+1].text] && i+2 < len(c.toks) && c.toks[i+2].kind == tIdent {
			i += 2
			continue
		}
		i++
		break
	}
	return found, i
}

// destructure binds the names in { a, b: c } ending at toks[end].
func (c *codeFile) destructure(end int, s binding) {
	depth := 0
	for j := end; j >= 0 && j > end-maxLookaround; j-- {
		switch c.toks[j].text {
		case "}":
			depth++
			continue
		case "{":
			depth--
		}
		if depth == 0 {
			return
		}
		t := c.toks[j]
		if depth == 1 && t.kind == tIdent && j+1 <= end && (c.toks[j+1].text == "," || c.toks[j+1].text == "}") {
			c.bare[t.text] = s
			c.bound[t.text] = s
		}
	}
}

// receiver walks back from the member operator at toks[op] over the
// receiver chain; it returns the chain's names nearest first, whether a
// constructor call is part of it, and the index where it starts.
func (c *codeFile) receiver(op int) (names []string, ctor binding, start int) {
	j := op
	for {
		k := j - 1
		for k >= 0 && (c.toks[k].text == "!" || c.toks[k].text == "?") {
			k--
		}
		if k < 0 {
			return names, ctor, j
		}
		if c.toks[k].text == ")" || c.toks[k].text == "]" {
			k = c.matchBack(k)
			if k < 1 || c.toks[k-1].kind != tIdent {
				return names, ctor, j
			}
			k--
			if b := c.ctorAt(k); b.sdk != nil && ctor.sdk == nil {
				ctor = b
			}
		}
		if c.toks[k].kind != tIdent {
			return names, ctor, j
		}
		names = append(names, c.toks[k].text)
		j = k
		if k >= 1 && memberOps[c.toks[k-1].text] && c.toks[k-1].kind == tPunct {
			j = k - 1
			continue
		}
		for j >= 1 && c.toks[j-1].text == "new" {
			j--
		}
		return names, ctor, j
	}
}

// matchBack returns the index of the bracket that opens the one at k.
func (c *codeFile) matchBack(k int) int {
	closeTok := c.toks[k].text
	openTok := map[string]string{")": "(", "]": "["}[closeTok]
	depth := 0
	for stop := k - maxLookaround; k >= 0 && k > stop; k-- {
		if c.toks[k].kind != tPunct {
			continue
		}
		switch c.toks[k].text {
		case closeTok:
			depth++
		case openTok:
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// args reads the call whose "(" is toks[open]; it returns the arguments
// and the index of the closing ")".
func (c *codeFile) args(open int) (callArgs, int) {
	var a callArgs
	depth := 0
	nonEmpty := false
	for k := open; k < len(c.toks) && k < open+maxLookaround; k++ {
		t := c.toks[k]
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
				if depth == 1 {
					continue
				}
			case ")", "]", "}":
				depth--
				if depth == 0 {
					if nonEmpty {
						a.count++
					}
					return a, k
				}
			case ",":
				if depth == 1 {
					a.count++
					continue
				}
			case ":":
				if depth == 1 && k >= 2 && c.toks[k-1].kind == tIdent && (c.toks[k-2].text == "(" || c.toks[k-2].text == ",") {
					a.labels = append(a.labels, c.toks[k-1].text)
				}
			}
		}
		if t.kind != tComment {
			if !nonEmpty && depth == 1 {
				a.first = t.text
			}
			nonEmpty = true
		}
	}
	return a, min(len(c.toks), open+maxLookaround) - 1
}

func (c *codeFile) findCalls() {
	for i, t := range c.toks {
		if len(c.out) >= maxPerFile {
			return
		}
		if t.kind != tIdent || c.next(i, "=") || (i > 0 && definitionKeywords[c.toks[i-1].text]) {
			continue
		}
		var (
			b     binding
			start = i
			via   string
		)
		objcSend := c.lang == "objc" && i > 1 && c.toks[i-1].kind == tIdent && (c.next(i, ":") || c.next(i, "]"))
		if objcSend || i > 0 && memberOps[c.toks[i-1].text] && c.toks[i-1].kind == tPunct {
			op := i - 1
			if objcSend { // [lock.apiClient fetchUserProfileWithIdToken:…]
				op = i
			}
			names, ctor, st := c.receiver(op)
			if len(names) == 0 {
				continue
			}
			via, start = names[0], st
			for _, n := range names {
				if nb, ok := c.bound[n]; ok {
					b = nb
					break
				}
			}
			if b.sdk == nil {
				b = ctor
			}
		} else if nb, ok := c.bare[t.text]; ok {
			b = nb
		}
		if b.sdk == nil && slices.Contains(lockClient, via) && c.auth0Context && (c.lang == "js" || c.lang == "html") {
			// app.Auth0.lock.getClient().getDelegationToken(…): Lock's auth0.js
			// client, whoever holds the Lock, in a file that names Auth0.
			b = binding{sdk: lockSDK()}
		}
		s := b.sdk
		if s == nil {
			continue
		}
		m := s.method(t.text, via, b.ctor)
		if m == nil {
			continue
		}
		var a callArgs
		end := i
		if c.next(i, "(") {
			a, end = c.args(i + 1)
		} else if c.lang != "ruby" && !objcSend {
			continue // a reference, not a call
		}
		if m.args != nil && !m.args(a) {
			continue
		}
		if c.flagged[s] && (m.cond == unlessOIDC || m.cond == belowMajor && len(s.flag) > 0) {
			continue // this file makes the SDK OIDC-conformant: already migrated
		}
		f := c.newFinding(c.toks[start].off, m.endpoint, s.name, callText(c.src[c.toks[start].off:c.toks[end].end]), finding.SeverityError, codeFor(m.endpoint, "call"))
		f.Message = fmt.Sprintf("%s %s() calls %s, a legacy Authentication API endpoint (legacy in %s).", sdkLabel(s.name), t.text, m.endpoint, m.versions)
		f.Replacement = m.replacement
		f.cond, f.sdk, f.fixedIn = m.cond, s, m.fixedIn
		c.add(f)
	}
}

// method finds name among s's legacy methods, honouring via and on.
func (s *sdk) method(name, via, ctor string) *method {
	for k := range s.methods {
		m := &s.methods[k]
		if m.name == name && (len(m.via) == 0 || slices.Contains(m.via, via)) && (len(m.on) == 0 || slices.Contains(m.on, ctor)) {
			return m
		}
	}
	return nil
}

func sdkLabel(name string) string {
	base, _, _ := strings.Cut(name, "@")
	return base
}

// callText is the call as written, on one line and at most 120 characters.
func callText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		if i := strings.IndexByte(s, '('); i > 0 && i < 100 {
			return s[:i] + "(…)"
		}
		return s[:117] + "…"
	}
	return s
}

// isRouteDefinition reports whether the path at toks[i] names a route
// this code serves (app.post('/delegation', …), @PostMapping("/tokeninfo"),
// http.HandleFunc("/delegation", …)) rather than a URL it calls. A verb
// like post or get is a route when it is called on a router or hands the
// path a handler; ruby-auth0's post('/tokeninfo', params) and Angular's
// this.http.post('/delegation', body) are requests.
func (c *codeFile) isRouteDefinition(i int) bool {
	if c.lang == "ruby" && i >= 1 && i+1 < len(c.toks) && (c.toks[i+1].text == "do" || c.toks[i+1].text == "{") {
		switch c.toks[i-1].text {
		case "get", "post", "put", "delete", "patch": // Sinatra: post '/delegation' do … end
			return true
		}
	}
	if i < 2 || c.toks[i-1].text != "(" {
		return false
	}
	switch strings.TrimPrefix(c.toks[i-2].text, "@") { // Java's annotations lex as @PostMapping
	case "HandleFunc", "Handle", "GetMapping", "PostMapping", "RequestMapping", "Route", "HttpPost", "HttpGet", "api_view", "path", "re_path", "url", "Path":
		return true
	case "get", "post", "put", "all", "route", "use", "Get", "Post":
	default:
		return false
	}
	if i >= 4 && c.toks[i-3].text == "." && routers[c.toks[i-4].text] {
		return true
	}
	depth := 1 // inside the call's "("; the handler is the next argument or two
	for k := i + 1; k < len(c.toks) && k < i+64; k++ {
		switch t := c.toks[k]; {
		case t.kind == tIdent && (t.text == "function" || t.text == "do" || t.text == "lambda" || t.text == "async"),
			t.kind == tPunct && (t.text == "=>" || t.text == "->"),
			t.kind == tIdent && handlerName(t.text):
			return true
		case t.kind == tPunct && (t.text == "(" || t.text == "[" || t.text == "{"):
			depth++
		case t.kind == tPunct && (t.text == ")" || t.text == "]" || t.text == "}"):
			if depth--; depth == 0 { // post('/delegation') do … end
				return k+1 < len(c.toks) && (c.toks[k+1].text == "do" || c.toks[k+1].text == "{" && c.lang == "ruby")
			}
		}
	}
	return false
}

// routers are the names web frameworks' examples give the object that
// routes are declared on.
var routers = map[string]bool{"app": true, "router": true, "server": true, "routes": true, "route": true, "mux": true, "express": true, "fastify": true}

func handlerName(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "handler") || strings.Contains(l, "controller") || strings.Contains(l, "middleware")
}

// legacyParams are the parameters a legacy call's body carries.
var legacyParams = map[string]bool{"grant_type": true, "client_id": true, "client_secret": true, "refresh_token": true, "id_token": true,
	"target": true, "api_type": true, "scope": true, "username": true, "password": true, "connection": true, "access_token": true, "device": true}

// nearbyParams reads the body a hand-built request sends, from the code
// after its URL (the same statement or call): key: value, "key": value,
// key=value. A value that is a variable becomes its name in capitals.
func (c *codeFile) nearbyParams(i int) [][2]string {
	var out [][2]string
	depth := 0
	for k := i + 1; k < len(c.toks) && k < i+80; k++ {
		t := c.toks[k]
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			case ";":
				if depth <= 0 {
					return out
				}
			}
			if depth < 0 {
				return out
			}
			continue
		}
		if t.kind != tIdent && t.kind != tString || !legacyParams[t.text] || k+2 >= len(c.toks) {
			continue
		}
		if op := c.toks[k+1]; op.kind != tPunct || (op.text != ":" && op.text != "=>" && op.text != "=") {
			continue
		}
		v := c.toks[k+2]
		switch v.kind {
		case tString:
			out = append(out, [2]string{t.text, v.text})
		case tIdent:
			name := upperSnake(strings.TrimLeft(v.text, "$@"))
			if name == "" {
				name = strings.ToUpper(t.text)
			}
			out = append(out, [2]string{t.text, name})
		}
	}
	return out
}

// upperSnake writes a variable's name as a placeholder: refreshToken and
// refresh_token both become REFRESH_TOKEN.
func upperSnake(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch >= 'A' && ch <= 'Z' && i > 0 && name[i-1] >= 'a' && name[i-1] <= 'z' {
			b.WriteByte('_')
		}
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		b.WriteByte(ch)
	}
	return b.String()
}
