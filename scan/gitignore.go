package scan

import (
	"path/filepath"
	"strings"
)

// ignoreFile is one .gitignore's patterns, indexed so that a name is
// checked against the few patterns that could match it rather than all of
// them: a walk costs O(files + patterns), not O(files × patterns).
//
// Git decides a path by the last pattern that matches it, and a folder it
// ignores is never entered (nothing below it can be re-included), so the
// walk asks about each path once, after its folders passed: a pattern is
// matched against the path itself, not its parents.
type ignoreFile struct {
	depth int // the .gitignore's folder is this many names below the root
	pats  []ignorePattern
	// Buckets of pattern indexes, ascending. A pattern is in one bucket,
	// under a literal part of it that every path it matches must have.
	exact    map[string][]int // no slash, no wildcard: the name itself
	prefix   map[string][]int // no slash: the literal start of the name
	suffix   map[string][]int // no slash: the literal end of the name
	first    map[string][]int // with a slash: the literal first name of the path
	rest     []int            // the rest, tried one by one
	prefixes []int            // the lengths of prefix's keys
	suffixes []int            // the lengths of suffix's keys
	tried    int              // patterns matched one by one so far (a test pins it linear)
}

type ignorePattern struct {
	negate, dirOnly bool
	name            string   // a pattern without a slash, matched against the last name (filepath.Match)
	path            []string // a pattern with a slash, one glob per name of the path below the .gitignore; "**" is any number of folders
}

// glob turns one name of a git pattern into filepath.Match's syntax: git
// negates a class with [! as well as [^, and ** inside a name is *.
func glob(name string) string {
	for strings.Contains(name, "**") {
		name = strings.ReplaceAll(name, "**", "*")
	}
	return strings.ReplaceAll(name, "[!", "[^")
}

const wildcards = `*?[\`

// parseIgnore reads a .gitignore's lines (git's syntax) for a folder depth
// names below the root.
func parseIgnore(lines []string, depth int) *ignoreFile {
	f := &ignoreFile{depth: depth, exact: map[string][]int{}, prefix: map[string][]int{}, suffix: map[string][]int{}, first: map[string][]int{}}
	for _, line := range lines {
		if !strings.HasSuffix(line, `\ `) {
			line = strings.TrimRight(line, " \r")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := len(f.pats)
		p := ignorePattern{}
		body := line
		if strings.HasPrefix(body, "!") {
			p.negate, body = true, body[1:]
		}
		if strings.HasSuffix(body, "/") {
			p.dirOnly, body = true, strings.TrimRight(body, "/")
		}
		if strings.HasPrefix(body, "**/") && !strings.Contains(body[3:], "/") {
			body = body[3:] // "**/name" is "name": at any depth
		}
		if body == "" {
			continue
		}
		if strings.Contains(body, "/") {
			names := strings.Split(strings.TrimPrefix(body, "/"), "/")
			for _, n := range names {
				if n == "**" && len(p.path) > 0 && p.path[len(p.path)-1] == "**" {
					continue // a/**/**/b is a/**/b
				}
				if n != "**" {
					n = glob(n)
				}
				p.path = append(p.path, n)
			}
			f.pats = append(f.pats, p)
			last, head := names[len(names)-1], names[0]
			switch {
			case last != "**" && !strings.ContainsAny(last, wildcards):
				f.exact[last] = append(f.exact[last], i) // what it matches has that name (its folders passed)
			case head != "**" && !strings.ContainsAny(head, wildcards):
				f.first[head] = append(f.first[head], i)
			case last != "**":
				f.byName(i, last)
			default:
				f.rest = append(f.rest, i)
			}
			continue
		}
		p.name = glob(body)
		f.pats = append(f.pats, p)
		f.byName(i, body)
	}
	return f
}

// byName files pattern i under a literal part of name, a glob that the
// last name of each path it matches must match.
func (f *ignoreFile) byName(i int, name string) {
	w := strings.IndexAny(name, wildcards)
	switch {
	case w < 0:
		f.exact[name] = append(f.exact[name], i)
	case strings.ContainsRune(name, '\\'): // escapes: no literal part to index by
		f.rest = append(f.rest, i)
	default:
		pre := name[:w]
		suf := name[strings.LastIndexAny(name, wildcards+"]")+1:] // a class's ] is no literal
		switch {
		case pre != "" && len(pre) >= len(suf):
			f.prefix[pre] = append(f.prefix[pre], i)
			f.prefixes = addLen(f.prefixes, len(pre))
		case suf != "":
			f.suffix[suf] = append(f.suffix[suf], i)
			f.suffixes = addLen(f.suffixes, len(suf))
		default:
			f.rest = append(f.rest, i)
		}
	}
}

func addLen(ls []int, n int) []int {
	for _, l := range ls {
		if l == n {
			return ls
		}
	}
	return append(ls, n)
}

// last returns the index of the last pattern that matches parts (the path
// from the root) or -1.
func (f *ignoreFile) last(parts []string, isDir bool) int {
	best := -1
	below := parts[f.depth:]
	name := parts[len(parts)-1]
	try := func(ids []int) {
		for k := len(ids) - 1; k >= 0 && ids[k] > best; k-- {
			f.tried++
			if f.pats[ids[k]].matches(name, below, isDir) {
				best = ids[k]
				return
			}
		}
	}
	try(f.exact[name])
	for _, n := range f.prefixes {
		if n <= len(name) {
			try(f.prefix[name[:n]])
		}
	}
	for _, n := range f.suffixes {
		if n <= len(name) {
			try(f.suffix[name[len(name)-n:]])
		}
	}
	try(f.first[below[0]])
	try(f.rest)
	return best
}

func (p *ignorePattern) matches(name string, below []string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if p.path != nil {
		return matchPath(p.path, below)
	}
	ok, err := filepath.Match(p.name, name)
	return ok && err == nil
}

// matchPath matches a path, name by name, against a pattern's globs, as
// git's wildmatch does with a slash in the pattern: a glob never crosses a
// slash, "**" matches any number of folders (at the end: at least one
// name, everything inside). It is dynamic programming over the two lists,
// O(len(pat) × len(path)) however many "**" a hostile pattern holds.
func matchPath(pat, path []string) bool {
	n := len(path)
	next := make([]bool, n+1) // pat[i+1:] matches path[j:]
	next[n] = true
	cur := make([]bool, n+1)
	for i := len(pat) - 1; i >= 0; i-- {
		for j := n; j >= 0; j-- {
			switch {
			case pat[i] == "**" && i == len(pat)-1:
				cur[j] = j < n
			case pat[i] == "**":
				cur[j] = next[j] || j < n && cur[j+1]
			default:
				ok := false
				if j < n {
					m, err := filepath.Match(pat[i], path[j])
					ok = m && err == nil && next[j+1]
				}
				cur[j] = ok
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// ignored reports whether the .gitignore files from the root down (files,
// shallowest first) ignore parts: the deepest file with a matching
// pattern decides, and in it the last such pattern.
func ignored(files []*ignoreFile, parts []string, isDir bool) bool {
	for i := len(files) - 1; i >= 0; i-- {
		if k := files[i].last(parts, isDir); k >= 0 {
			return !files[i].pats[k].negate
		}
	}
	return false
}
