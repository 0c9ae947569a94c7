package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/viewer"
)

// FilterTagScope keeps a scoped admin's tag writes inside their subtrees:
// the members they add to or remove from a tag must be theirs, and they
// rename or delete only tags whose members are all theirs. Tags themselves
// are enterprise-wide: every member sees them (their member lists are cut by
// member visibility).
func FilterTagScope() privacy.MutationRule {
	return privacy.TagMutationRuleFunc(func(ctx context.Context, m *ent.TagMutation) error {
		v := viewer.FromContext(ctx)
		p := MembersInScope(v)
		if p == nil {
			return privacy.Skip
		}
		if touched := dedupe(append(m.MembersIDs(), m.RemovedMembersIDs()...)); len(touched) > 0 {
			n, err := m.Client().Member.Query().Where(member.IDIn(touched...), p).Count(ctx)
			if err != nil {
				return privacy.Denyf("tag scope: %v", err)
			}
			if n != len(touched) {
				return deny("you can only tag and untag members of the subtrees you manage")
			}
		}
		if m.Op().Is(ent.OpDelete|ent.OpDeleteOne) || (m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && len(m.Fields()) > 0) {
			m.Where(tagsInScope(v))
		}
		return privacy.Skip
	})
}
