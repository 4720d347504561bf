// The Migrate screen's Send and Compare: the new request sent, its tokens
// offered to the inspector, and the legacy call and its twin compared claim
// by claim on the demo tenant.

package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

// onDemoChanged shows Compare only while the demo tenant runs (it talks
// to nothing else), and rewrites the current input against it.
func (s *migrateScreen) onDemoChanged() {
	if s.svc.Demo == nil {
		s.compareBtn.Hide()
	} else {
		s.compareBtn.Show()
	}
	s.rewrite()
}

// mintForCompare gives each leg of a Compare a fresh refresh token of the
// demo tenant, so the one in the input stays good for Send.
func (s *migrateScreen) mintForCompare(clientID string) (string, error) {
	return s.svc.Demo.MintRefreshToken(clientID, demotenant.DemoScope, "")
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
func (s *migrateScreen) onSend() {
	r := s.current()
	if r == nil || r.Request == nil || !sendable(r.Request) {
		return
	}
	req := r.Request
	s.sendBtn.Disable()
	s.status.Importance = widget.MediumImportance
	s.status.SetText("Sending POST " + req.URL + "…")
	ctx, gen := s.startNet()
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		sent := workspace.Send(ctx, s.svc.HTTP, req.Wire())
		s.do(func() {
			if gen != s.netGen {
				return // the input changed: render reset the buttons
			}
			s.sendBtn.Enable()
			s.showSent(sent)
		})
	}()
}

func (s *migrateScreen) showSent(sent workspace.Sent) {
	s.compare.RemoveAll()
	if sent.Err != "" {
		s.status.Importance = widget.DangerImportance
		s.status.SetText(fmt.Sprintf("The new request failed (HTTP %d): %s", sent.Status, safetext.Line(sent.Err)))
		return
	}
	s.status.Importance = widget.SuccessImportance
	s.status.SetText(fmt.Sprintf("The new request succeeded (HTTP %d). Open its tokens in the inspector below.", sent.Status))
	for _, name := range []string{"access_token", "id_token"} {
		if tok, _ := sent.Fields[name].(string); tok != "" {
			s.compare.Add(widget.NewButtonWithIcon("Inspect "+map[string]string{"access_token": "access token", "id_token": "ID token"}[name], theme.SearchIcon(), func() {
				if s.inspect != nil {
					s.inspect(tok)
				}
			}))
		}
	}
	if rt, _ := sent.Fields["refresh_token"].(string); rt != "" {
		warn := wrapLabel("The response carries a refresh token. If the server rotates tokens, the one you sent no longer works and this is the only copy: copy it now, or save the client as a profile first next time.")
		warn.Importance = widget.WarningImportance
		s.compare.Add(warn)
		copyRT := widget.NewButtonWithIcon("Copy refresh token", theme.ContentCopyIcon(), func() { copySecret(s.do, fyne.CurrentApp().Clipboard(), rt) })
		s.compare.Add(border(nil, nil, nil, copyRT, monoLabel(secrets.Mask(rt))))
	}
	s.showAnswer()
}

// showAnswer scrolls the results to what Send or Compare just answered:
// a long comparison scrolled down must not leave the next answer out of
// sight.
func (s *migrateScreen) showAnswer() {
	if s.answers == nil {
		return
	}
	s.answers.Content.Refresh()
	s.answers.Refresh()
	s.answers.ScrollToOffset(fyne.NewPos(0, s.compare.Position().Y))
}

// onDemoTenant: Compare sends requests, so it is offered only for the
// embedded demo tenant, where nothing real is spent.
func (s *migrateScreen) onDemoTenant(r *migrate.Result) bool {
	if s.svc.Demo == nil || r == nil || r.Request == nil || s.selected >= len(s.batch.Requests) {
		return false
	}
	iss := s.svc.Demo.Issuer()
	return strings.HasPrefix(r.Request.URL, iss) && strings.HasPrefix(s.batch.Requests[s.selected].URL, iss)
}

// onSample loads a legacy call: for the demo tenant, with a fresh refresh
// token so Compare works; otherwise a typical one.
func (s *migrateScreen) onSample() {
	if s.svc.Demo != nil {
		if text, err := s.svc.Demo.SampleDelegation(); err == nil {
			s.input.SetText(text)
			return
		}
	}
	s.input.SetText(sampleDelegation)
}

// onCompare sends the legacy call and the migrated one to the demo tenant
// and shows their ID tokens' claims side by side.
func (s *migrateScreen) onCompare() {
	r := s.current()
	if !s.onDemoTenant(r) {
		return
	}
	legacy, req := s.batch.Requests[s.selected], r.Request
	s.compareBtn.Disable()
	s.status.SetText("Sending both requests to the demo tenant…")
	ctx, gen := s.startNet()
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		c, err := workspace.CompareLegacy(ctx, s.svc.HTTP, legacy.Wire(), req.Wire(), s.mintForCompare)
		s.do(func() {
			if gen != s.netGen {
				return // the input changed: render reset the buttons
			}
			s.compareBtn.Enable()
			if err != nil {
				s.status.Importance = widget.DangerImportance
				s.status.SetText("Compare failed: " + safetext.Line(err.Error()))
				return
			}
			s.showComparison(c)
		})
	}()
}

var claimStateText = map[tokens.ClaimState]string{
	tokens.ClaimSame: "same", tokens.ClaimDiffers: "differs", tokens.ClaimOnlyLeft: "legacy only", tokens.ClaimOnlyRight: "new only",
}

func (s *migrateScreen) showComparison(c *workspace.Comparison) {
	s.compared = c
	s.compare.RemoveAll()
	head := func(name string, sent workspace.Sent) string {
		if sent.Err != "" {
			return fmt.Sprintf("%s: HTTP %d, %s", name, sent.Status, safetext.Line(sent.Err))
		}
		return fmt.Sprintf("%s: HTTP %d", name, sent.Status)
	}
	s.compare.Add(widget.NewLabelWithStyle("Side by side: the ID tokens of both requests", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.compare.Add(wrapLabel(head("POST /delegation", c.Legacy) + "\n" + head("POST /oauth/token", c.New)))
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
		s.compare.Add(container.NewVBox(container.NewHBox(boldLabel(safetext.Line(d.Name)), state), values))
	}
	if c.Legacy.Err == "" && c.New.Err == "" {
		s.status.Importance = widget.SuccessImportance
		s.status.SetText("Both requests succeeded; compare their claims below. The refresh token has rotated: press Sample for a fresh one.")
	} else {
		s.status.Importance = widget.WarningImportance
		s.status.SetText("A request failed: see below. A refresh token is single-use here: press Sample for a fresh one.")
	}
	s.showAnswer()
}

func orDash(v string) string {
	if v == "" {
		return "—"
	}
	return v
}
