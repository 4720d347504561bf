package jsonx

import (
	"encoding/json"
	"strings"
	"testing"
)

// valid is what Skip says of a whole input.
func valid(in []byte) bool {
	s := Scanner{B: in}
	s.SkipSpace()
	if s.Skip(1) != nil {
		return false
	}
	s.SkipSpace()
	return s.I == len(in)
}

// FuzzSkipAgreesWithEncodingJSON: Skip accepts exactly what json.Valid
// accepts, and stops right after the value.
func FuzzSkipAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2.5e-3,{"c":null}],"b":"\u00e9\"x"}`, `[1,]`, `01`, `-0.0e+1`, "\"\xff\"", `"\x01"`, `{"a" 1}`, ` true `, `nul`, strings.Repeat("[", 10001) + strings.Repeat("]", 10001)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := valid(in), json.Valid(in); got != want {
			t.Fatalf("Skip says %v, json.Valid %v, for %q", got, want, in)
		}
	})
}

// TestSkipStopsRightAfterTheValue, so a stream reader can take the next.
func TestSkipStopsRightAfterTheValue(t *testing.T) {
	t.Parallel()
	for in, end := range map[string]int{`{"a":1} {"b":2}`: 7, `[1,2]x`: 5, `"s"x`: 3, `12 3`: 2, `true,`: 4} {
		s := Scanner{B: []byte(in)}
		if err := s.Skip(1); err != nil || s.I != end {
			t.Errorf("%q: stopped at %d (%v), want %d", in, s.I, err, end)
		}
	}
}

// TestEveryOffsetOfALongString puts each byte that ends or breaks plain
// string content at every offset of strings long enough for the 32- and
// 8-byte steps: Skip agrees with json.Valid and ScanString says where the
// string ends.
func TestEveryOffsetOfALongString(t *testing.T) {
	t.Parallel()
	for n := range 80 {
		for _, c := range []string{`"`, `\`, `\n`, `\u00e9`, "\x01", "\x1f", "\x7f", "é", "\xff", " "} {
			for at := 0; at <= n; at++ {
				in := []byte(`"` + strings.Repeat("a", at) + c + strings.Repeat("b", n-at) + `"`)
				if got, want := valid(in), json.Valid(in); got != want {
					t.Fatalf("Skip says %v, json.Valid %v, for %q", got, want, in)
				}
				s := Scanner{B: in}
				if _, _, err := s.ScanString(); err == nil && c == `"` && s.I != at+2 {
					t.Fatalf("%q: the string ended at %d, want %d", in, s.I, at+2)
				}
			}
		}
	}
}
