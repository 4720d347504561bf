//go:build headless

// The command-line build: every subcommand, no window and no Fyne, so it
// builds with CGO_ENABLED=0 into a static binary that runs in CI
// containers and on servers (make headless).
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/tokenscope/tokenscope/app"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	// With no session bus, nothing may start one (it would outlive us).
	secrets.PreventBusAutolaunch()
	app.SetMetadataTOML(fyneAppTOML)
	args := os.Args[1:]
	if len(args) == 0 {
		fmt.Println("This is Tokenscope's command-line build: it has every subcommand and no window (the desktop build opens one).")
		fmt.Println()
		args = []string{"help"}
	}
	os.Exit(app.RunCommand(app.OSEnv(), args))
}
