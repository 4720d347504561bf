package scan

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkGitignore scans a tree of 100,000 small files twice: without a
// .gitignore and with one of 10,000 lines (file names, folders,
// extensions, prefixes, anchored paths, negations, ** patterns: see
// bigIgnore), and ripgrep beside them. The bound: with it, within
// 3× of without.
func BenchmarkGitignore(b *testing.B) {
	dir := b.TempDir()
	const dirs, perDir = 200, 500
	for d := 0; d < dirs; d++ {
		sub := filepath.Join(dir, fmt.Sprintf("pkg%d", d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < perDir; i++ {
			n := d*perDir + i
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("file%d.js", n)), []byte("export const x = 1;\n"), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	ignore := []byte(strings.Join(bigIgnore(10000), "\n") + "\n")
	for _, c := range []struct {
		name   string
		ignore []byte
	}{{"without", nil}, {"with-10000-lines", ignore}} {
		b.Run(c.name, func(b *testing.B) {
			gi := filepath.Join(dir, ".gitignore")
			os.Remove(gi)
			if c.ignore != nil {
				if err := os.WriteFile(gi, c.ignore, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			var r *Report
			for b.Loop() {
				var err error
				if r, err = Run(context.Background(), []string{dir}, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Summary.Files), "files")
		})
	}
	// ripgrep beside them: the same tree, .gitignore honoured outside a
	// git repository too (make bench installs it; skipped without it).
	for _, c := range []struct {
		name   string
		ignore []byte
	}{{"ripgrep-without", nil}, {"ripgrep-with-10000-lines", ignore}} {
		b.Run(c.name, func(b *testing.B) {
			rg, err := exec.LookPath("rg")
			if err != nil {
				b.Skip("ripgrep is not installed (make bench installs it)")
			}
			gi := filepath.Join(dir, ".gitignore")
			os.Remove(gi)
			if c.ignore != nil {
				if err := os.WriteFile(gi, c.ignore, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if out, err := exec.Command(rg, "--no-require-git", "-c", "-F", "-e", "export", dir).Output(); err != nil || len(out) == 0 {
					b.Fatalf("rg: %v", err)
				}
			}
		})
	}
}
