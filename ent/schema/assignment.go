package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// Assignment is a piece of work one member gives to others (工作安排): its
// assignees do it, its followers watch it, its verifier closes it.
type Assignment struct {
	ent.Schema
}

// Mixin of the Assignment.
func (Assignment) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Assignment}, TenantMixin{}}
}

// Fields of the Assignment.
func (Assignment) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(entgql.OrderField("TITLE")),
		field.Text("description").Default(""),
		field.Enum("completion_mode").
			Values("EACH", "ANY").
			Default("EACH").
			Immutable().
			Comment("EACH: every assignee completes; ANY: the first completion completes the assignment."),
		field.Enum("priority").
			Values("LOW", "NORMAL", "HIGH", "URGENT").
			Default("NORMAL").
			Annotations(entgql.OrderField("PRIORITY")),
		field.Enum("status").
			Values("TODO", "IN_PROGRESS", "DONE", "VERIFIED", "REOPENED").
			Default("TODO").
			Annotations(entgql.OrderField("STATUS")),
		field.String("start_date").
			Optional().
			Nillable().
			Comment("First day of the work (YYYY-MM-DD, in the enterprise's time zone)."),
		field.String("due_date").
			Optional().
			Nillable().
			Comment("Last day of the work (YYYY-MM-DD, in the enterprise's time zone): overdue from the next day on."),
		field.Time("due_at").
			Optional().
			Nillable().
			Comment("The instant the due date ends in the enterprise's time zone, for ordering and filters.").
			Annotations(entgql.OrderField("DUE_AT")),
		// Assigner and verifier become null when the member is deleted: the
		// work others did stays on record.
		field.String("assigner_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("verifier_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.String("parent_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("done_at").Optional().Nillable(),
		field.Time("verified_at").Optional().Nillable(),
		field.String("reopen_reason").
			Optional().
			Nillable().
			Comment("Why the assignment was last sent back to its assignees."),
		field.Time("updated_at").Default(timeNow).
			Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// Edges of the Assignment. Where-filters through edges are left out: a
// has...With filter would test rows (members, subtasks) by rules other than
// the assignment's own.
func (Assignment) Edges() []ent.Edge {
	noWhere := entgql.Skip(entgql.SkipWhereInput)
	return []ent.Edge{
		// Resolved by hand (schema/assignments.graphql) as nullable: a
		// participant may not see the assigner or verifier in the directory.
		edge.To("assigner", Member.Type).Field("assigner_id").Unique().Immutable().Annotations(entgql.Skip()),
		edge.To("verifier", Member.Type).Field("verifier_id").Unique().Annotations(entgql.Skip()),
		edge.To("subtasks", Assignment.Type).
			Annotations(noWhere, entsql.OnDelete(entsql.Cascade)).
			From("parent").
			Field("parent_id").
			Unique().
			Immutable().
			Annotations(noWhere),
		edge.To("participants", AssignmentParticipant.Type).
			Annotations(noWhere, entsql.OnDelete(entsql.Cascade)),
		edge.To("events", AssignmentEvent.Type).
			Annotations(noWhere, entgql.RelayConnection(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Assignment.
func (Assignment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assigner_id"),
		index.Fields("verifier_id"),
		index.Fields("parent_id"),
	}
}

// Annotations of the Assignment.
func (Assignment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}

// Policy of the Assignment: its assigner, verifier, assignees and followers
// see it, and admins over the assigner's departments; a subtask is seen by
// whoever sees its parent. Members create assignments; only those who see
// one may change it (package assignments says which of them may do what).
func (Assignment) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleAssignments()},
		Mutation: privacy.MutationPolicy{policy.DenyIfNotMember(), policy.FilterAssignmentWrites()},
	}
}
