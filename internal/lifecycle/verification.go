package lifecycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// Pending is the query of the members waiting for approval that the
// verifier may decide on: an admin's (scoped admin: their subtrees), or an
// app's (its visible range).
func (s *Service) Pending(ctx context.Context) (*ent.MemberQuery, error) {
	if err := policy.RequireVerifier(ctx); err != nil {
		return nil, err
	}
	q := s.db(ctx).Member.Query().Where(member.StatusEQ(member.StatusPENDING))
	if p := policy.VerifierScope(viewer.FromContext(ctx)); p != nil {
		q.Where(p)
	}
	return q, nil
}

// Approve makes a pending member a follower, within the quota.
func (s *Service) Approve(ctx context.Context, memberID string) (*ent.Member, error) {
	if err := s.requirePending(ctx, memberID); err != nil {
		return nil, err
	}
	m, err := s.db(ctx).Member.UpdateOneID(memberID).
		Where(member.StatusEQ(member.StatusPENDING)).
		SetStatus(member.StatusACTIVE).
		SetActivatedAt(clock.Now(ctx)).
		Save(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	s.wake(ctx, bus.MemberTopic(m.ID), bus.EnterpriseTopic(m.EnterpriseID))
	return m, nil
}

// Reject sends a pending member back to INVITED, forgetting the password
// they chose; they may follow again.
func (s *Service) Reject(ctx context.Context, memberID string) (*ent.Member, error) {
	if err := s.requirePending(ctx, memberID); err != nil {
		return nil, err
	}
	m, err := s.db(ctx).Member.UpdateOneID(memberID).
		Where(member.StatusEQ(member.StatusPENDING)).
		SetStatus(member.StatusINVITED).
		ClearPasswordHash().
		ClearReferredBy().
		Save(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	s.wake(ctx, bus.MemberTopic(m.ID), bus.EnterpriseTopic(m.EnterpriseID))
	return m, nil
}

func (s *Service) requirePending(ctx context.Context, memberID string) error {
	q, err := s.Pending(ctx)
	if err != nil {
		return err
	}
	ok, err := q.Where(member.ID(memberID)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("pending activation: %w", err)
	}
	if !ok {
		return &apperr.Error{Code: apperr.NotFound, Field: "memberId", Message: "no pending activation of this member"}
	}
	return nil
}

// Settings are an enterprise's secondary verification settings.
type Settings struct {
	Enabled     bool
	CallbackURL *string
	// Secret is set only in the answer that generated it.
	CallbackSecret *string
}

// SettingsUpdate changes Settings; nil fields stay.
type SettingsUpdate struct {
	Enabled      *bool
	CallbackURL  *string // "" removes it
	RotateSecret bool
}

// VerificationSettings returns the viewer's enterprise's settings (super admins).
func (s *Service) VerificationSettings(ctx context.Context) (*Settings, error) {
	if err := policy.RequireSuperAdmin(ctx); err != nil {
		return nil, err
	}
	e, err := s.db(ctx).Enterprise.Get(ctx, viewer.FromContext(ctx).EnterpriseID)
	if err != nil {
		return nil, err
	}
	return &Settings{Enabled: e.SecondaryVerification, CallbackURL: e.CallbackURL}, nil
}

// UpdateVerificationSettings changes them. A shared secret is generated with
// the first callback URL, or on request, and shown once.
func (s *Service) UpdateVerificationSettings(ctx context.Context, in SettingsUpdate) (*Settings, error) {
	if err := policy.RequireSuperAdmin(ctx); err != nil {
		return nil, err
	}
	db := s.db(ctx)
	e, err := db.Enterprise.Get(ctx, viewer.FromContext(ctx).EnterpriseID)
	if err != nil {
		return nil, err
	}
	u := db.Enterprise.UpdateOne(e)
	if in.Enabled != nil {
		u.SetSecondaryVerification(*in.Enabled)
	}
	if in.CallbackURL != nil {
		if err := checkCallbackURL(*in.CallbackURL); err != nil {
			return nil, err
		}
		if strings.TrimSpace(*in.CallbackURL) == "" {
			u.ClearCallbackURL()
		} else {
			u.SetCallbackURL(strings.TrimSpace(*in.CallbackURL))
		}
	}
	var secret *string
	if in.RotateSecret || (e.CallbackSecret == "" && in.CallbackURL != nil && *in.CallbackURL != "") {
		b := make([]byte, 32)
		rand.Read(b)
		sec := "cbs_" + hex.EncodeToString(b)
		u.SetCallbackSecret(sec)
		secret = &sec
	}
	if e, err = u.Save(ctx); err != nil {
		return nil, err
	}
	return &Settings{Enabled: e.SecondaryVerification, CallbackURL: e.CallbackURL, CallbackSecret: secret}, nil
}

// checkCallbackURL accepts "" (none) or an absolute http(s) URL.
func checkCallbackURL(raw string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(raw) > 2000 || u.User != nil {
		return apperr.Input("callbackUrl", "callbackUrl must be an absolute http or https URL without credentials")
	}
	return nil
}
