// The Inspect screen's Claims and Header tabs: one row a field with its
// explanation, a timeline of the token's times, and the raw JSON.

package ui

import (
	"encoding/json"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

func (s *inspectScreen) drawHeader(t *tokens.Token) {
	s.header.RemoveAll()
	if t == nil {
		s.header.Add(wrapLabel("The token's header (alg, kid, typ, …) appears here, each parameter explained."))
		return
	}
	for _, f := range t.Header {
		s.header.Add(fieldRow(safetext.Line(f.Name), safetext.Block(truncate(fieldValue(f), maxValueShown)), safetext.Line(tokens.ExplainHeader(f.Name)), nil))
	}
}

// fieldValue is how a header parameter or a claim is shown, alike: a
// string as itself, anything else as compact JSON.
func fieldValue(f tokens.Field) string {
	if str, ok := f.Text(); ok {
		return str
	}
	return string(compact([]byte(f.Raw)))
}

func fieldRow(name, value, explain string, extra fyne.CanvasObject) fyne.CanvasObject {
	objs := []fyne.CanvasObject{boldLabel(name), monoLabel(value)}
	if extra != nil {
		objs = append(objs, extra)
	}
	e := wrapLabel(explain)
	e.TextStyle = fyne.TextStyle{Italic: true}
	objs = append(objs, e)
	return container.NewVBox(append(objs, widget.NewSeparator())...)
}

// onRawJSON switches the Claims tab between the explained rows and the
// raw JSON, syntax coloured.
func (s *inspectScreen) onRawJSON(on bool) {
	s.rawBox.RemoveAll()
	if on && s.token != nil && s.token.PayloadJSON != "" {
		s.rawBox.Add(jsonRichText([]byte(s.token.PayloadJSON)))
		s.rawBox.Show()
		s.claims.Hide()
		return
	}
	s.rawBox.Hide()
	s.claims.Show()
}

// drawTimeline shows the token's times on one axis, when it has any.
func (s *inspectScreen) drawTimeline(t *tokens.Token) {
	s.timelineBox.RemoveAll()
	s.timeline = nil
	if t == nil || len(t.Times()) == 0 {
		return
	}
	leeway, err := parseLeeway(s.leeway.Text)
	if err != nil {
		leeway = tokens.DefaultLeeway
	}
	s.timeline = newTimeline(t.Times(), s.svc.Now, leeway)
	s.timelineBox.Add(widget.NewCard("", "Timeline (the valid window shaded, the leeway around nbf and exp)", s.timeline))
}

func (s *inspectScreen) drawClaims(t *tokens.Token) {
	s.drawTimeline(t)
	if t != nil && t.PayloadJSON != "" {
		s.rawJSON.Enable()
	} else {
		s.rawJSON.SetChecked(false)
		s.rawJSON.Disable()
	}
	s.onRawJSON(s.rawJSON.Checked)
	s.claims.RemoveAll()
	s.claimRows = map[string]*claimRow{}
	s.payload.Hide()
	if t == nil {
		s.claims.Add(wrapLabel("Paste a token above (or Ctrl+Shift+V), drop a file on the window, or open one with Ctrl+O: its claims appear here, each explained, with its times on a timeline."))
		return
	}
	if t.Kind == tokens.KindOpaque {
		s.claims.Add(wrapLabel("An opaque token has no claims to show. See Findings for what it is good for."))
		return
	}
	if t.Kind == tokens.KindJWE && t.PayloadJSON == "" && t.PayloadText == "" {
		s.claims.Add(wrapLabel("The claims are encrypted. Give the decryption key under “Encrypted token” to see them."))
		return
	}
	if t.PayloadText != "" {
		s.payload.SetText(safetext.Block(truncate(t.PayloadText, 20000)))
		s.payload.Show()
		return
	}
	times := t.Times()
	now := s.svc.Now()
	for i, f := range t.Claims {
		if i == maxClaimRows {
			s.claims.Add(wrapLabel(fmt.Sprintf("… and %d more claims. Copy the claims JSON to see them all.", len(t.Claims)-maxClaimRows)))
			break
		}
		value := fieldValue(f)
		// A token is untrusted text: its control, BiDi and zero-width
		// characters are shown as escapes, never acted on (Copy is exact).
		r := &claimRow{claim: f.Name, name: boldLabel(safetext.Line(f.Name)), value: monoLabel(safetext.Block(truncate(value, maxValueShown)))}
		r.explain = wrapLabel(safetext.Line(tokens.ExplainClaim(f.Name)))
		r.explain.TextStyle = fyne.TextStyle{Italic: true}
		full := value
		r.copy = copyButton("", s.do, s.clipboard, func() string { return full })
		r.when = wrapLabel("")
		if at, ok := times[f.Name]; ok && tokens.IsTimeClaim(f.Name) {
			r.at, r.isTime = at, true
			r.when.SetText(tokens.FormatTime(f.Name, at, now))
			if f.Name == "exp" && !now.Before(at) {
				r.when.Importance = widget.DangerImportance
			}
		} else {
			r.when.Hide()
		}
		s.claimRows[f.Name] = r
		body := container.NewVBox(r.name, r.value, r.when, r.explain)
		s.claims.Add(border(nil, widget.NewSeparator(), nil, container.NewVBox(r.copy), body))
	}
}

// refreshTimes keeps "expires in …" current while the screen is visible.
func (s *inspectScreen) refreshTimes() {
	now := s.svc.Now()
	if s.timeline != nil {
		s.timeline.Refresh() // "now" moves along the axis
	}
	for _, r := range s.claimRows {
		if !r.isTime {
			continue
		}
		r.when.SetText(tokens.FormatTime(r.claim, r.at, now))
		if r.claim == "exp" && !now.Before(r.at) && r.when.Importance != widget.DangerImportance {
			r.when.Importance = widget.DangerImportance
			r.when.Refresh()
		}
	}
}

func (s *inspectScreen) headerJSON() string {
	if s.token == nil {
		return ""
	}
	return indent(s.token.HeaderJSON)
}

func (s *inspectScreen) claimsJSON() string {
	if s.token == nil {
		return ""
	}
	return indent([]byte(s.token.PayloadJSON))
}

func indent(b []byte) string {
	pretty, err := json.MarshalIndent(json.RawMessage(b), "", "  ")
	if err != nil {
		return string(b)
	}
	return string(pretty)
}

func compact(b []byte) []byte {
	var v json.RawMessage = b
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

// --- verification ---
