package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// proc is a server under test, running as a child process so that its
// memory and CPU time are its own.
type proc struct {
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser // closing it stops children that read stdin (corpline-bench's floor)
	logs *os.File
}

// start runs cmd with its output in a log file of dir, named for the server.
func start(name, dir string, cmd *exec.Cmd) (*proc, error) {
	logs, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logs.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	return &proc{name: name, cmd: cmd, in: in, logs: logs}, nil
}

// stop ends the server: stdin closed, then SIGINT, then a kill after 10 s.
func (p *proc) stop() {
	p.in.Close()
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	p.logs.Close()
}

// tail is the end of the server's log, for errors.
func (p *proc) tail() string {
	b, _ := os.ReadFile(p.logs.Name())
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// errorLines are the last lines of the server's log that report an error.
func (p *proc) errorLines() string {
	b, _ := os.ReadFile(p.logs.Name())
	var errs []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "ERROR") || strings.Contains(strings.ToLower(line), "error:") {
			errs = append(errs, line)
		}
	}
	return strings.Join(errs[max(0, len(errs)-5):], "\n")
}

// waitHTTP polls url until it answers at all (any status), or fails after d.
func (p *proc) waitHTTP(ctx context.Context, url string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			return nil
		}
		if p.cmd.ProcessState != nil || time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s did not answer on %s: %v\n%s", p.name, url, err, p.tail())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// usage is a process's resident memory and CPU time so far, from /proc.
type usage struct {
	rss int64 // bytes
	cpu time.Duration
}

func (p *proc) usage() usage {
	var u usage
	pid := strconv.Itoa(p.cmd.Process.Pid)
	if b, err := os.ReadFile("/proc/" + pid + "/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				u.rss = kb << 10
			}
		}
	}
	if b, err := os.ReadFile("/proc/" + pid + "/stat"); err == nil {
		// Fields after the command name (which may hold spaces): utime and
		// stime are the 12th and 13th, in clock ticks of 1/100 s.
		if i := strings.LastIndexByte(string(b), ')'); i > 0 {
			f := strings.Fields(string(b[i+1:]))
			if len(f) > 12 {
				ut, _ := strconv.ParseInt(f[11], 10, 64)
				st, _ := strconv.ParseInt(f[12], 10, 64)
				u.cpu = time.Duration(ut+st) * 10 * time.Millisecond
			}
		}
	}
	return u
}

// freePort checks that port is free on loopback.
func freePort(port int) (string, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("port %d: %w (--port-base moves the servers' ports)", port, err)
	}
	ln.Close()
	return addr, nil
}

// buildCorpline builds the corpline command into dir: the benchmark measures
// the binary that ships, wired as it is.
func buildCorpline(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "corpline")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/corpline/corpline/cmd/corpline")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/corpline: %w", err)
	}
	return bin, nil
}

// postgraphileDir holds PostGraphile's package.json and lock file; its
// node_modules (ignored by git) is installed on first use.
const postgraphileDir = "cmd/corpline-bench/postgraphile"

// installPostGraphile runs npm ci once, and returns the Node 22 binary and
// PostGraphile's CLI (Graphile v5 needs Node 22; the machine's may be older).
func installPostGraphile(ctx context.Context, out io.Writer) (node, cli string, err error) {
	dir, err := filepath.Abs(postgraphileDir)
	if err != nil {
		return "", "", err
	}
	node = filepath.Join(dir, "node_modules", ".bin", "node")
	cli = filepath.Join(dir, "node_modules", "postgraphile", "dist", "cli-run.js")
	if _, err := os.Stat(cli); err != nil {
		if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err != nil {
			return "", "", fmt.Errorf("run corpline-bench from the module's root (no %s/package-lock.json)", postgraphileDir)
		}
		fmt.Fprintln(out, "installing PostGraphile and Node 22 into", filepath.Join(postgraphileDir, "node_modules"), "(once)")
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", "", fmt.Errorf("npm ci in %s: %w", postgraphileDir, err)
		}
	}
	return node, cli, nil
}
