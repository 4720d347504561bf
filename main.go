// Command tokenscope is a desktop app and a command-line tool for OAuth 2.0
// and OpenID Connect tokens. With no arguments it opens the window; with a
// subcommand it runs headless (see `tokenscope help`).
package main

import (
	_ "embed"
	"os"

	_ "github.com/tokenscope/tokenscope/internal/cloc" // before Fyne reads the locale

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/tokenscope/tokenscope/app"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	app.SetMetadataTOML(fyneAppTOML)
	if args := os.Args[1:]; app.HasSubcommand(args) {
		os.Exit(app.RunCommand(app.OSEnv(), args))
	}
	fyneapp.SetMetadata(app.FyneMetadata())
	a := fyneapp.NewWithID(app.LoadMetadata().ID)
	a.SetIcon(app.FyneMetadata().Icon)
	app.OpenWindow(a).ShowAndRun()
}
