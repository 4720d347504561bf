package tokens

import (
	"encoding/binary"
	"strings"
	"unicode"
)

// Normalize strips what people paste around a token: an "Authorization:"
// header name, a "Bearer " prefix, surrounding quotes, and whitespace or
// line breaks inside the token (from wrapped terminals and e-mails).
// It returns the cleaned token and one finding per thing it removed, so
// the screen can say what it did.
func Normalize(input string) (string, []Finding) {
	var findings []Finding
	s := strings.TrimSpace(input)
	if len(s) >= 14 && strings.EqualFold(s[:14], "authorization:") {
		s = strings.TrimSpace(s[14:])
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
		findings = append(findings, Finding{Severity: SeverityInfo, Code: CodePrefixStripped, Message: `The "Bearer " prefix was removed before decoding.`})
	}
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = strings.TrimSpace(s[1 : len(s)-1])
		findings = append(findings, Finding{Severity: SeverityInfo, Code: CodeQuotesStripped, Message: "The quotes around the token were removed before decoding."})
	}
	if hasSpace(s) {
		s = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
		findings = append(findings, Finding{Severity: SeverityInfo, Code: CodeWhitespaceRemoved, Message: "Spaces or line breaks inside the token were removed before decoding."})
	}
	return s, findings
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

// hasSpace is strings.IndexFunc(s, unicode.IsSpace) >= 0, with a table
// lookup for the ASCII that tokens are made of (it is on the decode path).
func hasSpace(s string) bool {
	i := 0
	// Eight bytes at a time while none is a control character, a space or
	// non-ASCII (every byte of a token is printable ASCII).
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		if ((w-0x21*ones)|w)&highs != 0 { // some byte is < 0x21 or >= 0x80
			break
		}
	}
	for ; i < len(s); i++ {
		switch byteClass[s[i]] {
		case 1:
			return true
		case 2:
			return strings.IndexFunc(s[i:], unicode.IsSpace) >= 0
		}
	}
	return false
}
