package apitest

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Logs holds what a test server logged (JSON lines), so tests can check that
// something was logged, and shows it when the test fails.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func newLogs(t testing.TB) *Logs {
	l := &Logs{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", l.String())
		}
	})
	return l
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Lines returns the logged lines that contain every one of parts.
func (l *Logs) Lines(parts ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

func (l *Logs) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
