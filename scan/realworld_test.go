package scan

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// The real-world set: public repositories that call the legacy endpoints,
// each read at a pinned commit (testdata/realworld/repos.txt), and the
// lines a reviewer marked in them (expected.txt). Their code is not ours:
// only the list and the marks live here. TOKENSCOPE_REALWORLD names a
// directory holding one checkout per repository, named OWNER+NAME
// (testdata/realworld/README.md says how to make one).

// realWorldFloor is what the scanner must keep on the set: the recall it
// reached and the false reports it had when the figures were last taken.
const (
	realWorldMinRecall       = 0.97 // 68 of 70 marks (42.9%, 30 of 70, before issue 19)
	realWorldMaxFalseReports = 4    // AuthenticateAsync in auth0.net's own 4.0 tests: no manifest pins the SDK
)

// realMark is one reviewer's mark: a legacy call at path:line, or a file
// read whole that has none (line 0).
type realMark struct {
	repo, path string
	line       int
	endpoint   string
}

func readRealWorld(t *testing.T) (repos map[string]string, marks []realMark) {
	t.Helper()
	repos = map[string]string{}
	for _, f := range []string{"repos.txt", "expected.txt"} {
		file, err := os.Open(filepath.Join("testdata", "realworld", f))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		s := bufio.NewScanner(file)
		for s.Scan() {
			fields := strings.Fields(s.Text())
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			if f == "repos.txt" {
				repos[fields[0]] = fields[1]
				continue
			}
			m := realMark{repo: fields[0], endpoint: fields[2]}
			if fields[2] == "clean" {
				m.path, m.endpoint = fields[1], ""
			} else {
				p, l, _ := strings.Cut(fields[1], ":")
				n, err := strconv.Atoi(l)
				if err != nil {
					t.Fatalf("%s: %q has no line", f, s.Text())
				}
				m.path, m.line = p, n
			}
			if _, ok := repos[m.repo]; !ok {
				t.Fatalf("expected.txt: %s is not in repos.txt", m.repo)
			}
			marks = append(marks, m)
		}
	}
	return repos, marks
}

// TestRealWorldRecallAndFalseReports scans each local checkout of the
// real-world set and compares what is reported at warning or error with
// the reviewer's marks: a mark is found when a finding for its endpoint
// starts on its line or up to three lines above (a call chain written over
// several lines is reported where it starts); a finding in a marked file
// that matches no mark is a false report.
func TestRealWorldRecallAndFalseReports(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("TOKENSCOPE_REALWORLD")
	if dir == "" {
		t.Skip("TOKENSCOPE_REALWORLD is not set: no local copy of the real-world set (testdata/realworld/README.md)")
	}
	repos, marks := readRealWorld(t)
	found, want, falseReports, scanned := 0, 0, 0, 0
	byRepo := map[string][]realMark{}
	for _, m := range marks {
		byRepo[m.repo] = append(byRepo[m.repo], m)
	}
	for repo := range repos {
		root := filepath.Join(dir, strings.ReplaceAll(repo, "/", "+"))
		if _, err := os.Stat(root); err != nil {
			t.Logf("%s: no local copy at %s, left out", repo, root)
			continue
		}
		scanned++
		r, err := Run(context.Background(), []string{root}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]bool{}
		for _, m := range byRepo[repo] {
			files[m.path] = true
		}
		matched := make([]bool, len(byRepo[repo]))
		for _, f := range r.Findings {
			if f.Severity == finding.SeverityInfo {
				continue
			}
			if !files[f.File] {
				if os.Getenv("TOKENSCOPE_REALWORLD_ALL") != "" { // to review files nobody marked yet
					t.Logf("unmarked: %s %s:%d %s %s", repo, f.File, f.Line, f.Endpoint, f.Source)
				}
				continue
			}
			hit := false
			for i, m := range byRepo[repo] {
				if m.path == f.File && m.endpoint == f.Endpoint && f.Line <= m.line && f.Line >= m.line-3 {
					matched[i], hit = true, true
				}
			}
			if !hit {
				falseReports++
				t.Logf("false report: %s %s:%d %s %s", repo, f.File, f.Line, f.Endpoint, f.Code)
			}
		}
		for i, m := range byRepo[repo] {
			if m.line == 0 {
				continue
			}
			want++
			if matched[i] {
				found++
			} else {
				t.Logf("missed: %s %s:%d %s", repo, m.path, m.line, m.endpoint)
			}
		}
	}
	if want == 0 {
		t.Skipf("none of the %d repositories has a local copy under %s", len(repos), dir)
	}
	recall := float64(found) / float64(want)
	fmt.Printf("scan real world (%d repositories): recall %.1f%% (%d/%d), false reports %d\n", scanned, 100*recall, found, want, falseReports)
	if scanned == len(repos) && (recall < realWorldMinRecall || falseReports > realWorldMaxFalseReports) {
		t.Errorf("recall %.1f%% (floor %.1f%%), %d false reports (ceiling %d)", 100*recall, 100*realWorldMinRecall, falseReports, realWorldMaxFalseReports)
	}
}
