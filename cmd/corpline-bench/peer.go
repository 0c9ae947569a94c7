package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/store"
)

// peer measures corpline against its peers on the same PostgreSQL data:
//
//   - PostGraphile 5 (amber preset, Node 22) over the same tables, with the
//     enterprise or member as a condition (it does no authentication);
//   - the floor: net/http + lib/pq running the statements the page needs,
//     with the same token check (floor.go).
//
// It creates a fresh database, starts the three servers as child processes,
// seeds 2,000 members through corpline's API (and --messages messages to
// everyone, for the inbox), checks that the three return the same page, then
// runs alternating rounds: each round measures every server in turn (the
// order rotates), after a warm-up the first time (PostGraphile's JIT needs
// about 30 s of load to settle). It prints each round and the medians, and
// the ratios of the medians.

type peerOptions struct {
	databaseURL string
	members     int
	messages    int
	rounds      int
	duration    time.Duration
	warmup      time.Duration
	rewarm      time.Duration
	clients     int
	portBase    int
	pages       []string
	keep        bool
}

var peerNames = [3]string{"corpline", "PostGraphile", "floor"}

func parsePeerFlags(args []string) (peerOptions, error) {
	o := peerOptions{}
	fs := flag.NewFlagSet("peer", flag.ContinueOnError)
	fs.StringVar(&o.databaseURL, "database-url", os.Getenv("CORPLINE_BENCH_DATABASE_URL"),
		"PostgreSQL URL the benchmark may create a database from (CORPLINE_BENCH_DATABASE_URL)")
	fs.IntVar(&o.members, "members", 2000, "members to seed")
	fs.IntVar(&o.messages, "messages", 40, "messages sent to everyone, for the inbox page")
	fs.IntVar(&o.rounds, "rounds", 5, "alternating rounds")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per server per round")
	fs.DurationVar(&o.warmup, "warmup", 30*time.Second, "unmeasured load per server before its first round of a page")
	fs.DurationVar(&o.rewarm, "rewarm", 2*time.Second, "unmeasured load per server before each later round")
	fs.IntVar(&o.clients, "clients", 50, "concurrent connections")
	fs.IntVar(&o.portBase, "port-base", 18610, "corpline listens on this port, PostGraphile on the next, the floor on the one after")
	fs.BoolVar(&o.keep, "keep", false, "keep the database afterwards")
	pages := fs.String("pages", "members,inbox", "pages to measure, comma-separated (members, inbox)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.pages = strings.Split(*pages, ",")
	if !strings.HasPrefix(o.databaseURL, "postgres://") && !strings.HasPrefix(o.databaseURL, "postgresql://") {
		return o, fmt.Errorf("--database-url: a postgres:// URL (PostGraphile serves PostgreSQL only)")
	}
	if o.rounds < 1 || o.clients < 1 || o.duration <= 0 || o.members < 50 || o.messages < 30 {
		return o, fmt.Errorf("--rounds and --clients at least 1, --duration above 0, --members at least 50, --messages at least 30")
	}
	return o, nil
}

func peer(ctx context.Context, args []string, out io.Writer) error {
	o, err := parsePeerFlags(args)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "corpline-bench peer, %s: load %s\n", time.Now().UTC().Format(time.RFC3339), loadAverage())
	dir, err := os.MkdirTemp("", "corpline-peer-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dbURL, drop, err := createDatabase(ctx, o.databaseURL, o.keep)
	if err != nil {
		return err
	}
	defer drop()
	db, err := store.Open(dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}

	var addrs [3]string
	for i := range addrs {
		if addrs[i], err = freePort(o.portBase + i); err != nil {
			return err
		}
	}
	bin, err := buildCorpline(ctx, dir)
	if err != nil {
		return err
	}
	node, cli, err := installPostGraphile(ctx, out)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmds := [3]*exec.Cmd{
		exec.Command(bin, "serve", "--addr", addrs[0], "--database-url", dbURL, "--graphiql=false", "--job-interval", "0"),
		exec.Command(node, cli, "-P", "postgraphile/presets/amber", "-c", dbURL, "-s", "public",
			"-n", "127.0.0.1", "-p", strings.TrimPrefix(addrs[1], "127.0.0.1:")),
		exec.Command(self, floorCommand, "--database-url", dbURL, "--addr", addrs[2]),
	}
	cmds[1].Env = append(os.Environ(), "GRAPHILE_ENV=production", "NODE_ENV=production")
	var procs [3]*proc
	defer func() {
		for _, p := range procs {
			if p != nil {
				p.stop()
			}
		}
	}()
	for i, cmd := range cmds {
		if procs[i], err = start(peerNames[i], dir, cmd); err != nil {
			return err
		}
	}
	urls := [3]string{"http://" + addrs[0] + "/graphql", "http://" + addrs[1] + "/graphql", "http://" + addrs[2]}
	for i, p := range procs {
		if err := p.waitHTTP(ctx, urls[i], 2*time.Minute); err != nil {
			return err
		}
	}

	c := newClient(urls[0], o.clients)
	t0 := time.Now()
	s, err := seed(ctx, c, db, o.members)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for i := range o.messages {
		err := c.do(ctx, s.admin, `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
			map[string]any{"in": map[string]any{"kind": "TEXT", "content": map[string]any{"text": fmt.Sprintf("Notice %d to everyone", i)},
				"targets": map[string]any{"everyone": true}}}, nil)
		if err != nil {
			return fmt.Errorf("seed messages: %w", err)
		}
	}
	var readerID string
	if err := db.SQL.QueryRowContext(ctx, `SELECT member_id FROM sessions WHERE token_hash = $1`, auth.HashToken(s.reader)).Scan(&readerID); err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	fmt.Fprintf(out, "%d members and %d messages seeded in %s; servers: corpline %s, PostGraphile %s, floor %s\n",
		o.members, o.messages, time.Since(t0).Round(time.Millisecond), addrs[0], addrs[1], addrs[2])

	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * o.clients, MaxIdleConnsPerHost: 2 * o.clients, DisableCompression: true,
	}}
	for _, pg := range peerPages(urls[0], urls[1], urls[2], s, readerID) {
		if !slices.Contains(o.pages, pg.name) {
			continue
		}
		if err := checkSame(ctx, hc, pg); err != nil {
			return err
		}
		if err := measurePage(ctx, out, hc, o, pg, procs); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "load at the end: %s\n", loadAverage())
	return nil
}

// checkSame fails unless the three servers answer the page alike.
func checkSame(ctx context.Context, hc *http.Client, pg pageTargets) error {
	var want []string
	for i, t := range pg.servers {
		data, err := t.fetch(ctx, hc)
		if err != nil {
			return fmt.Errorf("%s page from %s: %w", pg.name, peerNames[i], err)
		}
		got := t.lines(data)
		if len(got) < 2 {
			return fmt.Errorf("%s page from %s is empty: %v", pg.name, peerNames[i], got)
		}
		if i == 0 {
			want = got
			continue
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s page: %s and corpline differ:\n%s\n%s", pg.name, peerNames[i],
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	return nil
}

// createDatabase makes a fresh database on base's server and returns its
// URL and a function that drops it (unless keep).
func createDatabase(ctx context.Context, base string, keep bool) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "corpline_peer_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u.Path = "/" + name
	drop := func() {
		if keep {
			fmt.Fprintln(os.Stderr, "kept database", name)
		} else if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "drop database:", err)
		}
		admin.Close()
	}
	return u.String(), drop, nil
}

// loadAverage is the machine's load (1, 5 and 15 minutes), as uptime prints it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
