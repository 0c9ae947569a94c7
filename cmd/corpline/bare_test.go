package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// The README says the bare command takes serve's flags.
func TestTheBareCommandTakesServesFlags(t *testing.T) {
	url := apitest.NewDatabaseURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--database-url", url, "--graphiql=false", "--job-interval", "0"}, w)
		w.Close()
	}()
	var out strings.Builder
	buf := make([]byte, 4096)
	serving := regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+)/graphql`)
	deadline := time.Now().Add(time.Minute)
	for !serving.MatchString(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no serving line: %q", out.String())
		}
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("corpline --addr ... ended: %v (%v) %q", err, <-done, out.String())
		}
	}
	go io.Copy(io.Discard, r)
	base := serving.FindStringSubmatch(out.String())[1]
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	// --graphiql=false took effect too.
	if res, err := http.Get(base + "/"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("GraphiQL with --graphiql=false: %v %v", res, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := runCLI(t, "--no-such-flag"); err == nil {
		t.Fatal("an unknown flag was accepted")
	}
}
