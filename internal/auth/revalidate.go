package auth

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/apptoken"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Revalidate re-reads the viewer of a live connection as the database has
// it now: its session or app token must still be valid, and the member
// active. A subscription calls it on every wake-up and adopts the result,
// so a transfer changes what it shows at once, and a disabled or deleted
// member or a revoked session ends it.
func (s *Service) Revalidate(ctx context.Context, v *viewer.Viewer) (*viewer.Viewer, error) {
	// Validity is the system's question: it reads the credential rows.
	sys := policy.SystemContext(ctx)
	switch v.Kind {
	case viewer.KindMember:
		// The session is read first and the member second, and the member's
		// refusal wins: a disable or reclaim revokes the sessions in the same
		// transaction, so whichever side of its commit each read falls, the
		// answer names the reason (MEMBER_DISABLED, ENTERPRISE_RECLAIMED)
		// rather than a bare ended session.
		live := true
		if v.SessionID != "" {
			ok, err := s.client.Session.Query().
				Where(session.ID(v.SessionID), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
				Exist(sys)
			if err != nil {
				return nil, fmt.Errorf("revalidate: %w", err)
			}
			live = ok
		}
		fresh, err := s.LoadViewer(ctx, v.MemberID)
		if err != nil {
			return nil, err
		}
		if !live {
			return nil, errBadToken
		}
		fresh.SessionID, fresh.Expires = v.SessionID, v.Expires
		return fresh, nil
	case viewer.KindApp:
		_, err := s.client.AppToken.Query().
			Where(apptoken.ID(v.AppTokenID), apptoken.ExpiresAtGT(s.now())).
			Only(sys)
		if ent.IsNotFound(err) {
			return nil, errBadToken
		}
		if err != nil {
			return nil, fmt.Errorf("revalidate: %w", err)
		}
		fresh, err := s.LoadAppViewer(ctx, v.AppID)
		if err != nil {
			return nil, err
		}
		fresh.AppTokenID, fresh.Expires = v.AppTokenID, v.Expires
		return fresh, nil
	}
	return v, nil
}
