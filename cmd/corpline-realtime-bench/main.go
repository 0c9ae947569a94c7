// Command corpline-realtime-bench measures corpline's realtime delivery.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
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
	fmt.Fprintln(os.Stderr, "not yet")
	os.Exit(2)
}
