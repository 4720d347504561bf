package tokens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
	"unsafe"

	"github.com/tokenscope/tokenscope/internal/jsonx"
)

// Field is one member of a JSON object, in the order it appears.
type Field struct {
	Name string
	Raw  string // the member's value exactly as it was encoded (JSON)
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
		p := parser{Scanner: jsonx.Scanner{B: readOnly(f.Raw)}, s: f.Raw}
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
	p := parser{Scanner: jsonx.Scanner{B: readOnly(f.Raw), I: 1}, s: f.Raw}
	out := []string{}
	for {
		p.SkipSpace()
		if p.I >= len(p.B) || p.B[p.I] == ']' {
			return out
		}
		if p.B[p.I] == '"' {
			s, err := p.string()
			if err != nil {
				return out
			}
			out = append(out, s)
		} else if p.Skip(2) != nil {
			return out
		}
		p.SkipSpace()
		if p.I < len(p.B) && p.B[p.I] == ',' {
			p.I++
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

// parseObject validates data as one JSON value (RFC 8259, as encoding/json
// accepts it) and, when it is an object, returns its members in document
// order, duplicates included (encoding/json would keep only the last).
// It is one pass over the bytes: this is the hot path of decoding a token.
func parseObject(data []byte) ([]Field, error) {
	// One copy of the bytes as a string: every string and number value is
	// a slice of it, not a copy of its own.
	return parseObjectOf(data, string(data))
}

// parseOwned is parseObject for bytes the caller hands over: a payload
// just decoded from base64 or decrypted, which nothing else references and
// the caller never touches again. They become the string the members are
// sliced from without a copy (half the memory and a fifth of the time of a
// 1 MB token); doc is that string.
func parseOwned(data []byte) (doc string, fields []Field, err error) {
	doc = unsafe.String(unsafe.SliceData(data), len(data))
	fields, err = parseObjectOf(data, doc)
	return doc, fields, err
}

// readOnly is s's bytes for a scanner to read, without a copy. jsonx's
// scanner and the parser only ever read B, so the string is never changed.
func readOnly(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// parseObjectOf parses data, whose bytes s holds as a string: the members
// are slices of s, never of data.
func parseObjectOf(data []byte, s string) ([]Field, error) {
	p := parser{Scanner: jsonx.Scanner{B: data}, s: s}
	p.SkipSpace()
	if p.I >= len(p.B) {
		return nil, errNotJSON
	}
	if p.B[p.I] != '{' {
		if _, err := p.value(0); err != nil {
			return nil, errNotJSON
		}
		if p.SkipSpace(); p.I != len(p.B) {
			return nil, errNotJSON
		}
		return nil, errNotObject
	}
	p.I++
	// Members are gathered on the stack and copied out at their exact
	// number: a header has three or four, a payload about a dozen.
	var stack [24]Field
	fields := stack[:0]
	p.SkipSpace()
	if p.I < len(p.B) && p.B[p.I] == '}' {
		p.I++
	} else {
		for {
			p.SkipSpace()
			name, err := p.string()
			if err != nil {
				return nil, errNotJSON
			}
			if p.SkipSpace(); p.I >= len(p.B) || p.B[p.I] != ':' {
				return nil, errNotJSON
			}
			p.I++
			p.SkipSpace()
			start := p.I
			f, err := p.member()
			if err != nil {
				return nil, errNotJSON
			}
			f.Name, f.Raw = name, p.s[start:p.I]
			fields = append(fields, f)
			p.SkipSpace()
			if p.I >= len(p.B) {
				return nil, errNotJSON
			}
			if p.B[p.I] == '}' {
				p.I++
				break
			}
			if p.B[p.I] != ',' {
				return nil, errNotJSON
			}
			p.I++
		}
	}
	if p.SkipSpace(); p.I != len(p.B) {
		return nil, errNotJSON
	}
	if p.Deepest > MaxNesting {
		return nil, errTooDeep
	}
	out := make([]Field, len(fields)) // never nil: {} has no members, not no object
	copy(out, fields)
	return out, nil
}

type parser struct {
	jsonx.Scanner
	s string // B as a string
}

// member reads a top-level member's value: a string or number is kept as
// a slice, an array or object is only validated (its Raw is kept).
func (p *parser) member() (Field, error) {
	if p.I >= len(p.B) {
		return Field{}, errNotJSON
	}
	if p.Deepest < 1 {
		p.Deepest = 1
	}
	switch c := p.B[p.I]; {
	case c == '"':
		s, err := p.string()
		return Field{kind: kindString, str: s}, err
	case c == '{' || c == '[':
		kind := kindObject
		if c == '[' {
			kind = kindArray
		}
		return Field{kind: kind}, p.Skip(1)
	case c == 't':
		return Field{kind: kindTrue}, p.Literal("true")
	case c == 'f':
		return Field{kind: kindFalse}, p.Literal("false")
	case c == 'n':
		return Field{kind: kindNull}, p.Literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start, err := p.Number()
		return Field{kind: kindNumber, str: p.s[start:p.I]}, err
	}
	return Field{}, errNotJSON
}

func (p *parser) value(depth int) (any, error) {
	if depth > jsonx.MaxDepth || p.I >= len(p.B) {
		return nil, errNotJSON
	}
	if depth > p.Deepest {
		p.Deepest = depth
	}
	switch c := p.B[p.I]; {
	case c == '"':
		return p.string()
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == 't':
		return true, p.Literal("true")
	case c == 'f':
		return false, p.Literal("false")
	case c == 'n':
		return nil, p.Literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start, err := p.Number()
		if err != nil {
			return nil, errNotJSON
		}
		return json.Number(p.s[start:p.I]), nil
	}
	return nil, errNotJSON
}

func (p *parser) object(depth int) (any, error) {
	p.I++ // '{'
	m := map[string]any{}
	p.SkipSpace()
	if p.I < len(p.B) && p.B[p.I] == '}' {
		p.I++
		return m, nil
	}
	for {
		p.SkipSpace()
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		if p.SkipSpace(); p.I >= len(p.B) || p.B[p.I] != ':' {
			return nil, errNotJSON
		}
		p.I++
		p.SkipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		p.SkipSpace()
		if p.I >= len(p.B) {
			return nil, errNotJSON
		}
		switch p.B[p.I] {
		case '}':
			p.I++
			return m, nil
		case ',':
			p.I++
		default:
			return nil, errNotJSON
		}
	}
}

func (p *parser) array(depth int) (any, error) {
	p.I++ // '['
	a := make([]any, 0, 4)
	p.SkipSpace()
	if p.I < len(p.B) && p.B[p.I] == ']' {
		p.I++
		return a, nil
	}
	for {
		p.SkipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.SkipSpace()
		if p.I >= len(p.B) {
			return nil, errNotJSON
		}
		switch p.B[p.I] {
		case ']':
			p.I++
			return a, nil
		case ',':
			p.I++
		default:
			return nil, errNotJSON
		}
	}
}

// string reads a JSON string. Plain ASCII/UTF-8 without escapes (nearly
// every claim) is sliced directly; anything else goes through encoding/json
// so escapes and invalid UTF-8 are treated exactly as it treats them.
func (p *parser) string() (string, error) {
	start, simple, err := p.ScanString()
	if err != nil {
		return "", err
	}
	raw := p.B[start:p.I]
	if simple || utf8.Valid(raw) && !jsonx.HasEscape(raw) {
		return p.s[start+1 : p.I-1], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errNotJSON
	}
	return s, nil
}

// JSONObject parses data as one JSON object into a map, as encoding/json
// does with UseNumber (numbers are json.Number; of duplicate members the
// last wins), in the decoder's one pass. Other JSON is an error that says
// so. It reads token endpoint answers (internal/exchange).
func JSONObject(data []byte) (map[string]any, error) {
	fields, err := parseObject(data)
	switch {
	case err == nil:
	case errors.Is(err, errNotJSON): // encoding/json says where (rare: only on this path)
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		return nil, errors.New("not JSON")
	case errors.Is(err, errNotObject):
		return nil, errors.New("JSON, but not an object")
	case errors.Is(err, errTooDeep): // valid, and rare: the general decoder builds it
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			return nil, err
		}
		return m, nil
	default:
		return nil, err
	}
	m := make(map[string]any, len(fields))
	for _, f := range fields {
		m[f.Name] = f.Value()
	}
	return m, nil
}
