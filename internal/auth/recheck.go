package auth

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Recheck returns v as the database has it now, for a live subscription
// that was woken: UNAUTHENTICATED once the session is revoked or expired or
// the member can no longer sign in (disabled, deleted), else the viewer
// reloaded, so transfers apply to what the subscription reads next.
func (s *Service) Recheck(ctx context.Context, v *viewer.Viewer) (*viewer.Viewer, error) {
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return v, nil
	}
	if v.SessionID != "" {
		// The system reads the session: the viewer is what is in question.
		ok, err := s.client.Session.Query().
			Where(session.ID(v.SessionID), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
			Exist(policy.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("recheck session: %w", err)
		}
		if !ok {
			return nil, apperr.E(apperr.Unauthenticated, "the session has ended; sign in again")
		}
	}
	fresh, err := s.LoadViewer(ctx, v.MemberID)
	if err != nil {
		return nil, err
	}
	fresh.SessionID = v.SessionID
	return fresh, nil
}
