package auth

import (
	"context"
	"fmt"
	"sync"

	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/batch"
	"github.com/corpline/corpline/internal/viewer"
)

// Recheck returns v as the database has it now, for a live subscription
// that was woken: UNAUTHENTICATED once the session is revoked or expired or
// the member can no longer sign in (disabled, deleted), else the viewer
// reloaded, so transfers apply to what the subscription reads next.
//
// A message to a department wakes every subscription of its members at
// once, so rechecks made together are answered together: a few queries per
// 500 viewers instead of a handful each.
func (s *Service) Recheck(ctx context.Context, v *viewer.Viewer) (*viewer.Viewer, error) {
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return s.Revalidate(ctx, v) // apps: few connections, one at a time
	}
	l, _, err := s.rechecks.loader(s).Get(ctx, recheckKey{member: v.MemberID, session: v.SessionID})
	if err != nil {
		return nil, err
	}
	fresh, err := viewerOrError(l)
	if err != nil {
		return nil, err
	}
	// Each caller gets its own copy: the loaded viewer may be shared by
	// several subscriptions of the member.
	out := *fresh
	out.SessionID = v.SessionID
	return &out, nil
}

type recheckKey struct{ member, session string }

// rechecker batches Recheck.
type rechecker struct {
	once sync.Once
	l    *batch.Loader[recheckKey, *loaded]
}

func (r *rechecker) loader(s *Service) *batch.Loader[recheckKey, *loaded] {
	r.once.Do(func() { r.l = &batch.Loader[recheckKey, *loaded]{Load: s.recheckAll} })
	return r.l
}

var errSessionEnded = apperr.E(apperr.Unauthenticated, "the session has ended; sign in again")

func (s *Service) recheckAll(ctx context.Context, keys []recheckKey) (map[recheckKey]*loaded, error) {
	var sessionIDs, memberIDs []string
	seen := map[string]bool{}
	for _, k := range keys {
		if k.session != "" {
			sessionIDs = append(sessionIDs, k.session)
		}
		if !seen[k.member] {
			seen[k.member] = true
			memberIDs = append(memberIDs, k.member)
		}
	}
	live := map[string]bool{}
	if len(sessionIDs) > 0 {
		// The system reads the sessions: the viewers are what is in question.
		ids, err := s.client.Session.Query().
			Where(session.IDIn(sessionIDs...), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
			IDs(policy.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("recheck sessions: %w", err)
		}
		for _, id := range ids {
			live[id] = true
		}
	}
	vs, err := s.loadViewers(ctx, memberIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[recheckKey]*loaded, len(keys))
	for _, k := range keys {
		// The member's own state first: a disabled member's sessions are
		// revoked too, and the answer should say MEMBER_DISABLED.
		if l := vs[k.member]; l == nil || l.err != nil || k.session == "" || live[k.session] {
			out[k] = l
			continue
		}
		out[k] = &loaded{err: errSessionEnded}
	}
	return out, nil
}
