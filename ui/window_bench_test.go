package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// BenchmarkWindowFirstLayout is the window's work before its first frame
// on a first run, less what only a real display does (the OpenGL context,
// painting): making the window's parts and the Exchange screen, then the
// one layout at the size left below the menu bar. Each run is a new app, so no text is
// measured from a cache. Its floor is BenchmarkFloorOneLabelWindow.
func BenchmarkWindowFirstLayout(b *testing.B) {
	profiles := filepath.Join(b.TempDir(), "profiles.json")
	for b.Loop() {
		a := test.NewApp()
		w := a.NewWindow("Tokenscope")
		m := makeMainWindow(a, w, &Services{Workspace: workspace.New(profiles, &secrets.Memory{}), Now: time.Now}, (&testBridge{}).Do)
		m.place(menuBarHeight())
		w.Close()
		a.Quit()
	}
}

// BenchmarkFloorOneLabelWindow is the same work for a window holding one
// label, at the same size.
func BenchmarkFloorOneLabelWindow(b *testing.B) {
	for b.Loop() {
		a := test.NewApp()
		w := a.NewWindow("Tokenscope")
		w.Resize(fyne.NewSize(1180, 760))
		w.SetContent(widget.NewLabel("Tokenscope"))
		w.Close()
		a.Quit()
	}
}
