//go:build linux

package app

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScanOfAPipeOrADeviceExitsTwoAtOnceAndATreeOfTrapsFinishes, as a
// real process: a named pipe or a link to /dev/urandom given by name is
// refused unopened; a tree whose .gitignore links to /dev/urandom and
// whose source file is a named pipe is scanned, and the report says what
// was not read.
func TestScanOfAPipeOrADeviceExitsTwoAtOnceAndATreeOfTrapsFinishes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.js")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	random := filepath.Join(dir, "random.js")
	os.Symlink("/dev/urandom", random)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range []struct{ path, what string }{{fifo, "a named pipe (FIFO)"}, {random, "a character device"}} {
		var out, errb bytes.Buffer
		cmd := cli(ctx, t.TempDir(), nil, "scan", c.path)
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != ExitUsage || out.Len() != 0 ||
			errb.String() != "tokenscope scan: cannot scan "+c.path+": it is "+c.what+", not a file or folder, and was not opened\n" {
			t.Fatalf("%s: %v, stdout %q, stderr %q", c.path, err, out.String(), errb.String())
		}
	}
	tree := t.TempDir()
	os.WriteFile(filepath.Join(tree, "a.js"), []byte("fetch('https://acme.auth0.com/delegation', { method: 'POST' });\n"), 0o644)
	os.Symlink("/dev/urandom", filepath.Join(tree, ".gitignore"))
	syscall.Mkfifo(filepath.Join(tree, "b.js"), 0o644)
	var out bytes.Buffer
	cmd := cli(ctx, t.TempDir(), nil, "scan", tree)
	cmd.Stdout = &out
	cmd.Run()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != ExitNegative || !strings.Contains(out.String(), "Not read: 1 file (--json lists every one under not_read)\n.gitignore not applied: .gitignore (a symbolic link, not followed: its patterns were not applied)\n  1 a named pipe (FIFO), not opened: b.js\n") {
		t.Fatalf("a tree of traps: %v\n%s", cmd.ProcessState, out.String())
	}
}

// TestScanOfAnUnreadablePathExitsTwoNamingIt runs the command as the user
// nobody when the suite runs as root (root reads a file of mode 000): a
// file or folder given by name that cannot be read is exit 2 and one
// sentence naming it, not "0 files".
func TestScanOfAnUnreadablePathExitsTwoNamingIt(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "tokenscope-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	file, folder := filepath.Join(dir, "locked.js"), filepath.Join(dir, "closed")
	os.WriteFile(file, []byte("fetch('https://acme.auth0.com/delegation');\n"), 0)
	os.Mkdir(folder, 0)
	bin, cred := os.Args[0], (*syscall.Credential)(nil)
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("the suite runs as root and there is no user nobody to run the command as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		bin = filepath.Join(dir, "tokenscope")
		if err := copyExecutable(os.Args[0], bin); err != nil {
			t.Skipf("the suite runs as root and the test binary cannot be copied for nobody: %v", err)
		}
	}
	for _, p := range []string{file, folder} {
		var out, errb bytes.Buffer
		cmd := exec.Command(bin, "scan", p)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TOKENSCOPE_TEST_AS_CLI=1", "TOKENSCOPE_CONFIG_DIR="+dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != ExitUsage || out.Len() != 0 || errb.String() != "tokenscope scan: cannot scan "+p+": permission denied\n" {
			t.Fatalf("%s: %v, stdout %q, stderr %q", p, err, out.String(), errb.String())
		}
	}
}

func copyExecutable(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o755)
}
