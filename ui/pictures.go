package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/safetext"
)

// --- the token timeline ---

// timelineMark is one instant on the timeline.
type timelineMark struct {
	Name string
	At   time.Time
}

// timelineSpan is the axis: the instants in time order, the axis' ends
// (a margin around them) and the leeway drawn around nbf and exp.
type timelineSpan struct {
	Marks      []timelineMark
	Start, End time.Time
	Leeway     time.Duration
}

// newTimelineSpan places iat, nbf, auth_time, exp and now on one axis.
func newTimelineSpan(times map[string]time.Time, now time.Time, leeway time.Duration) timelineSpan {
	marks := []timelineMark{{"now", now}}
	for _, n := range []string{"iat", "nbf", "auth_time", "exp"} {
		if t, ok := times[n]; ok {
			marks = append(marks, timelineMark{n, t})
		}
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].At.Before(marks[j].At) })
	start, end := marks[0].At, marks[len(marks)-1].At
	if d := end.Sub(start); d > 0 {
		start, end = start.Add(-d/20-leeway), end.Add(d/20+leeway)
	} else {
		start, end = start.Add(-time.Minute-leeway), end.Add(time.Minute+leeway)
	}
	return timelineSpan{Marks: marks, Start: start, End: end, Leeway: leeway}
}

// x is where t falls on an axis width wide.
func (s timelineSpan) x(t time.Time, width float32) float32 {
	total := s.End.Sub(s.Start)
	if total <= 0 {
		return 0
	}
	return float32(float64(t.Sub(s.Start))/float64(total)) * width
}

// timeline draws a token's times on one axis: iat, nbf, auth_time, exp and
// now, with the leeway shaded around nbf and exp, the valid window in the
// success colour and now as a line that moves (Refresh it with a clock).
type timeline struct {
	widget.BaseWidget
	times  map[string]time.Time
	now    func() time.Time
	leeway time.Duration
}

func newTimeline(times map[string]time.Time, now func() time.Time, leeway time.Duration) *timeline {
	t := &timeline{times: times, now: now, leeway: leeway}
	t.ExtendBaseWidget(t)
	return t
}

func (t *timeline) CreateRenderer() fyne.WidgetRenderer {
	return newDrawing(t, fyne.NewSize(240, 70), t.draw)
}

// drawing renders a picture that draw makes from scratch for the size it
// is given, at each layout and refresh: the timeline and the chart.
type drawing struct {
	w       fyne.Widget
	min     fyne.Size
	draw    func(w, h float32) []fyne.CanvasObject
	objects []fyne.CanvasObject
	size    fyne.Size
}

func newDrawing(w fyne.Widget, minSize fyne.Size, draw func(w, h float32) []fyne.CanvasObject) *drawing {
	d := &drawing{w: w, min: minSize, draw: draw}
	d.redraw()
	return d
}

func (d *drawing) MinSize() fyne.Size { return d.min }
func (d *drawing) Layout(s fyne.Size) { d.size = s; d.redraw() }
func (d *drawing) Refresh()           { d.redraw(); canvas.Refresh(d.w) }
func (d *drawing) Destroy()           {}
func (d *drawing) Objects() []fyne.CanvasObject {
	return d.objects
}

// redraw draws at the laid-out size, or the minimum before the first layout.
func (d *drawing) redraw() {
	w, h := d.size.Width, d.size.Height
	if w <= 0 {
		w, h = d.min.Width, d.min.Height
	}
	d.objects = d.draw(w, h)
}

func (t *timeline) draw(w, h float32) []fyne.CanvasObject {
	span := newTimelineSpan(t.times, t.now(), t.leeway)
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	axisY := h / 2
	var objs []fyne.CanvasObject
	// The valid window, from nbf (or iat) to exp.
	from, okFrom := t.times["nbf"]
	if !okFrom {
		from, okFrom = t.times["iat"]
	}
	if exp, ok := t.times["exp"]; ok && okFrom {
		band := canvas.NewRectangle(withAlpha(th.Color(theme.ColorNameSuccess, v), 0x40))
		band.Move(fyne.NewPos(span.x(from, w), axisY-8))
		band.Resize(fyne.NewSize(span.x(exp, w)-span.x(from, w), 16))
		objs = append(objs, band)
	}
	// The leeway around nbf and exp.
	for _, n := range []string{"nbf", "exp"} {
		if at, ok := t.times[n]; ok && span.Leeway > 0 {
			lw := canvas.NewRectangle(withAlpha(th.Color(theme.ColorNameWarning, v), 0x50))
			x0, x1 := span.x(at.Add(-span.Leeway), w), span.x(at.Add(span.Leeway), w)
			lw.Move(fyne.NewPos(x0, axisY-10))
			lw.Resize(fyne.NewSize(x1-x0, 20))
			objs = append(objs, lw)
		}
	}
	axis := canvas.NewLine(fg)
	axis.Position1, axis.Position2 = fyne.NewPos(0, axisY), fyne.NewPos(w, axisY)
	objs = append(objs, axis)
	for i, m := range span.Marks {
		x := span.x(m.At, w)
		col := fg
		if m.Name == "now" {
			col = th.Color(theme.ColorNamePrimary, v)
		}
		tick := canvas.NewLine(col)
		tick.StrokeWidth = 2
		tick.Position1, tick.Position2 = fyne.NewPos(x, axisY-12), fyne.NewPos(x, axisY+12)
		label := canvas.NewText(m.Name, col)
		label.TextSize = th.Size(theme.SizeNameCaptionText)
		ls := label.MinSize()
		lx := min(max(x-ls.Width/2, 0), w-ls.Width)
		ly := axisY - 14 - ls.Height
		if i%2 == 1 { // alternate above and below so close marks do not overlap
			ly = axisY + 14
		}
		label.Move(fyne.NewPos(lx, ly))
		objs = append(objs, tick, label)
	}
	return objs
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// --- the refresh history chart ---

// historyBar is one refresh on the chart.
type historyBar struct {
	Height float32 // of the tallest bar, 0..1
	OK     bool
	Label  string
}

// historyBars turns the newest n history entries (oldest first) into bars
// whose height is the duration.
func historyBars(entries []exchange.Entry, n int) []historyBar {
	if len(entries) > n {
		entries = entries[:n]
	}
	var longest int64 = 1
	for _, e := range entries {
		longest = max(longest, e.DurationMS)
	}
	bars := make([]historyBar, len(entries))
	for i, e := range entries {
		b := historyBar{Height: float32(max(e.DurationMS, 1)) / float32(longest), OK: e.Error == "" && e.Status/100 == 2,
			Label: fmt.Sprintf("%s %s: %d ms", e.Time.Local().Format("15:04:05"), e.Profile, e.DurationMS)}
		bars[len(entries)-1-i] = b // oldest on the left
	}
	return bars
}

// historyChart draws the last refreshes: one bar each, its height the
// duration, green for a success and red for a failure.
type historyChart struct {
	widget.BaseWidget
	bars []historyBar
}

func newHistoryChart() *historyChart {
	c := &historyChart{}
	c.ExtendBaseWidget(c)
	return c
}

func (c *historyChart) setEntries(entries []exchange.Entry) {
	c.bars = historyBars(entries, 30)
	c.Refresh()
}

func (c *historyChart) CreateRenderer() fyne.WidgetRenderer {
	return newDrawing(c, fyne.NewSize(200, 60), c.draw)
}

func (c *historyChart) draw(w, h float32) []fyne.CanvasObject {
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	var objs []fyne.CanvasObject
	if len(c.bars) == 0 {
		// Body text, not the disabled colour at caption size: it is read.
		t := canvas.NewText("No refreshes yet: the chart shows each one's duration and outcome.", th.Color(theme.ColorNameForeground, v))
		t.TextSize = th.Size(theme.SizeNameText)
		t.Move(fyne.NewPos(0, h/2-t.MinSize().Height/2))
		return []fyne.CanvasObject{t}
	}
	slot := w / float32(len(c.bars))
	for i, b := range c.bars {
		col := th.Color(theme.ColorNameSuccess, v)
		if !b.OK {
			col = th.Color(theme.ColorNameError, v)
		}
		bar := canvas.NewRectangle(col)
		bh := max(b.Height*(h-4), 2)
		bar.Move(fyne.NewPos(float32(i)*slot+slot*0.15, h-bh))
		bar.Resize(fyne.NewSize(slot*0.7, bh))
		objs = append(objs, bar)
	}
	return objs
}

// --- syntax-coloured JSON ---

// rawJSONSegments are raw JSON indented (in its own order), with keys,
// strings, numbers and literals in their own colours, and its control,
// BiDi and zero-width characters shown as escapes.
func rawJSONSegments(raw []byte) []widget.RichTextSegment {
	text := string(raw)
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") == nil { // keeps the token's own order
		text = buf.String()
	}
	return jsonSegments(safetext.Block(text))
}

// jsonSegments colours indented JSON line by line: a key, then its value.
// Each line's last segment ends the paragraph, which breaks the line.
func jsonSegments(text string) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for _, line := range strings.Split(text, "\n") {
		var lineSegs []*widget.TextSegment
		add := func(s string, c fyne.ThemeColorName) {
			if s != "" {
				lineSegs = append(lineSegs, &widget.TextSegment{Text: s, Style: widget.RichTextStyle{ColorName: c, Inline: true, TextStyle: fyne.TextStyle{Monospace: true}}})
			}
		}
		trimmed := strings.TrimLeft(line, " ")
		add(line[:len(line)-len(trimmed)], theme.ColorNameForeground)
		rest := trimmed
		if strings.HasPrefix(rest, `"`) {
			if k := strings.Index(rest, `": `); k > 0 {
				add(rest[:k+1], colorSegHeader)
				add(": ", theme.ColorNameForeground)
				rest = rest[k+3:]
			}
		}
		value, tail := strings.TrimSuffix(rest, ","), ""
		if value != rest {
			tail = ","
		}
		switch {
		case strings.HasPrefix(value, `"`):
			add(value, colorSegSignature)
		case value == "true" || value == "false" || value == "null":
			add(value, colorSegKey)
		case value != "" && (value[0] == '-' || value[0] >= '0' && value[0] <= '9'):
			add(value, colorSegPayload)
		default:
			add(value, theme.ColorNameForeground)
		}
		add(tail, theme.ColorNameForeground)
		if len(lineSegs) == 0 {
			add(" ", theme.ColorNameForeground)
		}
		lineSegs[len(lineSegs)-1].Style.Inline = false
		for _, ts := range lineSegs {
			segs = append(segs, ts)
		}
	}
	return segs
}
