package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// AssignmentParticipant is one member's place in an assignment: an ASSIGNEE
// (does the work, completes it) or a FOLLOWER (sees it, does not act).
type AssignmentParticipant struct {
	ent.Schema
}

// Mixin of the AssignmentParticipant.
func (AssignmentParticipant) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AssignmentParticipant}, TenantMixin{}}
}

// Fields of the AssignmentParticipant.
func (AssignmentParticipant) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Annotations(entgql.Skip()),
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("role").Values("ASSIGNEE", "FOLLOWER").Immutable(),
		field.Time("completed_at").
			Optional().
			Nillable().
			Comment("When this assignee completed their part; cleared when the assignment is reopened."),
	}
}

// Edges of the AssignmentParticipant.
func (AssignmentParticipant) Edges() []ent.Edge {
	noWhere := entgql.Skip(entgql.SkipWhereInput)
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("participants").Field("assignment_id").
			Unique().Required().Immutable().Annotations(noWhere),
		// A deleted member leaves the assignments they were in. Resolved by
		// hand as nullable: a participant may not see every other one in
		// the directory.
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the AssignmentParticipant.
func (AssignmentParticipant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assignment_id", "member_id").Unique(),
		index.Fields("member_id", "role"),
	}
}

// Policy of the AssignmentParticipant: seen with its assignment; written by
// the assignment's assigner and verifier, and by the participant themself.
func (AssignmentParticipant) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleAssignmentParticipants()},
		Mutation: privacy.MutationPolicy{policy.DenyIfNotMember(), policy.FilterAssignmentParticipantWrites()},
	}
}
