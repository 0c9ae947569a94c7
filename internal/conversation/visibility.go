package conversation

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// checkMembers holds a conversation's members to the directory's rules:
// at most MaxMembers, each one the viewer can see, each active, and every
// one of them able to see every other (otherwise a group would show people
// to someone the directory hides them from).
func (s *Service) checkMembers(ctx context.Context, v *viewer.Viewer, members []string) error {
	if len(members) > MaxMembers {
		return apperr.Input("memberIds", "a conversation has at most %d members", MaxMembers)
	}
	db := s.db(ctx)
	seen, err := db.Member.Query().Where(member.IDIn(members...)).All(ctx) // as the viewer
	if err != nil {
		return fmt.Errorf("check conversation members: %w", err)
	}
	if len(seen) != len(members) {
		return &apperr.Error{Code: apperr.NotFound, Message: "unknown member", Field: "memberIds"}
	}
	for _, m := range seen {
		if m.Status != member.StatusACTIVE {
			return apperr.Input("memberIds", "%s has not followed the enterprise or is disabled", m.Userid)
		}
	}
	if v.Visibility != viewer.VisibilityDepartment {
		return nil // everyone sees the whole directory
	}
	for _, id := range members {
		mv := v
		if id != v.MemberID {
			if mv, err = s.auth.LoadViewer(ctx, id); err != nil {
				return err
			}
		}
		p := policy.VisibleMembers(mv)
		if p == nil {
			continue
		}
		// A tenant-wide count with that member's visibility rule in place
		// of the viewer's.
		n, err := db.Member.Query().Where(member.IDIn(members...), p).Count(policy.TenantRead(ctx))
		if err != nil {
			return fmt.Errorf("check conversation members: %w", err)
		}
		if n != len(members) {
			return apperr.E(apperr.Forbidden, "these members cannot all see each other in the directory")
		}
	}
	return nil
}
