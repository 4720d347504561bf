package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// maxFields is how many fields a screen or panel may hold: past it, a
// struct is doing the work of several panels (the Inspect screen once had
// 49 fields, and a widget swapped after it was laid out went unnoticed).
const maxFields = 15

// TestNoScreenOrPanelHoldsMoreThanFifteenFields counts the named fields of
// every struct type in the package (not its tests).
func TestNoScreenOrPanelHoldsMoreThanFifteenFields(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			checked++
			fields := 0
			for _, fl := range st.Fields.List {
				fields += max(len(fl.Names), 1) // an embedded field counts once
			}
			if fields > maxFields {
				t.Errorf("%s: %s has %d fields (at most %d): split it into panels that own their widgets", fset.Position(ts.Pos()), ts.Name.Name, fields, maxFields)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("only %d struct types found: the test is reading the wrong files", checked)
	}
}
