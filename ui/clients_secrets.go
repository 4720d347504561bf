// The Clients screen's secrets: the client secret and refresh token fields,
// read from the keyring off the UI goroutine, and the line saying where
// secrets are kept.

package ui

import (
	"context"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

const (
	secretHint  = "client secret (post and basic)"
	refreshHint = "a refresh token to start from"
)

// clientsSecrets holds the selected profile's secrets as read from the
// keyring: Save waits until they are in (ready), and a field left as
// loaded is kept.
type clientsSecrets struct {
	svc     *Services
	do      uiDo
	busy    *sync.WaitGroup
	secret  *widget.Entry
	refresh *widget.Entry
	storage *widget.Label

	loaded       bool
	loadedSecret string
	loadedRT     string
	loadErr      error
}

func newClientsSecrets(svc *Services, do uiDo, busy *sync.WaitGroup) *clientsSecrets {
	p := &clientsSecrets{svc: svc, do: do, busy: busy}
	p.secret = widget.NewPasswordEntry()
	p.secret.SetPlaceHolder(secretHint)
	p.refresh = widget.NewPasswordEntry()
	p.refresh.SetPlaceHolder(refreshHint)
	p.storage = wrapLabel("")
	return p
}

// items are the two fields, for the profile's form.
func (p *clientsSecrets) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("Client secret", p.secret),
		widget.NewFormItem("Refresh token", p.refresh),
	}
}

// storageLine is the line saying where secrets are kept.
func (p *clientsSecrets) storageLine() fyne.CanvasObject { return p.storage }

// showStorage says where secrets are kept, for a demo profile or not.
func (p *clientsSecrets) showStorage(demo bool) {
	msg, imp := keyringNote(p.svc.Unavailable(), demo)
	p.storage.Importance = imp
	p.storage.SetText(msg)
}

// forNew empties the fields: a new profile has no secrets yet.
func (p *clientsSecrets) forNew() {
	p.secret.SetText("")
	p.refresh.SetText("")
	p.loaded, p.loadedSecret, p.loadedRT, p.loadErr = true, "", "", nil
}

// ready reports whether the secrets are in, so Save knows what changed.
func (p *clientsSecrets) ready() bool { return p.loaded }

// load reads profile name's secrets off the UI goroutine (the keyring can
// wait on an unlock prompt) and shows them while current still says the
// profile is the one shown; done gets why they could not be read, or nil.
func (p *clientsSecrets) load(name string, current func() bool, done func(error)) {
	p.secret.SetText("")
	p.refresh.SetText("")
	p.loaded, p.loadedSecret, p.loadedRT, p.loadErr = false, "", "", nil
	p.secret.SetPlaceHolder("reading the keyring…")
	p.refresh.SetPlaceHolder("reading the keyring…")
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		l, err := p.svc.Load(context.Background(), name)
		if err == nil {
			err = l.SecretsErr
		}
		p.do(func() {
			if !current() {
				return
			}
			p.loaded, p.loadedSecret, p.loadedRT, p.loadErr = true, l.ClientSecret, l.RefreshToken, err
			p.secret.SetText(l.ClientSecret)
			p.refresh.SetText(l.RefreshToken)
			p.secret.SetPlaceHolder(secretHint)
			p.refresh.SetPlaceHolder(refreshHint)
			done(err)
		})
	}()
}

// changes are what Save does with each secret.
func (p *clientsSecrets) changes() (clientSecret, refreshToken workspace.SecretChange) {
	return p.change(p.secret.Text, p.loadedSecret), p.change(strings.TrimSpace(p.refresh.Text), p.loadedRT)
}

// change turns what a secret field shows into what Save does: left as
// loaded, it is kept; emptied by the user, it is deleted; anything else
// is stored. When the keyring could not be read, an empty field keeps it.
func (p *clientsSecrets) change(text, loaded string) workspace.SecretChange {
	switch {
	case text == loaded:
		return workspace.Keep()
	case text == "" && p.loadErr != nil:
		return workspace.Keep()
	case text == "":
		return workspace.Forget()
	}
	return workspace.Store(text)
}
