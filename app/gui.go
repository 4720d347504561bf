package app

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokenscope/tokenscope/assets"
	"github.com/tokenscope/tokenscope/internal/demotenant"
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

// OpenWindow builds the main window on a Fyne app. With no profiles, or
// only demo ones, it starts the demo tenant first (see StartDemo).
func OpenWindow(a fyne.App) fyne.Window {
	svc := NewServices()
	if _, err := StartDemo(&svc); err != nil {
		fmt.Fprintln(os.Stderr, "tokenscope: the demo tenant did not start:", err)
	}
	return ui.Create(a, svc)
}

// StartDemo starts the embedded demo tenant when the user has no profiles
// or only demo ones (demotenant.FirstRun), and hands it to the screens.
func StartDemo(svc *ui.Services) (*demotenant.Server, error) {
	srv, err := demotenant.FirstRun(svc.Profiles, svc.Secrets)
	if srv != nil {
		svc.Demo = srv.Tenant
	}
	return srv, err
}
