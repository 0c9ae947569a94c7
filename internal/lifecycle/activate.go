package lifecycle

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/invite"
	"github.com/corpline/corpline/internal/outbox"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/quota"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// ActivateInput is what a person gives to follow an enterprise.
type ActivateInput struct {
	Invite     string
	Name       string
	Mobile     *string
	Email      *string
	Password   string
	ClientAddr string
}

// Activation is the outcome of a follow.
type Activation struct {
	Member *ent.Member
	// Session is set when the member is ACTIVE at once.
	Session *auth.Session
}

// errNoMatch is the one answer to every failed identity: it never says
// whether the invite, the name or the mobile/email was wrong, or whether the
// person already follows.
var errNoMatch = apperr.E(apperr.Forbidden,
	"this invite, name and mobile or email do not match anyone waiting to follow; check them or ask your admin")

// EventActivationPending is the callback event of a follow waiting for approval.
const EventActivationPending = "member.activation_pending"

// Activate follows an enterprise: it succeeds only when the invite is valid
// and the name together with the mobile or email match an imported member
// who is not following yet. With secondary verification on, the member waits
// as PENDING and the enterprise is told (callback and pendingActivations);
// otherwise they are ACTIVE at once, within the follower quota, and signed in.
func (s *Service) Activate(ctx context.Context, in ActivateInput) (*Activation, error) {
	if len(in.Password) < auth.MinPasswordLength {
		return nil, apperr.Input("password", "password must be at least %d characters", auth.MinPasswordLength)
	}
	mobile, email := normMobile(in.Mobile), normEmail(in.Email)
	if mobile == "" && email == "" {
		return nil, apperr.Input("mobile", "give your mobile or your email, as in the directory")
	}
	// One identity is one enterprise's mobile or email, however the invite
	// is spelled (link, bare token, referral card).
	idKey := strings.TrimSpace(in.Invite)
	if c, ok := invite.Parse(in.Invite); ok {
		idKey = c.EnterpriseID
	}
	idKey += "\x00" + mobile + "\x00" + strings.ToLower(email)
	if err := s.checkRate(ctx, in.ClientAddr, idKey); err != nil {
		return nil, err
	}
	fail := func() error {
		s.perAddr.Fail(ctx, in.ClientAddr)
		s.perIdentity.Fail(ctx, idKey)
		return errNoMatch
	}
	// Before anyone is signed in, the system checks the invite and the
	// directory; the person gets only yes or the one errNoMatch.
	sys := policy.SystemContext(ctx)
	e, referrer, ok, err := s.invites.Resolve(sys, in.Invite)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fail()
	}
	m, err := s.match(sys, e.ID, in.Name, mobile, email)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fail()
	}
	// Refuse early when no place is left, before the costly hash: this also
	// takes the enterprise's lock, so concurrent follows take turns from
	// here. (The member hook checks again when the status is written, and a
	// pending follow is checked again at approval.)
	if err := quota.Reserve(sys, s.db(ctx), e.ID, 1); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	status := member.StatusACTIVE
	if e.SecondaryVerification {
		status = member.StatusPENDING
	}
	u := s.db(ctx).Member.Update().
		Where(member.ID(m.ID), member.StatusEQ(member.StatusINVITED)).
		SetStatus(status).
		SetPasswordHash(hash).
		SetNillableReferredBy(nonEmpty(referrer))
	if status == member.StatusACTIVE {
		u.SetActivatedAt(clock.Now(ctx))
	}
	n, err := u.Save(sys)
	if err != nil {
		return nil, err
	}
	if n == 0 { // followed meanwhile, by a concurrent request
		return nil, fail()
	}
	m, err = s.db(ctx).Member.Get(sys, m.ID)
	if err != nil {
		return nil, fmt.Errorf("activate: %w", err)
	}
	if status == member.StatusPENDING {
		if err := s.tellPending(ctx, e, m); err != nil {
			return nil, err
		}
		return &Activation{Member: m}, nil
	}
	s.wake(ctx, bus.EnterpriseTopic(e.ID))
	ses, err := s.auth.OpenSession(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	return &Activation{Member: m, Session: ses}, nil
}

func (s *Service) checkRate(ctx context.Context, addr, idKey string) error {
	for _, k := range []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.perAddr, addr}, {s.perIdentity, idKey}} {
		if blocked, wait := k.l.Blocked(ctx, k.key); blocked {
			e := apperr.E(apperr.RateLimited, "too many failed attempts to follow; try again later")
			e.Extra = map[string]any{"retryAfter": int(wait.Seconds()) + 1}
			return e
		}
	}
	return nil
}

// match finds the invited member of the enterprise with this identity: name
// (spaces and case aside) together with the mobile or email given (both, when
// both are given).
func (s *Service) match(sys context.Context, enterpriseID, name, mobile, email string) (*ent.Member, error) {
	q := s.db(sys).Member.Query().Where(member.EnterpriseID(enterpriseID), member.StatusEQ(member.StatusINVITED))
	if mobile != "" {
		q.Where(member.Mobile(mobile))
	}
	if email != "" {
		q.Where(member.EmailEqualFold(email))
	}
	ms, err := q.Limit(20).All(sys)
	if err != nil {
		return nil, fmt.Errorf("activate: match: %w", err)
	}
	want := normName(name)
	for _, m := range ms {
		if want != "" && normName(m.Name) == want {
			return m, nil
		}
	}
	return nil, nil
}

// tellPending tells the enterprise a follow waits: its admins through a
// wake-up of the enterprise topic (pendingActivations), its system through a
// signed callback, when it configured a URL.
func (s *Service) tellPending(ctx context.Context, e *ent.Enterprise, m *ent.Member) error {
	s.wake(ctx, bus.EnterpriseTopic(e.ID))
	if e.CallbackURL == nil || *e.CallbackURL == "" {
		return nil
	}
	return outbox.Enqueue(ctx, s.client, e.ID, EventActivationPending, map[string]any{
		"memberId":   m.ID,
		"userid":     m.Userid,
		"name":       m.Name,
		"mobile":     m.Mobile,
		"email":      m.Email,
		"referredBy": m.ReferredBy,
	})
}

func normName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func normMobile(p *string) string {
	if p == nil {
		return ""
	}
	return strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(strings.TrimSpace(*p))
}

func normEmail(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
