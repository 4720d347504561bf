package app

import (
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokenscope/tokenscope/assets"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/ui"
)

// NewServices builds what the screens share.
func NewServices() ui.Services {
	return ui.Services{
		HTTP:     httpx.NewClient(httpx.DefaultTimeout),
		Profiles: &profiles.Store{Path: profilesPath()},
		Secrets:  &secrets.WithFallback{Primary: secrets.Keyring{}},
		Exchange: exchange.NewClient(),
		History:  &exchange.History{Path: filepath.Join(filepath.Dir(profilesPath()), "history.json")},
		Now:      time.Now,
		Version:  Version(),
		Icon:     fyne.NewStaticResource("icon.png", assets.IconPNG),
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

// OpenWindow builds the main window on a Fyne app.
func OpenWindow(a fyne.App) fyne.Window {
	return ui.Create(a, NewServices())
}
