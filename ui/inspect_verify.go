// The Inspect screen's verify panel (the Verify tab): the key source and
// the expectations (inspect_keys.go), Verify, the verdict and one row a
// check. Keys are found and checked through the workspace (Keys, Check,
// Verdict); a local key re-checks on every keystroke, and keys fetched
// for a source keep checking while only the expectations change.

package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// fetchTimeout bounds fetching the keys of a remote source.
const fetchTimeout = 30 * time.Second

// fetchedKeys are the keys the last Verify fetched, and the source they
// were fetched for (keyPanel.remoteFor).
type fetchedKeys struct {
	keys   workspace.KeySource
	source string
}

type verifyPanel struct {
	svc  *Services
	do   uiDo
	busy *sync.WaitGroup // the screen's: background work in flight

	keys      *keyPanel
	expect    *expectPanel
	result    *checksPanel
	verifyBtn *widget.Button
	obj       fyne.CanvasObject

	// onFetching says keys are being fetched; onFetched that they came
	// (or not), current when the token is still the one shown.
	onFetching func(msg string)
	onFetched  func(current bool)

	// State below is touched only on the UI goroutine.
	token     *tokens.Token // the one the checks are about
	fetched   fetchedKeys
	cancelNet context.CancelFunc
}

func newVerifyPanel(svc *Services, do uiDo, busy *sync.WaitGroup, onFetching func(string), onFetched func(bool)) *verifyPanel {
	p := &verifyPanel{svc: svc, do: do, busy: busy, onFetching: onFetching, onFetched: onFetched}
	p.keys = newKeyPanel(p.verifyLocal, func() { p.result.clear(p.token); p.verifyLocal() })
	p.expect = newExpectPanel(svc, p.verifyLocal)
	p.result = newChecksPanel()
	p.verifyBtn = widget.NewButtonWithIcon("Verify", theme.ConfirmIcon(), p.onVerify)
	p.verifyBtn.Importance = widget.HighImportance
	form := widget.NewForm(append(append([]*widget.FormItem(nil), p.keys.items...), p.expect.items...)...)
	p.obj = container.NewVScroll(container.NewVBox(form, container.NewHBox(p.verifyBtn), p.result.view()))
	p.result.clear(nil)
	return p
}

// view is the Verify tab's content.
func (p *verifyPanel) view() fyne.CanvasObject { return p.obj }

// show starts over for another token (nil: none): keys fetched for the
// previous one no longer count.
func (p *verifyPanel) show(t *tokens.Token) {
	p.token = t
	if p.cancelNet != nil {
		p.cancelNet()
		p.cancelNet = nil
	}
	p.fetched = fetchedKeys{}
	p.result.clear(t)
	p.verifyLocal()
}

// leeway is the leeway typed, or the default while it is not a duration
// (the timeline draws it).
func (p *verifyPanel) leeway() time.Duration { return p.expect.leewayOrDefault() }

// expectIssuer expects a profile's issuer (unless the user typed another)
// and chooses issuer discovery, so Verify uses the keys it publishes.
func (p *verifyPanel) expectIssuer(iss string) {
	if p.expect.expectIssuer(iss) {
		p.keys.choose(keyIssuer)
	}
}

// verifyLocal re-runs the checks without the network: with a local key
// (pasted or HMAC), with keys already fetched for this source, or with
// none (the claims are checked, the signature is not).
func (p *verifyPanel) verifyLocal() {
	if p.token == nil || p.token.Kind != tokens.KindJWS {
		return
	}
	if p.keys.local() {
		var ks workspace.KeySource
		var keyErr error
		if spec := p.keys.spec(""); spec.Local() {
			ks, keyErr = p.svc.Keys(context.Background(), p.token, spec)
		}
		p.check(ks) // the claims are checked even while the key is wrong
		if keyErr != nil {
			if inner := errors.Unwrap(keyErr); inner != nil {
				keyErr = inner // "the key: " is the field's name here
			}
			p.result.say("Key: "+safetext.Line(keyErr.Error())+".", widget.DangerImportance)
		}
		return
	}
	// Remote keys are fetched only when Verify is pressed; keys already
	// fetched for this source keep verifying while only the expected
	// values change.
	if p.fetched.keys.Keys != nil && p.fetched.source == p.keys.remoteFor(p.expect.issuerText()) {
		p.check(p.fetched.keys)
		return
	}
	p.check(workspace.KeySource{})
	if p.fetched.keys.Keys != nil {
		p.result.setText("The key source changed: press Verify to fetch its keys.")
	}
}

// check runs the checks with keys found already (trusted or not).
func (p *verifyPanel) check(ks workspace.KeySource) {
	o, err := p.expect.options()
	if err != nil {
		p.result.say(err.Error(), widget.DangerImportance)
		return
	}
	p.result.show(workspace.Check(context.Background(), p.token, ks, o))
}

// onVerify runs the checks, fetching remote keys off the UI goroutine.
func (p *verifyPanel) onVerify() {
	tok := p.token
	if tok == nil || tok.Kind != tokens.KindJWS {
		p.result.say("Only a signed JWT can be verified: paste one first (decrypt a JWE to verify the JWT inside).", widget.WarningImportance)
		return
	}
	if p.keys.local() {
		p.verifyLocal()
		return
	}
	o, err := p.expect.options()
	if err != nil {
		p.result.setText(err.Error())
		return
	}
	if p.cancelNet != nil {
		p.cancelNet()
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	p.cancelNet = cancel
	missing := p.keys.jwksMissing()
	spec := p.keys.spec(o.Issuer)
	fetchedFor := p.keys.remoteFor(o.Issuer)
	p.verifyBtn.Disable()
	p.onFetching("Fetching keys…")
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		var ks workspace.KeySource
		var err error
		var report tokens.Report
		if missing {
			err = errors.New("type the JWKS URL first")
		} else {
			// A typed issuer's keys are trusted; with none, the token's
			// own iss is looked up: checked, never trusted.
			ks, err = p.svc.Keys(ctx, tok, spec)
		}
		if err == nil {
			report = workspace.Check(ctx, tok, ks, o)
		}
		p.do(func() {
			p.verifyBtn.Enable()
			current := tok == p.token
			p.onFetched(current)
			if !current {
				return
			}
			if err != nil {
				p.result.say("Could not get the keys: "+safetext.Line(err.Error()), widget.DangerImportance)
				return
			}
			p.fetched = fetchedKeys{ks, fetchedFor}
			p.result.show(report)
		})
	}()
}

// checksPanel is the verdict and one row a check under it.
type checksPanel struct {
	verdict *widget.Label
	list    *fyne.Container
	obj     fyne.CanvasObject
}

func newChecksPanel() *checksPanel {
	p := &checksPanel{verdict: wrapLabel(""), list: container.NewVBox()}
	p.obj = container.NewVBox(p.verdict, p.list)
	return p
}

func (p *checksPanel) view() fyne.CanvasObject { return p.obj }

// say puts msg in the verdict line, coloured by imp.
func (p *checksPanel) say(msg string, imp widget.Importance) {
	p.verdict.Importance = imp
	p.verdict.SetText(msg)
}

// setText changes the verdict line's words, not its colour.
func (p *checksPanel) setText(msg string) { p.verdict.SetText(msg) }

// clear removes the rows and says what t needs to be verified.
func (p *checksPanel) clear(t *tokens.Token) {
	p.list.RemoveAll()
	switch {
	case t == nil:
		p.say("Paste a signed JWT to verify it.", widget.MediumImportance)
	case t.Kind == tokens.KindOpaque:
		p.say("An opaque token carries no signature here: only the server that issued it can check it (for an Auth0 access token, /userinfo).", widget.MediumImportance)
	case t.Kind == tokens.KindJWE:
		p.say("An encrypted token: decrypt it first, then the JWT inside can be verified.", widget.MediumImportance)
	default:
		p.say("Choose a key to verify the signature.", widget.MediumImportance)
	}
}

// selfVouched is the window's verdict when the only failure is a
// signature matching keys the token's own iss led to: not a forgery, not
// proof either, and the user has one field to fill.
const selfVouched = "The signature matches the keys of the issuer the token names itself, which proves nothing: type the issuer you trust in the Issuer field, then Verify."

// verdictColours colour each outcome's sentence.
var verdictColours = map[workspace.Outcome]widget.Importance{
	workspace.Valid:       widget.SuccessImportance,
	workspace.SelfVouched: widget.WarningImportance,
	workspace.Unsigned:    widget.WarningImportance,
	workspace.Invalid:     widget.DangerImportance,
}

// show lists r's checks and its verdict, in the window's words.
func (p *checksPanel) show(r tokens.Report) {
	p.list.RemoveAll()
	for _, c := range r.Checks {
		var icon fyne.Resource = theme.NewDisabledResource(theme.MediaStopIcon())
		switch c.Status {
		case tokens.Pass:
			icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		case tokens.Fail:
			icon = theme.NewErrorThemedResource(theme.CancelIcon())
		}
		detail := wrapLabel(windowWords(safetext.Block(c.Detail)))
		p.list.Add(border(nil, nil, container.NewHBox(widget.NewIcon(icon), boldLabel(c.Name)), nil, detail))
	}
	outcome, sentence := workspace.Verdict(r)
	if outcome == workspace.SelfVouched {
		sentence = selfVouched
	}
	p.say(sentence, verdictColours[outcome])
}
