// Command corpline-bench measures corpline through its full HTTP stack on
// loopback: real servers, real HTTP clients, a real database.
//
//	corpline-bench directory [--database-url URL] [--members 2000] [--duration 10s] [--clients 1,8,64]
//	corpline-bench peer --database-url URL [--rounds 5] [--duration 10s] [--warmup 30s] [--clients 50]
//
// directory seeds an enterprise of --members members (one importMembers call,
// as HR would), then sends frontend-contract's MembersPage (first: 50, each
// member with departments) as a signed-in member, at each number of
// concurrent clients for --duration, and prints requests/s, p50 and p99.
// Without --database-url it uses a fresh SQLite file in a temporary
// directory; with one it adds a new enterprise beside whatever is there.
//
// peer compares corpline with PostGraphile 5 and a plain net/http floor on
// one PostgreSQL database (see peer.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/corpline/corpline/cmd/corpline/wiring"
	"github.com/corpline/corpline/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "corpline-bench:", err)
		os.Exit(1)
	}
}

type options struct {
	databaseURL string
	members     int
	duration    time.Duration
	warmup      time.Duration
	clients     []int
	pageSize    int
	cpuProfile  string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: corpline-bench directory|peer [flags] (corpline-bench peer -h)")
	}
	switch args[0] {
	case "directory":
		return directory(ctx, args[1:], out)
	case "peer":
		return peer(ctx, args[1:], out)
	case floorCommand:
		return serveFloor(ctx, args[1:])
	}
	return fmt.Errorf("unknown command %q (directory, peer)", args[0])
}

func directory(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	if o.databaseURL == "" {
		dir, err := os.MkdirTemp("", "corpline-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.databaseURL = "sqlite://" + filepath.Join(dir, "bench.db")
	}
	cfg := config.Defaults()
	cfg.DatabaseURL, cfg.Addr, cfg.GraphiQL = o.databaseURL, "127.0.0.1:0", false
	m := wiring.NewMain(cfg, wiring.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	db, srv := m.DB, m.Server
	sctx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Run(sctx) }()
	defer func() { stopServer(); <-served }()
	url := "http://" + srv.Addr() + "/graphql"

	c := newClient(url, slices.Max(o.clients))
	start := time.Now()
	s, err := seed(ctx, c, db, o.members)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "corpline-bench directory: %s, %d members seeded in %s\n", db.Dialect, o.members, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(out, "query MembersPage(first: %d) with each member's departments, as a member, through HTTP on loopback\n", o.pageSize)
	fmt.Fprintf(out, "%8s %9s %9s %9s %9s %7s\n", "clients", "requests", "req/s", "p50", "p99", "errors")
	req := membersPage(c, s.reader, o.pageSize)
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, n := range o.clients {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		load(ctx, req, n, o.warmup) // connections open, caches warm
		r := load(ctx, req, n, o.duration)
		fmt.Fprintf(out, "%8d %9d %9.0f %9s %9s %7d\n", n, r.requests, r.perSecond(), r.quantile(0.50), r.quantile(0.99), r.errors)
	}
	return nil
}

func parseFlags(args []string) (options, error) {
	o := options{}
	fs := flag.NewFlagSet("directory", flag.ContinueOnError)
	fs.StringVar(&o.databaseURL, "database-url", "", "postgres://..., sqlite://PATH or a path (default: a temporary SQLite file)")
	fs.IntVar(&o.members, "members", 2000, "members to seed")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measuring time per concurrency level")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured time before each level")
	fs.IntVar(&o.pageSize, "first", 50, "page size of the members query")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured runs (server and clients) to this file")
	clients := fs.String("clients", "1,8,64", "concurrency levels, comma-separated")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, s := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return o, fmt.Errorf("--clients: %q is not a positive number", s)
		}
		o.clients = append(o.clients, n)
	}
	if o.members < 1 || o.members > 10000 {
		return o, fmt.Errorf("--members: 1 to 10,000 (one import)")
	}
	if o.duration <= 0 || o.duration > 10*time.Minute {
		return o, fmt.Errorf("--duration: more than 0, at most 10m")
	}
	return o, nil
}
