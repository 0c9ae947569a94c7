package bus_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// recorder is a Publisher that keeps what it was asked to publish.
type recorder struct {
	mu     sync.Mutex
	topics []string
	err    error
}

func (r *recorder) Publish(ctx context.Context, topics ...string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.topics = append(r.topics, topics...)
	return r.err
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.topics)
}

func TestPublishAfterCommitWaitsForTheCommit(t *testing.T) {
	db := apitest.NewDB(t)
	tx, err := db.Client.Tx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req, cancel := context.WithCancel(context.Background())
	r := &recorder{}
	bus.PublishAfterCommit(ent.NewTxContext(req, tx), r, "member:a", "inbox:a")
	if got := r.got(); len(got) != 0 {
		t.Fatalf("published %v before the commit", got)
	}
	// The request's context may end while the commit hook runs: the
	// publish must not be lost with it.
	cancel()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := r.got(); !slices.Equal(got, []string{"member:a", "inbox:a"}) {
		t.Fatalf("published %v after the commit, want member:a and inbox:a", got)
	}
}

func TestPublishAfterCommitNeverPublishesARollback(t *testing.T) {
	db := apitest.NewDB(t)
	ctx := context.Background()
	tx, err := db.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	bus.PublishAfterCommit(ent.NewTxContext(ctx, tx), r, "member:a")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := r.got(); len(got) != 0 {
		t.Fatalf("published %v for a rolled back transaction", got)
	}
}

func TestPublishAfterCommitWithoutATransactionPublishesAtOnce(t *testing.T) {
	r := &recorder{err: errors.New("listener down")}
	// A failed publish is logged, not returned: the rows are committed.
	bus.PublishAfterCommit(context.Background(), r, "enterprise:e")
	if got := r.got(); !slices.Equal(got, []string{"enterprise:e"}) {
		t.Fatalf("published %v, want enterprise:e", got)
	}
	bus.PublishAfterCommit(context.Background(), nil, "enterprise:e") // no bus: nothing to wake
	bus.PublishAfterCommit(context.Background(), r)
	if got := r.got(); len(got) != 1 {
		t.Fatalf("published %v, want only the first publish", got)
	}
}
