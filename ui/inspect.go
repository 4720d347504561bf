package ui

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

const (
	decodeDelay = 250 * time.Millisecond
	// largeInput is where a paste stops going into the text field: the
	// field would re-lay out megabytes of text on every frame.
	largeInput    = 64 << 10
	maxClaimRows  = 300
	maxValueShown = 2000
)

// Key sources for verification.
const (
	keyPasted  = "Pasted key (JWK, JWKS or PEM)"
	keyHMAC    = "HMAC secret"
	keyJWKSURL = "JWKS URL"
	keyIssuer  = "Issuer discovery (from iss)"
)

type claimRow struct {
	name, value, when, explain *widget.Label
	copy                       *widget.Button
	claim                      string
	at                         time.Time
	isTime                     bool
}

type checkRow struct {
	icon   *widget.Icon
	name   *widget.Label
	detail *widget.Label
	check  tokens.Check
}

// inspectScreen decodes, explains and verifies one token.
type inspectScreen struct {
	// The timeline of the token's times, and the claims as raw JSON.
	timelineBox, rawBox *fyne.Container
	timeline            *timeline
	rawJSON             *widget.Check

	// remote is the key source the last Verify fetched, and what for
	// (remoteKeyFor): it keeps verifying while only expectations change.
	remote    workspace.KeySource
	remoteFor string

	svc *Services
	win fyne.Window
	do  uiDo

	input     *tokenEntry
	large     string // a large paste, kept out of the text field
	pasteBtn  *widget.Button
	openBtn   *widget.Button
	clearBtn  *widget.Button
	status    *widget.Label
	progress  *widget.ProgressBarInfinite
	segments  *widget.RichText
	findings  *fyne.Container
	header    *fyne.Container
	claims    *fyne.Container
	payload   *widget.Label
	claimRows map[string]*claimRow
	copyHdr   *widget.Button
	copyClm   *widget.Button
	tabs      *container.AppTabs

	keySource   *widget.Select
	keyInput    *widget.Entry
	jwksURL     *widget.Entry
	secret      *widget.Entry
	keyBox      *fyne.Container
	issuer      *widget.Entry
	audience    *widget.Entry
	clientID    *widget.Entry
	nonce       *widget.Entry
	accessToken *widget.Entry
	leeway      *widget.Entry
	verifyBtn   *widget.Button
	verdict     *widget.Label
	checks      *fyne.Container
	checkRows   map[string]*checkRow

	decryptCard *widget.Card
	decryptKey  *widget.Entry
	decryptBtn  *widget.Button
	decryptMsg  *widget.Label

	// State below is touched only on the UI goroutine.
	decodes   latest
	token     *tokens.Token // what the tables show (the nested JWT once decrypted)
	outer     *tokens.Token // the token as pasted
	cancelNet context.CancelFunc
	// issuerFromProfile is the Issuer the screen filled in (expectIssuer).
	issuerFromProfile string
	busy              sync.WaitGroup // background work in flight; tests wait on it
}

func newInspectScreen(svc *Services, win fyne.Window, do uiDo) *inspectScreen {
	s := &inspectScreen{svc: svc, win: win, do: do, claimRows: map[string]*claimRow{}, checkRows: map[string]*checkRow{}}
	s.decodes.busy = &s.busy
	s.buildUI()
	s.drawHeader(nil) // the empty panes say what to do
	s.drawClaims(nil)
	return s
}

func (s *inspectScreen) buildUI() {
	s.input = newTokenEntry(s.onLargePaste)
	// Short lines: the field breaks its text anywhere (a token has no
	// spaces), so a long hint would break inside words.
	s.input.SetPlaceHolder("Paste a token: JWT, JWE or opaque.\nA Bearer prefix, quotes and\nline breaks are fine.\nOr drop a file here.")
	s.input.OnChanged = s.onInputChanged
	s.pasteBtn = widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), s.onPaste)
	s.openBtn = widget.NewButtonWithIcon("Open…", theme.FolderOpenIcon(), s.onOpen)
	s.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), s.onClear)
	s.status = wrapLabel("Paste a token to decode it. Decoding never uses the network.")
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Hide()
	s.progress.Stop()
	s.segments = widget.NewRichText()
	s.segments.Wrapping = fyne.TextWrapBreak
	s.findings = container.NewVBox()
	s.header = container.NewVBox()
	s.claims = container.NewVBox()
	s.payload = monoLabel("")
	s.payload.Hide()
	s.copyHdr = copyButton("Copy header JSON", s.do, s.clipboard, s.headerJSON)
	s.copyClm = copyButton("Copy claims JSON", s.do, s.clipboard, s.claimsJSON)
	s.copyHdr.Disable()
	s.copyClm.Disable()
	s.timelineBox = container.NewStack()
	s.rawBox = container.NewStack()
	s.rawBox.Hide()
	s.rawJSON = widget.NewCheck("Raw JSON", s.onRawJSON)
	s.rawJSON.Disable()

	s.keySource = widget.NewSelect([]string{keyPasted, keyHMAC, keyJWKSURL, keyIssuer}, s.onKeySourceChanged)
	s.keyInput = widget.NewMultiLineEntry()
	s.keyInput.SetPlaceHolder(`{"kty":"RSA","n":"…","e":"AQAB"} or -----BEGIN PUBLIC KEY-----`)
	s.keyInput.SetMinRowsVisible(4)
	s.keyInput.OnChanged = func(string) { s.verifyLocal() }
	s.jwksURL = widget.NewEntry()
	s.jwksURL.SetPlaceHolder("https://tenant.auth0.com/.well-known/jwks.json")
	s.jwksURL.OnChanged = func(string) { s.verifyLocal() }
	s.secret = widget.NewPasswordEntry()
	s.secret.SetPlaceHolder("shared secret for HS256/384/512")
	s.secret.OnChanged = func(string) { s.verifyLocal() }
	s.keyBox = container.NewStack()
	s.issuer = widget.NewEntry()
	s.issuer.SetPlaceHolder("expected iss (optional)")
	s.audience = widget.NewEntry()
	s.audience.SetPlaceHolder("expected audience (optional)")
	s.clientID = widget.NewEntry()
	s.clientID.SetPlaceHolder("expected azp / client_id (optional)")
	s.nonce = widget.NewEntry()
	s.nonce.SetPlaceHolder("expected nonce (optional)")
	s.accessToken = widget.NewEntry()
	s.accessToken.SetPlaceHolder("access token issued with this ID token (checks at_hash)")
	s.leeway = widget.NewEntry()
	s.leeway.SetText("60s")
	s.leeway.Validator = func(v string) error { _, err := parseLeeway(v); return err }
	for _, e := range []*widget.Entry{s.issuer, s.audience, s.clientID, s.nonce, s.accessToken, s.leeway} {
		e.OnChanged = func(string) { s.verifyLocal() }
	}
	s.verifyBtn = widget.NewButtonWithIcon("Verify", theme.ConfirmIcon(), s.onVerify)
	s.verifyBtn.Importance = widget.HighImportance
	s.verdict = wrapLabel("Choose a key to verify the signature.")
	s.checks = container.NewVBox()
	s.keySource.SetSelected(keyPasted)

	s.decryptKey = widget.NewMultiLineEntry()
	s.decryptKey.SetPlaceHolder("recipient's private key (JWK or PEM), or the shared key as a JWK")
	s.decryptKey.SetMinRowsVisible(3)
	s.decryptBtn = widget.NewButtonWithIcon("Decrypt", theme.VisibilityIcon(), s.onDecrypt)
	s.decryptMsg = wrapLabel("")
	s.decryptCard = widget.NewCard("Encrypted token", "Decrypt with a key to see the claims", container.NewVBox(s.decryptKey, s.decryptBtn, s.decryptMsg))
	s.decryptCard.Hide()
}

// view lays the screen out: the token on the left, what it says on the right.
func (s *inspectScreen) view() fyne.CanvasObject {
	tools := container.NewHBox(s.pasteBtn, s.openBtn, s.clearBtn)
	left := border(
		container.NewVBox(tools, s.input, s.progress, s.status),
		nil, nil, nil,
		container.NewVScroll(container.NewVBox(
			widget.NewCard("", "Token", s.segments),
			s.decryptCard,
			widget.NewCard("", "Findings", s.findings),
		)),
	)
	claimsTab := border(container.NewHBox(s.copyClm, s.rawJSON), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.timelineBox, s.claims, s.rawBox, s.payload)))
	headerTab := border(container.NewHBox(s.copyHdr), nil, nil, nil, container.NewVScroll(s.header))
	form := widget.NewForm(
		widget.NewFormItem("Key", s.keySource),
		widget.NewFormItem("", s.keyBox),
		widget.NewFormItem("Issuer", s.issuer),
		widget.NewFormItem("Audience", s.audience),
		widget.NewFormItem("Client ID", s.clientID),
		widget.NewFormItem("Nonce", s.nonce),
		widget.NewFormItem("Access token", s.accessToken),
		widget.NewFormItem("Leeway", s.leeway),
	)
	verifyTab := container.NewVScroll(container.NewVBox(form, container.NewHBox(s.verifyBtn), s.verdict, s.checks))
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Claims", theme.ListIcon(), claimsTab),
		container.NewTabItemWithIcon("Header", theme.DocumentIcon(), headerTab),
		container.NewTabItemWithIcon("Verify", theme.ConfirmIcon(), verifyTab),
	)
	split := container.NewHSplit(left, s.tabs)
	split.Offset = 0.42
	return split
}

func (s *inspectScreen) clipboard() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }

// focus puts the cursor in the token field (Ctrl+L).
func (s *inspectScreen) focus() { s.win.Canvas().Focus(s.input) }

func (s *inspectScreen) onPaste() {
	text := s.clipboard().Content()
	if strings.TrimSpace(text) == "" {
		s.setStatus("The clipboard is empty: copy a token first.", widget.WarningImportance)
		return
	}
	s.SetToken(text)
}

// SetToken replaces the input, as a paste or a drop does, and decodes it.
func (s *inspectScreen) SetToken(text string) {
	if len(text) > largeInput {
		s.onLargePaste(text)
		return
	}
	s.large = ""
	s.input.Enable()
	s.input.SetText(text) // fires onInputChanged
}

// expectIssuer sets the issuer the user trusts, when a token comes from
// one of their profiles (Exchange's Inspect), and verifies with its keys:
// the profile's issuer is the one they configured. An issuer they typed
// themselves is kept.
func (s *inspectScreen) expectIssuer(iss string) {
	if t := strings.TrimSpace(s.issuer.Text); t != "" && t != s.issuerFromProfile {
		return
	}
	s.issuerFromProfile = iss
	s.issuer.SetText(iss)
	s.keySource.SetSelected(keyIssuer)
}

func (s *inspectScreen) onOpen() { showOpenFile(s.win, s.loadFile) }

// loadFile reads a token from a file (Open… or a drop) off the UI goroutine.
func (s *inspectScreen) loadFile(r io.ReadCloser) {
	s.startBusy("Reading the file…")
	readInBackground(&s.busy, s.do, r, tokens.MaxTokenSize, func(b []byte, err error) {
		s.stopBusy()
		switch {
		case err != nil:
			s.setStatus("Could not read the file: "+err.Error(), widget.DangerImportance)
		case len(b) > tokens.MaxTokenSize:
			s.setStatus(fmt.Sprintf("The file is larger than %d MB, so it is not a token: open the file that holds just the token.", tokens.MaxTokenSize>>20), widget.DangerImportance)
		default:
			s.SetToken(string(b))
		}
	})
}

func (s *inspectScreen) onClear() {
	s.large = ""
	s.input.Enable()
	s.input.SetText("")
	s.focus()
}

func (s *inspectScreen) onLargePaste(text string) {
	s.large = text
	holdLargeText(&s.input.Entry, len(text), "pasted")
	s.decodeNow(text)
}

func (s *inspectScreen) onInputChanged(text string) {
	if s.large != "" {
		return
	}
	if strings.TrimSpace(text) == "" {
		s.decodes.cancel()
		s.show(nil, nil)
		s.setStatus("Paste a token to decode it. Decoding never uses the network.", widget.MediumImportance)
		return
	}
	s.decodes.after(decodeDelay, s.do, func() func() { return s.decode(text) })
}

// decodeNow decodes at once (a paste, a file), still off the UI goroutine.
func (s *inspectScreen) decodeNow(text string) {
	s.startBusy(fmt.Sprintf("Decoding %s…", humanBytes(len(text))))
	s.decodes.after(0, s.do, func() func() { return s.decode(text) })
}

// decode runs off the UI goroutine and returns what shows the result.
func (s *inspectScreen) decode(text string) func() {
	tok, err := tokens.Decode(text, s.svc.Now())
	return func() {
		s.stopBusy()
		if err != nil {
			s.show(nil, nil)
			s.setStatus("Cannot decode: "+err.Error()+".", widget.DangerImportance)
			return
		}
		s.show(tok, tok)
	}
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
		msg += ", decrypted: showing the " + kindPhrases[shown.Kind] + " inside"
	}
	return msg + "."
}

// remoteKeyFor names what remote keys were fetched for: the source, and
// the JWKS URL or the issuer typed (which decides whose keys, and whether
// they are trusted).
func (s *inspectScreen) remoteKeyFor() string {
	switch src := s.keySource.Selected; src {
	case keyJWKSURL:
		return src + "|" + strings.TrimSpace(s.jwksURL.Text)
	case keyIssuer:
		return src + "|" + strings.TrimSpace(s.issuer.Text)
	}
	return ""
}

func (s *inspectScreen) startBusy(msg string) {
	s.progress.Show()
	s.progress.Start()
	s.setStatus(msg, widget.MediumImportance)
}

func (s *inspectScreen) stopBusy() {
	s.progress.Stop()
	s.progress.Hide()
}

func (s *inspectScreen) setStatus(msg string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(safetext.Block(msg)) // it may quote a server, a file or a token
}

var kindPhrases = map[tokens.Kind]string{
	tokens.KindJWS:    "a signed JWT (JWS)",
	tokens.KindJWE:    "an encrypted JWT (JWE)",
	tokens.KindOpaque: "an opaque token",
}

// show displays shown (what the tables describe) and outer (as pasted).
func (s *inspectScreen) show(outer, shown *tokens.Token) {
	s.outer, s.token = outer, shown
	if s.cancelNet != nil {
		s.cancelNet()
		s.cancelNet = nil
	}
	s.drawSegments(outer)
	s.drawFindings(outer, shown)
	s.drawHeader(shown)
	s.drawClaims(shown)
	if outer != nil && outer.Kind == tokens.KindJWE && shown == outer {
		s.decryptCard.Show()
		alg, _ := outer.HeaderString("alg")
		s.decryptMsg.Importance = widget.MediumImportance
		s.decryptMsg.SetText("This token " + strings.TrimSuffix(tokens.DecryptionKeyHint(alg), "."))
	} else {
		s.decryptCard.Hide()
	}
	// The timeline, the raw JSON and its tick box are drawClaims's: they
	// are the ones view() placed, so they are redrawn, never replaced.
	s.copyHdr.Disable()
	s.copyClm.Disable()
	if shown != nil {
		if shown.HeaderJSON != nil {
			s.copyHdr.Enable()
		}
		if shown.PayloadJSON != "" {
			s.copyClm.Enable()
		}
		s.setStatus(s.decodedStatus(), widget.SuccessImportance)
	}
	s.remote, s.remoteFor = workspace.KeySource{}, "" // keys fetched for another token
	s.clearChecks()
	s.verifyLocal()
}

func (s *inspectScreen) drawSegments(t *tokens.Token) {
	if t == nil {
		s.segments.Segments = nil
		s.segments.Refresh()
		return
	}
	colors := []fyne.ThemeColorName{colorSegHeader, colorSegPayload, colorSegSignature}
	if t.Kind == tokens.KindJWE {
		colors = []fyne.ThemeColorName{colorSegHeader, colorSegKey, colorSegIV, colorSegPayload, colorSegSignature}
	}
	if t.Kind == tokens.KindOpaque {
		colors = []fyne.ThemeColorName{theme.ColorNameForeground}
	}
	var segs []widget.RichTextSegment
	for i, part := range t.Segments {
		if i > 0 {
			segs = append(segs, &widget.TextSegment{Text: ".", Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Monospace: true}}})
		}
		c := colors[min(i, len(colors)-1)]
		segs = append(segs, &widget.TextSegment{Text: truncate(part, 600), Style: widget.RichTextStyle{Inline: true, ColorName: c, TextStyle: fyne.TextStyle{Monospace: true}}})
	}
	s.segments.Segments = segs
	s.segments.Refresh()
}

var severityOrder = map[finding.Severity]int{finding.SeverityError: 0, finding.SeverityWarning: 1, finding.SeverityInfo: 2}

func (s *inspectScreen) drawFindings(outer, shown *tokens.Token) {
	s.findings.RemoveAll()
	if outer == nil {
		return
	}
	fs := append([]tokens.Finding(nil), outer.Findings...)
	if shown != nil && shown != outer {
		fs = append(fs, shown.Findings...)
	}
	sort.SliceStable(fs, func(i, j int) bool { return severityOrder[fs[i].Severity] < severityOrder[fs[j].Severity] })
	if len(fs) == 0 {
		s.findings.Add(widget.NewLabel("Nothing unusual."))
	}
	for _, f := range fs {
		s.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(safetext.Block(f.Message))))
	}
}
