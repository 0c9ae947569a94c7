package auth

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
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
	// Building a viewer is the system's job: it reads the facts access is decided by.
	ms, err := s.client.Member.Query().
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
		if m.Status != member.StatusACTIVE {
			out[m.ID] = &loaded{err: apperr.E(apperr.Unauthenticated, "this member can no longer sign in")}
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
