package e2e

import (
	"flag"
	"os"
	"testing"
)

// TestMain lets up to four parallel tests run at once unless -parallel says
// otherwise: on PostgreSQL an end-to-end test mostly waits on commits, so
// more than GOMAXPROCS of them overlap well.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "4")
	}
	os.Exit(m.Run())
}
