//go:build linux

package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runBounded runs Run in the background and fails the test if it takes
// longer than limit or allocates more than maxAlloc bytes in all.
func runBounded(t *testing.T, limit time.Duration, maxAlloc uint64, roots []string, o Options) (*Report, error) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	type result struct {
		r   *Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := Run(context.Background(), roots, o)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > maxAlloc {
			t.Fatalf("the scan allocated %d MB, more than %d MB", grew>>20, maxAlloc>>20)
		}
		return res.r, res.err
	case <-time.After(limit):
		t.Fatalf("the scan of %v did not finish within %v", roots, limit)
		return nil, nil
	}
}

// mkfifo makes a named pipe and a writer that waits for someone to open
// it for reading; opened reports whether anyone did.
func mkfifo(t *testing.T, name string) (opened func() bool) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		w, err := os.OpenFile(name, os.O_WRONLY, 0) // blocks until a reader opens it
		if err == nil {
			close(got)
			w.Close()
		}
	}()
	t.Cleanup(func() { // release the writer
		if r, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			time.Sleep(10 * time.Millisecond)
			r.Close()
		}
	})
	return func() bool {
		select {
		case <-got:
			return true
		case <-time.After(50 * time.Millisecond):
			return false
		}
	}
}

func notReadLines(r *Report) string {
	var out []string
	for _, n := range r.NotRead {
		out = append(out, n.File+" ["+n.Reason+"] "+n.Detail)
	}
	return strings.Join(out, "\n")
}

// TestTheWalkNeverFollowsALinkNorOpensAPipe: a .gitignore that links to
// /dev/urandom (git stores such links), a .gitignore that is a named pipe,
// a source file that links to /dev/urandom, one that is a named pipe and a
// 2 MB .gitignore are each listed with the reason they were not read —
// in under 5 s and 64 MB, none of them opened — and the ordinary file
// beside them is scanned.
func TestTheWalkNeverFollowsALinkNorOpensAPipe(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ok.js":          legacyJS,
		"sub/ok.js":      legacyJS,
		"big/.gitignore": strings.Repeat("# a comment line of a huge ignore file\n", 2<<20/40),
		"big/ok.js":      legacyJS,
	})
	for _, l := range []struct{ name, target string }{{".gitignore", "/dev/urandom"}, {"a.js", "/dev/urandom"}, {"sub/zero.js", "/dev/zero"}} {
		if err := os.Symlink(l.target, filepath.Join(root, l.name)); err != nil {
			t.Fatal(err)
		}
	}
	pipeOpened := mkfifo(t, filepath.Join(root, "pipe.js"))
	ignoreOpened := mkfifo(t, filepath.Join(root, "sub", ".gitignore"))

	r, err := runBounded(t, 5*time.Second, 64<<20, []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		".gitignore [gitignore] a symbolic link, not followed: its patterns were not applied",
		"a.js [symlink] a symbolic link, not followed",
		"big/.gitignore [gitignore] larger than 1 MB: its patterns were not applied",
		"pipe.js [special] a named pipe (FIFO), not opened",
		"sub/.gitignore [gitignore] a named pipe (FIFO), not opened: its patterns were not applied",
		"sub/zero.js [symlink] a symbolic link, not followed",
	}, "\n")
	if got := notReadLines(r); got != want {
		t.Fatalf("not read:\n%s\nwant:\n%s", got, want)
	}
	if got := strings.Join(reportedFiles(r), " "); got != "big/ok.js ok.js sub/ok.js" || r.Summary.Files != 3 {
		t.Fatalf("reported %s in %d files", got, r.Summary.Files)
	}
	if pipeOpened() || ignoreOpened() {
		t.Fatal("a named pipe was opened for reading")
	}
}

// TestAPipeSocketOrDeviceGivenToScanIsRefusedUnopened: each is a usage
// error in one sentence that names it, found without opening it for
// reading; a link to /dev/urandom given by name too.
func TestAPipeSocketOrDeviceGivenToScanIsRefusedUnopened(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.js")
	opened := mkfifo(t, fifo)
	random := filepath.Join(dir, "random.js")
	if err := os.Symlink("/dev/urandom", random); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, c := range []struct{ path, msg string }{
		{fifo, "cannot scan " + fifo + ": it is a named pipe (FIFO), not a file or folder, and was not opened"},
		{random, "cannot scan " + random + ": it is a character device, not a file or folder, and was not opened"},
		{"/dev/zero", "cannot scan /dev/zero: it is a character device, not a file or folder, and was not opened"},
		{sock, "cannot scan " + sock + ": it is a socket, not a file or folder, and was not opened"},
	} {
		_, err := runBounded(t, 2*time.Second, 8<<20, []string{dir, c.path}, Options{})
		var ue *UsageError
		if !errors.As(err, &ue) || err.Error() != c.msg {
			t.Errorf("%s: %v\nwant %s", c.path, err, c.msg)
		}
	}
	if opened() {
		t.Fatal("the named pipe was opened for reading")
	}
}

// TestARootScanStillListsWhatItSkipped: as root (the suite's user) every
// file is readable, and the report still lists the binary, oversized,
// linked and special files it passed over.
func TestARootScanStillListsWhatItSkipped(t *testing.T) {
	root := writeTree(t, map[string]string{"a.js": legacyJS, "img.js": "\x00PNG" + legacyJS, "locked.js": legacyJS})
	if err := os.Chmod(filepath.Join(root, "locked.js"), 0); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(root, "big.js")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse: no 16 MB written
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(root, "p.js"))
	os.Symlink(filepath.Join(root, "a.js"), filepath.Join(root, "l.js"))
	r, err := runBounded(t, 5*time.Second, 64<<20, []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "big.js [too_big] larger than 16 MB\nimg.js [binary] binary (a NUL byte in its first 8 KB)\nl.js [symlink] a symbolic link, not followed\np.js [special] a named pipe (FIFO), not opened"
	if os.Geteuid() != 0 {
		want = "big.js [too_big] larger than 16 MB\nimg.js [binary] binary (a NUL byte in its first 8 KB)\nl.js [symlink] a symbolic link, not followed\nlocked.js [unreadable] permission denied\np.js [special] a named pipe (FIFO), not opened"
	}
	if got := notReadLines(r); got != want || r.Summary.Skipped != 2 {
		t.Fatalf("not read (skipped %d):\n%s\nwant:\n%s", r.Summary.Skipped, got, want)
	}
}

// asNobody runs the calling test again in a child process as the user
// nobody when the suite runs as root (root reads a file of mode 000), and
// reports whether the caller should run its body here: true in the child
// or for an ordinary user, false in the parent once the child passed.
func asNobody(t *testing.T) bool {
	t.Helper()
	if os.Getenv("TOKENSCOPE_TEST_AS_NOBODY") == t.Name() || os.Geteuid() != 0 {
		return true
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("the suite runs as root and there is no user nobody to run this test as: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	dir, err := os.MkdirTemp("", "tokenscope-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "scan.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Skipf("the suite runs as root and the test binary cannot be copied for nobody: %v", err)
	}
	cmd := exec.Command(bin, "-test.run", "^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TOKENSCOPE_TEST_AS_NOBODY="+t.Name(), "TMPDIR="+os.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as nobody (uid %d): %v\n%s", uid, err, out)
	}
	return false
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestUnreadablePathsAsAnOrdinaryUser (run as nobody when the suite runs
// as root): an unreadable file or folder inside the tree is listed and
// the scan goes on; one given by name stops the scan, naming it.
func TestUnreadablePathsAsAnOrdinaryUser(t *testing.T) {
	if !asNobody(t) {
		return
	}
	if os.Geteuid() == 0 {
		t.Fatal("still root")
	}
	root := writeTree(t, map[string]string{"a.js": legacyJS, "locked.js": legacyJS, "closed/b.js": legacyJS})
	for _, p := range []string{"locked.js", "closed"} {
		if err := os.Chmod(filepath.Join(root, p), 0); err != nil {
			t.Fatal(err)
		}
	}
	defer os.Chmod(filepath.Join(root, "closed"), 0o755) // so that the temporary folder can be removed
	r, err := runBounded(t, 5*time.Second, 32<<20, []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := notReadLines(r), "closed [unreadable] permission denied\nlocked.js [unreadable] permission denied"; got != want || len(r.Findings) != 1 {
		t.Fatalf("not read:\n%s\nwant\n%s\n(%d findings)", got, want, len(r.Findings))
	}
	if fmt.Sprint(r.Problems) != "[closed: permission denied locked.js: permission denied]" {
		t.Fatalf("problems %q", r.Problems)
	}
	for _, p := range []string{filepath.Join(root, "locked.js"), filepath.Join(root, "closed")} {
		_, err := Run(context.Background(), []string{p}, Options{})
		var ue *UsageError
		if !errors.As(err, &ue) || err.Error() != "cannot scan "+p+": permission denied" {
			t.Errorf("%s: %v", p, err)
		}
	}
}
