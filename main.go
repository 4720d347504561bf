//go:build !headless

// Command tokenscope is a desktop app and a command-line tool for OAuth 2.0
// and OpenID Connect tokens. With no arguments it opens the window; with a
// subcommand it runs headless (see `tokenscope help`).
package main

import (
	_ "embed"
	"fmt"
	"os"

	_ "github.com/tokenscope/tokenscope/internal/fixlocale" // before Fyne reads the locale

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/tokenscope/tokenscope/app"
	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	// Before anything talks to D-Bus: with no session bus, nothing may
	// start one (it would outlive us).
	secrets.PreventBusAutolaunch()
	app.SetMetadataTOML(fyneAppTOML)
	if args := os.Args[1:]; app.HasSubcommand(args) {
		os.Exit(app.RunCommand(app.OSEnv(), args))
	}
	if msg := app.NoDisplay(); msg != "" {
		fmt.Fprintln(os.Stderr, "tokenscope:", msg)
		os.Exit(2)
	}
	// No X server answering, or no OpenGL: one sentence, not a stack trace.
	defer app.WatchGraphicsStart()()
	fyneapp.SetMetadata(app.FyneMetadata())
	a := fyneapp.NewWithID(app.LoadMetadata().ID)
	a.SetIcon(app.FyneMetadata().Icon)
	if os.Getenv("TOKENSCOPE_WINDOW_FLOOR") == "1" { // make bench-window's floor
		a.Lifecycle().SetOnStarted(app.Started)
		app.OpenFloorWindow(a).ShowAndRun()
		return
	}
	// The composition root: the demo tenant is built here and handed in.
	app.OpenWindow(a, demotenant.StartDemo).ShowAndRun()
}
