// Package outbox delivers callbacks to enterprises' systems: signed HTTP
// POSTs, kept in the database until answered.
//
// A callback is written (Enqueue) in the transaction of the event it reports,
// so it exists exactly when the event does. Workers, one per server process,
// claim due rows with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL; on
// SQLite the claiming transaction holds the only write lock), POST them, and
// mark them delivered on a 2xx answer, or schedule the next attempt with
// exponential backoff (10 s, 20 s, 40 s, ... at most 1 h apart) until the
// callback expires 24 hours after it was written. A worker that dies while
// sending loses its lease after 30 s and another process sends the row
// again: delivery is at least once, and the X-Corpline-Delivery header lets
// receivers drop duplicates.
//
// Signature: X-Corpline-Signature is "sha256=" and the hex HMAC-SHA256, under
// the enterprise's callback secret, of X-Corpline-Timestamp (Unix seconds),
// "." and the raw body. Receivers should refuse timestamps far from their
// clock, against replays.
package outbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/store"
)

// Delivery policy.
const (
	Expiry      = 24 * time.Hour
	FirstRetry  = 10 * time.Second
	MaxRetryGap = time.Hour
)

// Headers of a callback request.
const (
	HeaderTimestamp = "X-Corpline-Timestamp"
	HeaderSignature = "X-Corpline-Signature"
	HeaderEvent     = "X-Corpline-Event"
	HeaderDelivery  = "X-Corpline-Delivery"
)

// Enqueue writes a callback of event with data for the enterprise, in the
// transaction of ctx. The body names the delivery, the event, the enterprise
// and when it happened.
func Enqueue(ctx context.Context, client *ent.Client, enterpriseID, event string, data any) error {
	now := clock.Now(ctx)
	id := ids.New(ids.Callback)
	body, err := json.Marshal(map[string]any{
		"id":           id,
		"event":        event,
		"enterpriseId": enterpriseID,
		"occurredAt":   now.UTC().Format(time.RFC3339),
		"data":         data,
	})
	if err != nil {
		return fmt.Errorf("enqueue callback: %w", err)
	}
	// The outbox is the system's: whoever triggered the event, the callback
	// is owed by the platform.
	err = store.ClientFrom(ctx, client).Callback.Create().
		SetID(id).
		SetEnterpriseID(enterpriseID).
		SetEvent(event).
		SetBody(string(body)).
		SetNextAttemptAt(now).
		SetExpiresAt(now.Add(Expiry)).
		Exec(policy.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("enqueue callback: %w", err)
	}
	return nil
}

// Sign returns the X-Corpline-Signature of body sent at timestamp ts.
func Sign(secret string, ts int64, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strconv.FormatInt(ts, 10)))
	h.Write([]byte("."))
	h.Write(body)
	return "sha256=" + hex.EncodeToString(h.Sum(nil))
}

// Verify reports whether sig is the signature of body at ts: what an
// enterprise's system checks (tests use it too).
func Verify(secret, ts string, body []byte, sig string) bool {
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, n, body)), []byte(sig))
}

// backoff is the wait after the attempts-th failed attempt.
func backoff(attempts int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempts && d < MaxRetryGap; i++ {
		d *= 2
	}
	return min(d, MaxRetryGap)
}
