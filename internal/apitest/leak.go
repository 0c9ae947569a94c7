package apitest

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// leakMarkers name the code whose goroutines must all be gone once a test's
// servers, buses and clients are closed: ours, the PostgreSQL listener and
// the websocket library.
var leakMarkers = []string{
	"github.com/corpline/corpline/",
	"github.com/lib/pq.(*Listener",
	"github.com/coder/websocket.",
	"gqlgen/graphql/handler/transport.",
}

// CheckGoroutineLeaks fails the test when goroutines of corpline, the
// PostgreSQL listener or the websocket library outlive it, as gqlgen's chat
// example checks its subscriptions. Call it first, before starting servers:
// it runs after every later cleanup, and gives them a few seconds to finish.
func CheckGoroutineLeaks(t testing.TB) {
	t.Helper()
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			leaks := leakedGoroutines()
			if len(leaks) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("%d goroutines outlived the test:\n\n%s", len(leaks), strings.Join(leaks, "\n\n"))
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func leakedGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		s := string(g)
		if strings.Contains(s, "apitest.leakedGoroutines") || strings.Contains(s, "testing.tRunner") ||
			strings.Contains(s, "testing.(*T).Run") {
			continue // the checking goroutine, and tests still running
		}
		for _, m := range leakMarkers {
			if strings.Contains(s, m) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
