package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// DecodeOutput is the --json contract of `tokenscope decode`.
type DecodeOutput struct {
	Kind        tokens.Kind       `json:"kind"`
	Header      json.RawMessage   `json:"header"`
	Claims      json.RawMessage   `json:"claims"`
	PayloadText *string           `json:"payload_text,omitempty"`
	Times       map[string]string `json:"times"`
	Findings    []finding.Finding `json:"findings"`
}

// NewDecodeOutput shapes a decoded token for --json.
func NewDecodeOutput(t *tokens.Token) DecodeOutput {
	out := DecodeOutput{Kind: t.Kind, Header: rawOrNull(t.HeaderJSON), Claims: json.RawMessage("null"), Times: map[string]string{}, Findings: t.Findings}
	if t.PayloadJSON != "" {
		out.Claims = compactJSON([]byte(t.PayloadJSON))
	}
	if t.PayloadText != "" {
		s := t.PayloadText
		out.PayloadText = &s
	}
	for name, tm := range t.Times() {
		out.Times[name] = tm.Format(time.RFC3339)
	}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	return out
}

func rawOrNull(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return compactJSON(b)
}

// compactJSON compacts b for embedding; invalid UTF-8 inside it (a
// hostile token's strings) becomes U+FFFD, so the output is valid JSON.
func compactJSON(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return json.RawMessage("null")
	}
	if !utf8.Valid(buf.Bytes()) {
		return bytes.ToValidUTF8(buf.Bytes(), []byte("\uFFFD"))
	}
	return buf.Bytes()
}

func runDecode(env Env, fs *pflag.FlagSet) func(pos []string) int {
	asJSON := fs.Bool("json", false, "print the documented JSON object instead of text")
	return func(pos []string) int {
		var err error
		in, err := readInput(env, pos, "token")
		if err != nil {
			return fail(env, "decode", ExitUsage, "%v", err)
		}
		tok, err := tokens.Decode(in, env.Now())
		if err != nil {
			return fail(env, "decode", ExitUsage, "%v", err)
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(NewDecodeOutput(tok))
			return ExitOK
		}
		printToken(env.Stdout, tok, env.Now())
		return ExitOK
	}
}

var kindNames = map[tokens.Kind]string{
	tokens.KindJWS:    "JWS (signed JWT)",
	tokens.KindJWE:    "JWE (encrypted JWT)",
	tokens.KindOpaque: "opaque token",
}

func printToken(w io.Writer, t *tokens.Token, now time.Time) {
	say(w, "Kind: %s\n", kindNames[t.Kind])
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if len(t.Header) > 0 {
		fmt.Fprintln(tw, "\nHeader:")
		for _, f := range t.Header {
			say(tw, "  %s\t%s\t%s\n", f.Name, oneLine(f.Raw), tokens.ExplainHeader(f.Name))
		}
	}
	if len(t.Claims) > 0 {
		fmt.Fprintln(tw, "\nClaims:")
		times := t.Times()
		for _, f := range t.Claims {
			v := oneLine(f.Raw)
			if tm, ok := times[f.Name]; ok && tokens.IsTimeClaim(f.Name) {
				v += "  " + tokens.FormatTime(f.Name, tm, now)
			}
			if text, _ := f.Text(); safetext.Has(f.Name) || safetext.Has(text) {
				v += "  (hidden characters shown escaped)"
			}
			say(tw, "  %s\t%s\t%s\n", f.Name, v, tokens.ExplainClaim(f.Name))
		}
	}
	tw.Flush()
	if t.PayloadText != "" {
		fmt.Fprintf(w, "\nPayload (text):\n%s\n", safetext.Block(t.PayloadText))
	}
	if len(t.Findings) > 0 {
		fmt.Fprintln(w, "\nFindings:")
		fs := append([]finding.Finding(nil), t.Findings...)
		order := map[finding.Severity]int{finding.SeverityError: 0, finding.SeverityWarning: 1, finding.SeverityInfo: 2}
		sort.SliceStable(fs, func(i, j int) bool { return order[fs[i].Severity] < order[fs[j].Severity] })
		for _, f := range fs {
			say(w, "  %-7s %s: %s\n", f.Severity, f.Code, f.Message)
		}
	}
}

func oneLine(raw string) string {
	s := string(compactJSON([]byte(raw)))
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
