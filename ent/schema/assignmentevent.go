package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// AssignmentEvent is one line of an assignment's timeline: created,
// changed, completed by an assignee, reopened with a reason, verified, or a
// comment. The timeline is the assignment's record; nothing is edited.
type AssignmentEvent struct {
	ent.Schema
}

// Mixin of the AssignmentEvent.
func (AssignmentEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AssignmentEvent}, TenantMixin{}}
}

// Fields of the AssignmentEvent.
func (AssignmentEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Annotations(entgql.Skip()),
		field.String("actor_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Enum("kind").
			Values("ASSIGNED", "UPDATED", "COMPLETED", "REOPENED", "VERIFIED", "COMMENTED").
			Immutable(),
		field.Text("body").
			Default("").
			Immutable().
			Comment("The comment, or the reason of a reopen."),
	}
}

// Edges of the AssignmentEvent.
func (AssignmentEvent) Edges() []ent.Edge {
	noWhere := entgql.Skip(entgql.SkipWhereInput)
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("events").Field("assignment_id").
			Unique().Required().Immutable().Annotations(noWhere),
		// A deleted member's comments stay, without their author.
		edge.To("actor", Member.Type).Field("actor_id").Unique().Immutable().Annotations(noWhere),
	}
}

// Indexes of the AssignmentEvent.
func (AssignmentEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("assignment_id", "created_at")}
}

// Annotations of the AssignmentEvent.
func (AssignmentEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the AssignmentEvent: seen with its assignment; written once, by
// those who see the assignment, as package assignments records what they did.
func (AssignmentEvent) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleAssignmentEvents()},
		Mutation: privacy.MutationPolicy{
			policy.DenyIfNotMember(),
			privacy.OnMutationOperation(privacy.AlwaysDenyRule(), ent.OpUpdate|ent.OpUpdateOne|ent.OpDelete|ent.OpDeleteOne),
			policy.AllowIfAssignmentVisible(),
		},
	}
}
