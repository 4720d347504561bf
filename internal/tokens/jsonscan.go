package tokens

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// Field is one member of a JSON object, in the order it appears.
type Field struct {
	Name string
	Raw  json.RawMessage // the member's value exactly as it was encoded
	kind fieldKind
	str  string // a string's value, or a number's digits
}

// fieldKind is the JSON type of a member's value. Decoding keeps strings
// and numbers as slices of the payload and validates arrays and objects
// without building them: Value builds them when something asks.
type fieldKind uint8

const (
	kindNull fieldKind = iota
	kindString
	kindNumber
	kindTrue
	kindFalse
	kindArray
	kindObject
)

// Value is the member's value: string, json.Number, bool, nil, []any or
// map[string]any (built from Raw on each call).
func (f Field) Value() any {
	switch f.kind {
	case kindString:
		return f.str
	case kindNumber:
		return json.Number(f.str)
	case kindTrue:
		return true
	case kindFalse:
		return false
	case kindArray, kindObject:
		p := parser{b: f.Raw, s: string(f.Raw)}
		v, err := p.value(1)
		if err != nil {
			return nil // not reached: Raw was validated when it was decoded
		}
		return v
	}
	return nil
}

// Text returns a string member's value without boxing it; ok is false for
// any other type.
func (f Field) Text() (string, bool) { return f.str, f.kind == kindString }

// texts returns the strings of an array member (other elements are
// skipped), building no []any.
func (f Field) texts() []string {
	if f.kind != kindArray {
		return nil
	}
	p := parser{b: f.Raw, s: string(f.Raw), i: 1}
	out := []string{}
	for {
		p.skipSpace()
		if p.i >= len(p.b) || p.b[p.i] == ']' {
			return out
		}
		if p.b[p.i] == '"' {
			s, err := p.string()
			if err != nil {
				return out
			}
			out = append(out, s)
		} else if p.skip(2) != nil {
			return out
		}
		p.skipSpace()
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
		}
	}
}

// errNotJSON, errNotObject and errTooDeep tell parseObject's ways to fail
// apart. errTooDeep is only returned for valid JSON.
var (
	errNotJSON   = errors.New("not JSON")
	errNotObject = errors.New("JSON but not an object")
	errTooDeep   = errors.New("JSON nested deeper than MaxNesting")
)

// MaxNesting is the deepest nesting of arrays and objects a header or a
// payload may have to be expanded into claims. Real tokens nest a few
// levels; deeper ones are reported and kept as text, so that showing or
// printing them stays linear in their size.
const MaxNesting = 64

// maxDepth bounds nesting, as encoding/json does, so hostile input cannot
// exhaust the stack.
const maxDepth = 10000

// parseObject validates data as one JSON value (RFC 8259, as encoding/json
// accepts it) and, when it is an object, returns its members in document
// order, duplicates included (encoding/json would keep only the last).
// It is one pass over the bytes: this is the hot path of decoding a token.
func parseObject(data []byte) ([]Field, error) {
	// One copy of the bytes as a string: every string and number value is
	// a slice of it, not a copy of its own.
	p := parser{b: data, s: string(data)}
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, errNotJSON
	}
	if p.b[p.i] != '{' {
		if _, err := p.value(0); err != nil {
			return nil, errNotJSON
		}
		if p.skipSpace(); p.i != len(p.b) {
			return nil, errNotJSON
		}
		return nil, errNotObject
	}
	p.i++
	// Members are gathered on the stack and copied out at their exact
	// number: a header has three or four, a payload about a dozen.
	var stack [24]Field
	fields := stack[:0]
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
	} else {
		for {
			p.skipSpace()
			name, err := p.string()
			if err != nil {
				return nil, errNotJSON
			}
			if p.skipSpace(); p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, errNotJSON
			}
			p.i++
			p.skipSpace()
			start := p.i
			f, err := p.member()
			if err != nil {
				return nil, errNotJSON
			}
			f.Name, f.Raw = name, json.RawMessage(p.b[start:p.i])
			fields = append(fields, f)
			p.skipSpace()
			if p.i >= len(p.b) {
				return nil, errNotJSON
			}
			if p.b[p.i] == '}' {
				p.i++
				break
			}
			if p.b[p.i] != ',' {
				return nil, errNotJSON
			}
			p.i++
		}
	}
	if p.skipSpace(); p.i != len(p.b) {
		return nil, errNotJSON
	}
	if p.deepest > MaxNesting {
		return nil, errTooDeep
	}
	out := make([]Field, len(fields)) // never nil: {} has no members, not no object
	copy(out, fields)
	return out, nil
}

type parser struct {
	b       []byte
	s       string // b as a string
	i       int
	deepest int // the deepest nesting seen (the top-level object is 1)
}

func (p *parser) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// member reads a top-level member's value: a string or number is kept as
// a slice, an array or object is only validated (its Raw is kept).
func (p *parser) member() (Field, error) {
	if p.i >= len(p.b) {
		return Field{}, errNotJSON
	}
	if p.deepest < 1 {
		p.deepest = 1
	}
	switch c := p.b[p.i]; {
	case c == '"':
		s, err := p.string()
		return Field{kind: kindString, str: s}, err
	case c == '{' || c == '[':
		kind := kindObject
		if c == '[' {
			kind = kindArray
		}
		return Field{kind: kind}, p.skip(1)
	case c == 't':
		return Field{kind: kindTrue}, p.literal("true")
	case c == 'f':
		return Field{kind: kindFalse}, p.literal("false")
	case c == 'n':
		return Field{kind: kindNull}, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		n, err := p.number()
		return Field{kind: kindNumber, str: n}, err
	}
	return Field{}, errNotJSON
}

// skip validates one value exactly as value would read it, building
// nothing.
func (p *parser) skip(depth int) error {
	if depth > maxDepth || p.i >= len(p.b) {
		return errNotJSON
	}
	if depth > p.deepest {
		p.deepest = depth
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.skipString()
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		p.i++
		p.skipSpace()
		if p.i < len(p.b) && p.b[p.i] == closing {
			p.i++
			return nil
		}
		for {
			p.skipSpace()
			if closing == '}' {
				if err := p.skipString(); err != nil {
					return err
				}
				if p.skipSpace(); p.i >= len(p.b) || p.b[p.i] != ':' {
					return errNotJSON
				}
				p.i++
				p.skipSpace()
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			p.skipSpace()
			if p.i >= len(p.b) {
				return errNotJSON
			}
			switch p.b[p.i] {
			case closing:
				p.i++
				return nil
			case ',':
				p.i++
			default:
				return errNotJSON
			}
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, err := p.number()
		return err
	}
	return errNotJSON
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth || p.i >= len(p.b) {
		return nil, errNotJSON
	}
	if depth > p.deepest {
		p.deepest = depth
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.string()
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		n, err := p.number()
		if err != nil {
			return nil, err
		}
		return json.Number(n), nil
	}
	return nil, errNotJSON
}

func (p *parser) literal(word string) error {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return errNotJSON
	}
	p.i += len(word)
	return nil
}

func (p *parser) object(depth int) (any, error) {
	p.i++ // '{'
	m := map[string]any{}
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return m, nil
	}
	for {
		p.skipSpace()
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		if p.skipSpace(); p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, errNotJSON
		}
		p.i++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		p.skipSpace()
		if p.i >= len(p.b) {
			return nil, errNotJSON
		}
		switch p.b[p.i] {
		case '}':
			p.i++
			return m, nil
		case ',':
			p.i++
		default:
			return nil, errNotJSON
		}
	}
}

func (p *parser) array(depth int) (any, error) {
	p.i++ // '['
	a := make([]any, 0, 4)
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return a, nil
	}
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.skipSpace()
		if p.i >= len(p.b) {
			return nil, errNotJSON
		}
		switch p.b[p.i] {
		case ']':
			p.i++
			return a, nil
		case ',':
			p.i++
		default:
			return nil, errNotJSON
		}
	}
}

// plainStringByte marks the bytes a JSON string holds as themselves:
// printable ASCII other than the quote and the backslash.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipString validates a JSON string without decoding it.
func (p *parser) skipString() error {
	_, _, err := p.scanString()
	return err
}

// string reads a JSON string. Plain ASCII/UTF-8 without escapes (nearly
// every claim) is sliced directly; anything else goes through encoding/json
// so escapes and invalid UTF-8 are treated exactly as it treats them.
func (p *parser) string() (string, error) {
	start, simple, err := p.scanString()
	if err != nil {
		return "", err
	}
	raw := p.b[start:p.i]
	if simple || utf8.Valid(raw) && !hasEscape(raw) {
		return p.s[start+1 : p.i-1], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errNotJSON
	}
	return s, nil
}

// scanString moves past a JSON string, checking its escapes and control
// characters; simple says it is ASCII without escapes.
func (p *parser) scanString() (start int, simple bool, err error) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return 0, false, errNotJSON
	}
	start = p.i
	p.i++
	simple = true
	for p.i < len(p.b) {
		for p.i < len(p.b) && plainStringByte[p.b[p.i]] {
			p.i++
		}
		if p.i >= len(p.b) {
			break
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return start, simple, nil
		case c == '\\':
			simple = false
			if p.i+1 >= len(p.b) {
				return 0, false, errNotJSON
			}
			switch p.b[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if p.i+6 > len(p.b) || !isHex4(p.b[p.i+2:p.i+6]) {
					return 0, false, errNotJSON
				}
				p.i += 6
			default:
				return 0, false, errNotJSON
			}
		case c < 0x20:
			return 0, false, errNotJSON
		case c >= 0x80:
			simple = false
			p.i++
		default:
			p.i++
		}
	}
	return 0, false, errNotJSON
}

func hasEscape(raw []byte) bool {
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

// number reads a JSON number and keeps it exact as json.Number (an exp of
// 1e400 must be reported, not silently turned into +Inf).
func (p *parser) number() (string, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case p.i < len(p.b) && p.b[p.i] >= '1' && p.b[p.i] <= '9':
		p.digits()
	default:
		return "", errNotJSON
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return "", errNotJSON
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return "", errNotJSON
		}
	}
	return p.s[start:p.i], nil
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}
