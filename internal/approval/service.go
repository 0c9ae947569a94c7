package approval

import (
	"context"
	"fmt"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/store"
)

// Limits of approvals.
const (
	MaxIdempotencyKey = 128
	// IdempotencyWindow is how long a retried submit with the same key
	// answers with the first attempt.
	IdempotencyWindow = 4 * time.Hour
	// UrgeInterval is how often one task may be urged.
	UrgeInterval = time.Hour
	MaxComment   = 2000
)

// Topic is woken each time the approval with id changes: the approval(id)
// subscription re-reads it.
func Topic(id string) string { return "approval:" + id }

// Service runs approvals: templates, submitting, and every action.
type Service struct {
	client   *ent.Client
	dialect  string
	pub      bus.Publisher
	notifier Notifier
	live     *live.Hub

	mu    sync.RWMutex
	kinds map[string]KindSpec
}

// Options are a Service's collaborators besides the store and the bus.
type Options struct {
	// Live runs the approval(id) subscription.
	Live *live.Hub
	// Notifier puts approval notices into inboxes; nil sends none.
	Notifier Notifier
}

// New returns a Service over client (of the given ent dialect).
func New(client *ent.Client, dialectName string, pub bus.Publisher, o Options) *Service {
	if o.Notifier == nil {
		o.Notifier = noNotifier{}
	}
	return &Service{client: client, dialect: dialectName, pub: pub, notifier: o.Notifier, live: o.Live,
		kinds: map[string]KindSpec{}}
}

// db is the client of the request's transaction, if any.
func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// now is the time of the request's clock, so date rules are tested without waiting.
func (s *Service) now(ctx context.Context) time.Time { return clock.Now(ctx) }

// wake publishes the approval's topic after the request commits.
func (s *Service) wake(ctx context.Context, approvalIDs ...string) {
	if s.pub == nil || len(approvalIDs) == 0 {
		return
	}
	topics := make([]string, len(approvalIDs))
	for i, id := range approvalIDs {
		topics[i] = Topic(id)
	}
	bus.PublishAfterCommit(ctx, s.pub, topics...)
}

// inTx runs f in the request's transaction, or in a new one when ctx has
// none (a caller outside a GraphQL mutation, such as a background job).
func (s *Service) inTx(ctx context.Context, f func(ctx context.Context) error) error {
	if ent.TxFromContext(ctx) != nil {
		return f(ctx)
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("approval: begin: %w", err)
	}
	txCtx := ent.NewTxContext(ent.NewContext(ctx, tx.Client()), tx)
	if err := f(txCtx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("approval: commit: %w", err)
	}
	return nil
}

// locks reports whether row locks must be asked for: SQLite runs one
// writing transaction at a time already.
func (s *Service) locks() bool { return s.dialect == dialect.Postgres }
