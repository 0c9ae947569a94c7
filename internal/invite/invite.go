package invite

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Invite is one link to follow an enterprise.
type Invite struct {
	URL            string
	Token          string
	ReferrerID     string
	EnterpriseName string
}

// Service hands out and checks invites.
type Service struct {
	client *ent.Client
	// BaseURL is the server's public URL, which links start with.
	baseURL func() string
}

// New returns a Service; baseURL gives the public URL links start with.
func New(client *ent.Client, baseURL func() string) *Service {
	return &Service{client: client, baseURL: baseURL}
}

// Get returns the enterprise's invite (admins with MANAGE_MEMBERS) or, with
// referral, the viewer's own referral card (any member).
func (s *Service) Get(ctx context.Context, referral bool) (*Invite, error) {
	if err := policy.RequireMember(ctx); err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	referrer := ""
	if referral {
		referrer = v.MemberID
	} else if err := policy.RequireAdmin(ctx, viewer.RightManageMembers); err != nil {
		return nil, err
	}
	e, err := s.secretOf(ctx, v.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return s.make(e, referrer), nil
}

// Rotate gives the enterprise a new invite secret, voiding every link given
// out, and returns the new invite (super admins).
func (s *Service) Rotate(ctx context.Context) (*Invite, error) {
	if err := policy.RequireSuperAdmin(ctx); err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	e, err := store.ClientFrom(ctx, s.client).Enterprise.UpdateOneID(v.EnterpriseID).
		SetInviteSecret(NewSecret()).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("rotate invite: %w", err)
	}
	return s.make(e, ""), nil
}

func (s *Service) make(e *ent.Enterprise, referrerID string) *Invite {
	token := Sign(e.InviteSecret, e.ID, referrerID)
	return &Invite{URL: Link(s.baseURL(), token), Token: token, ReferrerID: referrerID, EnterpriseName: e.Name}
}

// secretOf reads the enterprise with its invite secret, giving it one first
// if it has none (enterprises created before invites existed).
func (s *Service) secretOf(ctx context.Context, enterpriseID string) (*ent.Enterprise, error) {
	db := store.ClientFrom(ctx, s.client)
	// The secret is the system's to read and set: the viewer was checked by
	// the caller, and only ever reads their own enterprise's.
	sys := policy.SystemContext(ctx)
	e, err := db.Enterprise.Get(sys, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	if e.InviteSecret != "" {
		return e, nil
	}
	err = db.Enterprise.Update().
		Where(enterprise.ID(enterpriseID), enterprise.Or(enterprise.InviteSecretIsNil(), enterprise.InviteSecretEQ(""))).
		SetInviteSecret(NewSecret()).
		Exec(sys)
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	return db.Enterprise.Get(sys, enterpriseID)
}

// Resolve checks a link (or token) as the system, before anyone is signed
// in, and returns the enterprise it invites to and the referrer, if any. It
// answers ok false for anything that is not a valid, current link of an
// enterprise, including a referral card of someone no longer following; the
// caller turns that into one answer that does not say what was wrong.
func (s *Service) Resolve(ctx context.Context, link string) (e *ent.Enterprise, referrerID string, ok bool, err error) {
	c, parsed := Parse(link)
	if !parsed {
		return nil, "", false, nil
	}
	db := store.ClientFrom(ctx, s.client)
	sys := policy.SystemContext(ctx)
	e, err = db.Enterprise.Get(sys, c.EnterpriseID)
	if ent.IsNotFound(err) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("resolve invite: %w", err)
	}
	if !c.Valid(e.InviteSecret) {
		return nil, "", false, nil
	}
	if e.Status == enterprise.StatusRECLAIMED {
		return nil, "", false, apperr.Because(apperr.Forbidden, apperr.EnterpriseReclaimed, "this trial enterprise has been reclaimed")
	}
	if c.ReferrerID != "" {
		active, err := db.Member.Query().
			Where(member.ID(c.ReferrerID), member.EnterpriseID(e.ID), member.StatusEQ(member.StatusACTIVE)).
			Exist(sys)
		if err != nil {
			return nil, "", false, fmt.Errorf("resolve invite: %w", err)
		}
		if !active {
			return nil, "", false, nil
		}
	}
	return e, c.ReferrerID, true, nil
}
