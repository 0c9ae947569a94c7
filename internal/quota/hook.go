package quota

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/hook"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/policy"
)

// Hook checks the quota on every member write that sets status ACTIVE:
// activation, approval, enabling, creation with a password, and whatever
// comes later. Being in the data layer, no new way into ACTIVE can forget it.
func Hook() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MemberFunc(func(ctx context.Context, m *ent.MemberMutation) (ent.Value, error) {
			if st, ok := m.Status(); ok && st == member.StatusACTIVE {
				if err := reserveFor(ctx, m); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

func reserveFor(ctx context.Context, m *ent.MemberMutation) error {
	db := m.Client()
	if m.Op().Is(ent.OpCreate) {
		eid, _ := m.EnterpriseID()
		return Reserve(ctx, db, eid, 1)
	}
	ids, err := m.IDs(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	// Members are read as the system: the mutation's own policy has decided
	// (or will decide) whether the viewer may write them; here only their
	// enterprise and status matter.
	sys := policy.SystemContext(ctx)
	rows, err := db.Member.Query().Where(member.IDIn(ids...)).All(sys)
	if err != nil {
		return fmt.Errorf("quota: %w", err)
	}
	byEnterprise := map[string][]string{}
	for _, r := range rows {
		byEnterprise[r.EnterpriseID] = append(byEnterprise[r.EnterpriseID], r.ID)
	}
	for eid, mids := range byEnterprise {
		e, err := Lock(ctx, db, eid)
		if err != nil {
			return err
		}
		// Status is read again under the lock: a member who became ACTIVE in a
		// transaction that committed while this one waited is not counted twice.
		n, err := db.Member.Query().Where(member.IDIn(mids...), member.StatusNEQ(member.StatusACTIVE)).Count(sys)
		if err != nil {
			return fmt.Errorf("quota: %w", err)
		}
		if n == 0 {
			continue
		}
		if err := fits(ctx, db, e, n); err != nil {
			return err
		}
	}
	return nil
}
