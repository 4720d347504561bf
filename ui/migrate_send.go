// The Migrate screen's answers panel: Send runs the new request and offers
// its tokens to the inspector; Compare sends the legacy call and its twin
// to the demo tenant and shows their claims side by side.

package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

// migrateAnswers sends the request offered and shows what came back, in
// a pane that scrolls with the output's findings above it.
type migrateAnswers struct {
	svc     *Services
	do      uiDo
	busy    *sync.WaitGroup
	status  *widget.Label
	inspect func(token string)

	sendBtn    *widget.Button
	compareBtn *widget.Button
	buttons    *fyne.Container
	answers    *fyne.Container // what Send or Compare answered
	scroll     *container.Scroll

	// The request offered (nil: none) and the legacy call it came from.
	offered *migrate.Result
	legacy  *migrate.Legacy
	// Send and Compare in flight: cancelled, and their answers dropped,
	// when the request they were sent for changes (see stop).
	netGen    int
	netCancel context.CancelFunc
}

func newMigrateAnswers(svc *Services, do uiDo, busy *sync.WaitGroup, status *widget.Label, above fyne.CanvasObject, inspect func(string)) *migrateAnswers {
	p := &migrateAnswers{svc: svc, do: do, busy: busy, status: status, inspect: inspect}
	p.compareBtn = widget.NewButtonWithIcon("Compare", theme.ViewRefreshIcon(), p.onCompare)
	p.compareBtn.Disable()
	if svc.Demo == nil {
		p.compareBtn.Hide() // it only talks to the embedded demo tenant
	}
	p.sendBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), p.onSend)
	p.sendBtn.Disable()
	p.buttons = container.NewHBox(p.sendBtn, p.compareBtn)
	p.answers = container.NewVBox()
	p.scroll = container.NewVScroll(container.NewVBox(above, p.answers))
	return p
}

// view scrolls the findings and the answers; bar is Send and Compare.
func (p *migrateAnswers) view() fyne.CanvasObject { return p.scroll }
func (p *migrateAnswers) bar() fyne.CanvasObject  { return p.buttons }

// offer makes r the request Send and Compare act on (nil: none), legacy
// the call it was rewritten from.
func (p *migrateAnswers) offer(r *migrate.Result, legacy *migrate.Legacy) {
	p.offered, p.legacy = r, legacy
	p.sendBtn.Disable()
	p.compareBtn.Disable()
	if r == nil || r.Request == nil {
		return
	}
	if p.onDemoTenant() {
		p.compareBtn.Enable()
	}
	if sendable(r.Request) {
		p.sendBtn.Enable()
	}
}

// demoChanged shows Compare only while the demo tenant runs.
func (p *migrateAnswers) demoChanged() {
	if p.svc.Demo == nil {
		p.compareBtn.Hide()
	} else {
		p.compareBtn.Show()
	}
}

// clear takes the last answer off the screen.
func (p *migrateAnswers) clear() { p.answers.RemoveAll() }

// start cancels any Send or Compare in flight and returns the context
// and generation of a new one.
func (p *migrateAnswers) start() (context.Context, int) {
	p.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*workspace.DefaultTimeout)
	p.netCancel = cancel
	return ctx, p.netGen
}

// stop cancels a Send or Compare in flight; its answer will be dropped.
func (p *migrateAnswers) stop() {
	p.netGen++
	if p.netCancel != nil {
		p.netCancel()
		p.netCancel = nil
	}
}

// sendable: the request names a real domain and carries its secrets (a
// $CLIENT_SECRET placeholder cannot be sent, nor a /userinfo call whose
// access token the legacy call never had).
func sendable(r *migrate.Request) bool {
	if strings.Contains(r.URL, migrate.PlaceholderDomain) || strings.HasPrefix(r.ClientSecret, "$") || r.Method == "GET" {
		return false
	}
	for _, p := range r.Body {
		if strings.HasPrefix(p.Value, "$"+migrate.EnvRefreshToken) || strings.HasPrefix(p.Value, "$"+migrate.EnvClientSecret) {
			return false
		}
	}
	return true
}

// onSend runs the new request and offers its tokens to the inspector. A
// refresh token that comes back is shown once: sending may have rotated
// the one in the input, and this is then the only copy.
func (p *migrateAnswers) onSend() {
	r := p.offered
	if r == nil || r.Request == nil || !sendable(r.Request) {
		return
	}
	req := r.Request
	p.sendBtn.Disable()
	p.status.Importance = widget.MediumImportance
	p.status.SetText("Sending POST " + req.URL + "…")
	ctx, gen := p.start()
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		sent := workspace.Send(ctx, p.svc.HTTP, req.Wire())
		p.do(func() {
			if gen != p.netGen {
				return // the input changed: render reset the buttons
			}
			p.sendBtn.Enable()
			p.showSent(sent)
		})
	}()
}

func (p *migrateAnswers) showSent(sent workspace.Sent) {
	p.answers.RemoveAll()
	if sent.Err != "" {
		p.status.Importance = widget.DangerImportance
		p.status.SetText(fmt.Sprintf("The new request failed (HTTP %d): %s", sent.Status, safetext.Line(sent.Err)))
		return
	}
	p.status.Importance = widget.SuccessImportance
	p.status.SetText(fmt.Sprintf("The new request succeeded (HTTP %d). Open its tokens in the inspector below.", sent.Status))
	for _, name := range []string{"access_token", "id_token"} {
		if tok, _ := sent.Fields[name].(string); tok != "" {
			p.answers.Add(widget.NewButtonWithIcon("Inspect "+map[string]string{"access_token": "access token", "id_token": "ID token"}[name], theme.SearchIcon(), func() {
				p.inspect(tok)
			}))
		}
	}
	if rt, _ := sent.Fields["refresh_token"].(string); rt != "" {
		warn := wrapLabel("The response carries a refresh token. If the server rotates tokens, the one you sent no longer works and this is the only copy: copy it now, or save the client as a profile first next time.")
		warn.Importance = widget.WarningImportance
		p.answers.Add(warn)
		copyRT := widget.NewButtonWithIcon("Copy refresh token", theme.ContentCopyIcon(), func() { copySecret(p.do, fyne.CurrentApp().Clipboard(), rt) })
		p.answers.Add(border(nil, nil, nil, copyRT, monoLabel(safetext.Mask(rt))))
	}
	p.showAnswer()
}

// showAnswer scrolls the results to what Send or Compare just answered:
// a long comparison scrolled down must not leave the next answer out of
// sight.
func (p *migrateAnswers) showAnswer() {
	p.scroll.Content.Refresh()
	p.scroll.Refresh()
	p.scroll.ScrollToOffset(fyne.NewPos(0, p.answers.Position().Y))
}

// onDemoTenant: Compare sends requests, so it is offered only for the
// embedded demo tenant, where nothing real is spent.
func (p *migrateAnswers) onDemoTenant() bool {
	r := p.offered
	if p.svc.Demo == nil || r == nil || r.Request == nil || p.legacy == nil {
		return false
	}
	iss := p.svc.Demo.Issuer()
	return strings.HasPrefix(r.Request.URL, iss) && strings.HasPrefix(p.legacy.URL, iss)
}

// onCompare sends the legacy call and the migrated one to the demo tenant
// and shows their ID tokens' claims side by side. Each leg gets a fresh
// refresh token of the demo tenant, so the one in the input stays good
// for Send.
func (p *migrateAnswers) onCompare() {
	if !p.onDemoTenant() {
		return
	}
	legacy, req := *p.legacy, p.offered.Request
	demo := p.svc.Demo
	mint := func(clientID string) (string, error) { return demo.MintRefreshToken(clientID, workspace.DemoScope, "") }
	p.compareBtn.Disable()
	p.status.SetText("Sending both requests to the demo tenant…")
	ctx, gen := p.start()
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		c, err := workspace.CompareLegacy(ctx, p.svc.HTTP, legacy.Wire(), req.Wire(), mint)
		p.do(func() {
			if gen != p.netGen {
				return // the input changed: render reset the buttons
			}
			p.compareBtn.Enable()
			if err != nil {
				p.status.Importance = widget.DangerImportance
				p.status.SetText("Compare failed: " + safetext.Line(err.Error()))
				return
			}
			p.showComparison(c)
		})
	}()
}

var claimStateText = map[tokens.ClaimState]string{
	tokens.ClaimSame: "same", tokens.ClaimDiffers: "differs", tokens.ClaimOnlyLeft: "legacy only", tokens.ClaimOnlyRight: "new only",
}

func (p *migrateAnswers) showComparison(c *workspace.Comparison) {
	p.answers.RemoveAll()
	head := func(name string, sent workspace.Sent) string {
		if sent.Err != "" {
			return fmt.Sprintf("%s: HTTP %d, %s", name, sent.Status, safetext.Line(sent.Err))
		}
		return fmt.Sprintf("%s: HTTP %d", name, sent.Status)
	}
	p.answers.Add(widget.NewLabelWithStyle("Side by side: the ID tokens of both requests", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	p.answers.Add(wrapLabel(head("POST /delegation", c.Legacy) + "\n" + head("POST /oauth/token", c.New)))
	// One block a claim, its values at the pane's full width: four equal
	// columns broke an e-mail address mid-word and cut URLs.
	for _, d := range c.Claims {
		state := widget.NewLabel(claimStateText[d.State])
		if d.State != tokens.ClaimSame {
			state.Importance = widget.WarningImportance
		}
		var values fyne.CanvasObject
		if d.State == tokens.ClaimSame {
			values = wrapLabel("both: " + safetext.Line(truncate(d.Left, 200)))
		} else {
			values = container.NewVBox(wrapLabel("/delegation: "+orDash(safetext.Line(truncate(d.Left, 200)))), wrapLabel("/oauth/token: "+orDash(safetext.Line(truncate(d.Right, 200)))))
		}
		p.answers.Add(container.NewVBox(container.NewHBox(boldLabel(safetext.Line(d.Name)), state), values))
	}
	if c.Legacy.Err == "" && c.New.Err == "" {
		p.status.Importance = widget.SuccessImportance
		p.status.SetText("Both requests succeeded; compare their claims below. The refresh token has rotated: press Sample for a fresh one.")
	} else {
		p.status.Importance = widget.WarningImportance
		p.status.SetText("A request failed: see below. A refresh token is single-use here: press Sample for a fresh one.")
	}
	p.showAnswer()
}

func orDash(v string) string {
	if v == "" {
		return "—"
	}
	return v
}
