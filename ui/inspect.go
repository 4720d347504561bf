package ui

import (
	"context"
	"encoding/json"
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

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/httpx"
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

	svc Services
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
	busy      sync.WaitGroup // background work in flight; tests wait on it
}

func newInspectScreen(svc Services, win fyne.Window, do uiDo) *inspectScreen {
	s := &inspectScreen{svc: svc, win: win, do: do, claimRows: map[string]*claimRow{}, checkRows: map[string]*checkRow{}}
	s.decodes.busy = &s.busy
	s.buildUI()
	s.drawHeader(nil) // the empty panes say what to do
	s.drawClaims(nil)
	return s
}

func (s *inspectScreen) buildUI() {
	s.input = newTokenEntry(s.onLargePaste)
	s.input.SetPlaceHolder("Paste a token: a JWT, a JWE or an opaque token. A Bearer prefix, quotes and line breaks are fine. You can also drop a file here.")
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
	s.status.SetText(msg)
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
	s.copyHdr.Disable()
	s.copyClm.Disable()
	s.timelineBox = container.NewStack()
	s.rawBox = container.NewStack()
	s.rawBox.Hide()
	s.rawJSON = widget.NewCheck("Raw JSON", s.onRawJSON)
	s.rawJSON.Disable()
	if shown != nil {
		if shown.HeaderJSON != nil {
			s.copyHdr.Enable()
		}
		if shown.PayloadJSON != nil {
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

var severityOrder = map[tokens.Severity]int{tokens.SeverityError: 0, tokens.SeverityWarning: 1, tokens.SeverityInfo: 2}

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
		s.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(f.Message)))
	}
}

func (s *inspectScreen) drawHeader(t *tokens.Token) {
	s.header.RemoveAll()
	if t == nil {
		s.header.Add(wrapLabel("The token's header (alg, kid, typ, …) appears here, each parameter explained."))
		return
	}
	for _, f := range t.Header {
		s.header.Add(fieldRow(f.Name, truncate(fieldValue(f), maxValueShown), tokens.ExplainHeader(f.Name), nil))
	}
}

// fieldValue is how a header parameter or a claim is shown, alike: a
// string as itself, anything else as compact JSON.
func fieldValue(f tokens.Field) string {
	if str, ok := f.Value.(string); ok {
		return str
	}
	return string(compact(f.Raw))
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
	if on && s.token != nil && s.token.PayloadJSON != nil {
		s.rawBox.Add(jsonRichText(s.token.PayloadJSON))
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
	if t != nil && t.PayloadJSON != nil {
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
	if t.Kind == tokens.KindJWE && t.PayloadJSON == nil && t.PayloadText == "" {
		s.claims.Add(wrapLabel("The claims are encrypted. Give the decryption key under “Encrypted token” to see them."))
		return
	}
	if t.PayloadText != "" {
		s.payload.SetText(truncate(t.PayloadText, 20000))
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
		r := &claimRow{claim: f.Name, name: boldLabel(f.Name), value: monoLabel(truncate(value, maxValueShown))}
		r.explain = wrapLabel(tokens.ExplainClaim(f.Name))
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
	return indent(s.token.PayloadJSON)
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

func (s *inspectScreen) onKeySourceChanged(src string) {
	var obj fyne.CanvasObject
	switch src {
	case keyPasted:
		obj = s.keyInput
	case keyHMAC:
		obj = s.secret
	case keyJWKSURL:
		obj = s.jwksURL
	case keyIssuer:
		obj = wrapLabel("Press Verify to fetch the issuer's /.well-known/openid-configuration and its JWKS. Type the issuer you trust below: keys found only through the token's own iss can never make it valid.")
	}
	s.keyBox.Objects = []fyne.CanvasObject{obj}
	s.keyBox.Refresh()
	s.clearChecks()
	s.verifyLocal()
}

func parseLeeway(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, nil
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && secs >= 0 && fmt.Sprint(secs) == v {
		return time.Duration(secs) * time.Second, nil
	}
	return 0, fmt.Errorf("a duration such as 60s or 2m")
}

func (s *inspectScreen) options() (tokens.Options, error) {
	leeway, err := parseLeeway(s.leeway.Text)
	if err != nil {
		return tokens.Options{}, fmt.Errorf("leeway: %v", err)
	}
	return tokens.Options{
		Now: s.svc.Now(), Leeway: leeway,
		Issuer: strings.TrimSpace(s.issuer.Text), Audience: strings.TrimSpace(s.audience.Text),
		ClientID: strings.TrimSpace(s.clientID.Text), Nonce: strings.TrimSpace(s.nonce.Text),
		AccessToken: strings.TrimSpace(s.accessToken.Text),
	}, nil
}

// verifyLocal re-runs the checks when the key is local (pasted or HMAC):
// no network, so it can follow every keystroke.
func (s *inspectScreen) verifyLocal() {
	if s.token == nil || s.token.Kind != tokens.KindJWS {
		return
	}
	var keys tokens.KeyProvider
	switch s.keySource.Selected {
	case keyPasted:
		if strings.TrimSpace(s.keyInput.Text) == "" {
			s.verdict.SetText("Paste the issuer's public key (JWK, JWKS or PEM) to verify the signature.")
			s.runChecks(nil)
			return
		}
		parsed, err := tokens.ParseKeys([]byte(s.keyInput.Text))
		if err != nil {
			s.verdict.Importance = widget.DangerImportance
			s.verdict.SetText("Key: " + err.Error() + ".")
			s.runChecks(nil)
			return
		}
		keys = tokens.StaticKeys(parsed)
	case keyHMAC:
		if s.secret.Text == "" {
			s.verdict.SetText("Type the HMAC secret to verify the signature.")
			s.runChecks(nil)
			return
		}
		keys = tokens.StaticKeys{tokens.HMACKey([]byte(s.secret.Text))}
	default:
		// Remote keys are fetched only when Verify is pressed; keys already
		// fetched for this source keep verifying while only the expected
		// values change.
		if s.remote.Keys != nil && s.remoteFor == s.remoteKeyFor() {
			s.runChecksWith(s.remote)
			return
		}
		s.runChecks(nil)
		if s.remote.Keys != nil {
			s.verdict.SetText("The key source changed: press Verify to fetch its keys.")
		}
		return
	}
	s.runChecks(keys)
}

// runChecksWith runs the checks with fetched keys, trusted or not.
func (s *inspectScreen) runChecksWith(ks workspace.KeySource) {
	o, err := s.options()
	if err != nil {
		s.verdict.Importance = widget.DangerImportance
		s.verdict.SetText(err.Error())
		return
	}
	o.Keys, o.UntrustedKeys = ks.Keys, ks.Untrusted
	s.showReport(tokens.Verify(context.Background(), s.token, o))
}

func (s *inspectScreen) runChecks(keys tokens.KeyProvider) {
	o, err := s.options()
	if err != nil {
		s.verdict.Importance = widget.DangerImportance
		s.verdict.SetText(err.Error())
		return
	}
	o.Keys = keys
	s.showReport(tokens.Verify(context.Background(), s.token, o))
}

// onVerify runs the checks, fetching remote keys off the UI goroutine.
func (s *inspectScreen) onVerify() {
	if s.token == nil || s.token.Kind != tokens.KindJWS {
		s.verdict.Importance = widget.WarningImportance
		s.verdict.SetText("Only a signed JWT can be verified: paste one first (decrypt a JWE to verify the JWT inside).")
		return
	}
	src := s.keySource.Selected
	if src == keyPasted || src == keyHMAC {
		s.verifyLocal()
		return
	}
	o, err := s.options()
	if err != nil {
		s.verdict.SetText(err.Error())
		return
	}
	if s.cancelNet != nil {
		s.cancelNet()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	s.cancelNet = cancel
	tok := s.token
	jwksURL := strings.TrimSpace(s.jwksURL.Text)
	fetchedFor := s.remoteKeyFor()
	s.verifyBtn.Disable()
	s.startBusy("Fetching keys…")
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		var ks workspace.KeySource
		var err error
		switch {
		case src == keyJWKSURL && jwksURL == "":
			err = fmt.Errorf("type the JWKS URL first")
		case src == keyJWKSURL:
			if _, err = httpx.CheckIssuerURL(jwksURL); err == nil {
				ks.Keys = discovery.NewKeySet(s.svc.HTTP, jwksURL)
			}
		case o.Issuer != "":
			// The issuer the user typed: its keys are trusted.
			ks, err = s.svc.IssuerKeys(ctx, o.Issuer)
		default:
			// Only the token's own iss: checked, never trusted.
			ks, err = s.svc.SelfNamedKeys(ctx, tok)
		}
		var report tokens.Report
		if err == nil {
			o.Keys, o.UntrustedKeys = ks.Keys, ks.Untrusted
			report = tokens.Verify(ctx, tok, o)
		}
		s.do(func() {
			s.verifyBtn.Enable()
			s.stopBusy()
			if tok != s.token {
				return
			}
			s.setStatus(s.decodedStatus(), widget.SuccessImportance)
			if err != nil {
				s.verdict.Importance = widget.DangerImportance
				s.verdict.SetText("Could not get the keys: " + err.Error())
				return
			}
			s.remote, s.remoteFor = ks, fetchedFor
			s.showReport(report)
		})
	}()
}

func (s *inspectScreen) clearChecks() {
	s.checks.RemoveAll()
	s.checkRows = map[string]*checkRow{}
	s.verdict.Importance = widget.MediumImportance
	switch {
	case s.token == nil:
		s.verdict.SetText("Paste a signed JWT to verify it.")
	case s.token.Kind == tokens.KindOpaque:
		s.verdict.SetText("An opaque token carries no signature here: only the server that issued it can check it (for an Auth0 access token, /userinfo).")
	case s.token.Kind == tokens.KindJWE:
		s.verdict.SetText("An encrypted token: decrypt it first, then the JWT inside can be verified.")
	default:
		s.verdict.SetText("Choose a key to verify the signature.")
	}
}

func (s *inspectScreen) showReport(r tokens.Report) {
	s.checks.RemoveAll()
	s.checkRows = map[string]*checkRow{}
	for _, c := range r.Checks {
		row := &checkRow{check: c, name: boldLabel(c.Name), detail: wrapLabel(c.Detail)}
		switch c.Status {
		case tokens.Pass:
			row.icon = widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		case tokens.Fail:
			row.icon = widget.NewIcon(theme.NewErrorThemedResource(theme.CancelIcon()))
		default:
			row.icon = widget.NewIcon(theme.NewDisabledResource(theme.MediaStopIcon()))
		}
		s.checkRows[c.Name] = row
		s.checks.Add(border(nil, nil, container.NewHBox(row.icon, row.name), nil, row.detail))
	}
	sig, _ := r.Check("signature")
	switch {
	case r.Valid:
		s.verdict.Importance = widget.SuccessImportance
		s.verdict.SetText("Valid: the signature is verified and no check failed.")
	case sig.Status == tokens.Skip:
		s.verdict.Importance = widget.WarningImportance
		s.verdict.SetText("Claims checked, signature not verified: give a key.")
	default:
		s.verdict.Importance = widget.DangerImportance
		s.verdict.SetText("Not valid: see the failed checks.")
	}
}

// --- JWE ---

func (s *inspectScreen) onDecrypt() {
	if s.outer == nil || s.outer.Kind != tokens.KindJWE {
		return
	}
	keys, err := tokens.ParseKeys([]byte(s.decryptKey.Text))
	if err != nil {
		s.decryptMsg.Importance = widget.DangerImportance
		s.decryptMsg.SetText("Key: " + err.Error() + ".")
		return
	}
	inner, err := tokens.Decrypt(s.outer, keys, s.svc.Now())
	if err != nil {
		s.decryptMsg.Importance = widget.DangerImportance
		s.decryptMsg.SetText(err.Error() + ".")
		return
	}
	s.show(s.outer, inner)
}
