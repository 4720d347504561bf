package scan

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzNames are one file name per language scanner and manifest reader.
var fuzzNames = []string{"a.js", "a.ts", "index.html", "A.java", "A.kt", "A.swift", "A.cs", "a.py", "a.php", "a.rb", "a.go", "a.sh", "a.yml", "a.json", ".env",
	"A.m", "a.erb", "a.hbs", "a.pl", "main.tf", "a.md", "a.ipynb",
	"package.json", "package-lock.json", "yarn.lock", "build.gradle", "Podfile", "Podfile.lock", "A.csproj", "packages.config",
	"requirements.txt", "pyproject.toml", "composer.json", "Gemfile", "Gemfile.lock"}

// seedFromCorpus adds every corpus and shapes file, under its own name's
// scanner.
func seedFromCorpus(f *testing.F) {
	for _, corpus := range corpora {
		seedFrom(f, filepath.Join("testdata", corpus))
	}
}

func seedFrom(f *testing.F, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		for i, n := range fuzzNames {
			if filepath.Base(p) == n || filepath.Ext(p) == filepath.Ext(n) && filepath.Ext(n) != "" {
				f.Add(uint8(i), b)
				break
			}
		}
		return nil
	})
}

// FuzzFile: no input makes a language scanner panic or hang, and every
// finding points inside the file, at the line it quotes.
func FuzzFile(f *testing.F) {
	seedFromCorpus(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		findings, _ := File(name, data)
		ln := newLines(string(data))
		for _, fd := range findings {
			if fd.Line < 1 || fd.Line > len(ln.starts) || fd.Column < 1 {
				t.Fatalf("%s: finding at %d:%d outside %d lines", name, fd.Line, fd.Column, len(ln.starts))
			}
			if !strings.HasPrefix(ln.text(fd.Line), fd.Source) || len(fd.Source) > maxSource {
				t.Fatalf("%s: source %q is not line %d", name, fd.Source, fd.Line)
			}
			if fd.Column > utf8.RuneCountInString(ln.text(fd.Line))+1 {
				t.Fatalf("%s: column %d beyond line %d", name, fd.Column, fd.Line)
			}
			ok := false
			for _, ep := range Endpoints {
				ok = ok || fd.Endpoint == ep
			}
			if !ok || !strings.HasPrefix(fd.Code, "legacy_") {
				t.Fatalf("%s: finding %+v", name, fd)
			}
		}
	})
}

// FuzzManifest: the manifest readers take any bytes, and what they report
// is on a real line of the file.
func FuzzManifest(f *testing.F) {
	seedFromCorpus(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		ln := newLines(string(data))
		for _, p := range append(pins(name, data), cdnPins(name, data)...) {
			if p.line < 1 || p.line > len(ln.starts) || !strings.HasPrefix(ln.text(p.line), p.source) || p.major < 0 {
				t.Fatalf("%s: pin %+v", name, p)
			}
		}
	})
}
