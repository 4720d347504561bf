package ui

import (
	"io"
	"time"

	"github.com/tokenscope/tokenscope/internal/bytecount"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copyButton copies what get returns and says so in the button briefly.
func copyButton(label string, do uiDo, clip func() fyne.Clipboard, get func() string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() {
		clip().SetContent(get())
		b.SetIcon(theme.ConfirmIcon())
		time.AfterFunc(1200*time.Millisecond, func() {
			do(func() { b.SetIcon(theme.ContentCopyIcon()) })
		})
	})
	return b
}

func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func monoLabel(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// truncate keeps the display of huge values cheap; copy buttons copy all.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "… (" + humanBytes(len(s)-n) + " more)"
}

func humanBytes(n int) string { return bytecount.Size(int64(n)) }

// secretClipboardTTL is how long a copied secret stays on the clipboard.
const secretClipboardTTL = 30 * time.Second

// copySecret puts a secret on the clipboard and clears it again after
// secretClipboardTTL, unless something else was copied meanwhile.
func copySecret(do uiDo, clip fyne.Clipboard, secret string) {
	clip.SetContent(secret)
	time.AfterFunc(secretClipboardTTL, func() {
		do(func() {
			if clip.Content() == secret {
				clip.SetContent("")
			}
		})
	})
}

// severityIcon is the icon for a finding's severity.
func severityIcon(sev string) fyne.Resource {
	switch sev {
	case "error":
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case "warning":
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.InfoIcon()
}

// showOpenFile asks for a file and hands it to load; a dialog error is
// shown, a cancel does nothing.
func showOpenFile(win fyne.Window, load func(io.ReadCloser)) {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		if r != nil {
			load(r)
		}
	}, win)
}

// border is container.NewBorder with its children in reading order (top,
// left, centre, right, bottom): Fyne's puts the centre first, and Tab walks
// the children in order, so a toolbar above a text area came after it.
func border(top, bottom, left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	var all []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left} {
		if o != nil {
			all = append(all, o)
		}
	}
	all = append(all, center...)
	for _, o := range []fyne.CanvasObject{right, bottom} {
		if o != nil {
			all = append(all, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), all...)
}
