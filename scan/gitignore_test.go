package scan

import (
	"context"
	"fmt"
	"math/rand"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

// walkedFiles lists what the walk visits under root.
func walkedFiles(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	err := walk(context.Background(), root, Options{IncludeVendor: true}, func(_, rel string) { got = append(got, rel) }, func(string, error) {})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	return got
}

// TestGitignoreMatchesWhatGitIgnores compares the walk with git itself
// (git ls-files --others --exclude-standard) on nested .gitignore files
// with negation, anchoring, folder-only patterns, ** at the start, middle
// and end, character classes, escapes and patterns indexed every way.
func TestGitignoreMatchesWhatGitIgnores(t *testing.T) {
	t.Parallel()
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: the peer this test compares with")
	}
	files := map[string]string{
		".gitignore": strings.Join([]string{
			"# generated", "*.gen.js", "!keep.gen.js", "/top.js", "build/", "**/cache/*.js", "docs/**/*.js", "!docs/keep.js",
			"tmp-*", "*-old.js", "a?c.js", "[xy]z.js", "deep/**/x.js", "/anch/sub/", "foo/bar.js", `\#hash.js`, "logs", "!logs",
			"out/**", "**/vendor-copy", "only-dir.js/", "  ", "trailing.js   ",
		}, "\n") + "\n",
		"sub/.gitignore": "*.js\n!sub-keep.js\n/top.js\n",
	}
	for _, f := range []string{
		"a.js", "x.gen.js", "keep.gen.js", "src/keep.gen.js", "top.js", "src/top.js", "build/a.js", "src/build/a.js",
		"cache/a.js", "src/cache/a.js", "src/cache/deeper/a.js", "docs/a.js", "docs/x/y/a.js", "docs/keep.js",
		"tmp-1.js", "src/tmp-2/a.js", "lib-old.js", "abc.js", "abbc.js", "xz.js", "zz.js", "deep/x.js", "deep/a/b/x.js",
		"deep/a/y.js", "anch/sub/a.js", "src/anch/sub/a.js", "foo/bar.js", "src/foo/bar.js", "#hash.js", "logs/a.js",
		"out/a.js", "out/b/c.js", "src/vendor-copy/a.js", "vendor-copy", "only-dir.js", "dir.js/only-dir.js/a.js", "trailing.js",
		"sub/a.js", "sub/sub-keep.js", "sub/top.js", "sub/deeper/b.js",
	} {
		if f == "vendor-copy" {
			continue
		}
		files[f] = "x\n"
	}
	root := writeTree(t, files)
	cmd := exec.Command(gitBin, "-c", "core.excludesFile=/dev/null", "ls-files", "--others", "--exclude-standard")
	cmd.Dir = root
	if err := exec.Command(gitBin, "-C", root, "init", "-q").Run(); err != nil {
		t.Skipf("git init: %v", err)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasSuffix(l, ".js") {
			want = append(want, l)
		}
	}
	sort.Strings(want)
	if len(want) < 10 {
		t.Fatalf("git kept only %q", want)
	}
	if got := walkedFiles(t, root); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the walk kept:\n%s\ngit keeps:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAGitignoreOfTenThousandLinesIsMatchedInLinearTime: over 2,000
// files, a 10,000-line .gitignore of names, folders, extensions, prefixes
// and anchored paths costs a few pattern matches per file, not 10,000.
func TestAGitignoreOfTenThousandLinesIsMatchedInLinearTime(t *testing.T) {
	t.Parallel()
	lines := bigIgnore(10000)
	f := parseIgnore(lines, 0)
	if len(f.pats) != 10000 {
		t.Fatalf("%d patterns", len(f.pats))
	}
	ignoredN := 0
	for i := 0; i < 2000; i++ {
		parts := []string{fmt.Sprintf("pkg%d", i%50), fmt.Sprintf("file%d.js", i)}
		if ignored([]*ignoreFile{f}, parts[:1], true) {
			continue
		}
		if ignored([]*ignoreFile{f}, parts, false) {
			ignoredN++
		}
	}
	if f.tried > 4*4000 || ignoredN == 0 {
		t.Fatalf("%d pattern matches for 4,000 paths (%d ignored)", f.tried, ignoredN)
	}
}

// bigIgnore is n lines of the kinds a large .gitignore holds.
func bigIgnore(n int) []string {
	var lines []string
	for i := 0; len(lines) < n; i++ {
		switch i % 8 {
		case 0:
			lines = append(lines, fmt.Sprintf("file%d.js", i*7))
		case 1:
			lines = append(lines, fmt.Sprintf("generated-%d/", i))
		case 2:
			lines = append(lines, fmt.Sprintf("*.tmp%d", i))
		case 3:
			lines = append(lines, fmt.Sprintf("cache-%d-*", i))
		case 4:
			lines = append(lines, fmt.Sprintf("/pkg%d/file%d.js", i%50, i*3))
		case 5:
			lines = append(lines, fmt.Sprintf("!file%d.js", i*5))
		case 6:
			lines = append(lines, fmt.Sprintf("**/build-%d", i))
		case 7:
			lines = append(lines, fmt.Sprintf("pkg%d/**/out%d.js", i%50, i))
		}
	}
	return lines
}

// TestGitignoreAgreesWithGitOnGeneratedPatterns: 25 trees, each with a
// root and a nested .gitignore of generated patterns (wildcards, classes
// with [ab] and [!a], ** at the start, middle and end, anchoring,
// folder-only patterns, negation) over generated paths; the walk keeps
// exactly the files git ls-files --others --exclude-standard lists.
func TestGitignoreAgreesWithGitOnGeneratedPatterns(t *testing.T) {
	t.Parallel()
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: the peer this test compares with")
	}
	for seed := int64(1); seed <= 25; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		names := []string{"a", "b", "ab", "abc", "x", "build", "out", "src", "lib", "ba"}
		pick := func() string { return names[rnd.Intn(len(names))] }
		comp := func() string {
			switch rnd.Intn(8) {
			case 0:
				return "*"
			case 1:
				return pick() + "*"
			case 2:
				return "*" + pick()
			case 3:
				return "**"
			case 4:
				return "[ab]" + pick()
			case 5:
				return pick() + "?"
			case 6:
				return "[!a]" + pick()
			}
			return pick()
		}
		var lines []string
		for i := 0; i < 12; i++ {
			n := 1 + rnd.Intn(3)
			var cs []string
			for j := 0; j < n; j++ {
				cs = append(cs, comp())
			}
			p := strings.Join(cs, "/")
			if rnd.Intn(4) == 0 {
				p = "/" + p
			}
			if rnd.Intn(4) == 0 {
				p += "/"
			}
			if rnd.Intn(5) == 0 {
				p = "!" + p
			}
			if rnd.Intn(3) == 0 {
				p += ".js"
			}
			lines = append(lines, p)
		}
		files := map[string]string{".gitignore": strings.Join(lines[:8], "\n") + "\n", "a/.gitignore": strings.Join(lines[8:], "\n") + "\n"}
		for i := 0; i < 60; i++ {
			n := 1 + rnd.Intn(3)
			var cs []string
			for j := 0; j < n; j++ {
				cs = append(cs, pick())
			}
			files[strings.Join(cs, "/")+".js"] = "x\n"
		}
		// a name is a file or a folder, not both
		for f := range files {
			for g := range files {
				if strings.HasPrefix(g, strings.TrimSuffix(f, ".js")+".js/") {
					delete(files, g)
				}
			}
		}
		root := writeTree(t, files)
		if err := exec.Command(gitBin, "-C", root, "init", "-q").Run(); err != nil {
			t.Skipf("git init: %v", err)
		}
		cmd := exec.Command(gitBin, "-c", "core.excludesFile=/dev/null", "ls-files", "--others", "--exclude-standard")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git ls-files: %v", err)
		}
		var want []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if strings.HasSuffix(l, ".js") {
				want = append(want, l)
			}
		}
		sort.Strings(want)
		got := walkedFiles(t, root)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			gs, ws := map[string]bool{}, map[string]bool{}
			for _, g := range got {
				gs[g] = true
			}
			for _, w := range want {
				ws[w] = true
			}
			var diff []string
			for g := range gs {
				if !ws[g] {
					diff = append(diff, "we keep, git ignores: "+g)
				}
			}
			for w := range ws {
				if !gs[w] {
					diff = append(diff, "git keeps, we ignore: "+w)
				}
			}
			sort.Strings(diff)
			t.Errorf("seed %d patterns %q:\n%s", seed, lines, strings.Join(diff, "\n"))
		}
	}
}

// TestAHostileGitignorePatternStaysLinear: "a/**/a/**/…" 2,000 times over
// a path 40 names deep, which a backtracking matcher takes exponential
// time on, is decided in well under a second.
func TestAHostileGitignorePatternStaysLinear(t *testing.T) {
	pattern := strings.Repeat("a/**/", 2000) + "b.js"
	path := strings.Repeat("a/", 40) + "c.js"
	f := parseIgnore([]string{pattern}, 0)
	done := make(chan bool, 1)
	go func() { done <- ignored([]*ignoreFile{f}, strings.Split(path, "/"), false) }()
	select {
	case got := <-done:
		if got {
			t.Fatal("c.js matched a pattern for b.js")
		}
	case <-time.After(time.Second):
		t.Fatal("one pattern took more than a second")
	}
	if !ignored([]*ignoreFile{parseIgnore([]string{"a/**/a/**/c.js"}, 0)}, strings.Split(path, "/"), false) {
		t.Fatal("a/**/a/**/c.js does not match " + path)
	}
}
