// The Migrate screen's list of calls: each legacy call a HAR export holds,
// marked migratable or not; hidden while there is only one.

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/migrate"
)

// migrateList holds the rewritten calls and which one is shown; choosing
// another calls onSelect.
type migrateList struct {
	results  []migrate.Result
	selected int
	requests *widget.List
	obj      *fyne.Container // the list's column, hidden for a single request
}

func newMigrateList(onSelect func()) *migrateList {
	p := &migrateList{}
	p.requests = widget.NewList(
		func() int { return len(p.results) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), widget.NewLabel("HAR entry 0000"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			r := p.results[i]
			var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
			if !r.Migratable {
				icon = theme.NewErrorThemedResource(theme.CancelIcon())
			}
			box.Objects[0].(*widget.Icon).SetResource(icon)
			box.Objects[1].(*widget.Label).SetText(r.Source.Location)
		})
	p.requests.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		onSelect()
	}
	p.obj = container.NewGridWrap(fyne.NewSize(170, 10), p.requests)
	p.obj.Hide()
	return p
}

func (p *migrateList) view() fyne.CanvasObject { return p.obj }

// reset goes back to the first call: the input is a new one.
func (p *migrateList) reset() { p.selected = 0 }

// set shows results, keeping the call chosen while there still is one.
func (p *migrateList) set(results []migrate.Result) {
	p.results = results
	if p.selected >= len(p.results) {
		p.selected = 0
	}
	if len(p.results) > 1 {
		p.obj.Show()
	} else {
		p.obj.Hide()
	}
	p.requests.Refresh()
}

// current is the call shown, or nil.
func (p *migrateList) current() *migrate.Result {
	if p.selected < len(p.results) {
		return &p.results[p.selected]
	}
	return nil
}

// index is the place of the call shown in the input.
func (p *migrateList) index() int { return p.selected }
