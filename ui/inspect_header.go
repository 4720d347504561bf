// The Inspect screen's Header tab: one row a header parameter (alg, kid,
// typ, …) with its explanation, and Copy header JSON.

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

type headerPanel struct {
	fields  *fyne.Container
	copyBtn *widget.Button
	obj     fyne.CanvasObject
	token   *tokens.Token // the one shown; UI goroutine only
}

func newHeaderPanel(do uiDo) *headerPanel {
	p := &headerPanel{fields: container.NewVBox()}
	p.copyBtn = copyButton("Copy header JSON", do, appClipboard, p.headerJSON)
	p.obj = border(container.NewHBox(p.copyBtn), nil, nil, nil, container.NewVScroll(p.fields))
	p.show(nil) // the empty pane says what to do
	return p
}

// view is the Header tab's content.
func (p *headerPanel) view() fyne.CanvasObject { return p.obj }

// show lists t's header parameters; nil says what will appear here.
func (p *headerPanel) show(t *tokens.Token) {
	p.token = t
	p.fields.RemoveAll()
	if t != nil && t.HeaderJSON != nil {
		p.copyBtn.Enable()
	} else {
		p.copyBtn.Disable()
	}
	if t == nil {
		p.fields.Add(wrapLabel("The token's header (alg, kid, typ, …) appears here, each parameter explained."))
		return
	}
	for _, f := range t.Header {
		p.fields.Add(fieldRow(safetext.Line(f.Name), safetext.Block(truncate(fieldValue(f), maxValueShown)), safetext.Line(tokens.ExplainHeader(f.Name))))
	}
}

func (p *headerPanel) headerJSON() string {
	if p.token == nil {
		return ""
	}
	return indent(p.token.HeaderJSON)
}

// fieldRow is one header parameter: its name, value and explanation.
func fieldRow(name, value, explain string) fyne.CanvasObject {
	e := wrapLabel(explain)
	e.TextStyle = fyne.TextStyle{Italic: true}
	return container.NewVBox(boldLabel(name), monoLabel(value), e, widget.NewSeparator())
}

// appClipboard is the app's clipboard, looked up when a Copy button is
// pressed (tests replace the app).
func appClipboard() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }
