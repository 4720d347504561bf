package scan

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus/expected.txt and testdata/shapes/expected.txt from the scanner's output (review the diff!)")

// corpora are the synthetic trees the suite scans: the corpus of every
// language and SDK, and the shapes distilled from public code's misses.
var corpora = []string{"corpus", "shapes"}

// corpusKey is how expected.txt names a finding or manifest.
func findingKey(f Finding) string {
	return fmt.Sprintf("%s:%d:%d %s %s %s", f.File, f.Line, f.Column, f.Severity, f.Code, f.Endpoint)
}

func manifestKey(m Manifest) string {
	return fmt.Sprintf("%s:%d manifest %s %s fixed_in=%s", m.File, m.Line, m.Package, m.Version, m.FixedIn)
}

func readExpected(t *testing.T, corpus string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", corpus, "expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestCorpusRecallAndFalseReports scans the synthetic monorepos in
// testdata/corpus (legacy calls in every language, written against the
// SDKs' real signatures, and the traps listed in its README) and
// testdata/shapes (the shapes public code takes), and compares every
// finding with each one's expected.txt: every expected finding must be
// found (recall 100%) and nothing else reported (0 false reports).
func TestCorpusRecallAndFalseReports(t *testing.T) {
	t.Parallel()
	for _, corpus := range corpora {
		t.Run(corpus, func(t *testing.T) { checkCorpus(t, corpus) })
	}
}

func checkCorpus(t *testing.T, corpus string) {
	r, err := Run(context.Background(), []string{filepath.Join("testdata", corpus)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, findingKey(f))
	}
	for _, m := range r.Manifests {
		got = append(got, manifestKey(m))
	}
	sort.Strings(got)
	if *update {
		header := "# file:line:column severity code endpoint — one line per finding `tokenscope scan` must report in this corpus\n# file:line manifest package version fixed_in — one per legacy SDK pin\n"
		if err := os.WriteFile(filepath.Join("testdata", corpus, "expected.txt"), []byte(header+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readExpected(t, corpus)
	have := map[string]bool{}
	for _, g := range got {
		have[g] = true
	}
	wanted := map[string]bool{}
	found := 0
	for _, w := range want {
		wanted[w] = true
		if have[w] {
			found++
		} else {
			t.Errorf("missed: %s", w)
		}
	}
	falseReports := 0
	for _, g := range got {
		if !wanted[g] {
			falseReports++
			t.Errorf("false report: %s", g)
		}
	}
	t.Logf("%s: %d expected, recall %.1f%% (%d/%d), %d false reports, %d files scanned",
		corpus, len(want), 100*float64(found)/float64(len(want)), found, len(want), falseReports, r.Summary.Files)
	fmt.Printf("scan %s: recall %.1f%% (%d/%d), false reports %d\n", corpus, 100*float64(found)/float64(len(want)), found, len(want), falseReports)
}
