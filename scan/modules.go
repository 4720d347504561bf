package scan

import (
	"bytes"
	"path"
	"slices"
	"strings"
	"sync"
)

// A JavaScript, TypeScript or Python module that builds an SDK object and
// exports it (lib/auth0.js: module.exports = new AuthenticationClient(…);
// utils/auth0.py: delegated = Delegated(DOMAIN) at the top level) is
// followed into the modules that import it (const auth0 =
// require('../lib/auth0'); from utils.auth0 import delegated).

// linksModules reports whether lang's imports are followed.
func linksModules(lang string) bool { return lang == "js" || lang == "python" }

// relImport is a name a module takes from a relative path.
type relImport struct {
	module   string // the imported module's path in the report, without extension
	imported string // the exported name, "default", or "*" (export * from)
	local    string
	reexport bool // export { imported as local } from module: local is exported, not bound
}

var moduleExtensions = []string{".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".py"}

// moduleKey is a file's path without its extension, as an import names it
// (a Python package's __init__.py is the package).
func moduleKey(rel string) string {
	for _, e := range moduleExtensions {
		if strings.HasSuffix(rel, e) {
			rel = strings.TrimSuffix(rel, e)
			break
		}
	}
	return strings.TrimSuffix(rel, "/__init__")
}

// findExports records the SDK objects this module exports: export const x
// = …, export default x, export { x as y }, module.exports = x,
// module.exports.x = …, exports.x = ….
func (c *codeFile) findExports() {
	if c.lang == "python" {
		c.findPythonExports()
		return
	}
	bindingAt := func(i int) (binding, bool) { // the value at toks[i]: a bound name or a constructor
		if i >= len(c.toks) {
			return binding{}, false
		}
		if c.toks[i].text == "new" && i+1 < len(c.toks) {
			i++
		}
		for j := i; j < len(c.toks) && j < i+8; j++ { // new auth0.WebAuth(…)
			if b := c.ctorAt(j); b.sdk != nil {
				return b, true
			}
			if c.toks[j].kind != tIdent && c.toks[j].text != "." {
				break
			}
		}
		b, ok := c.bound[c.toks[i].text]
		return b, ok && !c.next(i, "(") && !c.next(i, ".")
	}
	export := func(name string, b binding) {
		if c.exports == nil {
			c.exports = map[string]binding{}
		}
		c.exports[name] = b
	}
	for i := 0; i+2 < len(c.toks); i++ {
		t := c.toks[i]
		if t.kind != tIdent {
			continue
		}
		switch {
		case t.text == "export" && (c.toks[i+1].text == "const" || c.toks[i+1].text == "let" || c.toks[i+1].text == "var"):
			if b, ok := c.bound[c.toks[i+2].text]; ok {
				export(c.toks[i+2].text, b)
			}
		case t.text == "export" && (c.toks[i+1].text == "function" || c.toks[i+1].text == "async" && c.toks[i+2].text == "function"):
			j := i + 2
			if c.toks[i+1].text == "async" {
				j++
			}
			if j < len(c.toks) {
				if b, ok := c.factories[c.toks[j].text]; ok {
					export(c.toks[j].text, b)
				}
			}
		case t.text == "module" && c.next(i, ".") && c.toks[i+2].text == "exports" && i+4 < len(c.toks) && c.toks[i+3].text == "=" && c.toks[i+4].text == "{":
			// module.exports = { auth0, getClient: initAuth0 }
			for j := i + 5; j < len(c.toks) && j < i+5+maxLookaround && c.toks[j].text != "}"; j++ {
				if c.toks[j].kind != tIdent {
					continue
				}
				name, value := c.toks[j].text, c.toks[j].text
				if c.next(j, ":") && j+2 < len(c.toks) && c.toks[j+2].kind == tIdent {
					value = c.toks[j+2].text
					j += 2
				}
				if b, ok := c.bound[value]; ok {
					export(name, b)
				}
			}
		case t.text == "export" && c.toks[i+1].text == "default":
			if b, ok := bindingAt(i + 2); ok {
				export("default", b)
			}
		case t.text == "export" && c.toks[i+1].text == "{":
			for j := i + 2; j < len(c.toks) && c.toks[j].text != "}"; j++ {
				if c.toks[j].kind != tIdent || c.toks[j].text == "as" {
					continue
				}
				b, ok := c.bound[c.toks[j].text]
				name := c.toks[j].text
				if j+2 < len(c.toks) && c.toks[j+1].text == "as" {
					name = c.toks[j+2].text
					j += 2
				}
				if ok {
					export(name, b)
				}
			}
		case t.text == "module" && c.next(i, ".") && c.toks[i+2].text == "exports" && i+4 < len(c.toks):
			if c.toks[i+3].text == "=" {
				if b, ok := bindingAt(i + 4); ok {
					export("default", b)
				}
			} else if c.toks[i+3].text == "." && i+6 < len(c.toks) && c.toks[i+5].text == "=" {
				if b, ok := bindingAt(i + 6); ok {
					export(c.toks[i+4].text, b)
				}
			}
		case t.text == "exports" && (i == 0 || c.toks[i-1].text != ".") && c.next(i, ".") && i+4 < len(c.toks) && c.toks[i+3].text == "=":
			if b, ok := bindingAt(i + 4); ok {
				export(c.toks[i+2].text, b)
			}
		}
	}
}

// findImports records the names this module takes from relative paths:
// import x from './m', import { a, b as c } from './m',
// const x = require('./m'), const { a, b: c } = require('./m').
func (c *codeFile) findImports() {
	if c.lang == "python" {
		c.findPythonImports()
		return
	}
	resolve := func(spec string) (string, bool) {
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
			return "", false
		}
		return moduleKey(path.Clean(path.Join(path.Dir(c.rel), spec))), true
	}
	add := func(module, imported, local string) {
		c.imports = append(c.imports, relImport{module: module, imported: imported, local: local})
	}
	// names reads { a, b as c } or { a, b: c } from toks[i] ("{"); it
	// returns imported→local pairs and the index after "}".
	names := func(i int, rename string) ([][2]string, int) {
		var out [][2]string
		for i++; i < len(c.toks) && c.toks[i].text != "}"; i++ {
			if c.toks[i].kind != tIdent {
				continue
			}
			imported, local := c.toks[i].text, c.toks[i].text
			if i+2 < len(c.toks) && c.toks[i+1].text == rename && c.toks[i+2].kind == tIdent {
				local = c.toks[i+2].text
				i += 2
			}
			out = append(out, [2]string{imported, local})
		}
		return out, i + 1
	}
	for i := 0; i+1 < len(c.toks); i++ {
		t := c.toks[i]
		switch {
		case t.kind == tIdent && t.text == "export" && (c.toks[i+1].text == "{" || c.toks[i+1].text == "*"):
			// export { webAuth as auth } from './auth', export * from './auth'
			pairs, j := [][2]string{{"*", "*"}}, i+2
			if c.toks[i+1].text == "{" {
				pairs, j = names(i+1, "as")
			}
			if j+1 < len(c.toks) && c.toks[j].text == "from" && c.toks[j+1].kind == tString {
				if m, ok := resolve(c.toks[j+1].text); ok {
					for _, p := range pairs {
						c.imports = append(c.imports, relImport{module: m, imported: p[0], local: p[1], reexport: true})
					}
				}
			}
		case t.kind == tIdent && t.text == "import":
			var pairs [][2]string
			j := i + 1
			if c.toks[j].kind == tIdent && c.toks[j].text != "type" {
				pairs = append(pairs, [2]string{"default", c.toks[j].text})
				j++
				if j < len(c.toks) && c.toks[j].text == "," {
					j++
				}
			}
			if j < len(c.toks) && c.toks[j].text == "{" {
				var more [][2]string
				more, j = names(j, "as")
				pairs = append(pairs, more...)
			}
			if j+1 < len(c.toks) && c.toks[j].text == "from" && c.toks[j+1].kind == tString {
				if m, ok := resolve(c.toks[j+1].text); ok {
					for _, p := range pairs {
						add(m, p[0], p[1])
					}
				}
			}
		case t.kind == tIdent && t.text == "require" && c.next(i, "(") && i+2 < len(c.toks) && c.toks[i+2].kind == tString && i >= 2 && c.toks[i-1].text == "=":
			m, ok := resolve(c.toks[i+2].text)
			if !ok {
				continue
			}
			if c.toks[i-2].kind == tIdent {
				add(m, "default", c.toks[i-2].text)
			} else if c.toks[i-2].text == "}" {
				open := i - 2
				for open > 0 && c.toks[open].text != "{" && open > i-200 {
					open--
				}
				pairs, _ := names(open, ":")
				for _, p := range pairs {
					add(m, p[0], p[1])
				}
			}
		}
	}
}

// Scripts a page loads share one global scope: var lock = new Auth0Lock(…)
// at the top of one script, or window.auth0 = new auth0.WebAuth(…), is the
// lock or auth0 another script (or the page's inline script) calls. Such a
// global is exported under the module "global:" + its folder (and that
// folder's parent), and a script that calls a legacy method on a name it
// does not bind imports it from "global:" + each folder above it: a page's
// globals reach its own app's scripts, not every script in a monorepo.
const globalModule = "global:"

// findGlobals exports the SDK objects this script puts in the global
// scope: a var (or an undeclared assignment) outside any block, or a
// property of window.
func (c *codeFile) findGlobals() {
	for _, s := range c.inUse {
		if s.service != "" { // an AngularJS service is the whole app's
			if c.exports == nil {
				c.exports = map[string]binding{}
			}
			c.exports[globalModule+s.service] = c.bound[s.service]
		}
	}
	module := false // a module's top-level var is its own, not the page's
	for i, t := range c.toks {
		if t.kind == tIdent && (t.text == "require" && c.next(i, "(") || t.text == "export" || t.text == "import" || t.text == "module" && c.next(i, ".")) {
			module = true
			break
		}
	}
	depth := 0
	for i := 0; i+2 < len(c.toks); i++ {
		t := c.toks[i]
		if t.kind == tPunct {
			switch t.text {
			case "{":
				depth++
			case "}":
				depth--
			}
			continue
		}
		if t.kind != tIdent {
			continue
		}
		name := ""
		switch {
		case t.text == "window" && c.next(i, ".") && c.toks[i+2].kind == tIdent && i+3 < len(c.toks) && c.toks[i+3].text == "=":
			name = c.toks[i+2].text
		case !module && depth == 0 && t.text == "var" && c.toks[i+1].kind == tIdent && c.toks[i+2].text == "=":
			name = c.toks[i+1].text
		}
		if b, ok := c.bound[name]; ok && name != "" {
			if c.exports == nil {
				c.exports = map[string]binding{}
			}
			c.exports[globalModule+name] = b
		}
	}
}

// findGlobalUses imports from the global scope each name this script calls
// a legacy method on without binding it (auth0.getDelegationToken(…),
// window.lock.getProfile(…)).
func (c *codeFile) findGlobalUses() {
	seen := map[string]bool{}
	for _, imp := range c.imports { // a name the script imports is not a global
		seen[imp.local] = true
	}
	for name := range c.declaredNames() { // nor one it declares (a parameter shadows the page's lock) …
		if !injected[name] { // … but AngularJS hands its services in as parameters
			seen[name] = true
		}
	}
	for i := 0; i+3 < len(c.toks); i++ {
		t := c.toks[i]
		if t.kind != tIdent {
			continue
		}
		j := i // over a chain: webAuth.client.delegation(…)
		for k := 0; k < 3 && c.next(j, ".") && j+2 < len(c.toks) && c.toks[j+2].kind == tIdent; k++ {
			j += 2
		}
		if j == i || !c.next(j, "(") || !jsLegacyMethods()[c.toks[j].text] {
			continue
		}
		if c.prev(i, ".") && !(i >= 2 && c.toks[i-2].text == "window") || t.text == "this" || t.text == "window" {
			continue
		}
		if _, bound := c.bound[t.text]; bound || seen[t.text] {
			continue
		}
		seen[t.text] = true
		for dir := path.Dir(c.rel); ; dir = path.Dir(dir) { // the page's folder may be this script's or above it
			c.imports = append(c.imports, relImport{module: globalModule + dir, imported: t.text, local: t.text})
			if dir == "." || dir == "/" {
				break
			}
		}
	}
}

// injected are the names SDK services are injected under (auth0-angular's auth).
var injected = func() map[string]bool {
	out := map[string]bool{}
	for _, s := range sdks {
		if s.service != "" {
			out[s.service] = true
		}
	}
	return out
}()

// declaredNames are the names a script declares itself: var, let and const,
// and the parameters of its functions and arrow functions.
func (c *codeFile) declaredNames() map[string]bool {
	out := map[string]bool{}
	params := func(open int) { // the identifiers of ( … ) at its own depth
		depth := 0
		for k := open; k < len(c.toks) && k < open+maxLookaround; k++ {
			switch c.toks[k].text {
			case "(", "[", "{":
				depth++
				continue
			case ")", "]", "}":
				if depth--; depth == 0 {
					return
				}
				continue
			}
			if c.toks[k].kind == tIdent && (c.toks[k-1].text == "(" || c.toks[k-1].text == "," || c.toks[k-1].text == "...") {
				out[c.toks[k].text] = true
			}
		}
	}
	for i, t := range c.toks {
		switch {
		case t.kind == tIdent && (t.text == "var" || t.text == "let" || t.text == "const") && i+1 < len(c.toks) && c.toks[i+1].kind == tIdent:
			out[c.toks[i+1].text] = true
		case t.kind == tIdent && t.text == "function":
			j := i + 1
			if j < len(c.toks) && c.toks[j].kind == tIdent {
				j++
			}
			if j < len(c.toks) && c.toks[j].text == "(" {
				params(j)
			}
		case t.kind == tPunct && t.text == "=>" && i > 0:
			if c.toks[i-1].kind == tIdent {
				out[c.toks[i-1].text] = true
			} else if c.toks[i-1].text == ")" {
				if open := c.matchBack(i - 1); open >= 0 {
					params(open)
				}
			}
		}
	}
	return out
}

// jsLegacyMethods are the legacy method names of the JavaScript SDKs.
var jsLegacyMethods = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, s := range sdks {
		if slices.Contains(s.langs, "js") {
			for _, m := range s.methods {
				out[m.name] = true
			}
		}
	}
	return out
})

// findPythonExports records the SDK objects a Python module binds at its
// top level (a name at the start of a line, assigned).
func (c *codeFile) findPythonExports() {
	for i := 0; i+1 < len(c.toks); i++ {
		t := c.toks[i]
		if t.kind == tIdent && t.text == "def" && (t.off == 0 || c.src[t.off-1] == '\n') && c.toks[i+1].kind == tIdent {
			if b, ok := c.factories[c.toks[i+1].text]; ok { // a top-level factory: def client(): return Delegated(…)
				if c.exports == nil {
					c.exports = map[string]binding{}
				}
				c.exports[c.toks[i+1].text] = b
			}
			continue
		}
		if t.kind != tIdent || t.off > 0 && c.src[t.off-1] != '\n' || c.toks[i+1].text != "=" {
			continue
		}
		if b, ok := c.bound[t.text]; ok {
			if c.exports == nil {
				c.exports = map[string]binding{}
			}
			c.exports[t.text] = b
		}
	}
}

// findPythonImports records from .auth import client, from ..utils.auth0
// import delegated as d, and from utils.auth0 import delegated (a module
// of the tree, matched by the end of its path).
func (c *codeFile) findPythonImports() {
	for i := 0; i+1 < len(c.toks); i++ {
		if c.toks[i].kind != tIdent || c.toks[i].text != "from" || i > 0 && c.toks[i].off > 0 && c.src[c.toks[i].off-1] != '\n' && c.src[c.toks[i].off-1] != ' ' {
			continue
		}
		j := i + 1
		dots := 0
		for ; j < len(c.toks) && c.toks[j].text == "."; j++ {
			dots++
		}
		var parts []string
		for ; j < len(c.toks) && c.toks[j].kind == tIdent && c.toks[j].text != "import"; j++ {
			parts = append(parts, c.toks[j].text)
			if j+1 < len(c.toks) && c.toks[j+1].text == "." {
				j++
			}
		}
		if j >= len(c.toks) || c.toks[j].text != "import" {
			continue
		}
		module := strings.Join(parts, "/")
		if dots > 0 {
			dir := path.Dir(c.rel)
			for k := 1; k < dots; k++ {
				dir = path.Dir(dir)
			}
			module = path.Clean(path.Join(dir, module))
		} else {
			module = "py:" + module // absolute: matched against the end of module paths
		}
		for j++; j < len(c.toks) && c.toks[j].kind == tIdent || j < len(c.toks) && (c.toks[j].text == "," || c.toks[j].text == "("); j++ {
			if c.toks[j].kind != tIdent {
				continue
			}
			imported, local := c.toks[j].text, c.toks[j].text
			if j+2 < len(c.toks) && c.toks[j+1].text == "as" {
				local = c.toks[j+2].text
				j += 2
			}
			c.imports = append(c.imports, relImport{module: module, imported: imported, local: local})
			if j+1 < len(c.toks) && c.toks[j+1].text != "," && c.toks[j+1].text != ")" {
				break
			}
		}
	}
}

// exportIndex maps each module key (its path without extension; a
// directory for its index file) to the SDK objects the module exports.
func exportIndex(modules []*moduleInfo) map[string]map[string]binding {
	out := map[string]map[string]binding{}
	for _, m := range modules {
		if len(m.exports) == 0 {
			continue
		}
		for name, b := range m.exports {
			if g, ok := strings.CutPrefix(name, globalModule); ok {
				// A global is seen by the scripts in its page's folder and
				// below, and in its sibling folders (views/ beside public/js/).
				dir := path.Dir(m.rel)
				scopes := []string{globalModule + dir}
				if parent := path.Dir(dir); parent != "." && parent != "/" && dir != "." {
					scopes = append(scopes, globalModule+parent)
				}
				for _, scope := range scopes {
					if out[scope] == nil {
						out[scope] = map[string]binding{}
					}
					out[scope][g] = b
				}
			}
		}
		key := moduleKey(m.rel)
		out[key] = m.exports
		if path.Base(key) == "index" {
			out[path.Dir(key)] = m.exports
		}
		if strings.HasSuffix(m.rel, ".py") { // from a.b import x names a/b.py from any root
			for p := key; p != "." && p != "/" && p != ""; {
				out["py:"+p] = m.exports
				i := strings.IndexByte(p, '/')
				if i < 0 {
					break
				}
				p = p[i+1:]
			}
		}
	}
	reexport(modules, out)
	return out
}

// reexport follows export { a as b } from './m' and export * from './m':
// each round passes SDK objects one re-export further, so a chain of n
// re-exports costs n rounds over the re-exports only.
func reexport(modules []*moduleInfo, out map[string]map[string]binding) {
	var rs []*moduleInfo
	for _, m := range modules {
		if slices.ContainsFunc(m.imports, func(i relImport) bool { return i.reexport }) {
			rs = append(rs, m)
		}
	}
	for round := 0; round < 4; round++ {
		changed := false
		for _, m := range rs {
			key := moduleKey(m.rel)
			for _, imp := range m.imports {
				src := out[imp.module]
				if !imp.reexport || len(src) == 0 {
					continue
				}
				for name, b := range src {
					local := imp.local
					if imp.imported == "*" {
						if name == "default" {
							continue
						}
						local = name
					} else if name != imp.imported {
						continue
					}
					if _, ok := out[key][local]; ok {
						continue
					}
					own := map[string]binding{local: b}
					for k, v := range out[key] {
						own[k] = v
					}
					out[key] = own
					if path.Base(key) == "index" {
						out[path.Dir(key)] = own
					}
					changed = true
				}
			}
		}
		if !changed {
			return
		}
	}
}

// seedsFor is what a module's relative imports give it: local name → the
// SDK object the imported module exports under that name.
func seedsFor(imports []relImport, exports map[string]map[string]binding) map[string]binding {
	seeds := map[string]binding{}
	for _, imp := range imports {
		if imp.reexport {
			continue
		}
		if b, ok := exports[imp.module][imp.imported]; ok {
			seeds[imp.local] = b
		}
	}
	return seeds
}

// importsOf reads a module's imports only.
func importsOf(rel string, data []byte) []relImport {
	lang := languageOf(rel)
	src := string(data)
	c := &codeFile{fileScan: &fileScan{rel: rel, lang: lang, src: src}, toks: lex(src, syntaxes[lang])}
	c.findImports()
	return c.imports
}

// noRelativeImports records that a module was read and imports nothing by
// a relative path, so linking never needs to read it again.
var noRelativeImports = []relImport{{}}

// importsRecorded reads the imports of a module the prefilter passes over
// (it names no Auth0, but may import an SDK object from a module that
// does), so that every module's imports are known after one read and
// linking costs O(files + imports). Only a file that can hold a relative
// import is lexed.
func importsRecorded(rel, lang string, data []byte) []relImport {
	// The last import in the file, found going forward with the fast
	// Index (LastIndex is a slow Rabin-Karp): "import" in Python, a quoted
	// './' or '../' specifier elsewhere.
	word := []byte("./")
	if lang == "python" {
		word = []byte("import")
	}
	end := -1
	for off := 0; ; {
		k := bytes.Index(data[off:], word)
		if k < 0 {
			break
		}
		k += off
		off = k + len(word)
		if lang == "python" {
			end = k
			continue
		}
		q := k - 1
		if q >= 0 && data[q] == '.' { // ../
			q--
		}
		if q >= 0 && (data[q] == '\'' || data[q] == '"' || data[q] == '`') {
			end = k
		}
	}
	if end < 0 {
		return noRelativeImports
	}
	// Imports sit at the top: only the part up to the last one is lexed.
	if nl := bytes.IndexByte(data[end:], '\n'); nl >= 0 {
		end += nl
	} else {
		end = len(data)
	}
	if imps := importsOf(rel, data[:end]); len(imps) > 0 {
		return imps
	}
	return noRelativeImports
}

// moduleInfo is what the module linking needs of a scanned file.
type moduleInfo struct {
	rel     string
	exports map[string]binding
	imports []relImport
}
