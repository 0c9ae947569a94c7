// Command corpline-realtime-bench measures corpline's realtime delivery on
// loopback, against servers it starts as child processes:
//
//	corpline-realtime-bench [flags] fanout   one message to a department of -members, each subscribed
//	corpline-realtime-bench [flags] steady   -rate messages/s to single recipients among -subs subscribers
//	corpline-realtime-bench [flags] cross    steady, sender on one process and subscribers on another (PostgreSQL)
//	corpline-realtime-bench [flags] all      the three (cross only with -db postgres)
//
// For example:
//
//	go run ./cmd/corpline-realtime-bench -db sqlite all
//	go run ./cmd/corpline-realtime-bench -db postgres -pg postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable all
//
// Each run seeds a fresh database (a temporary SQLite file, or a new
// PostgreSQL database that it drops afterwards) and stops after -timeout.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		fs := flag.NewFlagSet("serve", flag.ExitOnError)
		dbURL := fs.String("database-url", "", "database")
		fs.Parse(os.Args[2:])
		if err := serveChild(context.Background(), *dbURL); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "corpline-realtime-bench:", err)
		os.Exit(1)
	}
}

// profileDir is where server profiles go ("" for none).
var profileDir string

func run() error {
	fs := flag.NewFlagSet("corpline-realtime-bench", flag.ExitOnError)
	kind := fs.String("db", "sqlite", "sqlite or postgres")
	pg := fs.String("pg", os.Getenv("CORPLINE_BENCH_DATABASE_URL"),
		"PostgreSQL URL the benchmark may create databases from (CORPLINE_BENCH_DATABASE_URL)")
	members := fs.Int("members", 10000, "fan-out: members of the department, each subscribed")
	subs := fs.Int("subs", 2000, "steady and cross: subscribers")
	rate := fs.Int("rate", 200, "steady and cross: messages a second")
	dur := fs.Duration("duration", 10*time.Second, "steady and cross: how long to send")
	timeout := fs.Duration("timeout", 10*time.Minute, "stop everything after this")
	fs.StringVar(&profileDir, "profile", "", "save server profiles (heap when idle, CPU while delivering) into this folder")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: corpline-realtime-bench [flags] fanout|steady|cross|all")
		fs.PrintDefaults()
	}
	fs.Parse(os.Args[1:])
	if fs.NArg() != 1 {
		fs.Usage()
		os.Exit(2)
	}
	if *kind != "sqlite" && *kind != "postgres" {
		return fmt.Errorf("-db must be sqlite or postgres")
	}
	if *kind == "postgres" && *pg == "" {
		*pg = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	raiseOpenFiles()
	if need := uint64(*members + 1000); openFilesLimit() < need {
		fmt.Printf("note: open files limited to %d; %d subscriptions need about %d\n", openFilesLimit(), *members, need)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	which := fs.Arg(0)
	if which == "cross" && *kind != "postgres" {
		return fmt.Errorf("cross needs -db postgres: on SQLite there is one process")
	}
	if which == "fanout" || which == "all" {
		if err := fanout(ctx, *kind, *pg, *members); err != nil {
			return err
		}
	}
	if which == "steady" || which == "all" {
		if err := steady(ctx, *kind, *pg, *subs, *rate, *dur, false); err != nil {
			return err
		}
	}
	if which == "cross" || (which == "all" && *kind == "postgres") {
		if err := steady(ctx, *kind, *pg, *subs, *rate, *dur, true); err != nil {
			return err
		}
	}
	switch which {
	case "fanout", "steady", "cross", "all":
		return nil
	}
	return fmt.Errorf("unknown scenario %q (fanout, steady, cross, all)", which)
}
