package lifecycle

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// Disable locks a member out at once: their sessions are revoked, every call
// of theirs is refused with MEMBER_DISABLED, and their live subscriptions are
// woken to close. A pending follow is dropped with its password.
func (s *Service) Disable(ctx context.Context, id string) (*ent.Member, error) {
	m, err := s.target(ctx, id, "disable")
	if err != nil {
		return nil, err
	}
	if m.Status != member.StatusDISABLED {
		u := s.db(ctx).Member.UpdateOneID(id).SetStatus(member.StatusDISABLED)
		if m.Status == member.StatusPENDING {
			u.ClearPasswordHash().ClearReferredBy()
		}
		if m, err = u.Save(ctx); err != nil {
			return nil, notFound(err)
		}
	}
	if err := s.endSessions(ctx, id); err != nil {
		return nil, err
	}
	s.wake(ctx, bus.MemberTopic(id))
	return m, nil
}

// Enable lets a disabled member back: ACTIVE if they had followed (within
// the follower quota; they sign in again), INVITED otherwise.
func (s *Service) Enable(ctx context.Context, id string) (*ent.Member, error) {
	m, err := s.target(ctx, id, "enable")
	if err != nil {
		return nil, err
	}
	if m.Status != member.StatusDISABLED {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "id", Message: "only a disabled member can be enabled"}
	}
	u := s.db(ctx).Member.UpdateOneID(id).SetStatus(member.StatusINVITED)
	if m.PasswordHash != "" {
		u.SetStatus(member.StatusACTIVE).SetActivatedAt(clock.Now(ctx))
	}
	if m, err = u.Save(ctx); err != nil {
		return nil, notFound(err)
	}
	s.wake(ctx, bus.MemberTopic(id))
	return m, nil
}

// Delete removes a member from the directory (see the package comment for
// what is erased and what stays).
func (s *Service) Delete(ctx context.Context, id string) error {
	m, err := s.target(ctx, id, "delete")
	if err != nil {
		return err
	}
	if err := s.requireWhollyInScope(ctx, m); err != nil {
		return err
	}
	// The tombstone is written as the viewer, so the member policy checks the
	// admin's right and scope once more.
	_, err = s.db(ctx).Member.UpdateOneID(id).
		SetStatus(member.StatusDELETED).
		SetUserid("~" + m.ID).
		ClearMobile().
		ClearEmail().
		SetPosition("").
		ClearPasswordHash().
		ClearReferredBy().
		ClearActivatedAt().
		ClearTags().
		Save(ctx)
	if err != nil {
		return notFound(err)
	}
	// The rest is erased as the admin, under the write rules of each type.
	// A scoped admin manages the member through their departments, so those
	// go last.
	db := s.db(ctx)
	steps := []func() error{
		func() error { _, err := db.Session.Delete().Where(session.MemberID(id)).Exec(ctx); return err },
	}
	for _, e := range s.erasers {
		steps = append(steps, func() error { return e(ctx, db, m) })
	}
	steps = append(steps,
		func() error { _, err := db.AdminRole.Delete().Where(adminrole.MemberID(id)).Exec(ctx); return err },
		func() error { _, err := db.Membership.Delete().Where(membership.MemberID(id)).Exec(ctx); return err },
	)
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("delete member: %w", err)
		}
	}
	s.wake(ctx, bus.MemberTopic(id))
	return nil
}

// target loads the member an admin acts on and applies the rules every
// lifecycle action shares: an admin with MANAGE_MEMBERS who sees the member;
// never on themselves; only a super admin acts on another admin; and the
// enterprise keeps at least one active super admin.
func (s *Service) target(ctx context.Context, id, verb string) (*ent.Member, error) {
	if err := policy.RequireAdmin(ctx, viewer.RightManageMembers); err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	if id == v.MemberID {
		return nil, apperr.E(apperr.Forbidden, "you cannot %s yourself", verb)
	}
	m, err := s.db(ctx).Member.Get(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if verb == "enable" {
		return m, nil
	}
	// A tenant-wide read: a scoped admin does not see others' roles, and
	// must not take a super admin for a plain member.
	role, err := s.db(ctx).AdminRole.Query().Where(adminrole.MemberID(id)).Only(policy.TenantRead(ctx))
	if ent.IsNotFound(err) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s member: %w", verb, err)
	}
	if !v.IsSuperAdmin() {
		return nil, apperr.E(apperr.Forbidden, "only a super admin can %s an admin", verb)
	}
	if role.Kind == adminrole.KindSUPER {
		// A tenant-wide count: every super admin counts, seen or not.
		others, err := s.db(ctx).AdminRole.Query().
			Where(
				adminrole.KindEQ(adminrole.KindSUPER),
				adminrole.MemberIDNEQ(id),
				adminrole.HasMemberWith(member.StatusEQ(member.StatusACTIVE)),
			).
			Exist(policy.TenantRead(ctx))
		if err != nil {
			return nil, fmt.Errorf("%s member: %w", verb, err)
		}
		if !others {
			return nil, apperr.E(apperr.Conflict, "the last active super admin cannot be %sd", verb)
		}
	}
	return m, nil
}

// requireWhollyInScope lets a scoped admin delete only a member all of whose
// departments they manage: deleting removes them from every department.
func (s *Service) requireWhollyInScope(ctx context.Context, m *ent.Member) error {
	v := viewer.FromContext(ctx)
	if v.IsSuperAdmin() {
		return nil
	}
	// A tenant-wide read: the question is where the member is, seen or not.
	deps, err := s.db(ctx).Department.Query().
		Where(department.HasMembershipsWith(membership.MemberID(m.ID))).
		All(policy.TenantRead(ctx))
	if err != nil {
		return fmt.Errorf("delete member: %w", err)
	}
	for _, d := range deps {
		if !v.Admin.InScope(d.Path) {
			return apperr.E(apperr.Forbidden, "this member also belongs to departments outside your scope; ask a super admin")
		}
	}
	return nil
}

// endSessions revokes every session of a member, as the admin acting on
// them (policy.FilterSessionWrites lets them end the sessions of the members
// they manage).
func (s *Service) endSessions(ctx context.Context, memberID string) error {
	_, err := s.db(ctx).Session.Update().
		Where(session.MemberID(memberID), session.RevokedAtIsNil()).
		SetRevokedAt(clock.Now(ctx)).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	return nil
}

// FormerSenderName is the name of a deleted member who sent a message, or
// nil when the sender is not a former member. It is a tenant-wide read
// (the directory hides former members): whoever sees the message saw it
// sent by that person, and the tombstone keeps nothing else.
func (s *Service) FormerSenderName(ctx context.Context, memberID *string) (*string, error) {
	if memberID == nil {
		return nil, nil
	}
	m, err := s.db(ctx).Member.Query().
		Where(member.ID(*memberID), member.StatusEQ(member.StatusDELETED)).
		Only(policy.TenantRead(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("former sender: %w", err)
	}
	return &m.Name, nil
}

// FormerSenderNames is FormerSenderName for many senders in one query: the
// names of those of memberIDs who are former members, by ID.
func (s *Service) FormerSenderNames(ctx context.Context, memberIDs []string) (map[string]string, error) {
	ms, err := s.db(ctx).Member.Query().
		Where(member.IDIn(memberIDs...), member.StatusEQ(member.StatusDELETED)).
		All(policy.TenantRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("former senders: %w", err)
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.ID] = m.Name
	}
	return out, nil
}

func notFound(err error) error {
	if ent.IsNotFound(err) {
		return &apperr.Error{Code: apperr.NotFound, Field: "id", Message: "member not found"}
	}
	return err
}
