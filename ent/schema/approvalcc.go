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

// ApprovalCc copies an approval to a member (抄送), who may then see it.
type ApprovalCc struct {
	ent.Schema
}

// Mixin of the ApprovalCc.
func (ApprovalCc) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalCc}, TenantMixin{}}
}

// Fields of the ApprovalCc.
func (ApprovalCc) Fields() []ent.Field {
	return []ent.Field{
		field.String("approval_id").Immutable().Annotations(entgql.Skip()),
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("stage").GoType(flow.CcStage("")).Immutable().Annotations(entgql.Type("ApprovalCcStage")),
	}
}

// Edges of the ApprovalCc.
func (ApprovalCc) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("approval", Approval.Type).Ref("ccs").Field("approval_id").
			Unique().Required().Immutable().Annotations(entgql.Skip()),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the ApprovalCc.
func (ApprovalCc) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("approval_id", "member_id", "stage").Unique(),
		index.Fields("member_id"),
	}
}

// Policy of the ApprovalCc: as its approval.
func (ApprovalCc) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterApprovalChildren()},
		Mutation: privacy.MutationPolicy{policy.AllowApprovalChildWrites()},
	}
}
