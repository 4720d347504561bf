package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// offTree are the widgets a screen keeps that are not part of its view on
// purpose: they live in dialogs, or one of them at a time is swapped into
// a box (the inspector's key inputs).
var offTree = map[string]bool{
	"inspectScreen.keyInput": true, "inspectScreen.secret": true, "inspectScreen.jwksURL": true,
	"migrateScreen.saveName": true, // the Save as profile dialog's
}

// allObjects is every object in the tree under root, shown or not, with
// every tab's content (not only the selected tab's).
func allObjects(root fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.AppTabs:
			for _, item := range x.Items {
				walk(item.Content)
			}
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return out
}

// TestEveryWidgetAScreenKeepsIsInItsView: a screen that builds a new
// widget after view() placed the old one keeps updating a widget nobody
// sees (Raw JSON once showed an empty pane that way, while a test of the
// field passed). After a session on every screen, each widget a screen
// holds in a field is in the tree its view() built.
func TestEveryWidgetAScreenKeepsIsInItsView(t *testing.T) {
	m, settle := populatedWindow(t, theme.VariantDark)
	m.inspect.claims.rawJSON.SetChecked(true)
	settle()
	canvasObject := reflect.TypeOf((*fyne.CanvasObject)(nil)).Elem()
	for i, s := range m.screens {
		if i == int(screenScan) {
			continue // another team's screen; its own tests read its tree
		}
		inTree := map[uintptr]bool{}
		for _, o := range allObjects(s.view) {
			inTree[reflect.ValueOf(o).Pointer()] = true
		}
		scr := reflect.ValueOf(map[screenID]any{screenClients: m.clients, screenExchange: m.exchange, screenInspect: m.inspect, screenMigrate: m.migrate, screenReadiness: m.ready}[screenID(i)]).Elem()
		for f := 0; f < scr.NumField(); f++ {
			field, typ := scr.Field(f), scr.Type().Field(f)
			if field.Kind() != reflect.Pointer || field.IsNil() || !field.Type().Implements(canvasObject) {
				continue
			}
			name := scr.Type().Name() + "." + typ.Name
			if offTree[name] {
				continue
			}
			if !inTree[field.Pointer()] {
				t.Errorf("%s (%s) is not in the %s screen's view: it is updated where nobody sees it", name, field.Type(), s.title)
			}
		}
	}
}
