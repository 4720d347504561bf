package scan

import (
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
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bmatcuk/doublestar/v4"
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

// MaxIgnoreSize is the largest .gitignore the walk reads; a bigger one is
// listed as not read and its patterns are not applied.
const MaxIgnoreSize = 1 << 20

// NotRead is a file the scan passed over, and why.
type NotRead struct {
	File string `json:"file"`
	// Reason is too_big, binary, unreadable, symlink, special (a named
	// pipe, socket or device) or gitignore (a .gitignore not applied).
	Reason string `json:"reason"`
	// Detail says it for people: "larger than 16 MB", "permission denied".
	Detail string `json:"detail"`
}

// Capped is a file where one endpoint and kind of finding reached the
// per-file cap.
type Capped struct {
	File     string `json:"file"`
	Endpoint string `json:"endpoint"`
	Code     string `json:"code"`
	Listed   int    `json:"listed"`
	Dropped  int    `json:"dropped"`
}

// UsageError is a problem with what the user asked for (a missing path, a
// bad glob), as opposed to a file that could not be read mid-scan.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run scans each root (a directory or a file). A root that cannot be read,
// or is not a regular file or folder, is a *UsageError (nothing is opened
// for reading first); a file that cannot be read mid-walk is listed in
// Report.NotRead (and Problems) and the scan goes on. Inside the roots no
// symbolic link is followed and only regular files are opened.
func Run(ctx context.Context, roots []string, o Options) (*Report, error) {
	for _, g := range o.Exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, &UsageError{fmt.Errorf("the exclude glob %q is not valid: use *, ** and {a,b} as in .gitignore", g)}
		}
	}
	var rs []root
	for _, r := range roots {
		dir, err := checkRoot(r)
		if err != nil {
			return nil, err
		}
		prefix := ""
		if len(roots) > 1 {
			prefix = filepath.ToSlash(filepath.Clean(r)) + "/"
			if !dir {
				prefix = filepath.ToSlash(filepath.Dir(filepath.Clean(r))) + "/"
			}
		}
		rs = append(rs, root{path: r, prefix: prefix, dir: dir})
	}
	var (
		report        = &Report{roots: rs}
		mu            sync.Mutex
		flags         []flagHit
		allPins       []pin
		modules       []*moduleInfo
		absOf         = map[string]string{}
		caps          = map[string][]Capped{}
		files, nbytes atomic.Int64
	)
	problem := func(rel string, err error) {
		mu.Lock()
		defer mu.Unlock()
		n := notRead(rel, err)
		report.NotRead = append(report.NotRead, n)
		switch n.Reason {
		case "too_big", "binary":
			report.Summary.Skipped++
		case "unreadable":
			report.Problems = append(report.Problems, rel+": "+n.Detail)
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
		if c := cappedIn(f); c != nil {
			caps[f.rel] = c
		}
		if len(f.exports)+len(f.imports) > 0 {
			modules = append(modules, &moduleInfo{rel: f.rel, exports: f.exports, imports: f.imports})
			absOf[f.rel] = abs
		}
	})
	if err == nil {
		err = followModules(ctx, rs, o, report, modules, absOf, caps, &flags)
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
	classifyDelegations(report)
	for _, c := range caps {
		report.Capped = append(report.Capped, c...)
	}
	sort.Slice(report.Capped, func(i, j int) bool {
		a, b := report.Capped[i], report.Capped[j]
		return a.File < b.File || a.File == b.File && a.Code < b.Code
	})
	sort.Slice(report.NotRead, func(i, j int) bool { return report.NotRead[i].File < report.NotRead[j].File })
	sort.Strings(report.Problems)
	if report.NotRead == nil {
		report.NotRead = []NotRead{}
	}
	if report.Capped == nil {
		report.Capped = []Capped{}
	}
	return report, nil
}

// cappedIn lists where a file's findings reached the cap.
func cappedIn(f *fileScan) []Capped {
	var out []Capped
	for k, n := range f.dropped {
		out = append(out, Capped{File: f.rel, Endpoint: k.endpoint, Code: k.code, Listed: f.kept[k], Dropped: n})
	}
	return out
}

// checkRoot looks at a path given to scan without opening it for reading
// unless it is a regular file or a folder: a named pipe, socket or device
// is refused, as is a path that cannot be read. A symbolic link given by
// name is followed (the user chose it); none is followed inside it.
func checkRoot(name string) (dir bool, err error) {
	st, err := os.Stat(name)
	if err != nil {
		return false, &UsageError{fmt.Errorf("cannot scan %s: %w", name, unwrapPath(err))}
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		return false, &UsageError{fmt.Errorf("cannot scan %s: it is %s, not a file or folder, and was not opened", name, kindOf(st.Mode()))}
	}
	flags := os.O_RDONLY | nonBlocking
	if st.IsDir() {
		flags |= dirOnly
	}
	f, err := os.OpenFile(name, flags, 0)
	if err != nil {
		return false, &UsageError{fmt.Errorf("cannot scan %s: %w", name, unwrapPath(err))}
	}
	defer f.Close()
	if st.IsDir() {
		if _, err := f.ReadDir(1); err != nil && !errors.Is(err, io.EOF) {
			return false, &UsageError{fmt.Errorf("cannot scan %s: %w", name, unwrapPath(err))}
		}
	}
	return st.IsDir(), nil
}

// kindOf names a file type that is neither a regular file nor a folder.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "not a regular file"
}

// root is one path to scan and the prefix its files get in the report.
type root struct {
	path, prefix string
	dir          bool
}

// eachFile walks every root and reads each file it keeps, in parallel (one
// worker per CPU, each with a buffer it reuses), handing the bytes to fn.
func eachFile(ctx context.Context, rs []root, o Options, problem func(rel string, err error), fn func(abs, rel string, data []byte)) error {
	type job struct {
		abs, rel string
		follow   bool
	}
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
				data, err := readSmall(j.abs, &buf, j.follow)
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
		if !r.dir { // a file given by name: its link, if it is one, is followed
			jobs <- job{abs: r.path, rel: r.prefix + filepath.Base(r.path), follow: true}
			continue
		}
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
func followModules(ctx context.Context, rs []root, o Options, report *Report, modules []*moduleInfo, absOf map[string]string, caps map[string][]Capped, flags *[]flagHit) error {
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
		data, err := readSmall(absOf[m.rel], &buf, false)
		if err != nil {
			continue
		}
		f := scanFile(m.rel, data, seeds)
		linked[m.rel] = f.out
		caps[m.rel] = cappedIn(f)
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
		caps[rel] = cappedIn(f)
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
	errTooBig     = errors.New("larger than 16 MB")
	errBinary     = errors.New("binary (a NUL byte in its first 8 KB)")
	errSymlink    = errors.New("a symbolic link, not followed")
	errIgnoreSize = fmt.Errorf("larger than %d MB: its patterns were not applied", MaxIgnoreSize>>20)
)

// specialError is a file that is no regular file (a named pipe, a socket,
// a device): it is never read.
type specialError struct{ mode fs.FileMode }

func (e specialError) Error() string { return kindOf(e.mode) + ", not opened" }

// notRead says why rel was not read.
func notRead(rel string, err error) NotRead {
	var se specialError
	reason := "unreadable"
	switch {
	case errors.Is(err, errTooBig):
		reason = "too_big"
	case errors.Is(err, errBinary):
		reason = "binary"
	case errors.Is(err, errSymlink):
		reason = "symlink"
	case errors.As(err, &se):
		reason = "special"
	}
	if path.Base(rel) == ".gitignore" {
		reason = "gitignore"
		if !errors.Is(err, errIgnoreSize) {
			err = fmt.Errorf("%w: its patterns were not applied", unwrapPath(err))
		}
	}
	return NotRead{File: rel, Reason: reason, Detail: unwrapPath(err).Error()}
}

// openRegular opens name for reading only if it is a regular file: never
// through a symbolic link unless follow, and never waiting on a named
// pipe (it is opened non-blocking, then refused for its type, unread).
func openRegular(name string, follow bool) (*os.File, fs.FileInfo, error) {
	flags := os.O_RDONLY | nonBlocking
	if !follow {
		flags |= noFollow
	}
	f, err := os.OpenFile(name, flags, 0)
	if err != nil {
		if isLinkErr(err) {
			return nil, nil, errSymlink
		}
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = specialError{st.Mode()}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// readSmall reads a regular file into *buf (grown as needed, so a worker
// allocates once, not per file) unless it is too big or binary (a NUL byte
// in its first 8 KB, as git and ripgrep decide). It never reads more than
// MaxFileSize, even from a file that grows while it is read.
func readSmall(name string, buf *[]byte, follow bool) ([]byte, error) {
	f, st, err := openRegular(name, follow)
	if err != nil {
		return nil, err
	}
	defer f.Close()
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

// skippedDirs are version-control folders, never scanned.
var skippedDirs = map[string]bool{".git": true, ".hg": true, ".svn": true}

// walk visits the files under the folder root in a stable order,
// honouring each folder's .gitignore (git's rules, indexed: see
// ignoreFile), the vendored-folder list and the --exclude globs. It never
// follows a symbolic link and visits only regular files; the links and
// special files it meets where it would have read a file are reported
// through problem.
func walk(ctx context.Context, root string, o Options, visit func(abs, rel string), problem func(rel string, err error)) error {
	var rec func(dir string, parts []string, ignores []*ignoreFile) error
	rec = func(dir string, parts []string, ignores []*ignoreFile) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := readDir(dir, len(parts) == 0)
		if err != nil {
			if len(parts) == 0 {
				return &UsageError{fmt.Errorf("cannot scan %s: %w", root, unwrapPath(err))}
			}
			problem(strings.Join(parts, "/"), err)
			return nil
		}
		for _, e := range entries {
			if e.Name() != ".gitignore" || e.IsDir() {
				continue
			}
			rel := strings.Join(append(slices.Clip(parts), ".gitignore"), "/")
			lines, err := readIgnore(filepath.Join(dir, ".gitignore"), e.Type())
			if err != nil {
				problem(rel, err)
			} else if f := parseIgnore(lines, len(parts)); len(f.pats) > 0 {
				ignores = append(slices.Clip(ignores), f)
			}
		}
		for _, e := range entries {
			name := e.Name()
			if name == ".gitignore" && !e.IsDir() {
				continue // read above
			}
			p := append(slices.Clip(parts), name)
			rel := strings.Join(p, "/")
			isDir := e.IsDir()
			if isDir && (skippedDirs[name] || !o.IncludeVendor && vendored[name]) {
				continue
			}
			if ignored(ignores, p, isDir) || excluded(o.Exclude, rel) {
				continue
			}
			abs := filepath.Join(dir, name)
			if isDir {
				if err := rec(abs, p, ignores); err != nil {
					return err
				}
				continue
			}
			switch t := e.Type(); {
			case t&fs.ModeSymlink != 0:
				problem(rel, errSymlink) // never leave the tree, never loop
			case languageOf(rel) == "" && !isManifest(rel):
			case !t.IsRegular():
				problem(rel, specialError{t})
			default:
				visit(abs, rel)
			}
		}
		return nil
	}
	return rec(root, nil, nil)
}

// readDir lists a folder, sorted by name, without following a symbolic
// link to one (but for the root, which the user named).
func readDir(name string, isRoot bool) ([]fs.DirEntry, error) {
	flags := os.O_RDONLY | dirOnly
	if !isRoot {
		flags |= noFollow
	}
	f, err := os.OpenFile(name, flags, 0)
	if err != nil {
		if isLinkErr(err) {
			return nil, errSymlink
		}
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
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

// readIgnore reads a .gitignore's lines if it is a regular file of at most
// MaxIgnoreSize: a link (git stores them; one could point at /dev/urandom)
// or a named pipe is refused unread.
func readIgnore(name string, t fs.FileMode) ([]string, error) {
	if t&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	if !t.IsRegular() {
		return nil, specialError{t}
	}
	f, st, err := openRegular(name, false)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > MaxIgnoreSize {
		return nil, errIgnoreSize
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxIgnoreSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxIgnoreSize {
		return nil, errIgnoreSize
	}
	return strings.Split(string(data), "\n"), nil
}

// ReadText reads a regular file of at most max bytes, for showing it:
// never through a symbolic link, never from a named pipe or a device.
func ReadText(name string, max int64) ([]byte, error) {
	f, st, err := openRegular(name, false)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, min(st.Size(), max)))
	if err != nil {
		return nil, err
	}
	return data, nil
}
