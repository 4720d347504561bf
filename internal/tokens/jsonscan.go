package tokens

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// Field is one member of a JSON object, in the order it appears.
type Field struct {
	Name  string
	Value any             // string, json.Number, bool, nil, []any or map[string]any
	Raw   json.RawMessage // the member's value exactly as it was encoded
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
	fields := make([]Field, 0, 16)
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
			v, err := p.value(1)
			if err != nil {
				return nil, errNotJSON
			}
			fields = append(fields, Field{Name: name, Value: v, Raw: json.RawMessage(p.b[start:p.i])})
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
	return fields, nil
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
		return p.number()
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

// string reads a JSON string. Plain ASCII/UTF-8 without escapes (nearly
// every claim) is sliced directly; anything else goes through encoding/json
// so escapes and invalid UTF-8 are treated exactly as it treats them.
func (p *parser) string() (string, error) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", errNotJSON
	}
	start := p.i
	p.i++
	simple := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			raw := p.b[start:p.i]
			if simple {
				return p.s[start+1 : p.i-1], nil
			}
			if !utf8.Valid(raw) || hasEscape(raw) {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					return "", errNotJSON
				}
				return s, nil
			}
			return p.s[start+1 : p.i-1], nil
		case c == '\\':
			simple = false
			if p.i+1 >= len(p.b) {
				return "", errNotJSON
			}
			switch p.b[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if p.i+6 > len(p.b) || !isHex4(p.b[p.i+2:p.i+6]) {
					return "", errNotJSON
				}
				p.i += 6
			default:
				return "", errNotJSON
			}
		case c < 0x20:
			return "", errNotJSON
		case c >= 0x80:
			simple = false
			p.i++
		default:
			p.i++
		}
	}
	return "", errNotJSON
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
func (p *parser) number() (any, error) {
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
		return nil, errNotJSON
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return nil, errNotJSON
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return nil, errNotJSON
		}
	}
	return json.Number(p.s[start:p.i]), nil
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}
