// Package curl writes an HTTP request as a curl command line for a POSIX
// shell. Every argument is quoted so that the shell hands curl exactly the
// text given, whatever it holds (quotes, spaces, $, `, \, line breaks);
// only the environment placeholders a caller names ("$REFRESH_TOKEN") are
// left for the shell to expand. The migration assistant's curl output and
// the Exchange screen's preview are both written here.
package curl

import (
	"fmt"
	"slices"
	"strings"
)

// Header is one --header line.
type Header struct{ Name, Value string }

// Param is one form parameter, sent with --data-urlencode.
type Param struct{ Name, Value string }

// Command is one curl invocation. Its arguments come out in this order:
// --request, --url, each --header, --user, then the body (the form
// parameters, or Body from a here-document).
type Command struct {
	Method  string
	URL     string
	Headers []Header
	// User is --user's "id:secret"; "" sends no --user.
	User string
	// Form is sent as --data-urlencode name=value, in order.
	Form []Param
	// Body, when Form is empty, is sent as it is (--data @-) from a
	// here-document, which keeps a JSON body readable; "" sends none.
	Body string
	// Expand names the environment variables whose "$NAME" in any value
	// the shell is to expand (the placeholders of a secret); every other
	// $ reaches curl as it is.
	Expand []string
}

// String is the command, one argument a line, ending in a line break.
func (c Command) String() string {
	var b strings.Builder
	method := c.Method
	if strings.Trim(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		method = c.Quote(method)
	}
	fmt.Fprintf(&b, "curl --request %s \\\n  --url %s", method, c.Quote(c.URL))
	for _, h := range c.Headers {
		fmt.Fprintf(&b, " \\\n  --header %s", c.Quote(h.Name+": "+h.Value))
	}
	if c.User != "" {
		fmt.Fprintf(&b, " \\\n  --user %s", c.Quote(c.User))
	}
	for _, p := range c.Form {
		fmt.Fprintf(&b, " \\\n  --data-urlencode %s", c.Quote(p.Name+"="+p.Value))
	}
	if len(c.Form) == 0 && c.Body != "" {
		// With placeholders the here-document must expand $NAME, so \, `
		// and any other $ are escaped; without, a quoted delimiter
		// expands nothing.
		end := delimiter(c.Body)
		if c.hasPlaceholder(c.Body) {
			fmt.Fprintf(&b, " \\\n  --data @- <<%s\n%s\n%s\n", end, c.heredocEscape(c.Body), end)
		} else {
			fmt.Fprintf(&b, " \\\n  --data @- <<'%s'\n%s\n%s\n", end, c.Body, end)
		}
		return b.String()
	}
	b.WriteByte('\n')
	return b.String()
}

// Quote quotes s as one shell word: single quotes when it holds none of
// c.Expand's placeholders, double quotes (which expand only those) when
// it does.
func (c Command) Quote(s string) string {
	if !c.hasPlaceholder(s) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '"' || ch == '\\' || ch == '`' {
			b.WriteByte('\\')
		}
		if ch == '$' && !c.startsWithPlaceholder(s[i:]) {
			b.WriteByte('\\')
		}
		b.WriteByte(ch)
	}
	b.WriteByte('"')
	return b.String()
}

// delimiter ends the here-document holding body: EOF, unless body has a
// line that would end it early.
func delimiter(body string) string {
	end := "EOF"
	for slices.Contains(strings.Split(body, "\n"), end) {
		end += "_"
	}
	return end
}

// heredocEscape escapes s for an unquoted here-document, leaving the
// placeholders to expand.
func (c Command) heredocEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '\\' || ch == '`':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch == '$' && !c.startsWithPlaceholder(s[i:]):
			b.WriteString("\\$")
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func (c Command) hasPlaceholder(s string) bool {
	for i := strings.IndexByte(s, '$'); i >= 0; i = strings.IndexByte(s, '$') {
		if c.startsWithPlaceholder(s[i:]) {
			return true
		}
		s = s[i+1:]
	}
	return false
}

// startsWithPlaceholder reports whether s starts with "$NAME" for a name
// in c.Expand, as a whole name: the shell reads $NAMES as another variable.
func (c Command) startsWithPlaceholder(s string) bool {
	for _, env := range c.Expand {
		if rest, ok := strings.CutPrefix(s, "$"+env); ok && (rest == "" || !isNameByte(rest[0])) {
			return true
		}
	}
	return false
}

func isNameByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
