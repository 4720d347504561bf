package scan

import (
	"bytes"
	"path"
	"strings"
)

// A JavaScript or TypeScript module that builds an SDK object and exports
// it (lib/auth0.js: module.exports = new AuthenticationClient(…)) is
// followed into the modules that import it by a relative path
// (const auth0 = require('../lib/auth0'); auth0.tokens.getInfo(…)). Only
// files the prefilter read are linked: an importer that names neither
// Auth0 nor a legacy path (not even in the module path) is not read.

// relImport is a name a module takes from a relative path.
type relImport struct {
	module   string // the imported module's path in the report, without extension
	imported string // the exported name, or "default"
	local    string
}

var jsExtensions = []string{".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx"}

// moduleKey is a file's path without its extension, as an import names it.
func moduleKey(rel string) string {
	for _, e := range jsExtensions {
		if strings.HasSuffix(rel, e) {
			return strings.TrimSuffix(rel, e)
		}
	}
	return rel
}

// findExports records the SDK objects this module exports: export const x
// = …, export default x, export { x as y }, module.exports = x,
// module.exports.x = …, exports.x = ….
func (c *codeFile) findExports() {
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

// exportIndex maps each module key (its path without extension; a
// directory for its index file) to the SDK objects the module exports.
func exportIndex(modules []*moduleInfo) map[string]map[string]binding {
	out := map[string]map[string]binding{}
	for _, m := range modules {
		if len(m.exports) == 0 {
			continue
		}
		key := moduleKey(m.rel)
		out[key] = m.exports
		if path.Base(key) == "index" {
			out[path.Dir(key)] = m.exports
		}
	}
	return out
}

// seedsFor is what a module's relative imports give it: local name → the
// SDK object the imported module exports under that name.
func seedsFor(imports []relImport, exports map[string]map[string]binding) map[string]binding {
	seeds := map[string]binding{}
	for _, imp := range imports {
		if b, ok := exports[imp.module][imp.imported]; ok {
			seeds[imp.local] = b
		}
	}
	return seeds
}

// importsOf reads a JavaScript file's relative imports only.
func importsOf(rel string, data []byte) []relImport {
	if !bytes.Contains(data, []byte("./")) {
		return nil
	}
	src := string(data)
	c := &codeFile{fileScan: &fileScan{rel: rel, lang: "js", src: src}, toks: lex(src, jsLike)}
	c.findImports()
	return c.imports
}

// moduleInfo is what the module linking needs of a scanned file.
type moduleInfo struct {
	rel     string
	exports map[string]binding
	imports []relImport
}
