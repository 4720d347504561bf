// Package onscreen finds, in a Fyne window under test, what a user sees:
// the widgets laid out under the window's canvas — its content and every
// overlay (dialogs, pop-ups) on top of it — that are shown, have a size,
// and sit under no hidden or zero-sized parent. Tests find them by their
// text, label, hint or type, and so test what is drawn, never a screen's
// fields: a widget a screen built but never placed is not on screen,
// however right its text.
//
// It is a package of its own, apart from testop, so that tests with no
// window do not compile Fyne. It uses only fyne.Window, fyne.CanvasObject
// and Fyne's own widget types; finders of a screen's own widget types
// belong with that screen's tests, built on Objects, All and Only.
//
// The finders named for one thing (Button, Entry, FormField, Only, …) fail
// the test when there is none or more than one, and print what the window
// shows; the others return what they find.
package onscreen

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Seen is one thing a user sees: a widget (or a bare canvas text) laid
// out and shown, with its text ("" for a widget that holds others).
type Seen struct {
	Object fyne.CanvasObject
	Text   string
}

// Objects is everything on screen in w, top down and in order: the
// content, then each overlay. It lays the window out first (Frame).
func Objects(w fyne.Window) []Seen {
	Frame(w)
	c := w.Canvas()
	out := Under(c.Content())
	for _, o := range c.Overlays().List() {
		out = append(out, Under(o)...)
	}
	return out
}

// Under is what is shown under root, as laid out already (call Frame
// first when the layout may be stale).
func Under(root fyne.CanvasObject) []Seen {
	var out []Seen
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
			out = append(out, Seen{o, x.Text})
		case *widget.Button:
			out = append(out, Seen{o, x.Text})
		case *widget.Hyperlink:
			out = append(out, Seen{o, x.Text})
		case *widget.Check:
			out = append(out, Seen{o, x.Text})
		case *widget.Entry:
			out = append(out, Seen{o, x.Text})
		case *widget.Select:
			out = append(out, Seen{o, x.Selected})
		case *widget.RichText:
			out = append(out, Seen{o, x.String()})
		case *canvas.Text:
			out = append(out, Seen{o, x.Text})
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			out = append(out, Seen{o, ""})
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return out
}

// Frame lays out the whole tree of w again, top down, as the real driver
// does on its next frame for every parent whose child's minimum size
// changed (the test canvas never does it by itself).
func Frame(w fyne.Window) {
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

// Text is what is on screen whose text contains text.
func Text(w fyne.Window, text string) []Seen {
	var out []Seen
	for _, s := range Objects(w) {
		if s.Text != "" && strings.Contains(s.Text, text) {
			out = append(out, s)
		}
	}
	return out
}

// Shows reports whether any text on screen contains text.
func Shows(w fyne.Window, text string) bool { return len(Text(w, text)) > 0 }

// Texts is every text on screen, one a line: for failure messages.
func Texts(w fyne.Window) string {
	var lines []string
	for _, s := range Objects(w) {
		if s.Text != "" {
			lines = append(lines, s.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// LabelTexts is every label's text on screen (not the entries' or the
// buttons'), one a line.
func LabelTexts(w fyne.Window) string {
	var out []string
	for _, l := range All(w, func(*widget.Label) bool { return true }) {
		out = append(out, l.Text)
	}
	return strings.Join(out, "\n")
}

// All is every widget of type T on screen that match accepts.
func All[T fyne.CanvasObject](w fyne.Window, match func(T) bool) []T {
	var out []T
	for _, s := range Objects(w) {
		if x, ok := s.Object.(T); ok && match(x) {
			out = append(out, x)
		}
	}
	return out
}

// Only is the one widget of type T on screen that match accepts; what
// names them in the failure ("lists", "entries hinting …").
func Only[T fyne.CanvasObject](t testing.TB, w fyne.Window, what string, match func(T) bool) T {
	t.Helper()
	found := All(w, match)
	if len(found) != 1 {
		t.Fatalf("%d visible %s; the window shows:\n%s", len(found), what, Texts(w))
	}
	return found[0]
}

// Button is the one button on screen whose text is text, on the window or
// on a dialog over it.
func Button(t testing.TB, w fyne.Window, text string) *widget.Button {
	t.Helper()
	return Only(t, w, fmt.Sprintf("buttons %q", text), func(b *widget.Button) bool { return b.Text == text })
}

// DialogButton is the one button whose text is text on the dialog (or
// pop-up) on top of the window; the test fails when no dialog is open.
func DialogButton(t testing.TB, w fyne.Window, text string) *widget.Button {
	t.Helper()
	Frame(w)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open; the window shows:\n%s", Texts(w))
	}
	var found []*widget.Button
	for _, s := range Under(top) {
		if b, ok := s.Object.(*widget.Button); ok && b.Text == text {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d buttons %q on the dialog; the window shows:\n%s", len(found), text, Texts(w))
	}
	return found[0]
}

// Label is the first label on screen whose text contains text, or nil.
func Label(w fyne.Window, text string) *widget.Label {
	for _, s := range Text(w, text) {
		if l, ok := s.Object.(*widget.Label); ok {
			return l
		}
	}
	return nil
}

// Entry is the one field on screen whose placeholder contains hint or,
// for a field with no placeholder, whose text contains hint.
func Entry(t testing.TB, w fyne.Window, hint string) *widget.Entry {
	t.Helper()
	return Only(t, w, fmt.Sprintf("fields for %q", hint), func(e *widget.Entry) bool {
		return strings.Contains(e.PlaceHolder, hint) || e.PlaceHolder == "" && strings.Contains(e.Text, hint)
	})
}

// Check is the one tick box on screen labelled text.
func Check(t testing.TB, w fyne.Window, text string) *widget.Check {
	t.Helper()
	return Only(t, w, fmt.Sprintf("tick boxes %q", text), func(c *widget.Check) bool { return c.Text == text })
}

// Select is the one drop-down on screen that offers option.
func Select(t testing.TB, w fyne.Window, option string) *widget.Select {
	t.Helper()
	return Only(t, w, fmt.Sprintf("drop-downs offering %q", option), func(s *widget.Select) bool {
		return slices.Contains(s.Options, option)
	})
}

// List is the one list on screen.
func List(t testing.TB, w fyne.Window) *widget.List {
	t.Helper()
	return Only(t, w, "lists", func(*widget.List) bool { return true })
}

// FormField is the widget of the one form item on screen labelled label.
func FormField(t testing.TB, w fyne.Window, label string) fyne.CanvasObject {
	t.Helper()
	var found []fyne.CanvasObject
	for _, f := range All(w, func(*widget.Form) bool { return true }) {
		for _, item := range f.Items {
			if item.Text == label && item.Widget.Visible() {
				found = append(found, item.Widget)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d visible form fields %q; the window shows:\n%s", len(found), label, Texts(w))
	}
	return found[0]
}

// FormEntry is the entry of the one form item on screen labelled label.
func FormEntry(t testing.TB, w fyne.Window, label string) *widget.Entry {
	t.Helper()
	e, ok := FormField(t, w, label).(*widget.Entry)
	if !ok {
		t.Fatalf("the field %q is not an entry", label)
	}
	return e
}

// ScrollHolding is the one scroll container on screen with o shown
// inside it.
func ScrollHolding(t testing.TB, w fyne.Window, o fyne.CanvasObject) *container.Scroll {
	t.Helper()
	return Only(t, w, "scrolls holding the object", func(s *container.Scroll) bool {
		return slices.ContainsFunc(Under(s.Content), func(x Seen) bool { return x.Object == o })
	})
}

// InSight reports whether o lies wholly inside the scroll's viewport
// (within a pixel), as laid out already.
func InSight(scroll *container.Scroll, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(scroll).Y
	return top >= -1 && top+o.Size().Height <= scroll.Size().Height+1
}

// HalfHidden lists the buttons on screen that a scroll container cuts:
// partly inside its viewport and partly out of it, as a button half under
// the bar below a scrolled pane looks. Each is named with how much of it
// shows. Only the window's content is walked, not its overlays.
func HalfHidden(w fyne.Window) []string {
	Frame(w)
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
