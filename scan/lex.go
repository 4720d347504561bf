package scan

import (
	"strings"
	"unicode/utf8"
)

// A token is what the language scanners see of a source file: enough of
// each language's lexical rules (comments, string literals with their
// escapes, identifiers) to tell code from a comment or a string, and to
// follow a receiver back to where it was built.
type tokKind uint8

const (
	tIdent tokKind = iota
	tString
	tPunct
	tComment
)

type token struct {
	kind     tokKind
	off, end int    // bytes of the source, end exclusive
	text     string // identifier, punctuation or comment text; a string's contents
}

// syntax is one language family's lexical rules.
type syntax struct {
	lineComments []string
	blockComment [2]string
	quotes       string // characters that open a string literal
	triple       bool   // """ and ''' strings (Python, Swift, Kotlin)
	rawBacktick  bool   // `...` has no escapes (Go)
	rubyDoc      bool   // =begin … =end
	htmlComments bool   // <!-- … --> (pages and templates)
}

var (
	cLike  = &syntax{lineComments: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: `"'`}
	jsLike = &syntax{lineComments: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: "\"'`"}
	goLang = &syntax{lineComments: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: "\"'`", rawBacktick: true}
	triC   = &syntax{lineComments: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: `"'`, triple: true}
	python = &syntax{lineComments: []string{"#"}, quotes: `"'`, triple: true}
	ruby   = &syntax{lineComments: []string{"#"}, quotes: `"'`, rubyDoc: true}
	php    = &syntax{lineComments: []string{"//", "#"}, blockComment: [2]string{"/*", "*/"}, quotes: `"'`, htmlComments: true}
	// A page is read as the script it holds; its markup lexes harmlessly
	// (an apostrophe in text ends its string at the end of the line).
	htmlLike = &syntax{lineComments: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: "\"'`", htmlComments: true}
)

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c == '@' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

var multiPunct = []string{"?.", "->", "::", ":=", "=>", "===", "==", "!=", "<=", ">=", "..."}

// lex splits src into tokens. It never fails: an unterminated string or
// comment runs to the end of the file, as an editor would show it.
func lex(src string, syn *syntax) []token {
	toks := make([]token, 0, len(src)/6)
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case syn.rubyDoc && c == '=' && strings.HasPrefix(src[i:], "=begin") && (i == 0 || src[i-1] == '\n'):
			end := strings.Index(src[i:], "\n=end")
			if end < 0 {
				end = len(src) - i
			} else {
				end += len("\n=end")
			}
			toks = append(toks, token{kind: tComment, off: i, end: i + end, text: src[i : i+end]})
			i += end
			continue
		}
		if n := commentAt(src, i, syn); n > 0 {
			toks = append(toks, token{kind: tComment, off: i, end: i + n, text: src[i : i+n]})
			i += n
			continue
		}
		if strings.IndexByte(syn.quotes, c) >= 0 {
			n, val := stringAt(src, i, syn)
			toks = append(toks, token{kind: tString, off: i, end: i + n, text: val})
			i += n
			continue
		}
		if isIdentStart(c) {
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{kind: tIdent, off: i, end: j, text: src[i:j]})
			i = j
			continue
		}
		if c >= '0' && c <= '9' {
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: tPunct, off: i, end: j, text: "0"})
			i = j
			continue
		}
		n := 1
		for _, p := range multiPunct {
			if strings.HasPrefix(src[i:], p) {
				n = len(p)
				break
			}
		}
		toks = append(toks, token{kind: tPunct, off: i, end: i + n, text: src[i : i+n]})
		i += n
	}
	return toks
}

func commentAt(src string, i int, syn *syntax) int {
	if syn.htmlComments && strings.HasPrefix(src[i:], "<!--") {
		end := strings.Index(src[i+4:], "-->")
		if end < 0 {
			return len(src) - i
		}
		return 4 + end + 3
	}
	for _, lc := range syn.lineComments {
		if strings.HasPrefix(src[i:], lc) {
			// PHP's #[Attribute] is code, not a comment.
			if lc == "#" && syn == php && strings.HasPrefix(src[i:], "#[") {
				continue
			}
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				return len(src) - i
			}
			return end
		}
	}
	if open := syn.blockComment[0]; open != "" && strings.HasPrefix(src[i:], open) {
		end := strings.Index(src[i+len(open):], syn.blockComment[1])
		if end < 0 {
			return len(src) - i
		}
		return len(open) + end + len(syn.blockComment[1])
	}
	return 0
}

// stringAt reads the string literal at src[i]; it returns its length in
// the source and its contents with escapes left as written (a URL in it
// reads the same either way).
func stringAt(src string, i int, syn *syntax) (int, string) {
	q := src[i]
	if syn.triple && (q == '"' || q == '\'') && strings.HasPrefix(src[i:], strings.Repeat(string(q), 3)) {
		delim := src[i : i+3]
		end := strings.Index(src[i+3:], delim)
		if end < 0 {
			return len(src) - i, src[i+3:]
		}
		return 3 + end + 3, src[i+3 : i+3+end]
	}
	raw := q == '`' && syn.rawBacktick
	multiline := q == '`'
	j := i + 1
	for j < len(src) {
		switch c := src[j]; {
		case c == '\\' && !raw:
			j += 2
			continue
		case c == q:
			return j + 1 - i, src[i+1 : j]
		case c == '\n' && !multiline:
			return j - i, src[i+1 : j]
		}
		j++
	}
	return len(src) - i, src[i+1:]
}

// lines maps byte offsets to 1-based lines and columns (columns count
// Unicode code points, as SARIF's unicodeCodePoints does).
type lines struct {
	src    string
	starts []int
	// The last column computed, so findings along one long line cost
	// the distance between them, not the distance from the line's start.
	memoLine, memoOff, memoCol int
}

func newLines(src string) *lines {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lines{src: src, starts: starts}
}

func (l *lines) at(off int) (line, col int) {
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	from, col := l.starts[lo], 1
	if l.memoLine == lo+1 && l.memoOff <= off {
		from, col = l.memoOff, l.memoCol
	}
	col += utf8.RuneCountInString(l.src[from:off])
	l.memoLine, l.memoOff, l.memoCol = lo+1, off, col
	return lo + 1, col
}

// text returns line n (1-based) without its newline.
func (l *lines) text(n int) string {
	if n < 1 || n > len(l.starts) {
		return ""
	}
	end := len(l.src) // the next line's start, not a scan: a finding on a 16 MB line costs O(1)
	if n < len(l.starts) {
		end = l.starts[n] - 1
	}
	return strings.TrimRight(l.src[l.starts[n-1]:end], "\r")
}
