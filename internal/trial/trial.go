// Package trial reclaims TRIAL enterprises: 90 days after creation (see
// provision.TrialLength) a trial is RECLAIMED: every session revoked, every
// live connection woken to close, every call answered ENTERPRISE_RECLAIMED.
// Its data is purged Grace (30 days) later: every row of every table that
// belongs to the enterprise is deleted; the enterprise row stays, marked
// purged, with the audit log, as the platform's record.
//
// A Reclaimer runs in every server process; each step is a conditional
// update in its own transaction, so two processes never reclaim or purge the
// same trial twice.
package trial

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/audit"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// Grace is how long a reclaimed trial's data is kept before it is purged
// (so an upgrade request can still save it).
const Grace = 30 * 24 * time.Hour

// Reclaimer reclaims expired trials and purges them after Grace.
type Reclaimer struct {
	client  *ent.Client
	dialect string
	pub     bus.Publisher
	now     clock.Clock
}

// NewReclaimer returns a Reclaimer over client (of the given SQL dialect).
func NewReclaimer(client *ent.Client, dialect string, pub bus.Publisher, now clock.Clock) *Reclaimer {
	return &Reclaimer{client: client, dialect: dialect, pub: pub, now: now}
}

// Result counts what one RunOnce did.
type Result struct{ Reclaimed, Purged int }

// Run reclaims and purges every interval until ctx ends.
func (r *Reclaimer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
				slog.Error("trial reclaim", "err", err)
			}
		}
	}
}

// RunOnce reclaims the trials whose time is over and purges those whose
// grace period is over.
func (r *Reclaimer) RunOnce(ctx context.Context) (Result, error) {
	// The job is the system acting on its own schedule.
	ctx = clock.NewContext(policy.SystemContext(ctx), r.now)
	now := r.now()
	var res Result
	due, err := r.client.Enterprise.Query().
		Where(
			enterprise.AccountTypeEQ(enterprise.AccountTypeTRIAL),
			enterprise.StatusEQ(enterprise.StatusACTIVE),
			enterprise.TrialEndsAtLTE(now),
		).
		IDs(ctx)
	if err != nil {
		return res, fmt.Errorf("reclaim: %w", err)
	}
	for _, id := range due {
		ok, err := r.reclaim(ctx, id, now)
		if err != nil {
			return res, err
		}
		if ok {
			res.Reclaimed++
		}
	}
	expired, err := r.client.Enterprise.Query().
		Where(
			enterprise.StatusEQ(enterprise.StatusRECLAIMED),
			enterprise.PurgedAtIsNil(),
			enterprise.ReclaimedAtLTE(now.Add(-Grace)),
		).
		IDs(ctx)
	if err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	for _, id := range expired {
		ok, err := r.purge(ctx, id, now)
		if err != nil {
			return res, err
		}
		if ok {
			res.Purged++
		}
	}
	return res, nil
}

// reclaim marks one trial reclaimed and revokes its sessions, then wakes
// its live connections.
func (r *Reclaimer) reclaim(ctx context.Context, id string, now time.Time) (bool, error) {
	var members []string
	done, err := r.inTx(ctx, func(tx *ent.Client) (bool, error) {
		n, err := tx.Enterprise.Update().
			Where(enterprise.ID(id), enterprise.StatusEQ(enterprise.StatusACTIVE), enterprise.AccountTypeEQ(enterprise.AccountTypeTRIAL)).
			SetStatus(enterprise.StatusRECLAIMED).
			SetReclaimedAt(now).
			Save(ctx)
		if err != nil || n == 0 {
			return false, err
		}
		revoked, err := tx.Session.Update().
			Where(session.EnterpriseID(id), session.RevokedAtIsNil()).
			SetRevokedAt(now).
			Save(ctx)
		if err != nil {
			return false, err
		}
		if members, err = tx.Member.Query().Where(member.EnterpriseID(id)).IDs(ctx); err != nil {
			return false, err
		}
		return true, audit.Record(ctx, tx, audit.Entry{
			EnterpriseID: id, Action: "reclaimTrial", TargetID: id,
			Details: map[string]any{"sessionsRevoked": revoked, "purgeAfter": now.Add(Grace).UTC().Format(time.RFC3339)},
		})
	})
	if err != nil || !done {
		return false, err
	}
	topics := []string{bus.EnterpriseTopic(id)}
	for _, m := range members {
		topics = append(topics, bus.MemberTopic(m))
	}
	bus.PublishAfterCommit(ctx, r.pub, topics...)
	return true, nil
}

func (r *Reclaimer) inTx(ctx context.Context, f func(tx *ent.Client) (bool, error)) (bool, error) {
	tx, err := r.client.Tx(ctx)
	if err != nil {
		return false, fmt.Errorf("trial: %w", err)
	}
	ok, err := f(tx.Client())
	if err != nil || !ok {
		tx.Rollback()
		if err != nil {
			return false, fmt.Errorf("trial: %w", err)
		}
		return false, nil
	}
	return true, tx.Commit()
}
