package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// responseCards is the answer on Exchange's right pane: a notice when the
// refresh token rotated, then what was asked for and not granted, a card
// for each token (Inspect and Copy), the access token's expiry (ticking),
// the scope granted, and /userinfo's claims. The cards belong to the
// profile they were for: choosing another clears them.
type responseCards struct {
	svc *Services
	win fyne.Window
	do  uiDo
	// inspect opens a token in the inspector.
	inspect func(token string)

	notice *widget.Label
	// cards holds a hint before any answer, then the answer's cards (or
	// the error); the expiry and scope cards follow, shown when the answer
	// has them, then /userinfo's.
	cards       *fyne.Container
	expiryLabel *widget.Label
	expiryCard  *widget.Card
	scopeLabel  *widget.Label
	scopeCard   *widget.Card
	userinfo    *fyne.Container
	box         *fyne.Container
	// expiry is the access token's, or zero.
	expiry time.Time
	// shown are the tokens on the cards, by name (access_token, …).
	shown map[string]string
}

func newResponseCards(svc *Services, win fyne.Window, do uiDo, inspect func(string)) *responseCards {
	c := &responseCards{svc: svc, win: win, do: do, inspect: inspect, shown: map[string]string{}}
	c.notice = wrapLabel("")
	c.notice.Hide()
	c.cards = container.NewVBox()
	c.expiryLabel = widget.NewLabel("")
	c.expiryCard = widget.NewCard("Expiry", "", c.expiryLabel)
	c.scopeLabel = wrapLabel("")
	c.scopeCard = widget.NewCard("Scope", "", c.scopeLabel)
	c.userinfo = container.NewVBox()
	c.box = container.NewVBox(c.notice, c.cards, c.expiryCard, c.scopeCard, c.userinfo)
	c.clear()
	return c
}

func (c *responseCards) view() fyne.CanvasObject { return c.box }

// token is the token shown under name (access_token, id_token,
// refresh_token), or "".
func (c *responseCards) token(name string) string { return c.shown[name] }

// clear removes the cards and the notice: nothing shown is about another
// profile.
func (c *responseCards) clear() {
	c.empty()
	c.cards.Objects = []fyne.CanvasObject{wrapLabel("The response appears here after Refresh: each token with Inspect and Copy.")}
	c.cards.Refresh()
}

// empty removes every card and the notice.
func (c *responseCards) empty() {
	c.cards.RemoveAll()
	c.userinfo.RemoveAll()
	c.userinfo.Hide()
	c.shown = map[string]string{}
	c.expiry = time.Time{}
	c.expiryCard.Hide()
	c.scopeCard.Hide()
	c.notice.Hide()
}

// show shows a refresh's (or a sign-in's, a client-credentials') answer
// for profile, and returns what the status line says about it; memory
// and demo say where a stored refresh token went (memory: no OS keyring).
// A rotated refresh token that is not safely stored opens the "only copy"
// dialog.
func (c *responseCards) show(profile string, res workspace.RefreshResult, memory, demo bool) (string, widget.Importance) {
	resp, err := res.Response, res.Err
	c.empty()
	if resp != nil && resp.Rotated && needsOnlyCopy(resp, memory, demo) {
		c.showOnlyCopy(profile, resp)
	}
	if err != nil {
		var xe *exchange.Error
		title := "Refresh failed"
		if errors.As(err, &xe) && xe.Status != 0 {
			title = fmt.Sprintf("Refresh failed: HTTP %d %s", xe.Status, xe.Code)
		}
		body := wrapLabel(safetext.Block(err.Error()) + ".")
		body.Importance = widget.DangerImportance
		c.cards.Add(widget.NewCard(title, "", body))
		return title + ".", widget.DangerImportance
	}
	switch {
	case resp.Rotated && resp.Stored:
		where := " in the OS keyring"
		switch {
		case memory && demo:
			where = " (in memory for this run, as the demo's secrets are)"
		case memory:
			where = " in memory until Tokenscope closes (no OS keyring here; the Clients screen says what to install)"
		}
		c.notice.Importance = widget.SuccessImportance
		c.notice.SetText("The refresh token rotated: the new one replaced the old" + where + " for profile " + profile + "; the old one no longer works.")
		c.notice.Show()
	case resp.Rotated:
		why := "this run used a typed refresh token"
		if resp.StoreErr != nil {
			why = "it could not be stored: " + safetext.Line(resp.StoreErr.Error())
		}
		c.notice.Importance = widget.DangerImportance
		c.notice.SetText("The refresh token rotated and the new one was not saved (" + why + "). It is below, and it is the only copy: copy it now.")
		c.notice.Show()
	}
	if ig := res.Ignored(); ig != nil {
		// What was asked for and not granted: Auth0 ignores it silently.
		body := wrapLabel(safetext.Line(ig.Explanation))
		body.Importance = widget.WarningImportance
		c.cards.Add(widget.NewCard("Asked for, not granted", "", body))
	}
	c.addToken("Access token", "access_token", resp.AccessToken, true)
	c.addToken("ID token", "id_token", resp.IDToken, true)
	c.addToken("Refresh token", "refresh_token", resp.RefreshToken, false)
	if c.expiry = resp.Expiry; !resp.Expiry.IsZero() {
		c.refreshTimes()
		c.expiryCard.Show()
	}
	if resp.Scope != "" {
		c.scopeLabel.SetText(safetext.Line(resp.Scope))
		c.scopeCard.Show()
	}
	return fmt.Sprintf("Refreshed: HTTP %d in %d ms (profile %s).", resp.Status, resp.Duration.Milliseconds(), profile), widget.SuccessImportance
}

// afterSignIn finishes showing a sign-in's answer (shown by show): the
// "only copy" dialog opens for a new refresh token that is not safely
// stored, and a stored one needs no notice.
func (c *responseCards) afterSignIn(profile string, resp *exchange.Response, memory, demo bool) {
	if !resp.Rotated && needsOnlyCopy(resp, memory, demo) {
		c.showOnlyCopy(profile, resp) // show opens it for a rotated one
	}
	if resp.Stored {
		c.notice.Hide() // "rotated" is a refresh's word; the status says what happened
	}
}

// showOnlyCopy shows a new refresh token that is not safely stored in a
// dialog that only an explicit "I have saved it" closes: Escape and a
// click outside do nothing.
func (c *responseCards) showOnlyCopy(profile string, resp *exchange.Response) {
	showOnlyCopy(c.win, c.do, systemClipboard(), profile, resp)
}

// refreshTimes keeps "expires in …" true as the clock runs.
func (c *responseCards) refreshTimes() {
	if !c.expiry.IsZero() {
		c.expiryLabel.SetText(tokens.ExpiryPhrase(c.expiry, c.svc.Now()) + " (" + c.expiry.Local().Format("2006-01-02 15:04:05") + ")")
	}
}

// addToken shows one token with Inspect (for JWTs and opaque access
// tokens) and Copy. A refresh token is masked unless it is the only copy.
func (c *responseCards) addToken(title, name, tok string, inspectable bool) {
	if tok == "" {
		return
	}
	c.shown[name] = tok
	shown := truncate(tok, 300)
	var actions []fyne.CanvasObject
	if inspectable {
		actions = append(actions, widget.NewButtonWithIcon("Inspect", theme.SearchIcon(), func() { c.inspect(tok) }))
		actions = append(actions, copyButton("Copy", c.do, systemClipboard, func() string { return tok }))
	} else {
		if c.notice.Importance != widget.DangerImportance {
			shown = safetext.Mask(tok)
		}
		actions = append(actions, widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { copySecret(c.do, systemClipboard(), tok) }))
	}
	c.cards.Add(widget.NewCard(title, "", container.NewVBox(monoLabel(safetext.Line(shown)), container.NewHBox(actions...))))
}

// addUserinfo shows /userinfo's claims beside those of idToken (the ID
// token on the cards when it was called).
func (c *responseCards) addUserinfo(claims map[string]any, idToken string) {
	var idClaims map[string]any
	if tok, err := tokens.Decode(idToken, time.Now()); err == nil && idToken != "" {
		idClaims = tok.ClaimsMap()
	}
	c.userinfo.Add(widget.NewCard("/userinfo", "claims beside the ID token's", userinfoTable(claims, idClaims)))
	c.userinfo.Show()
}

// userinfoTable lines up /userinfo's claims with the ID token's.
func userinfoTable(ui, id map[string]any) fyne.CanvasObject {
	grid := container.NewGridWithColumns(3, widget.NewLabelWithStyle("claim", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("/userinfo", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("ID token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, d := range tokens.CompareClaims(ui, id) {
		grid.Add(widget.NewLabel(safetext.Line(d.Name)))
		grid.Add(wrapLabel(safetext.Line(claimText(d.Left))))
		grid.Add(wrapLabel(safetext.Line(claimText(d.Right))))
	}
	return grid
}

func claimText(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}
