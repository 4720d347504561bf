package tokens

import (
	"strings"
	"unicode"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// Normalize strips what people paste around a token: an "Authorization:"
// header name, a "Bearer " prefix, surrounding quotes, and whitespace or
// line breaks inside the token (from wrapped terminals and e-mails).
// It returns the cleaned token and one finding per thing it removed, so
// the screen can say what it did.
func Normalize(input string) (string, []finding.Finding) {
	s, findings, _ := normalize(input)
	return s, findings
}

// normalize is Normalize that also says whether the result is ASCII (so
// valid UTF-8), which the white space scan finds out on its way.
func normalize(input string) (_ string, findings []finding.Finding, ascii bool) {
	s := strings.TrimSpace(input)
	if len(s) >= 14 && strings.EqualFold(s[:14], "authorization:") {
		s = strings.TrimSpace(s[14:])
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
		findings = append(findings, finding.Finding{Severity: finding.SeverityInfo, Code: CodePrefixStripped, Message: `The "Bearer " prefix was removed before decoding.`})
	}
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = strings.TrimSpace(s[1 : len(s)-1])
		findings = append(findings, finding.Finding{Severity: finding.SeverityInfo, Code: CodeQuotesStripped, Message: "The quotes around the token were removed before decoding."})
	}
	space, ascii := scanSpace(s)
	if space {
		s = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
		findings = append(findings, finding.Finding{Severity: finding.SeverityInfo, Code: CodeWhitespaceRemoved, Message: "Spaces or line breaks inside the token were removed before decoding."})
		ascii = false // not known: decode checks
	}
	return s, findings, ascii
}

// byteClass marks ASCII white space (1) and non-ASCII bytes (2).
var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\n\r\v\f" {
		t[c] = 1
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = 2
	}
	return t
}()

// scanSpace answers strings.IndexFunc(s, unicode.IsSpace) >= 0, with a
// table lookup for the ASCII that tokens are made of (it is on the decode
// path), and when there is no white space it also says whether every byte
// of s is ASCII.
func scanSpace(s string) (space, ascii bool) {
	i := 0
	// Thirty-two, then eight bytes at a time while none is a control
	// character, a space or non-ASCII (every byte of a token is printable
	// ASCII).
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	odd := func(w uint64) uint64 { return ((w - 0x21*ones) | w) & highs } // some byte is < 0x21 or >= 0x80
	for ; i+32 <= len(s); i += 32 {
		b := s[i : i+32]
		if odd(le64(b[0:]))|odd(le64(b[8:]))|odd(le64(b[16:]))|odd(le64(b[24:])) != 0 {
			break
		}
	}
	for ; i+8 <= len(s); i += 8 {
		if odd(le64(s[i:])) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		switch byteClass[s[i]] {
		case 1:
			return true, false
		case 2:
			return strings.IndexFunc(s[i:], unicode.IsSpace) >= 0, false
		}
	}
	return false, true
}

// le64 is the little-endian word at the start of s (len(s) >= 8).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
