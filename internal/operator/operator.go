// Package operator is what platform operators do: create enterprises, set
// their account type, certify them (one year, renewable), set a certified
// enterprise's follower quota, and read each enterprise's usage.
//
// Every function starts with policy.RequireOperator: members and apps get
// FORBIDDEN. Operators name the enterprise they act on in each call; they get
// no enterprise's directory or messages (policy.FilterEnterprise).
package operator

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/quota"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// CertificationTerm is how long one certification (or renewal) lasts.
const CertificationTerm = 1 // year

// Service applies the operator's rules.
type Service struct{ client *ent.Client }

// New returns a Service over client.
func New(client *ent.Client) *Service { return &Service{client: client} }

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// Enterprises is the query of every enterprise, for operators.
func (s *Service) Enterprises(ctx context.Context) (*ent.EnterpriseQuery, error) {
	if err := policy.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.db(ctx).Enterprise.Query(), nil
}

// CreateEnterprise creates an enterprise with its first super admin.
func (s *Service) CreateEnterprise(ctx context.Context, in provision.Enterprise) (*ent.Enterprise, error) {
	if err := policy.RequireOperator(ctx); err != nil {
		return nil, err
	}
	if in.AccountType == enterprise.AccountTypeCERTIFIED {
		until := clock.Now(ctx).AddDate(CertificationTerm, 0, 0)
		in.CertifiedUntil = &until
	}
	res, err := provision.Create(ctx, s.client, in)
	if err != nil {
		return nil, err
	}
	return s.db(ctx).Enterprise.Get(ctx, res.EnterpriseID)
}

// SetAccountType makes an enterprise REGISTERED or CERTIFIED. A TRIAL is
// only ever created as one; leaving TRIAL stops its reclaim clock.
func (s *Service) SetAccountType(ctx context.Context, id string, t enterprise.AccountType) (*ent.Enterprise, error) {
	if t == enterprise.AccountTypeTRIAL {
		return nil, apperr.Input("accountType", "a trial account can only be created as one")
	}
	e, err := s.editable(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.save(s.db(ctx).Enterprise.UpdateOne(e).SetAccountType(t).ClearTrialEndsAt(), ctx)
}

// Certify certifies an enterprise for a year, or extends a running
// certification by a year; it becomes CERTIFIED. The first certification
// needs a follower quota.
func (s *Service) Certify(ctx context.Context, id string, followerQuota *int) (*ent.Enterprise, error) {
	e, err := s.editable(ctx, id)
	if err != nil {
		return nil, err
	}
	if followerQuota == nil && e.FollowerQuota == nil {
		return nil, apperr.Input("followerQuota", "the first certification needs a follower quota")
	}
	if followerQuota != nil {
		if err := provision.CheckQuota("followerQuota", *followerQuota); err != nil {
			return nil, err
		}
	}
	from := clock.Now(ctx)
	if quota.CertificationValid(e, from) {
		from = *e.CertifiedUntil // renewal: extends the running year
	}
	u := s.db(ctx).Enterprise.UpdateOne(e).
		SetAccountType(enterprise.AccountTypeCERTIFIED).
		SetCertifiedUntil(from.AddDate(CertificationTerm, 0, 0)).
		ClearTrialEndsAt().
		SetNillableFollowerQuota(followerQuota)
	return s.save(u, ctx)
}

// SetFollowerQuota sets the quota that applies while the enterprise is
// certified. Lowering it below the current followers keeps them; only new
// follows are refused.
func (s *Service) SetFollowerQuota(ctx context.Context, id string, q int) (*ent.Enterprise, error) {
	if err := provision.CheckQuota("followerQuota", q); err != nil {
		return nil, err
	}
	e, err := s.editable(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.save(s.db(ctx).Enterprise.UpdateOne(e).SetFollowerQuota(q), ctx)
}

// editable loads an enterprise an operator may change: not a reclaimed trial.
func (s *Service) editable(ctx context.Context, id string) (*ent.Enterprise, error) {
	if err := policy.RequireOperator(ctx); err != nil {
		return nil, err
	}
	e, err := s.db(ctx).Enterprise.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "enterpriseId", Message: "enterprise not found"}
	}
	if err != nil {
		return nil, err
	}
	if e.Status == enterprise.StatusRECLAIMED {
		return nil, apperr.Because(apperr.Forbidden, apperr.EnterpriseReclaimed, "this trial enterprise has been reclaimed")
	}
	return e, nil
}

func (s *Service) save(u *ent.EnterpriseUpdateOne, ctx context.Context) (*ent.Enterprise, error) {
	e, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update enterprise: %w", err)
	}
	return e, nil
}

// Usage is an enterprise's use of its account.
type Usage struct {
	Followers, FollowerLimit, Members int
	CertificationValid                bool
	ContactMobile, ContactEmail       *string
}

// UsageOf reports e's usage to an operator or to e's super admins.
func (s *Service) UsageOf(ctx context.Context, e *ent.Enterprise) (*Usage, error) {
	v := viewer.FromContext(ctx)
	if !v.IsOperator() && !(v.IsSuperAdmin() && v.EnterpriseID == e.ID) {
		return nil, apperr.E(apperr.Forbidden, "only platform operators and the enterprise's super admins see its usage")
	}
	// Counted as the system: usage is about the whole enterprise, and
	// operators see no member rows.
	var rows []struct {
		Status member.Status `json:"status"`
		Count  int           `json:"count"`
	}
	err := s.db(ctx).Member.Query().
		Where(member.EnterpriseID(e.ID), member.StatusNEQ(member.StatusDELETED)).
		GroupBy(member.FieldStatus).
		Aggregate(ent.Count()).
		Scan(policy.SystemContext(ctx), &rows)
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	now := clock.Now(ctx)
	u := &Usage{FollowerLimit: quota.Limit(e, now), CertificationValid: quota.CertificationValid(e, now)}
	for _, r := range rows {
		u.Members += r.Count
		if r.Status == member.StatusACTIVE {
			u.Followers = r.Count
		}
	}
	if v.IsOperator() {
		u.ContactMobile, u.ContactEmail = e.ContactMobile, e.ContactEmail
	}
	return u, nil
}
