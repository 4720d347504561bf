// Package jsonx validates JSON exactly as encoding/json accepts it (RFC
// 8259; invalid UTF-8 inside strings is accepted, as encoding/json
// replaces it), one value at a time and building nothing. The token
// decoder builds its claims on it, and the HAR reader finds each entry's
// bytes with it; both are fuzzed against encoding/json.
package jsonx

import (
	"encoding/binary"
	"errors"
)

// ErrSyntax is any JSON syntax error; where it happened is Scanner.I.
var ErrSyntax = errors.New("invalid JSON")

// MaxDepth bounds nesting, as encoding/json does, so hostile input cannot
// exhaust the stack.
const MaxDepth = 10000

// Scanner reads B from I. Deepest is the deepest nesting seen (the value
// Skip starts with has the depth it is given).
type Scanner struct {
	B       []byte
	I       int
	Deepest int
}

// SkipSpace moves past JSON white space.
func (p *Scanner) SkipSpace() {
	for p.I < len(p.B) {
		switch p.B[p.I] {
		case ' ', '\t', '\n', '\r':
			p.I++
		default:
			return
		}
	}
}

// Skip validates one value at depth exactly as encoding/json would read
// it, building nothing.
func (p *Scanner) Skip(depth int) error {
	if depth > MaxDepth || p.I >= len(p.B) {
		return ErrSyntax
	}
	if depth > p.Deepest {
		p.Deepest = depth
	}
	switch c := p.B[p.I]; {
	case c == '"':
		return p.SkipString()
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		p.I++
		p.SkipSpace()
		if p.I < len(p.B) && p.B[p.I] == closing {
			p.I++
			return nil
		}
		for {
			p.SkipSpace()
			if closing == '}' {
				if err := p.SkipString(); err != nil {
					return err
				}
				if p.SkipSpace(); p.I >= len(p.B) || p.B[p.I] != ':' {
					return ErrSyntax
				}
				p.I++
				p.SkipSpace()
			}
			if err := p.Skip(depth + 1); err != nil {
				return err
			}
			p.SkipSpace()
			if p.I >= len(p.B) {
				return ErrSyntax
			}
			switch p.B[p.I] {
			case closing:
				p.I++
				return nil
			case ',':
				p.I++
			default:
				return ErrSyntax
			}
		}
	case c == 't':
		return p.Literal("true")
	case c == 'f':
		return p.Literal("false")
	case c == 'n':
		return p.Literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, err := p.Number()
		return err
	}
	return ErrSyntax
}

// Literal reads true, false or null.
func (p *Scanner) Literal(word string) error {
	if len(p.B)-p.I < len(word) || string(p.B[p.I:p.I+len(word)]) != word {
		return ErrSyntax
	}
	p.I += len(word)
	return nil
}

// plainStringByte marks the bytes a JSON string holds as themselves:
// printable ASCII other than the quote and the backslash.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainWord reports whether all eight bytes of w are plainStringByte:
// none is a control character, a quote, a backslash or non-ASCII.
func plainWord(w uint64) bool { return notPlain(w) == 0 }

// notPlain has a high bit set for a byte of w that is not plainStringByte
// (and may set one for a plain byte after it).
func notPlain(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) &^ v & highs } // a zero byte
	return (w-0x20*ones)&^w&highs | zero(w^('"'*ones)) | zero(w^('\\'*ones)) | w&highs
}

// SkipString validates a JSON string without decoding it.
func (p *Scanner) SkipString() error {
	_, _, err := p.ScanString()
	return err
}

// ScanString moves past a JSON string, checking its escapes and control
// characters; simple says it is ASCII without escapes.
func (p *Scanner) ScanString() (start int, simple bool, err error) {
	if p.I >= len(p.B) || p.B[p.I] != '"' {
		return 0, false, ErrSyntax
	}
	start = p.I
	p.I++
	simple = true
	for p.I < len(p.B) {
		// A long claim (a 1 MB token) goes thirty-two bytes at a time.
		for p.I+32 <= len(p.B) {
			b := p.B[p.I : p.I+32]
			le := binary.LittleEndian
			if notPlain(le.Uint64(b[0:]))|notPlain(le.Uint64(b[8:]))|notPlain(le.Uint64(b[16:]))|notPlain(le.Uint64(b[24:])) != 0 {
				break
			}
			p.I += 32
		}
		for p.I+8 <= len(p.B) && plainWord(binary.LittleEndian.Uint64(p.B[p.I:])) {
			p.I += 8
		}
		for p.I < len(p.B) && plainStringByte[p.B[p.I]] {
			p.I++
		}
		if p.I >= len(p.B) {
			break
		}
		c := p.B[p.I]
		switch {
		case c == '"':
			p.I++
			return start, simple, nil
		case c == '\\':
			simple = false
			if p.I+1 >= len(p.B) {
				return 0, false, ErrSyntax
			}
			switch p.B[p.I+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.I += 2
			case 'u':
				if p.I+6 > len(p.B) || !isHex4(p.B[p.I+2:p.I+6]) {
					return 0, false, ErrSyntax
				}
				p.I += 6
			default:
				return 0, false, ErrSyntax
			}
		case c < 0x20:
			return 0, false, ErrSyntax
		case c >= 0x80:
			simple = false
			p.I++
		default:
			p.I++
		}
	}
	return 0, false, ErrSyntax
}

// HasEscape reports whether a string literal holds a backslash escape.
func HasEscape(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' {
			return true
		}
	}
	return false
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// Number reads a JSON number; its text is B[start:I] after it (kept
// exact: an exp of 1e400 must be reported, not turned into +Inf).
func (p *Scanner) Number() (start int, err error) {
	start = p.I
	if p.B[p.I] == '-' {
		p.I++
	}
	switch {
	case p.I < len(p.B) && p.B[p.I] == '0':
		p.I++
	case p.I < len(p.B) && p.B[p.I] >= '1' && p.B[p.I] <= '9':
		p.digits()
	default:
		return 0, ErrSyntax
	}
	if p.I < len(p.B) && p.B[p.I] == '.' {
		p.I++
		if p.digits() == 0 {
			return 0, ErrSyntax
		}
	}
	if p.I < len(p.B) && (p.B[p.I] == 'e' || p.B[p.I] == 'E') {
		p.I++
		if p.I < len(p.B) && (p.B[p.I] == '+' || p.B[p.I] == '-') {
			p.I++
		}
		if p.digits() == 0 {
			return 0, ErrSyntax
		}
	}
	return start, nil
}

func (p *Scanner) digits() int {
	n := 0
	for p.I < len(p.B) && p.B[p.I] >= '0' && p.B[p.I] <= '9' {
		p.I++
		n++
	}
	return n
}
