package outbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/callback"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/metrics"
	"github.com/corpline/corpline/internal/policy"
)

// Worker sends due callbacks. Several workers (in several processes) may run
// over one database: each row is claimed by one at a time.
type Worker struct {
	client *ent.Client
	now    clock.Clock
	http   *http.Client
	owner  string
	// Batch is how many rows one claim takes; Lease how long a claim holds.
	Batch int
	Lease time.Duration
}

// NewWorker returns a worker over client, reading time from now.
func NewWorker(client *ent.Client, now clock.Clock) *Worker {
	b := make([]byte, 8)
	rand.Read(b)
	return &Worker{
		client: client,
		now:    now,
		owner:  hex.EncodeToString(b),
		Batch:  20,
		Lease:  30 * time.Second,
		http: &http.Client{
			Timeout: 10 * time.Second,
			// A redirect is an answer, not a delivery: the enterprise
			// configured the URL it means.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Result counts what one RunOnce did.
type Result struct {
	Delivered, Failed, Expired int
}

// Run sends due callbacks every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
				slog.Error("callback outbox", "err", err)
			}
		}
	}
}

// RunOnce claims the callbacks due now and tries each once.
func (w *Worker) RunOnce(ctx context.Context) (res Result, err error) {
	defer metrics.ObserveJob("outbox", time.Now(), &err)
	// The worker is the system: callbacks belong to no viewer.
	ctx = policy.SystemContext(ctx)
	rows, err := w.claim(ctx)
	if err != nil {
		return res, err
	}
	for _, cb := range rows {
		switch err := w.send(ctx, cb); {
		case err == nil:
			res.Delivered++
		case errors.Is(err, errExpired):
			res.Expired++
		default:
			res.Failed++
		}
	}
	metrics.Callbacks.WithLabelValues("delivered").Add(float64(res.Delivered))
	metrics.Callbacks.WithLabelValues("failed").Add(float64(res.Failed))
	metrics.Callbacks.WithLabelValues("expired").Add(float64(res.Expired))
	return res, nil
}

// Backlog counts the callbacks waiting to be delivered (for metrics).
func Backlog(ctx context.Context, client *ent.Client) (int, error) {
	// Callbacks of every enterprise: the count belongs to no viewer.
	return client.Callback.Query().Where(callback.StatusEQ(callback.StatusPENDING)).Count(policy.SystemContext(ctx))
}

// claim leases up to Batch due rows to this worker, in one transaction.
func (w *Worker) claim(ctx context.Context) ([]*ent.Callback, error) {
	now := w.now()
	tx, err := w.client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim callbacks: %w", err)
	}
	q := tx.Callback.Query().
		Where(
			callback.StatusEQ(callback.StatusPENDING),
			callback.NextAttemptAtLTE(now),
			callback.Or(callback.LeaseUntilIsNil(), callback.LeaseUntilLT(now)),
		).
		Order(callback.ByNextAttemptAt()).
		Limit(w.Batch).
		Unique(false)
	q.Modify(func(s *sql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.ForUpdate(sql.WithLockAction(sql.SkipLocked))
		}
	})
	rows, err := q.All(ctx)
	if err == nil && len(rows) > 0 {
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		err = tx.Callback.Update().
			Where(callback.IDIn(ids...)).
			SetLeaseOwner(w.owner).
			SetLeaseUntil(now.Add(w.Lease)).
			Exec(ctx)
	}
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("claim callbacks: %w", err)
	}
	return rows, tx.Commit()
}

var errExpired = errors.New("callback expired")

// send POSTs one callback and records the outcome, if the lease is still ours.
func (w *Worker) send(ctx context.Context, cb *ent.Callback) error {
	e, err := w.client.Enterprise.Get(ctx, cb.EnterpriseID)
	if err != nil {
		return w.failed(ctx, cb, fmt.Errorf("enterprise: %w", err))
	}
	if e.CallbackURL == nil || *e.CallbackURL == "" || e.CallbackSecret == "" {
		return w.failed(ctx, cb, errors.New("the enterprise has no callback URL"))
	}
	body := []byte(cb.Body)
	ts := w.now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *e.CallbackURL, bytes.NewReader(body))
	if err != nil {
		return w.failed(ctx, cb, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "corpline-callback/1")
	req.Header.Set(HeaderEvent, cb.Event)
	req.Header.Set(HeaderDelivery, cb.ID)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts))
	req.Header.Set(HeaderSignature, Sign(e.CallbackSecret, ts, body))
	resp, err := w.http.Do(req)
	if err != nil {
		return w.failed(ctx, cb, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return w.failed(ctx, cb, fmt.Errorf("answered HTTP %d", resp.StatusCode))
	}
	return w.ours(cb).
		SetStatus(callback.StatusDELIVERED).
		SetDeliveredAt(w.now()).
		SetAttempts(cb.Attempts + 1).
		SetLastError("").
		ClearLeaseOwner().
		ClearLeaseUntil().
		Exec(ctx)
}

// failed records a failed attempt: retry later, or expire.
func (w *Worker) failed(ctx context.Context, cb *ent.Callback, cause error) error {
	now := w.now()
	attempts := cb.Attempts + 1
	u := w.ours(cb).
		SetAttempts(attempts).
		SetLastError(truncate(cause.Error(), 500)).
		ClearLeaseOwner().
		ClearLeaseUntil()
	next := now.Add(backoff(attempts))
	result := cause
	if !next.Before(cb.ExpiresAt) {
		u.SetStatus(callback.StatusEXPIRED)
		result = errExpired
	} else {
		u.SetNextAttemptAt(next)
	}
	if err := u.Exec(ctx); err != nil {
		return err
	}
	return result
}

// ours updates cb only while this worker still holds its lease.
func (w *Worker) ours(cb *ent.Callback) *ent.CallbackUpdate {
	return w.client.Callback.Update().Where(callback.ID(cb.ID), callback.LeaseOwner(w.owner))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
