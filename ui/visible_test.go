package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// seen is one thing a user sees: a widget (or a bare canvas text) that is
// laid out under the window's canvas, shown, with a size, and its text.
type seen struct {
	obj  fyne.CanvasObject
	text string
}

// onScreen walks what is laid out under w's canvas, the content and every
// overlay (dialogs, pop-ups) on top of it, skipping whatever is hidden
// itself or under a hidden or zero-sized parent. It reads what is drawn,
// not the screen struct's fields: a widget a screen built but never placed
// is not on screen, however right its text.
func onScreen(w fyne.Window) []seen {
	frame(w)
	c := w.Canvas()
	out := under(c.Content())
	for _, o := range c.Overlays().List() {
		out = append(out, under(o)...)
	}
	return out
}

// under is what is shown under root (laid out already).
func under(root fyne.CanvasObject) []seen {
	var out []seen
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		// A canvas text draws at its position whatever its size (a chart
		// moves one, never resizes it); anything else with no size is
		// not seen.
		if _, text := o.(*canvas.Text); !text && (o.Size().Width <= 0 || o.Size().Height <= 0) {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, seen{o, x.Text})
			return
		case *widget.Button:
			out = append(out, seen{o, x.Text})
			return
		case *widget.Hyperlink:
			out = append(out, seen{o, x.Text})
			return
		case *widget.Check:
			out = append(out, seen{o, x.Text})
			return
		case *widget.Entry:
			out = append(out, seen{o, x.Text})
			return
		case *widget.Select:
			out = append(out, seen{o, x.Selected})
			return
		case *widget.RichText:
			out = append(out, seen{o, x.String()})
			return
		case *canvas.Text:
			out = append(out, seen{o, x.Text})
			return
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			out = append(out, seen{o, ""})
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return out
}

// frame lays out the whole tree again, top down, as the real driver does
// on its next frame for every parent whose child's minimum size changed
// (the test canvas never does it by itself).
func frame(w fyne.Window) {
	var lay func(o fyne.CanvasObject)
	lay = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			if x.Layout != nil {
				x.Layout.Layout(x.Objects, x.Size())
			}
			for _, c := range x.Objects {
				lay(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			r.Layout(x.Size())
			for _, c := range r.Objects() {
				lay(c)
			}
		}
	}
	c := w.Canvas()
	lay(c.Content())
	for _, o := range c.Overlays().List() {
		lay(o)
	}
}

// visible returns the things on screen whose text contains text.
func visible(w fyne.Window, text string) []seen {
	var out []seen
	for _, s := range onScreen(w) {
		if s.text != "" && strings.Contains(s.text, text) {
			out = append(out, s)
		}
	}
	return out
}

// shows reports whether any visible text contains text.
func shows(w fyne.Window, text string) bool { return len(visible(w, text)) > 0 }

// screenText is every visible text, one a line: for failure messages.
func screenText(w fyne.Window) string {
	var lines []string
	for _, s := range onScreen(w) {
		if s.text != "" {
			lines = append(lines, s.text)
		}
	}
	return strings.Join(lines, "\n")
}

// visibleButton is the one visible button whose text is text; the test
// fails when there is none or more than one.
func visibleButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found []*widget.Button
	for _, s := range onScreen(w) {
		if b, ok := s.obj.(*widget.Button); ok && b.Text == text {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d visible buttons %q; the window shows:\n%s", len(found), text, screenText(w))
	}
	return found[0]
}

// dialogButton is the one button whose text is text on the dialog (or
// pop-up) on top of the window.
func dialogButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	frame(w)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open; the window shows:\n%s", screenText(w))
	}
	var found []*widget.Button
	for _, s := range under(top) {
		if b, ok := s.obj.(*widget.Button); ok && b.Text == text {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d buttons %q on the dialog; the window shows:\n%s", len(found), text, screenText(w))
	}
	return found[0]
}

// visibleLabel is the first visible label whose text contains text, or nil.
func visibleLabel(w fyne.Window, text string) *widget.Label {
	for _, s := range visible(w, text) {
		if l, ok := s.obj.(*widget.Label); ok {
			return l
		}
	}
	return nil
}

// halfHidden lists the shown buttons that a scroll container cuts: partly
// inside its viewport and partly out of it, as a button half under the
// bar below a scrolled pane looks.
func halfHidden(w fyne.Window) []string {
	frame(w)
	drv := fyne.CurrentApp().Driver()
	type box struct{ top, bottom float32 }
	var out []string
	var walk func(o fyne.CanvasObject, clip *box)
	walk = func(o fyne.CanvasObject, clip *box) {
		if o == nil || !o.Visible() || o.Size().Width <= 0 || o.Size().Height <= 0 {
			return
		}
		top := drv.AbsolutePositionForObject(o).Y
		here := box{top, top + o.Size().Height}
		switch x := o.(type) {
		case *widget.Button:
			if clip != nil {
				in := min(here.bottom, clip.bottom) - max(here.top, clip.top)
				if in > 1 && in < o.Size().Height-1 {
					out = append(out, fmt.Sprintf("%q shows %.0f of its %.0f px", x.Text, in, o.Size().Height))
				}
			}
			return
		case *container.Scroll:
			if clip != nil {
				here = box{max(here.top, clip.top), min(here.bottom, clip.bottom)}
			}
			clip = &here
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, clip)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, clip)
			}
		}
	}
	walk(w.Canvas().Content(), nil)
	return out
}
