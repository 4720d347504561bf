package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colours for the parts of a token, as jwt.io and most inspectors draw them.
const (
	colorSegHeader    fyne.ThemeColorName = "tokenscope.header"
	colorSegPayload   fyne.ThemeColorName = "tokenscope.payload"
	colorSegSignature fyne.ThemeColorName = "tokenscope.signature"
	colorSegKey       fyne.ThemeColorName = "tokenscope.jweKey"
	colorSegIV        fyne.ThemeColorName = "tokenscope.jweIV"
)

// tsTheme is the default theme (which follows the system's light or dark
// setting) plus the token colours, tuned for contrast in each variant.
type tsTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return tsTheme{theme.DefaultTheme()} }

var segmentColors = map[fyne.ThemeColorName][2]color.NRGBA{
	// {light, dark}
	colorSegHeader:    {{R: 0xd6, G: 0x1f, B: 0x45, A: 0xff}, {R: 0xfb, G: 0x71, B: 0x85, A: 0xff}},
	colorSegPayload:   {{R: 0x7e, G: 0x22, B: 0xce, A: 0xff}, {R: 0xc0, G: 0x84, B: 0xfc, A: 0xff}},
	colorSegSignature: {{R: 0x08, G: 0x7f, B: 0x9c, A: 0xff}, {R: 0x22, G: 0xd3, B: 0xee, A: 0xff}},
	colorSegKey:       {{R: 0xb4, G: 0x53, B: 0x09, A: 0xff}, {R: 0xfb, G: 0xbf, B: 0x24, A: 0xff}},
	colorSegIV:        {{R: 0x15, G: 0x80, B: 0x3d, A: 0xff}, {R: 0x4a, G: 0xde, B: 0x80, A: 0xff}},
}

// Success, warning and error text in the light variant: Fyne's defaults are
// bright and read at about 1.5:1 on white; these are over 4.5:1 (WCAG AA).
var lightText = map[fyne.ThemeColorName]color.NRGBA{
	theme.ColorNameSuccess: {R: 0x1b, G: 0x7a, B: 0x36, A: 0xff},
	theme.ColorNameWarning: {R: 0x9a, G: 0x5b, B: 0x00, A: 0xff},
	theme.ColorNameError:   {R: 0xb3, G: 0x26, B: 0x1e, A: 0xff},
}

func (t tsTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := lightText[name]; ok && v == theme.VariantLight {
		return c
	}
	if c, ok := segmentColors[name]; ok {
		if v == theme.VariantDark {
			return c[1]
		}
		return c[0]
	}
	return t.Theme.Color(name, v)
}
