package events

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/hook"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
)

// Record writes one event about subject in the transaction of db (the
// mutation's or the request's client), so it commits or rolls back with the
// change it describes.
func Record(ctx context.Context, db *ent.Client, t Type, enterpriseID, subjectID string, payload map[string]any) error {
	err := db.Event.Create().
		SetEnterpriseID(enterpriseID).
		SetType(string(t)).
		SetSubjectID(subjectID).
		SetOccurredAt(clock.Now(ctx)).
		SetPayload(payload).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("record %s event: %w", t, err)
	}
	return nil
}

// RecordMember records t about m with the member's payload.
func RecordMember(ctx context.Context, db *ent.Client, t Type, m *ent.Member) error {
	return Record(ctx, db, t, m.EnterpriseID, m.ID, MemberPayload(m))
}

// MemberPayload is what an app that sees a member may read of it in an event.
func MemberPayload(m *ent.Member) map[string]any {
	return map[string]any{
		"id":       m.ID,
		"userid":   m.Userid,
		"name":     m.Name,
		"position": m.Position,
		"status":   m.Status.String(),
	}
}

// MemberHook records the member events that a single member write implies:
// created on every create (imports included), and on updates the status
// change (activated, disabled, enabled, deleted) or, failing one, updated
// when a field apps read changed. Moves are recorded by the directory, which
// knows when a set of placements is complete.
func MemberHook() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MemberFunc(func(ctx context.Context, m *ent.MemberMutation) (ent.Value, error) {
			t, err := memberEventOf(ctx, m)
			if err != nil || t == "" {
				if err != nil {
					return nil, err
				}
				return next.Mutate(ctx, m)
			}
			// A many-row update's predicates may stop matching once it is
			// applied (status INVITED becoming ACTIVE), so its rows are
			// found first.
			var ids []string
			if m.Op().Is(ent.OpUpdate) {
				if ids, err = m.IDs(policy.TenantRead(ctx)); err != nil {
					return nil, fmt.Errorf("member event: %w", err)
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if row, ok := v.(*ent.Member); ok {
				return v, RecordMember(ctx, m.Client(), t, row)
			}
			return v, recordUpdated(ctx, m.Client(), t, ids)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// memberEventOf decides the event type before the write, while the old
// status can still be read; "" means the write is not an event.
func memberEventOf(ctx context.Context, m *ent.MemberMutation) (Type, error) {
	if m.Op().Is(ent.OpCreate) {
		return MemberCreated, nil
	}
	if st, ok := m.Status(); ok {
		old := member.Status("")
		if m.Op().Is(ent.OpUpdateOne) {
			var err error
			// Tenant-wide: whether a write is an event must not depend on
			// what its writer sees (an app deciding a follow, say).
			if old, err = m.OldStatus(policy.TenantRead(ctx)); err != nil {
				return "", fmt.Errorf("member event: %w", err)
			}
		}
		switch {
		case st == old:
		case st == member.StatusDELETED:
			return MemberDeleted, nil
		case st == member.StatusDISABLED:
			return MemberDisabled, nil
		case old == member.StatusDISABLED:
			return MemberEnabled, nil
		case st == member.StatusACTIVE:
			return MemberActivated, nil
		}
	}
	for _, f := range []string{member.FieldName, member.FieldPosition, member.FieldMobile, member.FieldEmail, member.FieldUserid} {
		if _, set := m.Field(f); set {
			return MemberUpdated, nil
		}
	}
	return "", nil
}

// recordUpdated records t for each member of ids, read back as they are
// now in the write's transaction.
func recordUpdated(ctx context.Context, db *ent.Client, t Type, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := db.Member.Query().Where(member.IDIn(ids...)).All(policy.TenantRead(ctx))
	if err != nil {
		return fmt.Errorf("member event: %w", err)
	}
	for _, r := range rows {
		if err := RecordMember(ctx, db, t, r); err != nil {
			return err
		}
	}
	return nil
}
