package auth

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// loaded is one member's viewer, or why there is none.
type loaded struct {
	v   *viewer.Viewer
	err error
}

func viewerOrError(l *loaded) (*viewer.Viewer, error) {
	if l == nil {
		return nil, apperr.E(apperr.Unauthenticated, "invalid or expired token")
	}
	return l.v, l.err
}

// loadViewers builds the viewers of members, in a few queries whatever
// their number (ent loads each edge for all of them at once). A member
// missing from the result does not exist.
func (s *Service) loadViewers(ctx context.Context, memberIDs []string) (map[string]*loaded, error) {
	// Building a viewer is the system's job: it reads the facts access is
	// decided by, in the request's transaction when there is one (a member
	// who follows is signed in by the transaction that made them ACTIVE).
	ms, err := store.ClientFrom(ctx, s.client).Member.Query().
		Where(member.IDIn(memberIDs...)).
		WithEnterprise().
		WithDepartments().
		WithTags(func(q *ent.TagQuery) { q.Select(tag.FieldID) }).
		WithAdminRoles(func(q *ent.AdminRoleQuery) { q.WithDepartments() }).
		All(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("load viewer: %w", err)
	}
	out := make(map[string]*loaded, len(ms))
	for _, m := range ms {
		if err := refusal(m); err != nil {
			out[m.ID] = &loaded{err: err}
			continue
		}
		v := &viewer.Viewer{
			Kind:         viewer.KindMember,
			EnterpriseID: m.EnterpriseID,
			MemberID:     m.ID,
			Name:         m.Name,
			Visibility:   viewer.Visibility(m.Edges.Enterprise.DirectoryVisibility),
		}
		for _, d := range m.Edges.Departments {
			v.DeptPaths = append(v.DeptPaths, d.Path)
		}
		for _, t := range m.Edges.Tags {
			v.TagIDs = append(v.TagIDs, t.ID)
		}
		if len(m.Edges.AdminRoles) > 0 {
			v.Admin = AdminOf(m.Edges.AdminRoles[0])
		}
		out[m.ID] = &loaded{v: v}
	}
	return out, nil
}

// refusal is why m has no viewer, with the reason's own code where the
// person should be told (MEMBER_DISABLED, ENTERPRISE_RECLAIMED), or nil.
func refusal(m *ent.Member) error {
	if m.Edges.Enterprise.Status == enterprise.StatusRECLAIMED {
		return errReclaimed
	}
	if m.Status == member.StatusDISABLED {
		return statusError(m.Status)
	}
	if m.Status != member.StatusACTIVE {
		return apperr.E(apperr.Unauthenticated, "this member can no longer sign in")
	}
	return nil
}
