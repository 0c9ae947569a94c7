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

// Event is one change of an enterprise as its apps read it (see package
// events): written in the change's transaction, never changed.
type Event struct {
	ent.Schema
}

// Mixin of the Event.
func (Event) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Event}, TenantMixin{}}
}

// Fields of the Event.
func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("type").NotEmpty().Immutable().
			Comment("The event type, one of eventTypes (member.created...)."),
		field.Time("occurred_at").Immutable(),
		field.String("subject_id").NotEmpty().Immutable().
			Annotations(entgql.Type("ID")).
			Comment("The ID of what changed."),
		field.JSON("payload", map[string]any{}).
			Immutable().
			Annotations(entgql.Type("Map"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)).
			Comment("The subject's fields as any app that sees it may read them."),
	}
}

// Indexes of the Event: the feed pages by id within an enterprise.
func (Event) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "id"),
		index.Fields("subject_id"),
	}
}

// Annotations of the Event.
func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the Event: apps read the events of their range; the writer of
// a change appends its event.
func (Event) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleEvents()},
		Mutation: privacy.MutationPolicy{policy.AllowEventAppends()},
	}
}

// Hooks of the Event: append-only, even for the system.
func (Event) Hooks() []ent.Hook {
	return []ent.Hook{func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if !m.Op().Is(ent.OpCreate) {
				return nil, fmt.Errorf("events are append-only")
			}
			return next.Mutate(ctx, m)
		})
	}}
}
