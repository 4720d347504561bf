package ui

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/skip2/go-qrcode"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// signInFlow runs a sign-in off the UI goroutine for a screen: a dialog
// with progress, Cancel and the link while the browser is out, or the
// device code with its QR code; done gets the result on the UI goroutine.
type signInFlow struct {
	svc  *Services
	win  fyne.Window
	do   uiDo
	busy *sync.WaitGroup

	running bool
	cancel  context.CancelFunc
	// The open dialog and what it shows.
	dlg      dialog.Dialog
	message  *widget.Label
	link     *widget.Label  // the sign-in link, when no browser opened
	copyLink *widget.Button // Copy link
	authURL  string
}

func (f *signInFlow) opener() func(string) error {
	if f.svc.Open != nil {
		return f.svc.Open
	}
	return openInBrowser
}

// openerCommand is the program the platform opens URLs with.
func openerCommand() string {
	switch runtime.GOOS {
	case "darwin":
		return "open"
	case "windows":
		return "rundll32"
	}
	return "xdg-open"
}

// openInBrowser is workspace.OpenBrowser, after checking there is an
// opener at all: the dialog must not say a browser opens when none can.
func openInBrowser(u string) error {
	if _, err := exec.LookPath(openerCommand()); err != nil {
		return fmt.Errorf("no browser opener here (%s is not installed)", openerCommand())
	}
	return workspace.OpenBrowser(u)
}

// start signs in with profile name, through the browser or (device) with
// a code to approve elsewhere.
func (f *signInFlow) start(name string, device bool, done func(workspace.LoginResult)) {
	if f.running {
		return
	}
	f.running = true
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	f.message = wrapLabel("Signing in with " + name + "…")
	cancelBtn := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel)
	var body fyne.CanvasObject
	if device {
		f.message.SetText("Asking " + name + "'s issuer for a device code…")
		body = container.NewVBox(f.message, cancelBtn)
	} else {
		f.message.SetText("Opening the sign-in page of " + name + " in your browser…")
		f.copyLink = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() {
			if f.authURL != "" {
				fyne.CurrentApp().Clipboard().SetContent(f.authURL)
			}
		})
		f.link = monoLabel("")
		f.link.Wrapping = fyne.TextWrapBreak // a URL has no spaces to wrap at
		f.link.Hide()
		body = container.NewVBox(f.message, f.link, widget.NewProgressBarInfinite(), container.NewHBox(cancelBtn, f.copyLink))
	}
	f.dlg = dialog.NewCustomWithoutButtons("Sign in", body, f.win)
	f.dlg.Show()
	f.busy.Add(1)
	go func() {
		defer f.busy.Done()
		defer cancel()
		var res workspace.LoginResult
		if device {
			res = f.svc.LoginDevice(ctx, name, workspace.LoginOptions{}, func(c workspace.DeviceCode) {
				f.do(func() { f.showDeviceCode(c, cancelBtn) })
			})
		} else {
			open := f.opener()
			res = f.svc.Login(ctx, name, workspace.LoginOptions{
				Open: func(u string) error {
					err := open(u)
					f.do(func() { f.browserOpened(name, u, err) })
					return err
				},
				OnURL: func(u string) { f.do(func() { f.authURL = u }) },
			})
		}
		f.do(func() {
			f.running = false
			f.dlg.Hide()
			done(res)
		})
	}()
}

// stop cancels the sign-in in progress, if any (Escape).
func (f *signInFlow) stop() {
	if f.running && f.cancel != nil {
		f.cancel()
	}
}

// browserOpened says what happened to the browser: the page is open
// there, or there is no browser here and the link is to be opened by hand.
func (f *signInFlow) browserOpened(name, u string, err error) {
	if !f.running {
		return
	}
	if err == nil {
		f.message.SetText("Your browser shows the sign-in page of " + name + ". Finish signing in there; this window waits for the redirect. No browser window? Copy the link.")
		return
	}
	f.message.SetText("No browser could be opened here (" + safetext.Line(err.Error()) + "). Open this link in a browser on this machine to sign in; this window waits for the redirect:")
	f.link.SetText(u)
	f.link.Show()
	f.copyLink.Importance = widget.HighImportance
	f.copyLink.Refresh()
}

// showDeviceCode replaces the dialog's content with the code to enter,
// where to enter it, and a QR code of the complete URL.
func (f *signInFlow) showDeviceCode(c workspace.DeviceCode, cancelBtn *widget.Button) {
	code := widget.NewLabelWithStyle(c.UserCode, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	code.SizeName = theme.SizeNameHeadingText
	f.message.SetText(fmt.Sprintf("On another device, open this address and enter the code below (it expires at %s):", c.Expires.Local().Format("15:04")))
	// The address on a line of its own, never wrapped: a URL has no
	// spaces, so wrapping would break it mid-word ("activ|ate").
	where := widget.NewLabelWithStyle(c.VerificationURI, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	objs := []fyne.CanvasObject{f.message, where, code}
	target := c.VerificationURIComplete
	if target == "" {
		target = c.VerificationURI
	}
	if png, err := qrcode.Encode(target, qrcode.Medium, 256); err == nil {
		img := canvas.NewImageFromResource(fyne.NewStaticResource("device-code.png", png))
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(180, 180))
		objs = append(objs, img)
	}
	copyCode := widget.NewButtonWithIcon("Copy code", theme.ContentCopyIcon(), func() { fyne.CurrentApp().Clipboard().SetContent(c.UserCode) })
	objs = append(objs, wrapLabel("Waiting for the approval…"), container.NewHBox(cancelBtn, copyCode))
	f.dlg.Hide()
	f.dlg = dialog.NewCustomWithoutButtons("Sign in on another device", container.NewVBox(objs...), f.win)
	f.dlg.Show()
}

// needsOnlyCopy reports whether a new refresh token must be shown once in
// the "only copy" dialog: it was not stored, or it is in memory for a real
// profile (lost when Tokenscope closes). A demo profile's token in memory
// is what a demo needs: no alarm.
func needsOnlyCopy(resp *exchange.Response, memory, demo bool) bool {
	return resp.RefreshToken != "" && (!resp.Stored || (memory && !demo))
}

// loginResultText is the status line for a finished sign-in; memory says
// the refresh token went to memory (no OS keyring), for a demo profile or not.
func loginResultText(name string, res workspace.LoginResult, memory, demo bool) (string, widget.Importance) {
	switch {
	case res.Err != nil:
		return "Sign-in failed: " + safetext.Line(res.Err.Error()) + ".", widget.DangerImportance
	case res.Response != nil && res.Response.RefreshToken != "" && !res.Response.Stored:
		return "Signed in, but the refresh token could not be stored: copy it from the dialog now.", widget.DangerImportance
	case res.Response != nil && res.Response.RefreshToken == "":
		return "Signed in to " + name + ", but the provider sent no refresh token: ask for the offline_access scope and allow offline access on the API.", widget.WarningImportance
	}
	switch {
	case memory && demo:
		return "Signed in to " + name + ": the refresh token is kept in memory for this run, as the demo's secrets are.", widget.SuccessImportance
	case memory:
		return "Signed in to " + name + ": the refresh token is only in memory until Tokenscope closes (no OS keyring here): copy it from the dialog to keep it.", widget.WarningImportance
	}
	return "Signed in to " + name + ": the refresh token is stored in the OS keyring.", widget.SuccessImportance
}

// showOnlyCopy shows a new refresh token that is not safely stored in a
// dialog that only an explicit "I have saved it" closes: Escape and a
// click outside do nothing. It returns the dialog and its two buttons.
func showOnlyCopy(win fyne.Window, do uiDo, cb fyne.Clipboard, profile string, resp *exchange.Response) (dialog.Dialog, *widget.Button, *widget.Button) {
	why := "this run used a typed refresh token, so it was not stored in the profile"
	switch {
	case resp.StoreErr != nil:
		why = "it could not be stored in the OS keyring: " + safetext.Line(resp.StoreErr.Error())
	case resp.Stored:
		why = "there is no OS keyring here, so it is only in memory until Tokenscope closes"
	}
	msg := wrapLabel("There is a new refresh token for " + safetext.Line(profile) + " (any older one no longer works), and " + why + ". Copy it and keep it safe.")
	msg.Importance = widget.DangerImportance
	tok := resp.RefreshToken
	var d dialog.Dialog
	copyBtn := widget.NewButtonWithIcon("Copy refresh token", theme.ContentCopyIcon(), func() { copySecret(do, cb, tok) })
	doneBtn := widget.NewButton("I have saved it", func() { d.Hide() })
	body := container.NewVBox(msg, monoLabel(truncate(tok, 300)), container.NewHBox(copyBtn, doneBtn))
	d = dialog.NewCustomWithoutButtons("Save the new refresh token", body, win)
	d.Show()
	return d, copyBtn, doneBtn
}
