// The Clients screen's list of profiles, with New above it, and the bar of
// actions on the profile shown.

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
)

// clientsList is the saved profiles and which one is shown (-1: a new
// one); choosing one calls onSelect.
type clientsList struct {
	profiles []profiles.Profile
	selected int
	rows     *widget.List
	newBtn   *widget.Button
	obj      fyne.CanvasObject
}

func newClientsList(onSelect func(i int, p profiles.Profile), onNew func()) *clientsList {
	p := &clientsList{selected: -1}
	p.rows = widget.NewList(
		func() int { return len(p.profiles) },
		func() fyne.CanvasObject { return widget.NewLabel("profile name") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(safetext.Line(p.profiles[i].Name))
		})
	p.rows.OnSelected = func(i widget.ListItemID) {
		if i < 0 || i >= len(p.profiles) {
			return
		}
		p.selected = i
		onSelect(i, p.profiles[i])
	}
	p.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), onNew)
	p.obj = border(container.NewHBox(p.newBtn), nil, nil, nil, p.rows)
	return p
}

func (p *clientsList) view() fyne.CanvasObject { return p.obj }

// set shows ps, nothing chosen in the list.
func (p *clientsList) set(ps []profiles.Profile) {
	p.profiles = ps
	p.rows.UnselectAll()
	p.rows.Refresh()
}

// choose selects the profile named name, and reports whether there is one.
func (p *clientsList) choose(name string) bool {
	for i, pr := range p.profiles {
		if pr.Name == name {
			p.rows.Select(i)
			return true
		}
	}
	return false
}

// forNew: the profile shown is a new one.
func (p *clientsList) forNew() {
	p.selected = -1
	p.rows.UnselectAll()
}

// current is the saved profile shown, if any.
func (p *clientsList) current() (profiles.Profile, bool) {
	if p.selected >= 0 && p.selected < len(p.profiles) {
		return p.profiles[p.selected], true
	}
	return profiles.Profile{}, false
}

// index is the place of the profile shown (-1: a new one).
func (p *clientsList) index() int { return p.selected }

// count is how many profiles there are.
func (p *clientsList) count() int { return len(p.profiles) }

// setEndpoints keeps the endpoints discovered for profile i.
func (p *clientsList) setEndpoints(i int, e *profiles.Endpoints) { p.profiles[i].Endpoints = e }

// clientsActions are the buttons acting on the profile shown: Save,
// Discover (the endpoints card's), Sign in…, Duplicate and Delete.
type clientsActions struct {
	saveBtn   *widget.Button
	signInBtn *widget.Button
	dupBtn    *widget.Button
	deleteBtn *widget.Button
	obj       *fyne.Container
}

func newClientsActions(discover fyne.CanvasObject, onSave, onSignIn, onDuplicate, onDelete func()) *clientsActions {
	p := &clientsActions{}
	p.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), onSave)
	p.saveBtn.Importance = widget.HighImportance
	p.dupBtn = widget.NewButtonWithIcon("Duplicate", theme.ContentCopyIcon(), onDuplicate)
	p.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), onDelete)
	p.signInBtn = widget.NewButtonWithIcon("Sign in…", theme.LoginIcon(), onSignIn)
	p.dupBtn.Disable()
	p.deleteBtn.Disable()
	p.signInBtn.Disable()
	p.obj = container.NewHBox(p.saveBtn, discover, p.signInBtn, p.dupBtn, p.deleteBtn)
	return p
}

func (p *clientsActions) view() fyne.CanvasObject { return p.obj }

// forNew: a new profile can be saved, not duplicated, deleted or signed in with.
func (p *clientsActions) forNew() {
	p.deleteBtn.Disable()
	p.dupBtn.Disable()
	p.signInBtn.Disable()
	p.saveBtn.Enable()
	p.signInBtn.Show()
}

// forProfile: a saved profile can be duplicated and deleted, and signed in
// with where a user can sign in through the browser.
func (p *clientsActions) forProfile(signsIn bool) {
	p.deleteBtn.Enable()
	p.dupBtn.Enable()
	if signsIn {
		p.signInBtn.Show()
		p.signInBtn.Enable()
	} else {
		p.signInBtn.Hide()
	}
}

// forCopy: a copy is a new profile, not yet saved.
func (p *clientsActions) forCopy() {
	p.deleteBtn.Disable()
	p.dupBtn.Disable()
}

// saving turns Save off while the secrets load or a save runs.
func (p *clientsActions) saving(busy bool) {
	if busy {
		p.saveBtn.Disable()
	} else {
		p.saveBtn.Enable()
	}
}
