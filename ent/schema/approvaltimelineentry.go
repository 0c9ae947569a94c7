package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
)

// ApprovalTimelineEntry records one thing that happened to an approval:
// who, at which node and task, when, with which comment. Comments with
// mentions are entries too, so the timeline is the whole conversation.
type ApprovalTimelineEntry struct {
	ent.Schema
}

// Mixin of the ApprovalTimelineEntry.
func (ApprovalTimelineEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalTimelineEntry}, TenantMixin{}}
}

// Fields of the ApprovalTimelineEntry.
func (ApprovalTimelineEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("approval_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("action").GoType(flow.Action("")).Immutable().Annotations(entgql.Type("ApprovalAction")),
		field.String("actor_id").Optional().Nillable().Immutable().
			Comment("Null when the flow acted by itself (a policy, a disabled approver's task moving).").
			Annotations(entgql.Skip()),
		field.String("actor_name").Optional().Nillable().Immutable().Comment("The actor's name at the time."),
		field.String("node_key").Optional().Nillable().Immutable(),
		field.String("task_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("comment").Optional().Nillable().Immutable(),
		field.JSON("attachments", []msgtype.FileReference{}).Optional().Immutable().Annotations(entgql.Skip()),
		field.Strings("member_ids").Optional().Immutable().
			Comment("The members the action names: mentioned, added, transferred to, copied.").
			Annotations(entgql.Skip()),
	}
}

// Edges of the ApprovalTimelineEntry.
func (ApprovalTimelineEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("approval", Approval.Type).Ref("timeline").Field("approval_id").
			Unique().Required().Immutable().Annotations(entgql.Skip()),
		edge.To("actor", Member.Type).Field("actor_id").Unique().Immutable().Annotations(entgql.Skip()),
	}
}

// Indexes of the ApprovalTimelineEntry.
func (ApprovalTimelineEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("approval_id", "created_at")}
}

// Policy of the ApprovalTimelineEntry: as its approval; entries are never changed.
func (ApprovalTimelineEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterApprovalChildren()},
		Mutation: privacy.MutationPolicy{policy.AllowApprovalChildWrites()},
	}
}
