package auth

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// RevalidateMany is Revalidate for many live connections at once, in a fixed
// number of queries whatever their number: a message to a department wakes
// all its members' subscriptions together, and each must re-check its
// viewer before reading. out[i] and errs[i] answer vs[i].
func (s *Service) RevalidateMany(ctx context.Context, vs []*viewer.Viewer) (out []*viewer.Viewer, errs []error) {
	out, errs = make([]*viewer.Viewer, len(vs)), make([]error, len(vs))
	var sessions, members []string
	for i, v := range vs {
		if v.Kind != viewer.KindMember {
			out[i], errs[i] = s.Revalidate(ctx, v)
			continue
		}
		members = append(members, v.MemberID)
		if v.SessionID != "" {
			sessions = append(sessions, v.SessionID)
		}
	}
	if len(members) == 0 {
		return out, errs
	}
	fail := func(err error) ([]*viewer.Viewer, []error) {
		for i, v := range vs {
			if v.Kind == viewer.KindMember {
				errs[i] = err
			}
		}
		return out, errs
	}
	// Validity is the system's question: it reads the credential rows.
	sys := policy.SystemContext(ctx)
	valid := map[string]bool{}
	if len(sessions) > 0 {
		ids, err := s.client.Session.Query().
			Where(session.IDIn(sessions...), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
			IDs(sys)
		if err != nil {
			return fail(fmt.Errorf("revalidate: %w", err))
		}
		for _, id := range ids {
			valid[id] = true
		}
	}
	ms, err := s.memberFacts(members...).All(sys)
	if err != nil {
		return fail(fmt.Errorf("revalidate: %w", err))
	}
	byID := make(map[string]int, len(ms))
	for i, m := range ms {
		byID[m.ID] = i
	}
	for i, v := range vs {
		if v.Kind != viewer.KindMember {
			continue
		}
		j, ok := byID[v.MemberID]
		switch {
		case v.SessionID != "" && !valid[v.SessionID], !ok:
			errs[i] = errBadToken
		default:
			if out[i], errs[i] = viewerOf(ms[j]); errs[i] == nil {
				out[i].SessionID = v.SessionID
			}
		}
	}
	return out, errs
}
