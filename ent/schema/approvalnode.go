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
	"github.com/corpline/corpline/internal/policy"
)

// ApprovalNode is one step of an approval's resolved path, with its people.
// node_key is the template's stable node id; steps added by approvers (加签)
// get a key of their own.
type ApprovalNode struct {
	ent.Schema
}

// Mixin of the ApprovalNode.
func (ApprovalNode) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalNode}, TenantMixin{}}
}

// Fields of the ApprovalNode.
func (ApprovalNode) Fields() []ent.Field {
	return []ent.Field{
		field.String("approval_id").Immutable().Annotations(entgql.Skip()),
		field.String("node_key").Immutable(),
		field.String("name"),
		field.Int("round").Immutable().Annotations(entgql.Skip()),
		field.Int("position").Comment("Order along the path, from 0."),
		field.Enum("mode").GoType(flow.Mode("")).Annotations(entgql.Type("ApprovalMode")),
		field.Strings("approver_ids").Annotations(entgql.Skip()),
		field.Enum("status").GoType(flow.NodeStatus("")).Annotations(entgql.Type("ApprovalNodeStatus")),
		field.String("auto").Default("").Annotations(entgql.Skip()),
		field.Enum("self_policy").GoType(flow.SelfPolicy("")).Annotations(entgql.Skip()),
		field.Bool("added").Default(false).Comment("Added by an approver (加签), not by the template."),
	}
}

// Edges of the ApprovalNode.
func (ApprovalNode) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("approval", Approval.Type).Ref("nodes").Field("approval_id").
			Unique().Required().Immutable().Annotations(entgql.Skip()),
	}
}

// Indexes of the ApprovalNode.
func (ApprovalNode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("approval_id", "round", "position")}
}

// Policy of the ApprovalNode: as its approval.
func (ApprovalNode) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterApprovalChildren()},
		Mutation: privacy.MutationPolicy{policy.AllowApprovalChildWrites()},
	}
}
