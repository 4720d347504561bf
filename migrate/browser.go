package migrate

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// What a browser's DevTools copies besides curl: "Copy as fetch" (Chrome,
// Firefox, Node.js variants) and "Copy as PowerShell" (Chrome, Edge).

// isFetch reports whether the input is a fetch(...) call.
func isFetch(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "await ")
	return strings.HasPrefix(strings.TrimSpace(s), "fetch(")
}

// parseFetch reads fetch("URL", {"method": ..., "headers": {...}, "body": ...}).
// Both browsers write the URL and the options as JSON (JSON.stringify),
// so a JSON decoder reads them.
func parseFetch(s string) (*Batch, error) {
	start := strings.Index(s, "fetch(")
	rest := s[start+len("fetch("):]
	dec := json.NewDecoder(strings.NewReader(rest))
	var u string
	if err := dec.Decode(&u); err != nil {
		return nil, &ParseError{Line: 1, Msg: "fetch( must be followed by the URL as a quoted string: " + err.Error()}
	}
	l := Legacy{Source: Source{FormFetch, "line 1"}, Method: "GET", URL: u}
	after := strings.TrimLeftFunc(rest[dec.InputOffset():], unicode.IsSpace)
	if strings.HasPrefix(after, ",") {
		var opts struct {
			Method  string            `json:"method"`
			Headers map[string]string `json:"headers"`
			Body    *string           `json:"body"`
		}
		dec = json.NewDecoder(strings.NewReader(after[1:]))
		if err := dec.Decode(&opts); err != nil {
			return nil, &ParseError{Line: 1 + strings.Count(s[:len(s)-len(after)], "\n"), Msg: "the options of fetch() are not the JSON object a browser writes: " + err.Error()}
		}
		if opts.Method != "" {
			l.Method = strings.ToUpper(opts.Method)
		}
		for _, k := range sortedKeys(opts.Headers) {
			l.Headers = append(l.Headers, Header{k, opts.Headers[k]})
		}
		if opts.Body != nil {
			if err := l.setBody(*opts.Body, l.Header("Content-Type")); err != nil {
				return nil, &ParseError{Line: 1, Msg: err.Error()}
			}
		}
	}
	l.mergeURLQuery()
	l.readBasicAuth()
	return &Batch{Form: FormFetch, Requests: []Legacy{l}}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// isPowerShell reports whether the input calls Invoke-WebRequest or
// Invoke-RestMethod.
func isPowerShell(s string) bool {
	return strings.Contains(s, "Invoke-WebRequest") || strings.Contains(s, "Invoke-RestMethod")
}

// psWord is one PowerShell token: a bare word, a string's value, or a
// hashtable's entries.
type psWord struct {
	text  string
	table [][2]string
	line  int
}

// parsePowerShell reads Invoke-WebRequest -Uri "…" -Method "…" -Headers
// @{…} -ContentType "…" -Body "…", as DevTools writes it: double-quoted
// strings with backtick escapes, backtick line continuations, and a body
// that may be ([System.Text.Encoding]::UTF8.GetBytes("…")).
func parsePowerShell(s string) (*Batch, error) {
	i := strings.Index(s, "Invoke-WebRequest")
	if j := strings.Index(s, "Invoke-RestMethod"); i < 0 || j >= 0 && j < i {
		i = j
	}
	line0 := 1 + strings.Count(s[:i], "\n")
	words, err := psSplit(s[i:], line0)
	if err != nil {
		return nil, err
	}
	l := Legacy{Source: Source{FormPowerShell, fmt.Sprintf("line %d", line0)}, Method: "GET"}
	var body, contentType string
	for k := 1; k < len(words); k++ {
		name := strings.ToLower(words[k].text)
		if !strings.HasPrefix(name, "-") || words[k].table != nil {
			continue
		}
		if k+1 >= len(words) {
			break
		}
		v := words[k+1]
		switch name {
		case "-uri":
			l.URL = v.text
		case "-method":
			l.Method = strings.ToUpper(v.text)
		case "-contenttype":
			contentType = v.text
		case "-body":
			body = v.text
		case "-headers":
			for _, kv := range v.table {
				l.Headers = append(l.Headers, Header{kv[0], kv[1]})
			}
		default:
			if strings.HasPrefix(v.text, "-") && v.table == nil {
				continue // a switch such as -UseBasicParsing
			}
		}
		k++
	}
	if l.URL == "" {
		return nil, &ParseError{Line: line0, Msg: "the PowerShell command has no -Uri"}
	}
	if contentType == "" {
		contentType = l.Header("Content-Type")
	}
	if err := l.setBody(body, contentType); err != nil {
		return nil, &ParseError{Line: line0, Msg: err.Error()}
	}
	l.mergeURLQuery()
	l.readBasicAuth()
	return &Batch{Form: FormPowerShell, Requests: []Legacy{l}}, nil
}

// psSplit tokenizes the command. ([System.Text.Encoding]::UTF8.GetBytes("x"))
// yields the string x; @{ "k"="v" … } yields a table.
func psSplit(s string, line int) ([]psWord, error) {
	var words []psWord
	r := []rune(s)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case c == '`' && i+1 < len(r) && (r[i+1] == '\n' || r[i+1] == '\r'):
			for i++; i < len(r) && (r[i] == '\r' || r[i] == '\n'); i++ {
				if r[i] == '\n' {
					line++
				}
			}
		case c == '\n':
			line++
			i++
		case unicode.IsSpace(c):
			i++
		case c == '"' || c == '\'':
			v, n, err := psString(r[i:], line)
			if err != nil {
				return nil, err
			}
			words = append(words, psWord{text: v, line: line})
			line += strings.Count(string(r[i:i+n]), "\n")
			i += n
		case c == '@' && i+1 < len(r) && r[i+1] == '{':
			end := i + 2
			var table [][2]string
			for end < len(r) && r[end] != '}' {
				switch {
				case r[end] == '"' || r[end] == '\'':
					k, n, err := psString(r[end:], line)
					if err != nil {
						return nil, err
					}
					end += n
					for end < len(r) && (r[end] == ' ' || r[end] == '=') {
						end++
					}
					var v string
					if end < len(r) && (r[end] == '"' || r[end] == '\'') {
						if v, n, err = psString(r[end:], line); err != nil {
							return nil, err
						}
						end += n
					}
					table = append(table, [2]string{k, v})
				case r[end] == '\n':
					line++
					end++
				default:
					end++
				}
			}
			if end >= len(r) {
				return nil, &ParseError{Line: line, Msg: "a @{ hashtable is never closed"}
			}
			words = append(words, psWord{text: "@{}", table: table, line: line})
			i = end + 1
		case c == '(':
			// ([System.Text.Encoding]::UTF8.GetBytes("…")): the string inside.
			depth, j := 0, i
			var inner *psWord
			for j < len(r) {
				if r[j] == '"' || r[j] == '\'' {
					v, n, err := psString(r[j:], line)
					if err != nil {
						return nil, err
					}
					if inner == nil {
						inner = &psWord{text: v, line: line}
					}
					j += n
					continue
				}
				if r[j] == '(' {
					depth++
				} else if r[j] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
				j++
			}
			if inner != nil {
				words = append(words, *inner)
			}
			i = j + 1
		default:
			j := i
			for j < len(r) && !unicode.IsSpace(r[j]) {
				j++
			}
			words = append(words, psWord{text: string(r[i:j]), line: line})
			i = j
		}
	}
	return words, nil
}

// psString reads a PowerShell string literal at the start of r and returns
// its value and the runes it took. Double quotes take backtick escapes
// (`" `$ “ `n `r `t) and "" for a quote; single quotes take ” only.
func psString(r []rune, line int) (string, int, error) {
	q := r[0]
	var b strings.Builder
	for i := 1; i < len(r); i++ {
		c := r[i]
		switch {
		case c == q && i+1 < len(r) && r[i+1] == q:
			b.WriteRune(q)
			i++
		case c == q:
			return b.String(), i + 1, nil
		case q == '"' && c == '`' && i+1 < len(r):
			i++
			switch r[i] {
			case 'n':
				b.WriteRune('\n')
			case 'r':
				b.WriteRune('\r')
			case 't':
				b.WriteRune('\t')
			case '0':
				b.WriteRune(0)
			default:
				b.WriteRune(r[i])
			}
		default:
			b.WriteRune(c)
		}
	}
	return "", 0, &ParseError{Line: line, Msg: "a quoted string is never closed"}
}
