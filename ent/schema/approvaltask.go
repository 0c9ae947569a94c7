package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
)

// ApprovalTask is one approver's part in one step of an approval.
type ApprovalTask struct {
	ent.Schema
}

// Mixin of the ApprovalTask.
func (ApprovalTask) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalTask}, TenantMixin{}}
}

// Fields of the ApprovalTask.
func (ApprovalTask) Fields() []ent.Field {
	return []ent.Field{
		field.String("approval_id").Immutable().Annotations(entgql.Skip()),
		field.String("node_id").Immutable().Annotations(entgql.Skip()),
		field.String("node_key").Immutable(),
		field.String("assignee_id").Immutable().Annotations(entgql.Skip()),
		field.String("assignee_name").Immutable().Comment("The approver's name when the task was given."),
		field.Enum("status").GoType(flow.TaskStatus("")).Default(string(flow.TaskPending)).
			Annotations(entgql.Type("ApprovalTaskStatus")),
		field.String("comment").Optional().Nillable(),
		field.JSON("attachments", []msgtype.FileReference{}).Optional().Annotations(entgql.Skip()),
		field.Bool("auto").Default(false).Comment("Decided by a policy (applicant as approver, repeated approver), not by a person."),
		field.Time("decided_at").Optional().Nillable(),
		field.Time("urged_at").Optional().Nillable().Annotations(entgql.Skip()),
		field.String("transferred_to_id").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the ApprovalTask.
func (ApprovalTask) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("approval", Approval.Type).Ref("tasks").Field("approval_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		edge.To("node", ApprovalNode.Type).Field("node_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// Shown by a resolver, as Approval.applicant.
		edge.To("assignee", Member.Type).Field("assignee_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the ApprovalTask.
func (ApprovalTask) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assignee_id", "status", "created_at"),
		index.Fields("approval_id"),
		index.Fields("node_id"),
	}
}

// Annotations of the ApprovalTask.
func (ApprovalTask) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the ApprovalTask: as its approval.
func (ApprovalTask) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterApprovalChildren()},
		Mutation: privacy.MutationPolicy{policy.AllowApprovalChildWrites()},
	}
}
