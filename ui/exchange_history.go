package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
)

// historyPanel is Exchange's "History" card: the last refreshes as a
// chart, then one line each (time, profile, status, duration, error,
// rotated), newest first.
type historyPanel struct {
	svc     *Services
	entries []exchange.Entry
	list    *widget.List
	chart   *historyChart
	card    *widget.Card
}

func newHistoryPanel(svc *Services) *historyPanel {
	h := &historyPanel{svc: svc}
	h.chart = newHistoryChart()
	h.list = widget.NewList(
		func() int { return len(h.entries) },
		func() fyne.CanvasObject { return widget.NewLabel("2026-01-01 00:00:00  profile  200  100 ms") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(historyLine(h.entries[i])) })
	h.card = widget.NewCard("", "History", border(h.chart, nil, nil, nil, h.list))
	return h
}

func (h *historyPanel) view() fyne.CanvasObject { return h.card }

// reload reads the history again (after a refresh, a sign-in, …).
func (h *historyPanel) reload() {
	if h.svc.History == nil {
		return
	}
	h.entries, _ = h.svc.History.Load()
	h.list.Refresh()
	h.chart.setEntries(h.entries)
}

func historyLine(e exchange.Entry) string {
	status := fmt.Sprint(e.Status)
	if e.Status == 0 {
		status = "—"
	}
	line := fmt.Sprintf("%s  %s  %s  %d ms", e.Time.Local().Format("2006-01-02 15:04:05"), e.Profile, status, e.DurationMS)
	if e.Error != "" {
		line += "  " + e.Error
	}
	if e.Rotated {
		line += "  rotated"
	}
	return line
}
