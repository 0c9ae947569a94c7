package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/request"
	"github.com/corpline/corpline/internal/viewer"
)

// bodyReadTimeout bounds how long a request (not a stream) may take to send its body.
const bodyReadTimeout = 30 * time.Second

// withRequest gives each request an id (the client's X-Request-Id when it is
// sane), a logger that carries it, its client address and the body limit,
// and logs the request once it is answered.
func (s *Server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		log := s.log.With("requestId", id)
		ctx := request.WithID(r.Context(), id)
		ctx = request.WithLogger(ctx, log)
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ctx = request.WithClientAddr(ctx, host)
		if isStream(r) {
			var stop context.CancelFunc
			ctx, stop = context.WithCancel(ctx)
			defer context.AfterFunc(s.streams, stop)()
			defer stop()
		} else {
			// A body trickled in slowly holds a connection and a goroutine;
			// streams read for as long as they live, other requests not.
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTimeout))
		}
		if r.ContentLength > s.cfg.Limits.BodyBytes {
			writeRequestError(w, http.StatusRequestEntityTooLarge, mediaJSON, tooLargeMessage(s.cfg.Limits.BodyBytes))
			log.InfoContext(ctx, "request", "method", r.Method, "path", r.URL.Path, "status", http.StatusRequestEntityTooLarge)
			return
		}
		// Also bounds bodies sent without Content-Length (chunked): the
		// GraphQL transport answers 413 when the reader hits the limit.
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.BodyBytes)

		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		log.Log(ctx, level, "request", "method", r.Method, "path", r.URL.Path, "status", rec.status(),
			"bytes", rec.bytes, "ms", time.Since(start).Milliseconds(), "client", host)
	})
}

// authenticate turns the bearer token into the request's viewer. A refused
// token does not fail the request here: login and introspection still
// work, and every other field answers UNAUTHENTICATED (graph.RequireViewer).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := viewer.WithSlot(clock.NewContext(r.Context(), s.cfg.Now))
		if token, ok := bearer(r); ok {
			v, err := s.auth.Authenticate(ctx, token)
			if err != nil {
				ctx = request.WithAuthError(ctx, err)
			} else {
				ctx = withViewer(ctx, v)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// withViewer makes v the viewer of the request. It goes in the request's
// slot (viewer.WithSlot), so that a live subscription can replace it with
// the viewer as it is now when it re-checks it (see package live): the
// fields of the events it sends then follow transfers, and nothing more is
// read once access ends.
func withViewer(ctx context.Context, v *viewer.Viewer) context.Context {
	if viewer.HasSlot(ctx) {
		viewer.Adopt(ctx, v)
		return ctx
	}
	return viewer.NewContext(ctx, v)
}

func tooLargeMessage(limit int64) string {
	return fmt.Sprintf("request body is larger than %d bytes", limit)
}

// isStream reports whether r opens a long-lived stream (websocket or SSE).
func isStream(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// saneRequestID accepts a client's request id only when it is short and
// printable, so it cannot forge log lines.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status and size of a response for the log. It
// unwraps (websocket hijacking) and flushes (SSE) like the writer it wraps.
type statusRecorder struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
