package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/corpline/corpline/cmd/corpline/wiring"
	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/store"
)

func serve(ctx context.Context, args []string, out io.Writer, demo bool) error {
	cfg, err := config.Parse("serve", args, os.Getenv)
	if err != nil {
		return err
	}
	setupLogging(cfg)
	m := wiring.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	srv := m.Server
	if demo {
		seeded, err := provision.Demo(ctx, m.DB.Client, m.Auth)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		if seeded {
			fmt.Fprintf(out, "Seeded the demo enterprise into %s.\n", cfg.DatabaseURL)
		}
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	} else if !loopback(srv.Addr()) {
		slog.Warn("serving plain HTTP on a non-loopback address; give --tls-cert and --tls-key or put a TLS proxy in front", "addr", srv.Addr())
	}
	fmt.Fprintf(out, "corpline serving %s://%s/graphql\n", scheme, srv.Addr())
	if demo {
		fmt.Fprintf(out, "Sign in with: mutation { login(input: {enterprise: %q, login: \"admin\", password: %q}) { token } }\n",
			provision.DemoCode, provision.DemoPassword)
		fmt.Fprintf(out, "(members alice, bob, carol and dave share the same password)\n")
	}
	return m.Run(ctx)
}

func migrate(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := config.Parse("migrate", args, os.Getenv)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "migrated", cfg.DatabaseURL)
	return db.Close()
}

func bootstrap(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bootstrap", flag.ContinueOnError)
	url := fs.String("database-url", config.Defaults().DatabaseURL, "database URL")
	var e provision.Enterprise
	fs.StringVar(&e.Code, "enterprise", "", "enterprise code (required)")
	fs.StringVar(&e.Name, "name", "", "enterprise name (required)")
	fs.StringVar(&e.AdminLogin, "admin-login", "", "userid of the super admin (required)")
	fs.StringVar(&e.AdminPassword, "admin-password", "", "password of the super admin (required)")
	asJSON := fs.Bool("json", false, "print the created ids as JSON")
	asOperator := fs.Bool("operator", false, "create a platform operator instead of an enterprise (with --login and --password)")
	login := fs.String("login", "", "operator login (with --operator)")
	password := fs.String("password", "", "operator password (with --operator)")
	opName := fs.String("operator-name", "", "operator display name (with --operator; default the login)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openMigrated(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	if *asOperator {
		op, err := provision.CreateOperator(ctx, db.Client, *login, *opName, *password)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(out).Encode(map[string]string{"operatorId": op.ID})
		}
		fmt.Fprintf(out, "created platform operator %s (%s); sign in with operatorLogin\n", op.Login, op.ID)
		return nil
	}
	res, err := provision.Create(ctx, db.Client, e)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(out).Encode(res)
	}
	fmt.Fprintf(out, "created enterprise %s (%s) with super admin %s (%s)\n", e.Code, res.EnterpriseID, e.AdminLogin, res.AdminID)
	return nil
}

func printSchema(out io.Writer) error {
	schema := graph.NewSchema(&graph.Resolver{}).Schema()
	formatter.NewFormatter(out, formatter.WithIndent("  ")).FormatSchema(schema)
	return nil
}

func openMigrated(ctx context.Context, url string) (*store.DB, error) {
	db, err := store.Open(url)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func setupLogging(cfg config.Config) {
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	slog.SetDefault(slog.New(h))
}

// loopback reports whether addr (HOST:PORT) listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}
