package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fontSample is measured only to load fonts: no screen shows it, so its
// cached size is never shared with the main goroutine's.
const fontSample = "Tokenscope loads its fonts"

// loadFonts loads the fonts of the text styles the first screen draws, on
// another goroutine while the main one starts the window, and returns a
// channel closed once they are loaded. Nothing may measure text before
// that: a font face caches glyph extents unguarded, so two goroutines must
// not shape text with one face at once.
//
// Fyne loads a style's font the first time it measures text in it: the
// bundled face, then the system's face for the locale's language, after
// indexing the system's fonts once. That is 5–25 ms a style, which would
// otherwise add to the time before the first frame (docs/benchmarks.md,
// "The window's start").
func loadFonts() <-chan struct{} {
	done := make(chan struct{})
	size := theme.TextSize()
	go func() {
		defer close(done)
		// No italic: the first screen has none.
		for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
			fyne.MeasureText(fontSample, size, style)
		}
	}()
	return done
}
