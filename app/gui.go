package app

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokenscope/tokenscope/assets"
	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/ui"
)

// NewServices builds what the screens share.
func NewServices() ui.Services {
	// The window falls back to memory when no keyring is reachable (and
	// says so); a stalled keyring times out instead of falling back.
	sec := &secrets.WithFallback{Primary: secrets.WithTimeout{Store: secrets.Keyring{}}}
	return ui.Services{
		Workspace: workspace.New(profilesPath(), sec),
		Now:       time.Now,
		Version:   Version(),
		Icon:      fyne.NewStaticResource("icon.png", assets.IconPNG),
	}
}

// FyneMetadata returns FyneApp.toml's details in Fyne's form, for
// app.SetMetadata (plain `go build` does not inject them as `fyne build` does).
func FyneMetadata() fyne.AppMetadata {
	m := LoadMetadata()
	return fyne.AppMetadata{
		ID: m.ID, Name: m.Name, Version: m.Version, Build: m.Build,
		Icon:       fyne.NewStaticResource("icon.png", assets.IconPNG),
		Release:    true,
		Migrations: map[string]bool{"fyneDo": true},
	}
}

// OpenWindow builds the main window on a Fyne app. With no profiles, or
// only demo ones, it starts the demo tenant first (see StartDemo).
func OpenWindow(a fyne.App) fyne.Window {
	svc := NewServices()
	// TOKENSCOPE_SCREEN opens on a named screen (the README's screenshots).
	svc.StartScreen = os.Getenv("TOKENSCOPE_SCREEN")
	// TOKENSCOPE_SCAN opens the Scan screen on a folder, already scanning.
	svc.StartScan = os.Getenv("TOKENSCOPE_SCAN")
	// The window shows first; the demo tenant starts behind it (seeding its
	// profiles writes to the keyring, which may wait on an unlock prompt).
	return ui.Create(a, svc, func() (*demotenant.Tenant, string, error) {
		srv, seed, err := svc.StartDemo()
		if err != nil {
			fmt.Fprintln(os.Stderr, "tokenscope: the demo tenant did not start:", err)
		}
		if srv == nil {
			return nil, "", err
		}
		return srv.Tenant, seed.DemoNote(), err
	})
}
