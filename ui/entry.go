package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// tokenEntry is the token field. A paste too large to lay out as text goes
// to onLarge instead, so a 5 MB paste never freezes the window.
type tokenEntry struct {
	widget.Entry
	onLarge func(string)
}

func newTokenEntry(onLarge func(string)) *tokenEntry {
	e := &tokenEntry{onLarge: onLarge}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapBreak
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(5)
	return e
}

// TypedShortcut intercepts paste.
func (e *tokenEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		if text := p.Clipboard.Content(); len(text) > largeInput {
			e.onLarge(text)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
