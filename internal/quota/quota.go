// Package quota holds the follower limits of the account types (DOMAIN.md,
// Account types): REGISTERED 50, TRIAL 10, CERTIFIED the operator's quota
// while the certification is valid (REGISTERED rules once it lapses).
//
// A follower is an ACTIVE member, admins included. The limit is checked by
// locking the enterprise's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite
// has one writer, and every transaction takes it at BEGIN) and counting the
// ACTIVE members, in the transaction that makes a member ACTIVE. There is no
// stored counter that could drift: the count is the truth, and the lock
// makes concurrent activations of one enterprise take turns.
package quota

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
)

// Follower limits of the account types.
const (
	RegisteredFollowers = 50
	TrialFollowers      = 10
)

// CertificationValid reports whether e holds a certification at now.
func CertificationValid(e *ent.Enterprise, now time.Time) bool {
	return e.CertifiedUntil != nil && now.Before(*e.CertifiedUntil)
}

// Limit is how many followers e may have at now.
func Limit(e *ent.Enterprise, now time.Time) int {
	switch e.AccountType {
	case enterprise.AccountTypeTRIAL:
		return TrialFollowers
	case enterprise.AccountTypeCERTIFIED:
		if CertificationValid(e, now) && e.FollowerQuota != nil {
			return *e.FollowerQuota
		}
	}
	return RegisteredFollowers
}

// Followers counts the ACTIVE members of an enterprise. It counts as the
// system: the number is the enterprise's, whoever asks.
func Followers(ctx context.Context, db *ent.Client, enterpriseID string) (int, error) {
	n, err := db.Member.Query().
		Where(member.EnterpriseID(enterpriseID), member.StatusEQ(member.StatusACTIVE)).
		Count(policy.SystemContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("count followers: %w", err)
	}
	return n, nil
}

// Lock reads an enterprise with its row locked until the transaction ends
// (PostgreSQL). On SQLite the transaction already holds the only write lock.
func Lock(ctx context.Context, db *ent.Client, enterpriseID string) (*ent.Enterprise, error) {
	q := db.Enterprise.Query().Where(enterprise.ID(enterpriseID)).Unique(false)
	q.Modify(func(s *sql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.ForUpdate()
		}
	})
	// The lock is taken as the system: whoever triggers an activation (a
	// member following, an admin enabling), the quota is the enterprise's.
	e, err := q.Only(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("lock enterprise: %w", err)
	}
	return e, nil
}

// Reserve fails with QUOTA_EXCEEDED unless n more followers fit in the
// enterprise, which it locks for the rest of the transaction. Call it in the
// transaction that makes them ACTIVE (Hook does, for every member write).
func Reserve(ctx context.Context, db *ent.Client, enterpriseID string, n int) error {
	e, err := Lock(ctx, db, enterpriseID)
	if err != nil {
		return err
	}
	return fits(ctx, db, e, n)
}

func fits(ctx context.Context, db *ent.Client, e *ent.Enterprise, n int) error {
	if e.Status == enterprise.StatusRECLAIMED {
		return apperr.Because(apperr.Forbidden, apperr.EnterpriseReclaimed, "this trial enterprise has been reclaimed")
	}
	have, err := Followers(ctx, db, e.ID)
	if err != nil {
		return err
	}
	limit := Limit(e, clock.Now(ctx))
	if have+n > limit {
		err := apperr.E(apperr.QuotaExceeded,
			"the enterprise has %d followers and its %s account allows %d: ask the platform operator for a larger quota",
			have, describe(e, clock.Now(ctx)), limit)
		err.Extra = map[string]any{"followers": have, "limit": limit}
		return err
	}
	return nil
}

func describe(e *ent.Enterprise, now time.Time) string {
	switch {
	case e.AccountType == enterprise.AccountTypeCERTIFIED && !CertificationValid(e, now):
		return "certified (certification lapsed, so registered rules apply)"
	case e.AccountType == enterprise.AccountTypeCERTIFIED:
		return "certified"
	case e.AccountType == enterprise.AccountTypeTRIAL:
		return "trial"
	}
	return "registered"
}
