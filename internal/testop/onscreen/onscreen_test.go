package onscreen_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

func newWindow(t *testing.T, content fyne.CanvasObject) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, content)
	w.Resize(fyne.NewSize(400, 300))
	return w
}

// fatal records the failure of a finder instead of failing the test.
type fatal struct {
	testing.TB
	msg string
}

func (f *fatal) Helper() {}

func (f *fatal) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// failure is how find fails the test it is given ("" when it does not).
func failure(t *testing.T, find func(testing.TB)) string {
	f := &fatal{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		find(f)
	}()
	<-done
	return f.msg
}

func TestAHiddenWidgetIsNotOnScreen(t *testing.T) {
	shown := widget.NewLabel("in plain sight")
	button := widget.NewButton("Hidden button", nil)
	box := container.NewVBox(widget.NewLabel("inside a hidden box"))
	unplaced := widget.NewLabel("built, never placed")
	w := newWindow(t, container.NewVBox(shown, button, box))
	if onscreen.Button(t, w, "Hidden button") != button || !onscreen.Shows(w, "inside a hidden box") {
		t.Fatalf("before they are hidden, they are not found; the window shows:\n%s", onscreen.Texts(w))
	}

	// Hidden once laid out: they keep their size and position.
	button.Hide()
	box.Hide()
	if onscreen.Label(w, "plain sight") != shown {
		t.Fatalf("the shown label is not found; the window shows:\n%s", onscreen.Texts(w))
	}
	for _, text := range []string{"Hidden button", "inside a hidden box", unplaced.Text} {
		if onscreen.Shows(w, text) {
			t.Errorf("%q is found on screen:\n%s", text, onscreen.Texts(w))
		}
	}
	if msg := failure(t, func(tb testing.TB) { onscreen.Button(tb, w, "Hidden button") }); !strings.HasPrefix(msg, `0 visible buttons "Hidden button"`) {
		t.Errorf("Button found a hidden button (its failure: %q)", msg)
	}

	button.Show()
	twin := widget.NewButton("Hidden button", nil)
	w.SetContent(container.NewVBox(button, twin))
	if msg := failure(t, func(tb testing.TB) { onscreen.Button(tb, w, "Hidden button") }); !strings.HasPrefix(msg, `2 visible buttons "Hidden button"`) {
		t.Errorf("Button chose one of two (its failure: %q)", msg)
	}
}

func TestInSightTellsAWidgetScrolledAwayFromOneInView(t *testing.T) {
	var rows []fyne.CanvasObject
	for i := range 40 {
		rows = append(rows, widget.NewLabel(fmt.Sprintf("row %d", i)))
	}
	cut := widget.NewButton("Cut", nil)
	rows = append(rows, cut)
	first, last := rows[0], rows[39]
	scroll := container.NewVScroll(container.NewVBox(rows...))
	w := newWindow(t, scroll)
	onscreen.Frame(w)

	if onscreen.ScrollHolding(t, w, last) != scroll {
		t.Fatal("ScrollHolding is not the scroll holding the row")
	}
	if !onscreen.InSight(scroll, first) || onscreen.InSight(scroll, last) {
		t.Fatalf("at the top: first row in sight %v, last row in sight %v", onscreen.InSight(scroll, first), onscreen.InSight(scroll, last))
	}
	if got := onscreen.HalfHidden(w); len(got) != 0 {
		t.Fatalf("at the top, a button wholly out of sight is reported half hidden: %q", got)
	}

	// The bottom of the viewport cuts the button in two.
	scroll.ScrollToOffset(fyne.NewPos(0, cut.Position().Y+cut.Size().Height/2-scroll.Size().Height))
	if got := onscreen.HalfHidden(w); len(got) != 1 || !strings.HasPrefix(got[0], `"Cut" shows `) {
		t.Fatalf("the cut button is reported as %q", got)
	}

	scroll.ScrollToBottom()
	onscreen.Frame(w)
	if onscreen.InSight(scroll, first) || !onscreen.InSight(scroll, last) {
		t.Fatalf("at the bottom: first row in sight %v, last row in sight %v", onscreen.InSight(scroll, first), onscreen.InSight(scroll, last))
	}
	if got := onscreen.HalfHidden(w); len(got) != 0 {
		t.Fatalf("at the bottom, a button in sight is reported half hidden: %q", got)
	}
}

func TestDialogButtonIsTheOneOnTheDialog(t *testing.T) {
	w := newWindow(t, widget.NewButton("Delete", nil))
	if msg := failure(t, func(tb testing.TB) { onscreen.DialogButton(tb, w, "Delete") }); !strings.HasPrefix(msg, "no dialog open") {
		t.Fatalf("DialogButton with no dialog open: %q", msg)
	}
	var answer *bool
	d := dialog.NewConfirm("Delete the profile?", "It cannot be undone.", func(ok bool) { answer = &ok }, w)
	d.SetConfirmText("Delete")
	d.SetDismissText("Keep")
	d.Show()

	if !onscreen.Shows(w, "It cannot be undone.") {
		t.Fatalf("the dialog's message is not found; the window shows:\n%s", onscreen.Texts(w))
	}
	if msg := failure(t, func(tb testing.TB) { onscreen.Button(tb, w, "Delete") }); !strings.HasPrefix(msg, `2 visible buttons "Delete"`) {
		t.Fatalf("Button does not see both the window's and the dialog's (its failure: %q)", msg)
	}
	test.Tap(onscreen.DialogButton(t, w, "Delete"))
	if answer == nil || !*answer {
		t.Fatalf("DialogButton's Delete did not confirm the dialog (answer %v)", answer)
	}
	if onscreen.Shows(w, "It cannot be undone.") {
		t.Fatalf("the closed dialog is still found:\n%s", onscreen.Texts(w))
	}
}

// Entry finds a field by its placeholder, or by its text when it has none;
// FormEntry, Select, Check and List find theirs by what a user reads.
func TestFieldsAreFoundByWhatAUserReads(t *testing.T) {
	audience := widget.NewEntry()
	audience.SetPlaceHolder("expected audience, e.g. https://api.example.com")
	audience.SetText("https://other.example.com")
	token := widget.NewEntry()
	token.SetText("v1.refresh-token")
	domain := widget.NewEntry()
	format := widget.NewSelect([]string{"curl", "form"}, nil)
	secrets := widget.NewCheck("Show secrets", nil)
	list := widget.NewList(func() int { return 1 }, func() fyne.CanvasObject { return widget.NewLabel("") }, func(widget.ListItemID, fyne.CanvasObject) {})
	list.Resize(fyne.NewSize(100, 100))
	w := newWindow(t, container.NewBorder(container.NewVBox(audience, token, widget.NewForm(widget.NewFormItem("Domain", domain)), format, secrets), nil, nil, nil, list))

	if onscreen.Entry(t, w, "expected audience") != audience || onscreen.Entry(t, w, "v1.refresh") != token {
		t.Fatal("Entry found the wrong field")
	}
	if msg := failure(t, func(tb testing.TB) { onscreen.Entry(tb, w, "other.example") }); !strings.HasPrefix(msg, "0 visible fields") {
		t.Fatalf("Entry read the text of a field with a placeholder (its failure: %q)", msg)
	}
	if onscreen.FormEntry(t, w, "Domain") != domain || onscreen.Select(t, w, "form") != format ||
		onscreen.Check(t, w, "Show secrets") != secrets || onscreen.List(t, w) != list {
		t.Fatal("a finder found the wrong widget")
	}
}
