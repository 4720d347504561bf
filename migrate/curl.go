package migrate

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// shellWord is one word of a command line and the line it started on.
type shellWord struct {
	text string
	line int
	col  int
}

// splitShell splits a command line as a POSIX shell would for curl
// commands: single quotes, double quotes with backslash escapes, $'...'
// ANSI-C quotes, backslash escapes and backslash-newline continuations.
func splitShell(s string) ([]shellWord, error) {
	var words []shellWord
	var cur strings.Builder
	inWord := false
	line, col := 1, 0
	startLine, startCol := 1, 1
	begin := func() {
		if !inWord {
			inWord, startLine, startCol = true, line, col
		}
	}
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		c := r[i]
		col++
		switch {
		case c == '\n':
			if inWord {
				words = append(words, shellWord{cur.String(), startLine, startCol})
				cur.Reset()
				inWord = false
			}
			line, col = line+1, 0
		case c == ' ' || c == '\t' || c == '\r':
			if inWord {
				words = append(words, shellWord{cur.String(), startLine, startCol})
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 < len(r) && (r[i+1] == '\n' || r[i+1] == '\r' && i+2 < len(r) && r[i+2] == '\n') {
				if r[i+1] == '\r' {
					i++
				}
				i++
				line, col = line+1, 0
				continue
			}
			begin()
			if i+1 < len(r) {
				i++
				col++
				cur.WriteRune(r[i])
			}
		case c == '\'':
			begin()
			j := i + 1
			for j < len(r) && r[j] != '\'' {
				if r[j] == '\n' {
					line, col = line+1, 0
				}
				cur.WriteRune(r[j])
				j++
			}
			if j >= len(r) {
				return nil, &ParseError{Line: startLine, Col: startCol, Msg: "a single quote is never closed"}
			}
			col += j - i
			i = j
		case c == '$' && i+1 < len(r) && r[i+1] == '\'':
			begin()
			j := i + 2
			for j < len(r) && r[j] != '\'' {
				if r[j] == '\\' && j+1 < len(r) {
					j++
					switch r[j] {
					case 'n':
						cur.WriteRune('\n')
					case 't':
						cur.WriteRune('\t')
					case 'r':
						cur.WriteRune('\r')
					default:
						cur.WriteRune(r[j])
					}
				} else {
					cur.WriteRune(r[j])
				}
				j++
			}
			if j >= len(r) {
				return nil, &ParseError{Line: startLine, Col: startCol, Msg: "a $'...' quote is never closed"}
			}
			col += j - i
			i = j
		case c == '"':
			begin()
			j := i + 1
			for j < len(r) && r[j] != '"' {
				if r[j] == '\\' && j+1 < len(r) && strings.ContainsRune("\"\\$`\n", r[j+1]) {
					j++
					if r[j] == '\n' {
						line, col = line+1, 0
						j++
						continue
					}
				}
				if r[j] == '\n' {
					line, col = line+1, 0
				}
				cur.WriteRune(r[j])
				j++
			}
			if j >= len(r) {
				return nil, &ParseError{Line: startLine, Col: startCol, Msg: "a double quote is never closed"}
			}
			col += j - i
			i = j
		default:
			begin()
			cur.WriteRune(c)
		}
	}
	if inWord {
		words = append(words, shellWord{cur.String(), startLine, startCol})
	}
	return words, nil
}

// curl options that take a value and that we do not need.
var curlIgnoredWithValue = map[string]bool{
	"-o": true, "--output": true, "-A": true, "--user-agent": true, "-e": true, "--referer": true,
	"-m": true, "--max-time": true, "--connect-timeout": true, "-b": true, "--cookie": true,
	"-c": true, "--cookie-jar": true, "--retry": true, "-w": true, "--write-out": true,
	"--cacert": true, "--cert": true, "--key": true, "-x": true, "--proxy": true, "--resolve": true,
}

func parseCurl(s string) (*Batch, error) {
	s, stdin, hasStdin := cutHeredoc(s)
	split := splitShell
	if isCmdCurl(s) {
		split = splitCmd
	}
	words, err := split(s)
	if err != nil {
		return nil, err
	}
	if len(words) > 0 && strings.EqualFold(words[0].text, "curl.exe") {
		words[0].text = "curl"
	}
	if len(words) == 0 || words[0].text != "curl" {
		return nil, &ParseError{Line: 1, Col: 1, Msg: "a curl command must start with curl"}
	}
	l := Legacy{Source: Source{FormCurl, fmt.Sprintf("line %d", words[0].line)}}
	var data []string
	var contentType string
	isJSON, getMode := false, false
	value := func(i int) (string, error) {
		if i+1 >= len(words) {
			return "", &ParseError{Line: words[i].line, Col: words[i].col, Msg: words[i].text + " needs a value"}
		}
		return words[i+1].text, nil
	}
	for i := 1; i < len(words); i++ {
		w := words[i].text
		name, inline, hasInline := w, "", false
		if strings.HasPrefix(w, "--") {
			if k, v, ok := strings.Cut(w, "="); ok {
				name, inline, hasInline = k, v, true
			}
		} else if len(w) > 2 && w[0] == '-' && w[1] != '-' && strings.ContainsRune("XHduo", rune(w[1])) {
			name, inline, hasInline = w[:2], w[2:], true
		}
		arg := func() (string, error) {
			if hasInline {
				return inline, nil
			}
			v, err := value(i)
			i++
			return v, err
		}
		var v string
		switch name {
		case "-X", "--request":
			if v, err = arg(); err != nil {
				return nil, err
			}
			l.Method = strings.ToUpper(v)
		case "--url":
			if v, err = arg(); err != nil {
				return nil, err
			}
			l.URL = v
		case "-H", "--header":
			if v, err = arg(); err != nil {
				return nil, err
			}
			hn, hv, ok := strings.Cut(v, ":")
			if !ok {
				return nil, &ParseError{Line: words[i].line, Col: words[i].col, Msg: fmt.Sprintf("header %q has no colon", v)}
			}
			l.Headers = append(l.Headers, Header{strings.TrimSpace(hn), strings.TrimSpace(hv)})
			if strings.EqualFold(strings.TrimSpace(hn), "Content-Type") {
				contentType = strings.TrimSpace(hv)
			}
		case "-d", "--data", "--data-raw", "--data-binary", "--data-ascii":
			if v, err = arg(); err != nil {
				return nil, err
			}
			if v == "@-" && hasStdin {
				v = stdin
			}
			if strings.HasPrefix(v, "@") && name != "--data-raw" {
				return nil, &ParseError{Line: words[i].line, Col: words[i].col, Msg: fmt.Sprintf("the body is read from the file %s: paste the file's content instead of @file", v[1:])}
			}
			data = append(data, v)
		case "--data-urlencode":
			if v, err = arg(); err != nil {
				return nil, err
			}
			if k, val, ok := strings.Cut(v, "="); ok {
				data = append(data, url.QueryEscape(k)+"="+url.QueryEscape(val))
			} else {
				data = append(data, url.QueryEscape(v))
			}
		case "--json":
			if v, err = arg(); err != nil {
				return nil, err
			}
			data = append(data, v)
			isJSON = true
		case "-G", "--get":
			getMode = true
		case "-u", "--user":
			if v, err = arg(); err != nil {
				return nil, err
			}
			l.BasicUser, l.BasicPassword, _ = strings.Cut(v, ":")
		default:
			switch {
			case curlIgnoredWithValue[name]:
				if !hasInline {
					i++
				}
			case strings.HasPrefix(w, "-"):
				// a flag without a value (-s, -v, -i, -k, --compressed, ...)
			case l.URL == "":
				l.URL = w
			default:
				return nil, &ParseError{Line: words[i].line, Col: words[i].col, Msg: fmt.Sprintf("unexpected argument %q: curl takes one URL", w)}
			}
		}
	}
	if l.URL == "" {
		return nil, &ParseError{Line: words[0].line, Col: 1, Msg: "the curl command has no URL"}
	}
	if l.Method == "" {
		l.Method = "GET"
		if len(data) > 0 {
			l.Method = "POST"
		}
	}
	body := strings.Join(data, "&")
	if getMode { // -G: the data goes into the query string
		sep := "?"
		if strings.Contains(l.URL, "?") {
			sep = "&"
		}
		l.URL, body, l.Method = l.URL+sep+body, "", "GET"
	}
	if isJSON {
		contentType = "application/json"
	}
	if len(data) > 1 && strings.HasPrefix(strings.TrimSpace(body), "{") {
		body = strings.Join(data, "")
	}
	if err := l.setBody(body, contentType); err != nil {
		return nil, &ParseError{Line: words[0].line, Msg: err.Error()}
	}
	l.mergeURLQuery()
	if l.BasicUser == "" {
		l.readBasicAuth()
	}
	return &Batch{Form: FormCurl, Requests: []Legacy{l}}, nil
}

// cutHeredoc takes a here-document (<<EOF … EOF, or <<'EOF' for no
// expansion) out of a command and returns the command without it and the
// document's text, unescaped as the shell would (\\, \$, \` in an
// unquoted one).
func cutHeredoc(s string) (cmd, doc string, ok bool) {
	i := strings.Index(s, "<<")
	if i < 0 {
		return s, "", false
	}
	rest := s[i+2:]
	rest = strings.TrimPrefix(rest, "-")
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return s, "", false
	}
	delim := strings.TrimSpace(rest[:nl])
	quoted := len(delim) >= 2 && (delim[0] == '\'' || delim[0] == '"') && delim[len(delim)-1] == delim[0]
	if quoted {
		delim = delim[1 : len(delim)-1]
	}
	if delim == "" || strings.ContainsAny(delim, " \t") {
		return s, "", false
	}
	body := rest[nl+1:]
	var lines []string
	end := -1
	for j, line := range strings.Split(body, "\n") {
		if strings.TrimSpace(line) == delim {
			end = j
			break
		}
		lines = append(lines, line)
	}
	if end < 0 {
		return s, "", false
	}
	doc = strings.Join(lines, "\n")
	if !quoted {
		r := strings.NewReplacer("\\\\", "\\", "\\$", "$", "\\`", "`")
		doc = r.Replace(doc)
	}
	return s[:i], doc, true
}

// isCmdCurl tells Chrome's "Copy as cURL (cmd)" from the bash form: its
// lines end with " ^" and its quotes are written ^".
func isCmdCurl(s string) bool {
	return strings.Contains(s, "^\"") || strings.Contains(s, " ^\n") || strings.Contains(s, " ^\r\n")
}

// splitCmd splits a command line written for Windows cmd.exe, as Chrome's
// DevTools writes it: first cmd's layer (^X is X, a ^ at the end of a line
// continues it, ^ followed by two line breaks is one line break in the
// data), then the C runtime's argument rules (double quotes group, \"
// is a literal quote).
func splitCmd(s string) ([]shellWord, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var plain []rune
	var lines []int // the line each rune of plain came from
	line := 1
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == '^' && i+1 < len(r) {
			if r[i+1] == '\n' {
				if i+2 < len(r) && r[i+2] == '\n' {
					plain, lines = append(plain, '\n'), append(lines, line)
					i += 2
					line += 2
					continue
				}
				plain, lines = append(plain, ' '), append(lines, line)
				i++
				line++
				continue
			}
			i++
			c = r[i]
		}
		if c == '\n' {
			line++
		}
		plain, lines = append(plain, c), append(lines, line)
	}
	var words []shellWord
	var cur strings.Builder
	inWord, quoted := false, false
	start := 0
	flush := func() {
		if inWord {
			words = append(words, shellWord{cur.String(), lines[start], 1})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(plain); i++ {
		c := plain[i]
		switch {
		case (c == ' ' || c == '\t' || c == '\n') && !quoted:
			flush()
		case c == '\\':
			n := 0
			for i < len(plain) && plain[i] == '\\' {
				n++
				i++
			}
			if !inWord {
				inWord, start = true, i-n
			}
			if i < len(plain) && plain[i] == '"' {
				cur.WriteString(strings.Repeat("\\", n/2))
				if n%2 == 1 {
					cur.WriteRune('"')
				} else {
					quoted = !quoted
				}
			} else {
				cur.WriteString(strings.Repeat("\\", n))
				i--
			}
		case c == '"':
			if !inWord {
				inWord, start = true, i
			}
			quoted = !quoted
		default:
			if !inWord {
				inWord, start = true, i
			}
			cur.WriteRune(c)
		}
	}
	if quoted {
		return nil, &ParseError{Line: lines[start], Col: 1, Msg: "a double quote is never closed"}
	}
	flush()
	return words, nil
}

func basicHeader(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}
