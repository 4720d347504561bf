package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	var out []seen
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || o.Size().Width <= 0 || o.Size().Height <= 0 {
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
	c := w.Canvas()
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
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

// visibleLabel is the first visible label whose text contains text, or nil.
func visibleLabel(w fyne.Window, text string) *widget.Label {
	for _, s := range visible(w, text) {
		if l, ok := s.obj.(*widget.Label); ok {
			return l
		}
	}
	return nil
}
