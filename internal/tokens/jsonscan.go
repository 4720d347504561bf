package tokens

import (
	"bytes"
	"encoding/json"
)

// Field is one member of a JSON object, in the order it appears.
type Field struct {
	Name  string
	Value any             // string, json.Number, bool, nil, []any or map[string]any
	Raw   json.RawMessage // the member's value exactly as it was encoded
}

// objectFields splits a JSON object into its members in document order,
// keeping duplicates (encoding/json would silently keep only the last).
// The input must already be known to be valid JSON.
func objectFields(data []byte) ([]Field, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	fields := make([]Field, 0, 16)
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return fields, true
	}
	for i < len(data) {
		end := scanString(data, i)
		name := decodeString(data[i:end])
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // ':'
		vend := scanValue(data, i)
		raw := data[i:vend]
		fields = append(fields, Field{Name: name, Value: decodeValue(raw), Raw: json.RawMessage(raw)})
		i = skipSpace(data, vend)
		if i >= len(data) || data[i] == '}' {
			break
		}
		i = skipSpace(data, i+1) // ','
	}
	return fields, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index just past the string that starts at b[i].
func scanString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// scanValue returns the index just past the value that starts at b[i].
func scanValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return scanString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = scanString(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		return j
	}
}

func decodeString(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var out string
	_ = json.Unmarshal(raw, &out)
	return out
}

// decodeValue turns one valid JSON value into Go values, keeping numbers
// exact as json.Number (an exp of 1e400 must not become +Inf silently).
func decodeValue(raw []byte) any {
	switch raw[0] {
	case '"':
		return decodeString(raw)
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	case '{', '[':
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		_ = d.Decode(&v)
		return v
	default:
		return json.Number(raw)
	}
}
