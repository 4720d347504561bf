package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// Options tune a scan.
type Options struct {
	IncludeVendor bool     // read node_modules/, vendor/, Pods/ and the like too
	Exclude       []string // globs (doublestar syntax, ** for any depth) of paths to skip
	Workers       int      // files read at once; 0 means one per CPU
	// Progress, when set, is called about ten times a second from another
	// goroutine with the files and bytes read so far.
	Progress func(files int, bytes int64)
}

// MaxFileSize is the largest file the scanner reads; bigger ones are
// counted as skipped (they are generated or data).
const MaxFileSize = 16 << 20

// vendored directories hold other people's code: skipped unless asked.
var vendored = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true, "vendor": true, "Pods": true, "Carthage": true,
	"third_party": true, "third-party": true, "site-packages": true, ".venv": true, "venv": true, "packages": true, ".bundle": true,
}

// UsageError is a problem with what the user asked for (a missing path, a
// bad glob), as opposed to a file that could not be read mid-scan.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run scans each root (a directory or a file). A root that cannot be read
// is a *UsageError; a file that cannot be read mid-walk is listed in
// Report.Problems and the scan goes on.
func Run(ctx context.Context, roots []string, o Options) (*Report, error) {
	for _, g := range o.Exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, &UsageError{fmt.Errorf("the exclude glob %q is not valid: use *, ** and {a,b} as in .gitignore", g)}
		}
	}
	var rs []root
	for _, r := range roots {
		st, err := os.Stat(r)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("cannot scan %s: %w", r, unwrapPath(err))}
		}
		prefix := ""
		if len(roots) > 1 {
			prefix = filepath.ToSlash(filepath.Clean(r)) + "/"
		}
		if !st.IsDir() && len(roots) > 1 {
			prefix = filepath.ToSlash(filepath.Dir(filepath.Clean(r))) + "/"
		}
		rs = append(rs, root{path: r, prefix: prefix})
	}
	var (
		report        = &Report{}
		mu            sync.Mutex
		flags         []flagHit
		allPins       []pin
		modules       []*moduleInfo
		absOf         = map[string]string{}
		files, nbytes atomic.Int64
	)
	problem := func(rel string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if errors.Is(err, errTooBig) || errors.Is(err, errBinary) {
			report.Summary.Skipped++
		} else {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: %v", rel, unwrapPath(err)))
		}
	}
	stop, ticking := make(chan struct{}), make(chan struct{})
	if o.Progress == nil {
		close(ticking)
	} else {
		go func() {
			defer close(ticking)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					o.Progress(int(files.Load()), nbytes.Load())
				}
			}
		}()
	}
	err := eachFile(ctx, rs, o, problem, func(abs, rel string, data []byte) {
		files.Add(1)
		nbytes.Add(int64(len(data)))
		var ps []pin
		if isManifest(rel) {
			ps = pins(rel, data)
		} else if l := languageOf(rel); l == "html" || l == "php" || l == "js" {
			ps = cdnPins(rel, data)
		}
		f := scanFile(rel, data, nil)
		if len(f.out)+len(f.flags)+len(ps)+len(f.exports)+len(f.imports) == 0 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		report.Findings = append(report.Findings, f.out...)
		flags = append(flags, f.flags...)
		allPins = append(allPins, ps...)
		if len(f.exports)+len(f.imports) > 0 {
			modules = append(modules, &moduleInfo{rel: f.rel, exports: f.exports, imports: f.imports})
			absOf[f.rel] = abs
		}
	})
	if err == nil {
		err = followModules(ctx, rs, o, report, modules, absOf, &flags, problem)
	}
	close(stop)
	<-ticking // no Progress call after Run returns
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(int(files.Load()), nbytes.Load())
	}
	report.Summary.Files, report.Summary.Bytes = int(files.Load()), nbytes.Load()
	resolve(report, flags, allPins)
	return report, nil
}

// root is one path to scan and the prefix its files get in the report.
type root struct{ path, prefix string }

// eachFile walks every root and reads each file it keeps, in parallel (one
// worker per CPU, each with a buffer it reuses), handing the bytes to fn.
func eachFile(ctx context.Context, rs []root, o Options, problem func(rel string, err error), fn func(abs, rel string, data []byte)) error {
	type job struct{ abs, rel string }
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte // reused: the scanners copy what they keep
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				data, err := readSmall(j.abs, &buf)
				if err != nil {
					problem(j.rel, err)
					continue
				}
				fn(j.abs, j.rel, data)
			}
		}()
	}
	var walkErr error
	for _, r := range rs {
		err := walk(ctx, r.path, o, func(abs, rel string) {
			jobs <- job{abs: abs, rel: r.prefix + rel}
		}, func(rel string, err error) { problem(r.prefix+rel, err) })
		if err != nil {
			walkErr = err
			break
		}
	}
	close(jobs)
	wg.Wait()
	return walkErr
}

// followModules follows SDK objects that JavaScript modules export into
// the modules that import them. Modules the first pass read are linked
// from what it recorded; when some module exports an SDK object, the
// JavaScript files the prefilter passed over (an importer need not name
// Auth0) are read again for their relative imports.
func followModules(ctx context.Context, rs []root, o Options, report *Report, modules []*moduleInfo, absOf map[string]string, flags *[]flagHit, problem func(string, error)) error {
	exports := exportIndex(modules)
	if len(exports) == 0 {
		return nil
	}
	var buf []byte
	linked := map[string][]Finding{}
	for _, m := range modules {
		seeds := seedsFor(m.imports, exports)
		if len(seeds) == 0 {
			continue
		}
		data, err := readSmall(absOf[m.rel], &buf)
		if err != nil {
			continue
		}
		f := scanFile(m.rel, data, seeds)
		linked[m.rel] = f.out
		*flags = append(*flags, f.flags...)
	}
	// An import of an exporting module spells its file's (or, for an
	// index file, its folder's) name: a cheap test before lexing.
	var names [][]byte
	for key := range exports {
		if b := path.Base(key); b != "index" {
			names = append(names, []byte(b))
		}
	}
	var mu sync.Mutex
	err := eachFile(ctx, rs, o, func(string, error) {}, func(abs, rel string, data []byte) {
		if _, seen := absOf[rel]; seen || !linksModules(languageOf(rel)) {
			return
		}
		if _, any := worthReading(data); any {
			return // the first pass read it and found no relative import
		}
		if !slices.ContainsFunc(names, func(n []byte) bool { return bytes.Contains(data, n) }) {
			return
		}
		seeds := seedsFor(importsOf(rel, data), exports)
		if len(seeds) == 0 {
			return
		}
		f := scanFile(rel, data, seeds)
		mu.Lock()
		linked[rel] = f.out
		*flags = append(*flags, f.flags...)
		mu.Unlock()
	})
	kept := report.Findings[:0]
	for _, f := range report.Findings {
		if _, again := linked[f.File]; !again {
			kept = append(kept, f)
		}
	}
	report.Findings = kept
	for _, fs := range linked {
		report.Findings = append(report.Findings, fs...)
	}
	return err
}

// unwrapPath drops the *PathError's own path and verb: the caller says
// which path; the reason ("permission denied") is what is left.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var (
	errTooBig = errors.New("larger than 16 MB")
	errBinary = errors.New("binary")
)

// readSmall reads a file into *buf (grown as needed, so a worker allocates
// once, not per file) unless it is too big or binary (a NUL byte in its
// first 8 KB, as git and ripgrep decide).
func readSmall(name string, buf *[]byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, errTooBig
	}
	if int64(cap(*buf)) < st.Size() {
		*buf = make([]byte, st.Size()+st.Size()/4)
	}
	data := (*buf)[:st.Size()]
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	data = data[:n]
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, errBinary
	}
	return data, nil
}

// walk visits the files under root in a stable order, honouring each
// directory's .gitignore (git's rules, through go-git's matcher), the
// vendored-directory list and the --exclude globs.
func walk(ctx context.Context, root string, o Options, visit func(abs, rel string), problem func(rel string, err error)) error {
	st, err := os.Stat(root)
	if err != nil {
		return &UsageError{fmt.Errorf("cannot scan %s: %w", root, unwrapPath(err))}
	}
	if !st.IsDir() {
		visit(root, filepath.Base(root))
		return nil
	}
	var rec func(dir string, parts []string, patterns []gitignore.Pattern) error
	rec = func(dir string, parts []string, patterns []gitignore.Pattern) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			if len(parts) == 0 {
				return &UsageError{fmt.Errorf("cannot scan %s: %w", root, unwrapPath(err))}
			}
			problem(strings.Join(parts, "/"), err)
			return nil
		}
		if ps := readIgnore(filepath.Join(dir, ".gitignore"), parts); len(ps) > 0 {
			patterns = append(append([]gitignore.Pattern(nil), patterns...), ps...)
		}
		m := gitignore.NewMatcher(patterns)
		for _, e := range entries {
			name := e.Name()
			p := append(append([]string(nil), parts...), name)
			rel := strings.Join(p, "/")
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				continue // never leave the tree, never loop
			}
			if isDir && (name == ".git" || name == ".hg" || name == ".svn" || !o.IncludeVendor && vendored[name]) {
				continue
			}
			if m.Match(p, isDir) || excluded(o.Exclude, rel) {
				continue
			}
			abs := filepath.Join(dir, name)
			if isDir {
				if err := rec(abs, p, patterns); err != nil {
					return err
				}
				continue
			}
			if !e.Type().IsRegular() || (languageOf(rel) == "" && !isManifest(rel)) {
				continue
			}
			visit(abs, rel)
		}
		return nil
	}
	return rec(root, nil, nil)
}

func excluded(globs []string, rel string) bool {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if !strings.Contains(g, "/") {
			if ok, _ := doublestar.Match(g, base); ok {
				return true
			}
		}
	}
	return false
}

func readIgnore(name string, domain []string) []gitignore.Pattern {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ps []gitignore.Pattern
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimRight(s.Text(), " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}
