package safetext

import (
	"testing"
)

// Every class of character the terminal rule names, as an attacker would
// plant it in a claim, a file name or a provider's error_description.
func TestHiddenCharactersAreShownVisibly(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, line, block string }{
		{"plain text passes untouched", "dana@demo.tokenscope.dev", "dana@demo.tokenscope.dev", "dana@demo.tokenscope.dev"},
		{"non-Latin text passes untouched", "Zoë 東京 مرحبا", "Zoë 東京 مرحبا", "Zoë 東京 مرحبا"},
		{"ESC[2J clears no screen", "a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		{"OSC 52 writes no clipboard", "\x1b]52;c;cm0gLXJmIH4=\x07", `\x1b]52;c;cm0gLXJmIH4=\x07`, `\x1b]52;c;cm0gLXJmIH4=\x07`},
		{"OSC 8 plants no link", "\x1b]8;;https://evil.test\x1b\\click\x1b]8;;\x1b\\", `\x1b]8;;https://evil.test\x1b\click\x1b]8;;\x1b\`, `\x1b]8;;https://evil.test\x1b\click\x1b]8;;\x1b\`},
		{"a newline forges no line in one-line places", "ok.js\nfake.js:1: error", `ok.js\x0afake.js:1: error`, "ok.js\nfake.js:1: error"},
		{"tab", "a\tb", `a\x09b`, "a\tb"},
		{"carriage return", "safe\rEVIL", `safe\x0dEVIL`, `safe\x0dEVIL`},
		{"DEL", "a\x7fb", `a\x7fb`, `a\x7fb`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"right-to-left override", "invoice\u202efdp.exe", `invoice\u202efdp.exe`, `invoice\u202efdp.exe`},
		{"BiDi isolates", "\u2066x\u2069", `\u2066x\u2069`, `\u2066x\u2069`},
		{"zero-width space and joiner", "ad\u200bmin\u200d", `ad\u200bmin\u200d`, `ad\u200bmin\u200d`},
		{"byte-order mark", "\ufeffsub", `\ufeffsub`, `\ufeffsub`},
		{"bytes that are not UTF-8", "a\xffb\xc3", `a\xffb\xc3`, `a\xffb\xc3`},
		{"NUL", "a\x00b", `a\x00b`, `a\x00b`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
			if got := Block(c.in); got != c.block {
				t.Errorf("Block(%q) = %q, want %q", c.in, got, c.block)
			}
			if Has(c.in) != (c.line != c.in) {
				t.Errorf("Has(%q) = %v", c.in, Has(c.in))
			}
		})
	}
}

func FuzzLineLeavesNothingHidden(f *testing.F) {
	f.Add("a\x1b[2J\u202e\xff")
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if Has(out) {
			t.Fatalf("Line(%q) = %q still hides characters", s, out)
		}
		if !Has(s) && out != s {
			t.Fatalf("Line changed clean text %q into %q", s, out)
		}
		if b := Block(s); Has(b) && b == s && Has(s) && !onlyLayout(s) {
			t.Fatalf("Block(%q) left hidden characters", s)
		}
	})
}

func onlyLayout(s string) bool {
	for _, r := range s {
		if hidden(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}
