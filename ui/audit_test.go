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
	"keyPanel.pasted": true, "keyPanel.secret": true, "keyPanel.jwksURL": true, "keyPanel.issuerHint": true,
	"migrateSave.saveName": true, // the Save as profile dialog's
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
// or one of its panels holds in a field is in the tree its view() built.
func TestEveryWidgetAScreenKeepsIsInItsView(t *testing.T) {
	m, settle := populatedWindow(t, theme.VariantDark)
	m.inspect.claims.rawJSON.SetChecked(true)
	settle()
	for i, s := range m.screens {
		inTree := map[uintptr]bool{}
		for _, o := range allObjects(s.view) {
			inTree[reflect.ValueOf(o).Pointer()] = true
		}
		scr := reflect.ValueOf(map[screenID]any{screenClients: m.clients, screenExchange: m.exchange, screenInspect: m.inspect, screenMigrate: m.migrate, screenScan: m.scan, screenReadiness: m.ready}[screenID(i)]).Elem()
		keptWidgets(scr, map[uintptr]bool{}, func(name string, field reflect.Value) {
			if !offTree[name] && !inTree[field.Pointer()] {
				t.Errorf("%s (%s) is not in the %s screen's view: it is updated where nobody sees it", name, field.Type(), s.title)
			}
		})
	}
}

// keptWidgets calls found with every widget the struct v holds in a
// field, and in the fields of its panels: any pointer to a struct of this
// package that is not a widget, a screen, the window or the Services,
// followed once.
func keptWidgets(v reflect.Value, seen map[uintptr]bool, found func(name string, field reflect.Value)) {
	canvasObject := reflect.TypeOf((*fyne.CanvasObject)(nil)).Elem()
	notPanels := map[reflect.Type]bool{}
	for _, x := range []any{&mainWindow{}, &Services{}, &clientsScreen{}, &exchangeScreen{}, &inspectScreen{}, &migrateScreen{}, &readinessScreen{}, &scanScreen{}} {
		notPanels[reflect.TypeOf(x)] = true
	}
	for f := 0; f < v.NumField(); f++ {
		field := v.Field(f)
		if field.Kind() != reflect.Pointer || field.IsNil() {
			continue
		}
		switch {
		case field.Type().Implements(canvasObject):
			found(v.Type().Name()+"."+v.Type().Field(f).Name, field)
		case field.Elem().Kind() == reflect.Struct && field.Type().Elem().PkgPath() == v.Type().PkgPath() && !notPanels[field.Type()] && !seen[field.Pointer()]:
			seen[field.Pointer()] = true
			keptWidgets(field.Elem(), seen, found)
		}
	}
}
