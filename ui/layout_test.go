package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// variantTheme shows tsTheme in one variant whatever the system says.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// populatedWindow is the main window on the demo tenant with every screen
// showing what a user sees after a short session: a refresh with its
// cards, a long ID token in the inspector, the Migrate sample sent.
func populatedWindow(t *testing.T, v fyne.ThemeVariant) (*mainWindow, func()) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(variantTheme{newTheme(), v})
	svc := demoServices(t)
	b := &testBridge{}
	m := newMainWindow(a, test.NewTempWindow(t, nil), svc, b.Do)
	settle := func() { settleWindow(m, b) }
	settle()
	m.win.Resize(fyne.NewSize(1280, 860))
	m.showScreen(screenExchange)
	chosenProfile(t, m.win).SetSelected("demo-web")
	settle()
	test.Tap(onscreen.Button(t, m.win, "Refresh"))
	settle()
	m.inspect.SetToken(cardToken(t, m.win, "ID token"))
	settle()
	m.showScreen(screenMigrate)
	test.Tap(onscreen.Button(t, m.win, "Sample"))
	settle()
	test.Tap(onscreen.Button(t, m.win, "Send"))
	settle()
	m.showScreen(screenClients)
	onscreen.List(t, m.win).Select(0)
	settle()
	return m, settle
}

// TestEveryScreenLaysOutAtEverySize renders each screen in light and dark
// at 900×600 and 1440×900 and fails where a label is squeezed into a
// column a few characters wide (text broken one character a line) or a
// primary button is out of the window.
func TestEveryScreenLaysOutAtEverySize(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every screen eight times")
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		m, settle := populatedWindow(t, v)
		for _, size := range []fyne.Size{{Width: 900, Height: 600}, {Width: 1440, Height: 900}} {
			m.win.Resize(size)
			for i, s := range m.screens {
				m.selectScreen(i)
				settle()
				name := fmt.Sprintf("%s/%s/%vx%v", s.title, map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v], size.Width, size.Height)
				if min := m.win.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
					t.Errorf("%s: the window cannot be smaller than %vx%v", name, min.Width, min.Height)
				}
				for _, problem := range layoutProblems(m.win, s.view) {
					t.Errorf("%s: %s", name, problem)
				}
			}
		}
	}
}

// layoutProblems walks what is laid out under root.
func layoutProblems(w fyne.Window, root fyne.CanvasObject) []string {
	var out []string
	drv := fyne.CurrentApp().Driver()
	win := w.Canvas().Size()
	minChars := fyne.MeasureText("MMMMMM", theme.TextSize(), fyne.TextStyle{}).Width
	onscreen.Frame(w)
	for _, shown := range onscreen.Under(root) { // what is shown: not under a hidden parent
		o := shown.Object
		switch x := o.(type) {
		case *widget.Label:
			text := strings.TrimSpace(x.Text)
			if len([]rune(text)) < 8 || x.Wrapping == fyne.TextWrapOff {
				continue
			}
			full := fyne.MeasureText(text, theme.TextSize(), x.TextStyle).Width
			if x.Size().Width < minChars && x.Size().Width < full {
				out = append(out, fmt.Sprintf("the label %.40q is %.0f px wide: its text wraps a few characters a line", text, x.Size().Width))
			}
			// Word wrap breaks a word only when it is wider than the
			// label: an e-mail address or a URL cut in two.
			if x.Wrapping == fyne.TextWrapWord && !x.TextStyle.Monospace {
				for _, word := range strings.Fields(text) {
					if w := fyne.MeasureText(word, theme.TextSize(), x.TextStyle).Width; w > x.Size().Width-2*theme.InnerPadding() && len(word) < 60 {
						out = append(out, fmt.Sprintf("the label %.40q breaks the word %q (%.0f px) in a %.0f px column", text, word, w, x.Size().Width))
					}
				}
			}
		case *widget.Button:
			if x.Importance != widget.HighImportance {
				continue
			}
			p := drv.AbsolutePositionForObject(x)
			if p.X < 0 || p.Y < 0 || p.X+x.Size().Width > win.Width+1 || p.Y+x.Size().Height > win.Height+1 {
				out = append(out, fmt.Sprintf("the primary button %q is at %v, outside the %vx%v window", x.Text, p, win.Width, win.Height))
			}
		}
	}
	return out
}
