// The Scan screen's results: the findings and manifest pins of a report,
// grouped by file, filtered by endpoint and severity, and Export.

package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/scan"
)

// scanRow is one line of the results: a file's heading, a finding or a
// manifest pin.
type scanRow struct {
	file     string
	count    int
	finding  *scan.Finding
	manifest *scan.Manifest
}

const allChoices = "All"

// scanList shows a report's rows; choosing one calls onSelect with it
// (nil when the choice is cleared), and Export calls onExport.
type scanList struct {
	endpoint    *widget.Select
	severity    *widget.Select
	rows        *widget.List
	exportJSON  *widget.Button
	exportSARIF *widget.Button
	filterBar   fyne.CanvasObject
	exportBar   fyne.CanvasObject
	onSelect    func(*scanRow)

	report *scan.Report
	shown  []scanRow
}

func newScanList(onSelect func(*scanRow), onExport func(format string)) *scanList {
	p := &scanList{onSelect: onSelect}
	p.endpoint = widget.NewSelect(append([]string{allChoices}, scan.Endpoints...), func(string) { p.filter() })
	p.severity = widget.NewSelect([]string{allChoices, "error", "warning", "info"}, func(string) { p.filter() })
	p.rows = widget.NewList(func() int { return len(p.shown) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.FileIcon()), widget.NewLabel("00000:000  /oauth/access_token  template row"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			icon, label := box.Objects[0].(*widget.Icon), box.Objects[1].(*widget.Label)
			r := p.shown[i]
			switch {
			case r.finding != nil:
				icon.SetResource(severityIcon(string(r.finding.Severity)))
				label.TextStyle = fyne.TextStyle{}
				label.SetText(fmt.Sprintf("    %d:%d  %s  %s", r.finding.Line, r.finding.Column, r.finding.Endpoint, safetext.Line(truncate(r.finding.Call, 70))))
			case r.manifest != nil:
				icon.SetResource(severityIcon(string(r.manifest.Severity)))
				label.TextStyle = fyne.TextStyle{}
				label.SetText(safetext.Line(fmt.Sprintf("    %d  %s %s (fixed in %s)", r.manifest.Line, r.manifest.Package, r.manifest.Version, r.manifest.FixedIn)))
			default:
				icon.SetResource(theme.FileIcon())
				label.TextStyle = fyne.TextStyle{Bold: true}
				label.SetText(fmt.Sprintf("%s (%d)", safetext.Line(r.file), r.count))
			}
		})
	p.rows.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(p.shown) {
			p.onSelect(&p.shown[i])
		}
	}
	p.exportJSON = widget.NewButtonWithIcon("Export JSON…", theme.DocumentSaveIcon(), func() { onExport("json") })
	p.exportSARIF = widget.NewButtonWithIcon("Export SARIF…", theme.DocumentSaveIcon(), func() { onExport("sarif") })
	p.exportJSON.Disable()
	p.exportSARIF.Disable()
	p.filterBar = container.NewHBox(widget.NewLabel("Endpoint"), p.endpoint, widget.NewLabel("Severity"), p.severity)
	p.exportBar = container.NewHBox(p.exportJSON, p.exportSARIF)
	p.endpoint.SetSelected(allChoices)
	p.severity.SetSelected(allChoices)
	return p
}

// view is the rows; filters the two drop-downs; bar the Export buttons.
func (p *scanList) view() fyne.CanvasObject    { return p.rows }
func (p *scanList) filters() fyne.CanvasObject { return p.filterBar }
func (p *scanList) bar() fyne.CanvasObject     { return p.exportBar }

// current is the report shown, or nil.
func (p *scanList) current() *scan.Report { return p.report }

// show shows a new report and offers its export.
func (p *scanList) show(r *scan.Report) {
	p.report = r
	p.exportJSON.Enable()
	p.exportSARIF.Enable()
	p.filter()
}

// filter rebuilds the rows from the report and the two filters, grouped by
// file, and clears a selection the filter hid.
func (p *scanList) filter() {
	p.shown = p.shown[:0]
	p.rows.UnselectAll()
	p.onSelect(nil)
	if p.report == nil {
		p.rows.Refresh()
		return
	}
	ep, sev := p.endpoint.Selected, p.severity.Selected
	byFile := map[string][]scanRow{}
	var files []string
	add := func(file string, r scanRow) {
		if _, ok := byFile[file]; !ok {
			files = append(files, file)
		}
		byFile[file] = append(byFile[file], r)
	}
	for i := range p.report.Findings {
		f := &p.report.Findings[i]
		if (ep == allChoices || f.Endpoint == ep) && (sev == allChoices || string(f.Severity) == sev) {
			add(f.File, scanRow{finding: f})
		}
	}
	if ep == allChoices {
		for i := range p.report.Manifests {
			m := &p.report.Manifests[i]
			if sev == allChoices || string(m.Severity) == sev {
				add(m.File, scanRow{manifest: m})
			}
		}
	}
	for _, f := range files {
		p.shown = append(p.shown, scanRow{file: f, count: len(byFile[f])})
		p.shown = append(p.shown, byFile[f]...)
	}
	p.rows.Refresh()
	if len(p.shown) > 1 {
		p.rows.Select(1) // the first finding, so its detail shows at once
	}
}
