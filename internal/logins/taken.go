package logins

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/policy"
)

// chunk bounds the values of one IN list.
const chunk = 500

// Taken returns which of keys (folded names) some member of the viewer's
// enterprise other than exceptID signs in with, as userid, mobile or email.
// A tenant-wide read: uniqueness does not depend on what the viewer sees,
// and former members keep their userid too.
func Taken(ctx context.Context, db *ent.Client, exceptID string, keys []string) (map[string]bool, error) {
	taken := map[string]bool{}
	tenant := policy.TenantRead(ctx)
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		ms, err := db.Member.Query().
			Where(
				member.IDNEQ(exceptID),
				member.Or(member.UseridKeyIn(part...), member.MobileIn(part...), member.EmailIn(part...)),
			).
			Select(member.FieldUseridKey, member.FieldMobile, member.FieldEmail).
			All(tenant)
		if err != nil {
			return nil, fmt.Errorf("check logins: %w", err)
		}
		for _, m := range ms {
			taken[m.UseridKey] = true
			if m.Mobile != nil {
				taken[Key(*m.Mobile)] = true
			}
			if m.Email != nil {
				taken[Key(*m.Email)] = true
			}
		}
	}
	return taken, nil
}
