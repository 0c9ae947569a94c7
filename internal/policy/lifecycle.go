package policy

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// FilterFormerMembers keeps deleted members (tombstones kept only so that
// what they wrote stays attributed) out of every query: they have left the
// directory, for admins as much as for members.
func FilterFormerMembers() privacy.QueryRule {
	return privacy.MemberQueryRuleFunc(func(_ context.Context, q *ent.MemberQuery) error {
		q.Where(member.StatusNEQ(member.StatusDELETED))
		return privacy.Skip
	})
}

// FilterAuditLog lets operators read every audit entry and a super admin
// those of their enterprise; scoped admins, members and apps read none.
func FilterAuditLog() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		switch {
		case v.Kind == viewer.KindOperator:
			return privacy.Skip
		case v.IsSuperAdmin():
			af, ok := f.(*ent.AuditEntryFilter)
			if !ok {
				return denyForbidden()
			}
			af.WhereEnterpriseID(entql.StringEQ(v.EnterpriseID))
			return privacy.Skip
		}
		return privacy.Denyf("%w", apperr.E(apperr.Forbidden, "only super admins and platform operators read the audit log"))
	})
}

// RequireOperator is the rule of the operator API (enterprises,
// createEnterprise, setAccountType, certifyEnterprise, setFollowerQuota):
// platform operators only, members and apps never.
func RequireOperator(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindOperator {
		return apperr.E(apperr.Forbidden, "only platform operators may do this")
	}
	return nil
}

// RequireAdmin is the rule of enterprise-wide admin actions that are not
// writes of one row (pendingActivations, invite): an admin of the viewer's
// enterprise holding right.
func RequireAdmin(ctx context.Context, r viewer.Right) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember || !v.Admin.Can(r) {
		return apperr.E(apperr.Forbidden, "this needs an admin with %s", r)
	}
	return nil
}

// RequireVerifier is the rule of pending activations (secondary
// verification): an admin with MANAGE_MEMBERS, or an app of the enterprise,
// which is how the enterprise's own system approves with its app token.
// Each reaches only the members it sees: an admin's scope, an app's visible
// range (see VerifierScope).
func RequireVerifier(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v != nil && v.Kind == viewer.KindApp {
		return nil
	}
	return RequireAdmin(ctx, viewer.RightManageMembers)
}

// VerifierScope is the predicate of the members a verifier may approve, on
// top of what it sees: a scoped admin's subtrees; nil for super admins and
// apps (an app's range is already its member visibility).
func VerifierScope(v *viewer.Viewer) predicate.Member {
	if v.Kind == viewer.KindApp {
		return nil
	}
	return MembersInScope(v)
}

// RequireSuperAdmin is the rule of actions on the whole enterprise
// (rotateInvite, verification settings): its super admins only.
func RequireSuperAdmin(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return apperr.ErrUnauthenticated
	}
	if !v.IsSuperAdmin() {
		return apperr.E(apperr.Forbidden, "only a super admin may do this")
	}
	return nil
}

// RequireMember is the rule of a member's own things (their referral card):
// a signed-in member of an enterprise.
func RequireMember(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return apperr.E(apperr.Forbidden, "only members of an enterprise may do this")
	}
	return nil
}
