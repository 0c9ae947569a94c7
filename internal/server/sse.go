package server

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// sseDeadlines bounds every write of an SSE stream (gqlgen's transport sets
// no deadline): a client that stops reading would otherwise hold its
// handler forever once the socket's buffer is full. The first failed write
// ends the stream's context, so the subscription stops too; the client
// resumes by cursor.
func sseDeadlines(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		sw := &sseWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: timeout, fail: cancel}
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

type sseWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	fail    context.CancelFunc
}

func (w *sseWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	n, err := w.ResponseWriter.Write(p)
	if err != nil {
		w.fail()
	}
	return n, err
}

// Flush is what gqlgen's SSE transport requires (http.Flusher).
func (w *sseWriter) Flush() {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	if err := w.rc.Flush(); err != nil {
		w.fail()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *sseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
