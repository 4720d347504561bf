// The Inspect screen's segments panel: the token as pasted, its parts in
// their colours (header, payload, signature; a JWE's five), and the
// findings about it.

package ui

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

type segmentsPanel struct {
	segments *widget.RichText
	findings *fyne.Container
	// The two cards the screen lays out, the decrypt card between them.
	tokenCard, findingsCard *widget.Card
}

func newSegmentsPanel() *segmentsPanel {
	p := &segmentsPanel{segments: widget.NewRichText(), findings: container.NewVBox()}
	p.segments.Wrapping = fyne.TextWrapBreak
	p.tokenCard = widget.NewCard("", "Token", p.segments)
	p.findingsCard = widget.NewCard("", "Findings", p.findings)
	return p
}

// tokenView is the token's parts in their colours.
func (p *segmentsPanel) tokenView() fyne.CanvasObject { return p.tokenCard }

// findingsView is what decoding noticed, errors first.
func (p *segmentsPanel) findingsView() fyne.CanvasObject { return p.findingsCard }

// show draws outer (as pasted) and the findings about it and about shown
// (the nested JWT once decrypted); nil empties both.
func (p *segmentsPanel) show(outer, shown *tokens.Token) {
	p.drawSegments(outer)
	p.drawFindings(outer, shown)
}

func (p *segmentsPanel) drawSegments(t *tokens.Token) {
	if t == nil {
		p.segments.Segments = nil
		p.segments.Refresh()
		return
	}
	colors := []fyne.ThemeColorName{colorSegHeader, colorSegPayload, colorSegSignature}
	if t.Kind == tokens.KindJWE {
		colors = []fyne.ThemeColorName{colorSegHeader, colorSegKey, colorSegIV, colorSegPayload, colorSegSignature}
	}
	if t.Kind == tokens.KindOpaque {
		colors = []fyne.ThemeColorName{theme.ColorNameForeground}
	}
	var segs []widget.RichTextSegment
	for i, part := range t.Segments {
		if i > 0 {
			segs = append(segs, &widget.TextSegment{Text: ".", Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Monospace: true}}})
		}
		c := colors[min(i, len(colors)-1)]
		segs = append(segs, &widget.TextSegment{Text: truncate(part, 600), Style: widget.RichTextStyle{Inline: true, ColorName: c, TextStyle: fyne.TextStyle{Monospace: true}}})
	}
	p.segments.Segments = segs
	p.segments.Refresh()
}

var severityOrder = map[finding.Severity]int{finding.SeverityError: 0, finding.SeverityWarning: 1, finding.SeverityInfo: 2}

func (p *segmentsPanel) drawFindings(outer, shown *tokens.Token) {
	p.findings.RemoveAll()
	if outer == nil {
		return
	}
	fs := append([]finding.Finding(nil), outer.Findings...)
	if shown != nil && shown != outer {
		fs = append(fs, shown.Findings...)
	}
	sort.SliceStable(fs, func(i, j int) bool { return severityOrder[fs[i].Severity] < severityOrder[fs[j].Severity] })
	if len(fs) == 0 {
		p.findings.Add(widget.NewLabel("Nothing unusual."))
	}
	for _, f := range fs {
		p.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(safetext.Block(f.Message))))
	}
}
