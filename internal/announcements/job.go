package announcements

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Publisher publishes scheduled announcements when their time comes. Every
// server process runs one over the same database; each announcement is
// published exactly once: a run claims due rows with FOR UPDATE SKIP LOCKED
// (on PostgreSQL; SQLite has one writer) and publishes them in the same
// transaction, so another process either skips the locked rows or, once
// they commit, no longer finds them SCHEDULED.
type Publisher struct {
	s   *Service
	now clock.Clock
	// Batch is how many announcements one run publishes at most.
	Batch int
}

// NewPublisher returns the publishing job of s, reading time from now.
func (s *Service) NewPublisher(now clock.Clock) *Publisher {
	return &Publisher{s: s, now: now, Batch: 20}
}

// Run publishes due announcements every interval until ctx ends.
func (p *Publisher) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := p.RunOnce(ctx); err != nil && ctx.Err() == nil {
				slog.Error("announcement publisher", "err", err)
			}
		}
	}
}

// RunOnce publishes the announcements due now (up to Batch) and returns
// how many it published.
func (p *Publisher) RunOnce(ctx context.Context) (int, error) {
	ctx = clock.NewContext(ctx, p.now)
	tx, err := p.s.client.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("publish scheduled: %w", err)
	}
	n, err := p.publishDue(ctx, tx)
	if err != nil {
		tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("publish scheduled: %w", err)
	}
	return n, nil
}

// publishDue claims and publishes due announcements in tx. The claim and
// the change of state are the system's (a background job: scheduled
// announcements of every enterprise, their authors elsewhere); delivery
// runs as the author, in their enterprise, like a publication by hand.
func (p *Publisher) publishDue(ctx context.Context, tx *ent.Tx) (int, error) {
	db := tx.Client()
	sys := policy.SystemContext(ctx)
	now := clock.Now(ctx)
	q := db.Announcement.Query().
		Where(announcement.StatusEQ(announcement.StatusSCHEDULED), announcement.PublishAtLTE(now)).
		Order(announcement.ByPublishAt()).
		Limit(p.Batch).
		Unique(false)
	q.Modify(func(s *sql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.ForUpdate(sql.WithLockAction(sql.SkipLocked))
		}
	})
	due, err := q.All(sys)
	if err != nil {
		return 0, fmt.Errorf("publish scheduled: %w", err)
	}
	for _, a := range due {
		if a, err = markPublished(sys, db, a, now); err != nil {
			return 0, err
		}
		author := &viewer.Viewer{Kind: viewer.KindMember, EnterpriseID: a.EnterpriseID, MemberID: deref(a.AuthorID)}
		actx := ent.NewTxContext(ent.NewContext(viewer.NewContext(ctx, author), db), tx)
		if err := p.s.deliver(actx, db, a); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
