package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// signInActions are what Exchange does when a button of the "Sign in and
// more" card is pressed.
type signInActions struct {
	signIn            func(device bool)
	userinfo          func()
	revoke            func()
	clientCredentials func()
	// switchTo chooses the profile the card suggests for signing in.
	switchTo func(name string)
}

// signInPanel is Exchange's "Sign in and more" card: the ways to get a
// first refresh token (sign in through the browser or with a code),
// /userinfo, revoke, and client credentials. What it offers depends on
// the profile's grants: the sign-in buttons, or a sentence naming a
// profile that can sign in with a button to switch to it; client
// credentials only for a client that has them. It holds the sign-in
// dialog's flow.
type signInPanel struct {
	svc         *Services
	flow        *signInFlow
	signInBtn   *widget.Button
	deviceBtn   *widget.Button
	userinfoBtn *widget.Button
	revokeBtn   *widget.Button
	ccBtn       *widget.Button
	signInRow   *fyne.Container
	switchMsg   *widget.Label
	switchBtn   *widget.Button
	switchRow   *fyne.Container
	ccRow       *fyne.Container
	card        *widget.Card
	// switchTo is the profile switchBtn chooses.
	switchTo string
}

func newSignInPanel(svc *Services, flow *signInFlow, act signInActions) *signInPanel {
	p := &signInPanel{svc: svc, flow: flow}
	p.signInBtn = widget.NewButtonWithIcon("Sign in…", theme.LoginIcon(), func() { act.signIn(false) })
	p.deviceBtn = widget.NewButtonWithIcon("Sign in with a code…", theme.ComputerIcon(), func() { act.signIn(true) })
	p.userinfoBtn = widget.NewButtonWithIcon("Call /userinfo", theme.AccountIcon(), act.userinfo)
	p.userinfoBtn.Disable()
	p.revokeBtn = widget.NewButtonWithIcon("Revoke refresh token…", theme.DeleteIcon(), act.revoke)
	p.ccBtn = widget.NewButtonWithIcon("Client credentials token", theme.ComputerIcon(), act.clientCredentials)
	p.signInRow = container.NewHBox(p.signInBtn, p.deviceBtn)
	p.switchMsg = wrapLabel("")
	p.switchBtn = widget.NewButtonWithIcon("Switch", theme.NavigateNextIcon(), func() {
		if p.switchTo != "" {
			act.switchTo(p.switchTo)
		}
	})
	p.switchRow = border(nil, nil, nil, p.switchBtn, p.switchMsg)
	p.switchRow.Hide()
	p.ccRow = border(nil, nil, p.ccBtn, nil, wrapLabel("A token for the Audience above, with no user (machine to machine)."))
	p.card = widget.NewCard("", "Sign in and more", container.NewVBox(
		p.signInRow, p.switchRow,
		container.NewHBox(p.userinfoBtn, p.revokeBtn),
		p.ccRow))
	return p
}

func (p *signInPanel) view() fyne.CanvasObject { return p.card }

// showGrants shows the sign-in actions pr's client has: a demo profile
// that signs in no user gets one sentence naming a demo profile that can,
// and a button to switch to it.
func (p *signInPanel) showGrants(pr profiles.Profile) {
	g := p.svc.grantsOf(pr)
	showIf(p.signInBtn, g.code)
	showIf(p.deviceBtn, g.device)
	showIf(p.ccRow, g.clientCredentials)
	p.switchTo = ""
	if g.signsIn() {
		p.signInRow.Show()
		p.switchRow.Hide()
		return
	}
	p.signInRow.Hide()
	msg := pr.Name + " is a client for machines: no user signs in with it."
	if other := p.svc.demoSignInProfile(); other != "" {
		p.switchTo = other
		msg += " To sign in, use " + other + "."
		p.switchBtn.SetText("Switch to " + other)
		p.switchBtn.Show()
	} else {
		p.switchBtn.Hide()
	}
	p.switchMsg.SetText(msg)
	p.switchRow.Show()
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// userinfoReady turns Call /userinfo on (an access token is on the cards) or off.
func (p *signInPanel) userinfoReady(on bool) { enableIf(p.userinfoBtn, on) }

// revoking and askingForClientCredentials turn their button off while
// their request runs.
func (p *signInPanel) revoking(on bool) { enableIf(p.revokeBtn, !on) }

func (p *signInPanel) askingForClientCredentials(on bool) { enableIf(p.ccBtn, !on) }

// signIn signs in with profile name (device: with a code to approve
// elsewhere) in the sign-in dialog; done gets the result on the UI goroutine.
func (p *signInPanel) signIn(name string, device bool, done func(workspace.LoginResult)) {
	p.flow.start(name, device, done)
}

// cancelSignIn cancels a sign-in in progress (Escape).
func (p *signInPanel) cancelSignIn() { p.flow.stop() }
