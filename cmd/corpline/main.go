// Command corpline runs the corpline server and its admin commands.
//
//	corpline [serve flags]        serve the demo on ./corpline.db (127.0.0.1:8080)
//	corpline serve [flags]        serve
//	corpline migrate [flags]      create or update the database schema
//	corpline bootstrap [flags]    create an enterprise with a super admin
//	corpline bootstrap --operator --login L --password P
//	                              create a platform operator
//	corpline schema               print the GraphQL schema (SDL)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "corpline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		// The bare command serves the demo, with serve's flags.
		return serve(ctx, args, out, true)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, out, false)
	case "migrate":
		return migrate(ctx, rest, out)
	case "bootstrap":
		return bootstrap(ctx, rest, out)
	case "schema":
		return printSchema(out)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(out, "usage: corpline [serve|migrate|bootstrap|schema] [flags]; corpline <command> -h for flags")
		return nil
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, bootstrap, schema)", cmd)
	}
}

func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }
