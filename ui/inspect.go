package ui

import (
	"io"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/tokens"
)

const (
	// largeInput is where a paste stops going into the text field: the
	// field would re-lay out megabytes of text on every frame.
	largeInput    = 64 << 10
	maxClaimRows  = 300
	maxValueShown = 2000
)

// inspectScreen decodes, explains and verifies one token. It is made of
// panels that own their widgets: the input (inspect_input.go), the
// token's segments and findings (inspect_segments.go), the decrypt card
// (inspect_decrypt.go), the claims with their timeline and raw JSON
// (inspect_claims.go), the header (inspect_header.go) and verify
// (inspect_verify.go, inspect_keys.go). The screen wires them: a decoded
// or decrypted token goes to every panel.
type inspectScreen struct {
	busy sync.WaitGroup // background work in flight; tests wait on it

	in       *inputPanel
	segments *segmentsPanel
	decrypt  *decryptPanel
	claims   *claimsPanel
	header   *headerPanel
	verify   *verifyPanel
	tabs     *container.AppTabs
	obj      fyne.CanvasObject // the view, built once

	// What the panels show; touched only on the UI goroutine.
	outer *tokens.Token // the token as pasted
	token *tokens.Token // what the tables describe (the nested JWT once decrypted)
}

func newInspectScreen(svc *Services, win fyne.Window, do uiDo) *inspectScreen {
	s := &inspectScreen{}
	s.in = newInputPanel(svc, win, do, &s.busy, func(t *tokens.Token) { s.show(t, t) })
	s.segments = newSegmentsPanel()
	s.decrypt = newDecryptPanel(svc, func(inner *tokens.Token) { s.show(s.outer, inner) })
	s.verify = newVerifyPanel(svc, do, &s.busy, s.in.startBusy, s.fetched)
	s.claims = newClaimsPanel(svc, do, s.verify.leeway)
	s.header = newHeaderPanel(do)
	return s
}

// view lays the screen out, once: the token on the left, what it says on
// the right.
func (s *inspectScreen) view() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	left := border(s.in.view(), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.segments.tokenView(), s.decrypt.view(), s.segments.findingsView())))
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Claims", theme.ListIcon(), s.claims.view()),
		container.NewTabItemWithIcon("Header", theme.DocumentIcon(), s.header.view()),
		container.NewTabItemWithIcon("Verify", theme.ConfirmIcon(), s.verify.view()),
	)
	split := container.NewHSplit(left, s.tabs)
	split.Offset = 0.42
	s.obj = split
	return s.obj
}

// focus puts the cursor in the token field (Ctrl+L).
func (s *inspectScreen) focus() { s.in.focus() }

// onPaste decodes what the clipboard holds (Ctrl+Shift+V).
func (s *inspectScreen) onPaste() { s.in.onPaste() }

// onOpen asks for a token file (Ctrl+O).
func (s *inspectScreen) onOpen() { s.in.onOpen() }

// loadFile reads a token from a file dropped on the window.
func (s *inspectScreen) loadFile(r io.ReadCloser) { s.in.loadFile(r) }

// setStatus says something on the status line (a drop that failed).
func (s *inspectScreen) setStatus(msg string, imp widget.Importance) { s.in.setStatus(msg, imp) }

// SetToken replaces the input, as a paste or a drop does, and decodes it.
func (s *inspectScreen) SetToken(text string) { s.in.setToken(text) }

// expectIssuer sets the issuer the user trusts, when a token comes from
// one of their profiles (Exchange's Inspect), and verifies with its keys:
// the profile's issuer is the one they configured. An issuer they typed
// themselves is kept.
func (s *inspectScreen) expectIssuer(iss string) { s.verify.expectIssuer(iss) }

// refreshTimes keeps "expires in …" current while the screen is visible.
func (s *inspectScreen) refreshTimes() { s.claims.refreshTimes() }

// show displays shown (what the tables describe) and outer (as pasted).
func (s *inspectScreen) show(outer, shown *tokens.Token) {
	s.outer, s.token = outer, shown
	s.segments.show(outer, shown)
	s.header.show(shown)
	s.claims.show(shown)
	s.decrypt.show(outer, shown)
	if shown != nil {
		s.in.setStatus(s.decodedStatus(), widget.SuccessImportance)
	}
	s.verify.show(shown)
}

// fetched ends Verify's "Fetching keys…": the status line goes back to
// the token's when it is still the one shown.
func (s *inspectScreen) fetched(current bool) {
	s.in.stopBusy()
	if current {
		s.in.setStatus(s.decodedStatus(), widget.SuccessImportance)
	}
}

var kindPhrases = map[tokens.Kind]string{
	tokens.KindJWS:    "a signed JWT (JWS)",
	tokens.KindJWE:    "an encrypted JWT (JWE)",
	tokens.KindOpaque: "an opaque token",
}

// decodedStatus is the status line for the token shown: its kind and alg.
func (s *inspectScreen) decodedStatus() string {
	outer, shown := s.outer, s.token
	if outer == nil || shown == nil {
		return ""
	}
	alg, _ := shown.HeaderString("alg")
	msg := "Decoded " + kindPhrases[outer.Kind]
	if alg != "" {
		msg = strings.TrimSuffix(msg, ")") + ", " + alg + ")"
	}
	if shown != outer {
		msg += ", decrypted: showing " + kindPhrases[shown.Kind] + " inside"
	}
	return msg + "."
}
