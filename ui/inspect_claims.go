// The Inspect screen's claims panel (the Claims tab): one row a claim with
// its explanation and live times, a timeline of the token's times, and the
// claims as raw JSON.

package ui

import (
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

type claimRow struct {
	name, value, when, explain *widget.Label
	copy                       *widget.Button
	claim                      string
	at                         time.Time
	isTime                     bool
}

type claimsPanel struct {
	svc *Services
	do  uiDo
	// leeway is the Verify tab's, drawn around nbf and exp.
	leeway func() time.Duration

	rows     *fyne.Container // one a claim, or a sentence saying why none
	byName   map[string]*claimRow
	payload  *widget.Label // a payload that is not JSON
	timeline *timeline
	timeCard *widget.Card // the timeline's, hidden when the token has no times
	raw      *widget.RichText
	rawJSON  *widget.Check
	copyBtn  *widget.Button
	obj      fyne.CanvasObject

	token *tokens.Token // the one shown; UI goroutine only
}

func newClaimsPanel(svc *Services, do uiDo, leeway func() time.Duration) *claimsPanel {
	p := &claimsPanel{svc: svc, do: do, leeway: leeway, rows: container.NewVBox(), byName: map[string]*claimRow{}}
	p.payload = monoLabel("")
	p.payload.Hide()
	p.timeline = newTimeline(nil, func() time.Time { return svc.Now() }, tokens.DefaultLeeway)
	p.timeCard = widget.NewCard("", "Timeline (the valid window shaded, the leeway around nbf and exp)", p.timeline)
	p.timeCard.Hide()
	p.raw = widget.NewRichText()
	p.raw.Wrapping = fyne.TextWrapBreak
	p.raw.Hide()
	p.rawJSON = widget.NewCheck("Raw JSON", p.onRawJSON)
	p.rawJSON.Disable()
	p.copyBtn = copyButton("Copy claims JSON", do, appClipboard, p.claimsJSON)
	p.copyBtn.Disable()
	p.obj = border(container.NewHBox(p.copyBtn, p.rawJSON), nil, nil, nil,
		container.NewVScroll(container.NewVBox(p.timeCard, p.rows, p.raw, p.payload)))
	p.show(nil) // the empty pane says what to do
	return p
}

// view is the Claims tab's content.
func (p *claimsPanel) view() fyne.CanvasObject { return p.obj }

// show lists t's claims; nil says what will appear here. Every widget is
// the one view placed: the panel changes what they hold, never them.
func (p *claimsPanel) show(t *tokens.Token) {
	p.token = t
	if t != nil && t.PayloadJSON != "" {
		p.copyBtn.Enable()
		p.rawJSON.Enable()
	} else {
		p.copyBtn.Disable()
		p.rawJSON.SetChecked(false)
		p.rawJSON.Disable()
	}
	p.drawTimeline(t)
	p.onRawJSON(p.rawJSON.Checked)
	p.drawRows(t)
}

// onRawJSON switches between the explained rows and the raw JSON, syntax
// coloured.
func (p *claimsPanel) onRawJSON(on bool) {
	if on && p.token != nil && p.token.PayloadJSON != "" {
		p.raw.Segments = rawJSONSegments([]byte(p.token.PayloadJSON))
		p.raw.Refresh()
		p.raw.Show()
		p.rows.Hide()
		return
	}
	p.raw.Segments = nil
	p.raw.Hide()
	p.rows.Show()
}

// drawTimeline shows the token's times on one axis, when it has any.
func (p *claimsPanel) drawTimeline(t *tokens.Token) {
	if t == nil || len(t.Times()) == 0 {
		p.timeCard.Hide()
		return
	}
	p.timeline.times, p.timeline.leeway = t.Times(), p.leeway()
	p.timeline.Refresh()
	p.timeCard.Show()
}

func (p *claimsPanel) drawRows(t *tokens.Token) {
	p.rows.RemoveAll()
	p.byName = map[string]*claimRow{}
	p.payload.Hide()
	if t == nil {
		p.rows.Add(wrapLabel("Paste a token above (or Ctrl+Shift+V), drop a file on the window, or open one with Ctrl+O: its claims appear here, each explained, with its times on a timeline."))
		return
	}
	if t.Kind == tokens.KindOpaque {
		p.rows.Add(wrapLabel("An opaque token has no claims to show. See Findings for what it is good for."))
		return
	}
	if t.Kind == tokens.KindJWE && t.PayloadJSON == "" && t.PayloadText == "" {
		p.rows.Add(wrapLabel("The claims are encrypted. Give the decryption key under “Encrypted token” to see them."))
		return
	}
	if t.PayloadText != "" {
		p.payload.SetText(safetext.Block(truncate(t.PayloadText, 20000)))
		p.payload.Show()
		return
	}
	times := t.Times()
	now := p.svc.Now()
	for i, f := range t.Claims {
		if i == maxClaimRows {
			p.rows.Add(wrapLabel(fmt.Sprintf("… and %d more claims. Copy the claims JSON to see them all.", len(t.Claims)-maxClaimRows)))
			break
		}
		value := fieldValue(f)
		// A token is untrusted text: its control, BiDi and zero-width
		// characters are shown as escapes, never acted on (Copy is exact).
		r := &claimRow{claim: f.Name, name: boldLabel(safetext.Line(f.Name)), value: monoLabel(safetext.Block(truncate(value, maxValueShown)))}
		r.explain = wrapLabel(safetext.Line(tokens.ExplainClaim(f.Name)))
		r.explain.TextStyle = fyne.TextStyle{Italic: true}
		r.copy = copyButton("", p.do, appClipboard, func() string { return value })
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
		p.byName[f.Name] = r
		body := container.NewVBox(r.name, r.value, r.when, r.explain)
		p.rows.Add(border(nil, widget.NewSeparator(), nil, container.NewVBox(r.copy), body))
	}
}

// refreshTimes keeps "expires in …" current while the screen is visible.
func (p *claimsPanel) refreshTimes() {
	now := p.svc.Now()
	if p.timeCard.Visible() {
		p.timeline.Refresh() // "now" moves along the axis
	}
	for _, r := range p.byName {
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

func (p *claimsPanel) claimsJSON() string {
	if p.token == nil {
		return ""
	}
	return indent([]byte(p.token.PayloadJSON))
}

// fieldValue is how a header parameter or a claim is shown, alike: a
// string as itself, anything else as compact JSON.
func fieldValue(f tokens.Field) string {
	if str, ok := f.Text(); ok {
		return str
	}
	return string(compact([]byte(f.Raw)))
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
