// Package safetext makes untrusted text safe to show in a terminal or a
// label: control characters (C0 but tab and newline, DEL, C1), BiDi
// controls, zero-width characters and bytes that are not UTF-8 are shown
// visibly as escapes (\x1b, \u202e) instead of acting on the screen. Every
// human renderer, on the command line and in the window, uses it; --json
// output stays exact and never goes through it.
package safetext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// hidden reports whether r acts on the display instead of being seen:
// a control character, a BiDi control or a zero-width character.
func hidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // BiDi embeddings, overrides, isolates
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c: // LRM, RLM, ALM
		return true
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff: // zero-width space, joiners, word joiner, BOM
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// Line returns s with every hidden character escaped, tab and newline
// included: for one-line places (a table cell, a label, a status line).
func Line(s string) string { return show(s, false) }

// Block returns s with every hidden character escaped but tab and newline,
// which a multi-line layout wants (a source excerpt, a JSON pane).
func Block(s string) string { return show(s, true) }

// Has reports whether s holds anything Line would escape, so a renderer
// can flag a value that had hidden characters.
func Has(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || hidden(r) {
			return true
		}
		i += n
	}
	return false
}

func show(s string, keepLayout bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || hidden(r) && !(keepLayout && (r == '\n' || r == '\t')) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case keepLayout && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x80 && hidden(r):
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case hidden(r):
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)))
			b.WriteString(h)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
