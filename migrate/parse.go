package migrate

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseError says where the input stopped being readable.
type ParseError struct {
	Line, Col int    // 1-based; 0 when not known
	Entry     int    // 1-based HAR entry; 0 when not a HAR
	Msg       string // what was wrong and what to do
}

func (e *ParseError) Error() string {
	switch {
	case e.Entry > 0:
		return fmt.Sprintf("HAR entry %d: %s", e.Entry, e.Msg)
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Batch is everything found in one input.
type Batch struct {
	Form     Form
	Requests []Legacy
	// Skipped counts HAR entries that call no legacy endpoint; Preflights
	// counts CORS preflights (OPTIONS) to legacy endpoints, which carry no
	// parameters and are not calls of their own.
	Skipped    int
	Preflights int
}

// MaxInput bounds what Parse reads, and what the command line reads from
// a file or standard input (a 50 MB HAR is the documented target).
const MaxInput = 64 << 20

// Parse detects the form of input and reads every request in it.
func Parse(input []byte) (*Batch, error) {
	if len(input) > MaxInput {
		return nil, &ParseError{Msg: fmt.Sprintf("the input is larger than %d MB", MaxInput>>20)}
	}
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) == 0 {
		return nil, &ParseError{Msg: "the input is empty: paste a /delegation request (JSON or form body, raw HTTP, curl, or a HAR file)"}
	}
	switch {
	case trimmed[0] == '{' || trimmed[0] == '[':
		return parseJSONOrHAR(input)
	case hasWordPrefix(trimmed, "curl") || hasWordPrefix(trimmed, "curl.exe"):
		return parseCurl(string(trimmed))
	case isFetch(string(trimmed)):
		return parseFetch(string(trimmed))
	case isPowerShell(string(trimmed)):
		return parsePowerShell(string(trimmed))
	case looksLikeHTTP(trimmed) || bytes.HasPrefix(trimmed, []byte(":method:")) || bytes.HasPrefix(trimmed, []byte(":authority:")) ||
		bytes.HasPrefix(trimmed, []byte(":path:")) || bytes.HasPrefix(trimmed, []byte(":scheme:")):
		return parseHTTP(input)
	case bytes.HasPrefix(trimmed, []byte("http://")) || bytes.HasPrefix(trimmed, []byte("https://")):
		return parseURL(string(trimmed))
	case bytes.Contains(trimmed, []byte("=")) && !bytes.ContainsAny(trimmed, " \t\n"):
		ps, err := parseFormBody(string(trimmed))
		if err != nil {
			return nil, &ParseError{Line: 1, Msg: err.Error()}
		}
		return &Batch{Form: FormForm, Requests: []Legacy{{Source: Source{FormForm, "line 1"}, Params: ps, Encoding: EncodingForm}}}, nil
	}
	return nil, &ParseError{Line: 1, Col: 1, Msg: "this is not a request Tokenscope can read: paste a JSON or form body, a raw HTTP request, a curl, fetch or PowerShell command (DevTools' Copy as …), a HAR file or a URL"}
}

func hasWordPrefix(b []byte, w string) bool {
	return bytes.HasPrefix(b, []byte(w)) && (len(b) == len(w) || b[len(w)] == ' ' || b[len(w)] == '\t' || b[len(w)] == '\\' || b[len(w)] == '\n')
}

var methods = []string{"POST ", "GET ", "PUT ", "PATCH ", "DELETE "}

func looksLikeHTTP(b []byte) bool {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	for _, m := range methods {
		if bytes.HasPrefix(line, []byte(m)) {
			return true
		}
	}
	return false
}

// --- JSON and HAR ---

func parseJSONOrHAR(input []byte) (*Batch, error) {
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		// A HAR as browsers write it ("log" first) is read by the stream
		// reader, as a file is: one reading of HARs, pasted or opened.
		if firstMemberIsLog(input) {
			w, counted, har, err := openHAR(bytes.NewReader(input))
			if err == nil && har {
				return streamHAR(w, counted)
			}
		}
		// One pass tells a HAR whose "log" is not first from a body and
		// reads it: entries that call no legacy endpoint are skipped
		// without being decoded.
		var h harFile
		if err := json.Unmarshal(input, &h); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, jsonError(input, err)
			}
			if !bytes.Contains(input, []byte(`"log"`)) {
				return nil, &ParseError{Line: 1, Msg: "a request body must be a JSON object of parameters"}
			}
			return nil, &ParseError{Msg: "this looks like a HAR file but its log cannot be read: " + err.Error()}
		}
		if h.Log != nil {
			return parseHAR(&h)
		}
		ps, err := jsonParams(trimmed)
		if err != nil {
			return nil, &ParseError{Line: 1, Msg: err.Error()}
		}
		line := lineOf(input, bytes.IndexByte(input, '{'))
		return &Batch{Form: FormJSON, Requests: []Legacy{{Source: Source{FormJSON, fmt.Sprintf("line %d", line)}, Params: ps, Encoding: EncodingJSON}}}, nil
	}
	if !json.Valid(input) {
		var v any
		return nil, jsonError(input, json.Unmarshal(input, &v))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(input, &items); err != nil {
		return nil, jsonError(input, err)
	}
	if len(items) == 0 {
		return nil, &ParseError{Line: 1, Msg: "the JSON array is empty: it should hold /delegation request bodies"}
	}
	b := &Batch{Form: FormJSON}
	offsets := arrayItemOffsets(input)
	lines := lineCounter{b: input, line: 1}
	for i, it := range items {
		line := 0
		if i < len(offsets) {
			line = lines.at(offsets[i])
		}
		ps, err := jsonParams(it)
		if err != nil {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("item %d: %v", i+1, err)}
		}
		b.Requests = append(b.Requests, Legacy{Source: Source{FormJSON, fmt.Sprintf("item %d (line %d)", i+1, line)}, Params: ps, Encoding: EncodingJSON})
	}
	return b, nil
}

// jsonParams reads a flat JSON object into ordered parameters; numbers and
// booleans become their text, as a form body would carry them.
func jsonParams(raw []byte) (Params, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errors.New("a request body must be a JSON object")
	}
	var ps Params
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return nil, err
		}
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case bool:
			s = strconv.FormatBool(x)
		case nil:
			s = ""
		default:
			b, _ := json.Marshal(x)
			s = string(b)
		}
		ps = append(ps, Param{k.(string), s})
	}
	return ps, nil
}

func jsonError(input []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(input, int(se.Offset)-1)
		return &ParseError{Line: line, Col: col, Msg: "the JSON is not valid: " + se.Error()}
	}
	return &ParseError{Msg: "the JSON is not valid: " + err.Error()}
}

func lineOf(b []byte, off int) int {
	l, _ := lineCol(b, off)
	return l
}

// lineCounter answers "which line is this offset on" for increasing
// offsets in one pass over the input: asking lineOf for every item of a
// large one-line array would rescan it each time (quadratic).
type lineCounter struct {
	b    []byte
	off  int // newlines before off are counted in line
	line int
}

func (c *lineCounter) at(off int) int {
	off = min(max(off, c.off), len(c.b))
	c.line += bytes.Count(c.b[c.off:off], []byte("\n"))
	c.off = off
	return c.line
}

func lineCol(b []byte, off int) (int, int) {
	if off < 0 {
		off = 0
	}
	if off > len(b) {
		off = len(b)
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}

// arrayItemOffsets returns the byte offset of each top-level array item.
func arrayItemOffsets(b []byte) []int {
	var offs []int
	depth, inStr := 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
			if depth == 1 && (len(offs) == 0 || prevSignificant(b, i) == ',' || prevSignificant(b, i) == '[') {
				offs = append(offs, i)
			}
		case '{', '[':
			if depth == 1 {
				offs = append(offs, i)
			}
			depth++
		case '}', ']':
			depth--
		}
	}
	return offs
}

func prevSignificant(b []byte, i int) byte {
	for j := i - 1; j >= 0; j-- {
		switch b[j] {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return b[j]
	}
	return 0
}

type harFile struct {
	Log *struct {
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

// harEntry is one HAR entry. Only its method and URL are decoded first;
// the rest (headers, body) only when the URL is a legacy endpoint, so a
// HAR of thousands of unrelated calls costs little more than reading it.
type harEntry struct {
	skip      bool // no legacy endpoint (or /authorize)
	preflight bool
	Request   harRequest
}

type harRequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	Headers     []struct{ Name, Value string }
	QueryString []struct{ Name, Value string } `json:"queryString"`
	PostData    *struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		Params   []struct{ Name, Value string }
	} `json:"postData"`
}

// harMarkers are the bytes an entry calling a legacy endpoint must hold:
// a path word of one (EndpointOf), or an escape that could spell one
// (percent-encoding in the URL, a JSON \u or \/ escape). An entry with
// none is skipped without being decoded; a false alarm only costs a decode.
var harMarkers = [][]byte{[]byte("delegation"), []byte("oauth"), []byte("tokeninfo"), []byte("ssodata"), []byte("%"), []byte(`\u`), []byte(`\/`)}

func (e *harEntry) UnmarshalJSON(data []byte) error {
	candidate := false
	for _, m := range harMarkers {
		if bytes.Contains(data, m) {
			candidate = true
			break
		}
	}
	if !candidate {
		e.skip = true
		return nil
	}
	var head struct {
		Request struct {
			Method string `json:"method"`
			URL    string `json:"url"`
		} `json:"request"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	ep := EndpointOf(head.Request.URL)
	switch {
	case ep == "" || ep == EndpointAuthorize:
		e.skip = true
		return nil
	case strings.EqualFold(head.Request.Method, "OPTIONS"):
		e.preflight = true
		return nil
	}
	var full struct {
		Request harRequest `json:"request"`
	}
	if err := json.Unmarshal(data, &full); err != nil {
		return err
	}
	e.Request = full.Request
	return nil
}

func parseHAR(h *harFile) (*Batch, error) {
	b := &Batch{Form: FormHAR}
	for i, e := range h.Log.Entries {
		if err := b.addHAREntry(i+1, &e); err != nil {
			return nil, err
		}
	}
	if len(h.Log.Entries) == 0 {
		return nil, errNoHAREntries
	}
	return b, nil
}

var errNoHAREntries = &ParseError{Msg: "the HAR file has no entries: record the network traffic again with the legacy call in it"}

// addHAREntry adds HAR entry n (1-based) to the batch: counted when it
// calls no legacy endpoint or is a preflight, read as a request otherwise.
func (b *Batch) addHAREntry(n int, e *harEntry) error {
	switch {
	case e.skip:
		b.Skipped++
		return nil
	case e.preflight:
		b.Preflights++
		return nil
	}
	l := Legacy{Source: Source{FormHAR, fmt.Sprintf("HAR entry %d", n)}, Method: e.Request.Method, URL: e.Request.URL}
	for _, hd := range e.Request.Headers {
		l.Headers = append(l.Headers, Header{hd.Name, hd.Value})
	}
	if pd := e.Request.PostData; pd != nil {
		switch {
		// The text is the body as sent; Chrome's params keep their
		// values still URL-encoded, so they are the fallback only.
		case strings.TrimSpace(pd.Text) != "":
			if err := l.setBody(pd.Text, pd.MimeType); err != nil {
				return &ParseError{Entry: n, Msg: err.Error()}
			}
		case len(pd.Params) > 0:
			for _, p := range pd.Params {
				l.Params = append(l.Params, Param{harUnescape(p.Name), harUnescape(p.Value)})
			}
			l.Encoding = EncodingForm
		}
	}
	if len(e.Request.QueryString) > 0 {
		var q Params
		for _, p := range e.Request.QueryString {
			q = append(q, Param{harUnescape(p.Name), harUnescape(p.Value)})
		}
		l.mergeQuery(q)
	} else {
		l.mergeURLQuery()
	}
	l.readBasicAuth()
	b.Requests = append(b.Requests, l)
	return nil
}

// harUnescape decodes a HAR params value that a browser left URL-encoded
// (Chrome does for form posts). Only a value that really decodes changes.
func harUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if v, err := url.QueryUnescape(s); err == nil {
		return v
	}
	return s
}

// mergeQuery adds query parameters (a GET or JSONP call carries its
// parameters there) before the body's, so a body value wins in Get.
func (l *Legacy) mergeQuery(q Params) {
	if len(q) == 0 {
		return
	}
	l.Params = append(append(Params{}, q...), l.Params...)
	if l.Encoding == "" {
		l.Encoding = EncodingForm
	}
}

// mergeURLQuery reads l.URL's query string into the parameters.
func (l *Legacy) mergeURLQuery() {
	u, err := url.Parse(l.URL)
	if err != nil || u.RawQuery == "" {
		return
	}
	q, err := parseFormBody(u.RawQuery)
	if err == nil {
		l.mergeQuery(q)
	}
}

// setBody reads a body by its content type, guessing when there is none.
// JSON sent as text/plain (fetch's default for a string body) is JSON.
func (l *Legacy) setBody(body, contentType string) error {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil
	}
	plain := contentType == "" || strings.HasPrefix(strings.ToLower(contentType), "text/plain")
	isJSON := strings.Contains(contentType, "json") || (plain && strings.HasPrefix(body, "{"))
	if isJSON {
		ps, err := jsonParams([]byte(body))
		if err != nil {
			return fmt.Errorf("the JSON body cannot be read: %w", err)
		}
		l.Params, l.Encoding = ps, EncodingJSON
		return nil
	}
	ps, err := parseFormBody(body)
	if err != nil {
		return err
	}
	l.Params, l.Encoding = ps, EncodingForm
	return nil
}

// parseFormBody reads application/x-www-form-urlencoded, keeping order.
func parseFormBody(s string) (Params, error) {
	var ps Params
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		kk, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("the form body has a bad escape in %q", k)
		}
		vv, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("the form body has a bad escape in the value of %q", kk)
		}
		ps = append(ps, Param{kk, vv})
	}
	return ps, nil
}

func (l *Legacy) readBasicAuth() {
	h := l.Header("Authorization")
	if len(h) < 6 || !strings.EqualFold(h[:6], "basic ") {
		return
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
	if err != nil {
		return
	}
	l.BasicUser, l.BasicPassword, _ = strings.Cut(string(raw), ":")
}

// --- raw HTTP ---

// parseHTTP reads a raw HTTP/1.1 request, or the HTTP/2 header list a
// browser's DevTools shows (":method", ":path", ":authority" pseudo-headers
// first), with the body after a blank line. A chunked body is decoded.
func parseHTTP(input []byte) (*Batch, error) {
	text := strings.ReplaceAll(string(input), "\r\n", "\n")
	lead := len(text) - len(strings.TrimLeft(text, " \t\n"))
	firstLine := 1 + strings.Count(text[:lead], "\n")
	sc := bufio.NewScanner(strings.NewReader(text[lead:]))
	sc.Buffer(make([]byte, 64<<10), MaxInput)
	l := Legacy{Source: Source{FormHTTP, fmt.Sprintf("line %d", firstLine)}}
	var target, scheme string
	h2 := strings.HasPrefix(text[lead:], ":")
	line := firstLine - 1
	if !h2 {
		sc.Scan()
		line++
		parts := strings.Fields(sc.Text())
		if len(parts) < 2 {
			return nil, &ParseError{Line: firstLine, Col: 1, Msg: "the request line must be METHOD PATH HTTP/1.1"}
		}
		l.Method, target = parts[0], parts[1]
	}
	for sc.Scan() {
		line++
		h := sc.Text()
		if strings.TrimSpace(h) == "" {
			break
		}
		if h2 && strings.HasPrefix(h, ":") {
			name, value, ok := strings.Cut(h[1:], ":")
			if !ok {
				return nil, &ParseError{Line: line, Col: 1, Msg: fmt.Sprintf("%q is not a pseudo-header (:name: value)", h)}
			}
			value = strings.TrimSpace(value)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "method":
				l.Method = value
			case "path":
				target = value
			case "authority":
				l.Headers = append(l.Headers, Header{"Host", value})
			case "scheme":
				scheme = value
			}
			continue
		}
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return nil, &ParseError{Line: line, Col: 1, Msg: fmt.Sprintf("%q is not a header (Name: value); leave a blank line before the body", h)}
		}
		l.Headers = append(l.Headers, Header{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	if h2 && (l.Method == "" || target == "") {
		return nil, &ParseError{Line: firstLine, Col: 1, Msg: "the HTTP/2 header list has no :method or :path: copy the request headers with their pseudo-headers"}
	}
	var body strings.Builder
	for sc.Scan() {
		body.WriteString(sc.Text())
		body.WriteByte('\n')
	}
	if scheme == "" {
		scheme = "https"
	}
	switch {
	case strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://"):
		l.URL = target
	case l.Header("Host") != "":
		l.URL = scheme + "://" + l.Header("Host") + target
	default:
		l.URL = target
	}
	raw := body.String()
	if strings.EqualFold(strings.TrimSpace(l.Header("Transfer-Encoding")), "chunked") {
		var err error
		if raw, err = dechunk(raw); err != nil {
			return nil, &ParseError{Line: line + 1, Msg: err.Error()}
		}
	}
	if err := l.setBody(raw, l.Header("Content-Type")); err != nil {
		return nil, &ParseError{Line: line + 1, Msg: err.Error()}
	}
	l.mergeURLQuery()
	l.readBasicAuth()
	return &Batch{Form: FormHTTP, Requests: []Legacy{l}}, nil
}

// dechunk decodes a Transfer-Encoding: chunked body (RFC 9112 §7.1) as
// pasted: chunk sizes in hex, each followed by its data, ending at size 0.
func dechunk(s string) (string, error) {
	var out strings.Builder
	rest := s
	for {
		sizeLine, after, ok := strings.Cut(rest, "\n")
		if !ok && strings.TrimSpace(sizeLine) == "" {
			return "", errors.New("the chunked body ends without its last chunk (a line with 0)")
		}
		sizeText, _, _ := strings.Cut(strings.TrimSpace(sizeLine), ";") // chunk extensions
		n, err := strconv.ParseInt(sizeText, 16, 64)
		if err != nil || n < 0 {
			return "", fmt.Errorf("the chunked body has %q where a chunk size (hex) should be", sizeLine)
		}
		if n == 0 {
			return out.String(), nil
		}
		if int64(len(after)) < n {
			return "", fmt.Errorf("a chunk says it has %d bytes but only %d follow", n, len(after))
		}
		out.WriteString(after[:n])
		rest = strings.TrimPrefix(after[n:], "\n")
	}
}

// --- URLs ---

// parseURL reads a bare URL: an /authorize URL, or a GET of a legacy
// endpoint with its parameters in the query (auth0.js's JSONP calls).
func parseURL(s string) (*Batch, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, &ParseError{Line: 1, Msg: "the URL cannot be read: " + err.Error()}
	}
	form := FormURL
	if EndpointOf(s) == EndpointAuthorize {
		form = FormAuthorize
	}
	l := Legacy{Source: Source{form, "line 1"}, Method: "GET", URL: s, Encoding: EncodingForm}
	for _, part := range strings.Split(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		kk, _ := url.QueryUnescape(k)
		vv, _ := url.QueryUnescape(v)
		l.Params = append(l.Params, Param{kk, vv})
	}
	return &Batch{Form: form, Requests: []Legacy{l}}, nil
}
