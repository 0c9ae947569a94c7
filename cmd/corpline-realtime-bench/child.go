package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/corpline/corpline/cmd/corpline/wiring"
	"github.com/corpline/corpline/internal/config"
)

// The servers under test run as child processes of the benchmark (this same
// binary, "serve"), so their memory is theirs alone: 10,000 websocket
// clients live in the parent.

// serveChild is the child: a corpline server on a loopback port, plus a
// second loopback port answering /mem with its memory after a GC.
func serveChild(ctx context.Context, dbURL string) error {
	raiseOpenFiles()
	cfg := config.Defaults()
	cfg.DatabaseURL = dbURL
	cfg.Addr = "127.0.0.1:0"
	cfg.GraphiQL = false
	// Request logs would cost the server more than the benchmark measures.
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	slog.SetDefault(quiet)
	m := wiring.NewMain(cfg, wiring.WithLogger(quiet))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	srv := m.Server
	dln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	subs, _ := m.Bus.(interface{ Subscribers() int })
	mux := http.NewServeMux()
	mux.HandleFunc("/mem", func(w http.ResponseWriter, r *http.Request) {
		m := readMem(r.URL.Query().Get("gc") != "")
		if subs != nil {
			m.BusSubscribers = subs.Subscribers()
		}
		json.NewEncoder(w).Encode(m)
	})
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(dln, mux)
	// The parent reads the addresses, then closes our stdin to stop us.
	fmt.Printf("addr=%s debug=%s\n", srv.Addr(), dln.Addr())
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	return m.Run(ctx)
}

// Mem is a server's memory: the kernel's view (resident, and its peak) and
// the Go runtime's.
type Mem struct {
	RSS, PeakRSS int64 // bytes
	HeapInuse    int64
	StackInuse   int64
	Goroutines   int
	// BusSubscribers counts the bus subscriptions (two per inbox
	// subscription: its member's topic and its enterprise's).
	BusSubscribers int
}

func readMem(gc bool) Mem {
	if gc {
		// A few cycles: goroutine stacks shrink by half per cycle.
		for range 4 {
			runtime.GC()
		}
		debug.FreeOSMemory()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := Mem{HeapInuse: int64(ms.HeapInuse), StackInuse: int64(ms.StackInuse), Goroutines: runtime.NumGoroutine()}
	m.RSS, m.PeakRSS = procStatus("VmRSS"), procStatus("VmHWM")
	return m
}

// procStatus reads a kB field of /proc/self/status, in bytes.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// child is a running server process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	URL   string // http://127.0.0.1:PORT/graphql
	debug string
}

func startChild(dbURL string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "serve", "-database-url", dbURL)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("server process: %w", err)
	}
	var addr, dbg string
	if _, err := fmt.Sscanf(strings.TrimSpace(line), "addr=%s debug=%s", &addr, &dbg); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("server process said %q", line)
	}
	go io.Copy(io.Discard, out)
	return &child{cmd: cmd, stdin: stdin, URL: "http://" + addr + "/graphql", debug: "http://" + dbg}, nil
}

// Mem asks the server for its memory; gc first collects garbage.
func (c *child) Mem(gc bool) (Mem, error) {
	u := c.debug + "/mem"
	if gc {
		u += "?gc=1"
	}
	res, err := http.Get(u)
	if err != nil {
		return Mem{}, err
	}
	defer res.Body.Close()
	var m Mem
	err = json.NewDecoder(res.Body).Decode(&m)
	return m, err
}

// Stop ends the server gracefully, or kills it after 20s.
func (c *child) Stop() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() {
		c.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// profile saves the server's profile name (heap, goroutine; or profile for
// CPU, with seconds) into dir.
func (c *child) profile(dir, name, file string, seconds int) error {
	if dir == "" {
		return nil
	}
	u := c.debug + "/debug/pprof/" + name
	if seconds > 0 {
		u += "?seconds=" + strconv.Itoa(seconds)
	}
	res, err := http.Get(u)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, res.Body)
	return err
}
