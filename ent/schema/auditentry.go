package schema

import (
	"context"
	"fmt"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// AuditEntry records one action of an admin, an operator or the system: who,
// what, on which target, when, with details. Entries are written in the
// transaction of the action (see package audit) and never change.
//
// enterprise_id is a plain column, not an edge: the record outlives the
// enterprise's data when a reclaimed trial is purged.
type AuditEntry struct {
	ent.Schema
}

// Mixin of the AuditEntry.
func (AuditEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AuditEntry}}
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("enterprise_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Type("ID")).
			Comment("The enterprise acted on; null for platform actions that touch none."),
		field.Enum("actor_kind").Values("MEMBER", "APP", "OPERATOR", "SYSTEM").Immutable(),
		field.String("actor_id").Default("").Immutable(),
		field.String("actor_name").Default("").Immutable(),
		field.String("action").NotEmpty().Immutable().
			Comment("What was done: the mutation's name (disableMember), or a system job's (reclaimTrial)."),
		field.String("target_id").Default("").Immutable(),
		field.String("target_type").Default("").Immutable(),
		field.JSON("details", map[string]any{}).
			Optional().
			Immutable().
			Annotations(entgql.Type("Map")).
			Comment("The action's input as sent, secrets redacted, long lists shortened."),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "created_at"),
		index.Fields("target_id"),
	}
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the AuditEntry: operators read all; a super admin reads their
// enterprise's; nobody else reads any. Only the system writes.
func (AuditEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.DenyIfNoViewer(), policy.FilterAuditLog()},
		Mutation: privacy.MutationPolicy{policy.SystemOnly()},
	}
}

// Hooks of the AuditEntry: append-only, even for the system.
func (AuditEntry) Hooks() []ent.Hook {
	return []ent.Hook{func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if !m.Op().Is(ent.OpCreate) {
				return nil, fmt.Errorf("audit entries are append-only")
			}
			return next.Mutate(ctx, m)
		})
	}}
}
