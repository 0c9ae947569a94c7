// Package logins keeps a member's sign-in names apart from everyone else's.
//
// A member signs in with their userid, mobile or email (package auth), so
// within an enterprise the three are one namespace: no member's userid,
// mobile or email may equal another member's userid, mobile or email, or a
// login string would name two people and sign in as whichever the lookup
// prefers. Names are compared without regard to case: userids keep the case
// they were given, and their folded form (Key) is stored beside them in
// userid_key, which a unique index per enterprise holds on every database;
// emails are stored folded. Mobiles are digits.
//
// Taken answers which names are in use, for the directory's CONFLICT
// answers (one statement for a whole import); Hook keeps userid_key in step
// with userid on every write.
package logins

import (
	"context"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/hook"
)

// Key is the form a login name is compared in.
func Key(name string) string { return strings.ToLower(name) }

// Hook sets userid_key from userid on every member write that sets userid.
func Hook() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MemberFunc(func(ctx context.Context, m *ent.MemberMutation) (ent.Value, error) {
			if u, ok := m.Userid(); ok {
				// By name, not SetUseridKey: ent/schema uses this hook, so it
				// must compile before the field's setter is generated.
				if err := m.SetField("userid_key", Key(u)); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}
