package workspace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/tokenscope/tokenscope/"

// What the front ends (app/, ui/) may import from this module: the door,
// the model and vocabulary packages whose types the door's methods take
// and return, presentation helpers, and the two pure libraries. The rest
// of internal/ (discovery, httpx, secrets, demotenant, jsonx, …) is
// reached through workspace only; ARCHITECTURE.md says why each is here.
var frontEndMayImport = map[string]bool{
	"internal/workspace":  true, // the one door
	"internal/tokens":     true, // the token model: Token, Report, Claims
	"internal/profiles":   true, // the profile model: Profile, Endpoints
	"internal/exchange":   true, // the request model: Request, Response, Error, Entry
	"internal/oauth":      true, // vocabulary: AuthMethod, reserved names
	"internal/finding":    true, // vocabulary: Severity
	"internal/safetext":   true, // presentation: safe text, Mask, RedactURL
	"internal/bytecount":  true, // presentation: byte sizes
	"internal/atomicfile": true, // writing an output file the user named
	"migrate":             true, // pure library (no network, no Fyne)
	"scan":                true, // pure library
	"assets":              true,
	"ui":                  true, // the command line opens the window
}

// Flows that only the door runs: a front end calling these has written a
// flow of its own again.
var frontEndMayNotCall = map[string]string{
	"tokens.Verify":      "workspace.Verify / workspace.Check",
	"tokens.StaticKeys":  "workspace.KeySpec",
	"tokens.HMACKey":     "workspace.KeySpec{Secret: …}",
	"exchange.NewClient": "the workspace's Exchange",
	"exchange.Preview":   "a workspace method",
}

func TestFrontEndsReachTheCoreThroughTheWorkspaceOnly(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	var problems []string
	for _, dir := range []string{"app", "ui"} {
		eachFile(t, filepath.Join(root, dir), func(path string, f *ast.File) {
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if rel, ok := strings.CutPrefix(p, module); ok && !frontEndMayImport[rel] {
					problems = append(problems, path+" imports "+rel+": reach it through internal/workspace")
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok {
						if use, bad := frontEndMayNotCall[x.Name+"."+sel.Sel.Name]; bad {
							problems = append(problems, path+" calls "+x.Name+"."+sel.Sel.Name+": use "+use)
						}
					}
				}
				return true
			})
		})
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// Dependencies point one way: nothing under internal/ imports a front end,
// Fyne, or the top-level libraries above it (migrate/, scan/).
func TestInternalPackagesImportNothingAboveThem(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	eachFile(t, filepath.Join(root, "internal"), func(path string, f *ast.File) {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			rel, ours := strings.CutPrefix(p, module)
			switch {
			case strings.HasPrefix(p, "fyne.io/") && !strings.Contains(filepath.ToSlash(path), "internal/testop/onscreen/"):
				// onscreen is the UI tests' finder of widgets, imported by tests only.
				t.Errorf("%s imports Fyne: the core has no UI", path)
			case ours && !strings.HasPrefix(rel, "internal/"):
				t.Errorf("%s imports %s, which sits above internal/", path, rel)
			}
		}
	})
	for _, lib := range []string{"migrate", "scan"} {
		eachFile(t, filepath.Join(root, lib), func(path string, f *ast.File) {
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p == "net/http" || strings.HasPrefix(p, "fyne.io/") || p == module+"internal/workspace" {
					t.Errorf("%s imports %s: %s is a pure library (no network, no Fyne, no flows)", path, p, lib)
				}
			}
		})
	}
}

// eachFile parses every non-test Go file under dir (imports and bodies).
func eachFile(t *testing.T, dir string, f func(path string, file *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		f(path, file)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no Go files under %s: the test is looking in the wrong place", dir)
	}
}
