package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ApprovalTemplate is a kind of request members may submit for approval: a
// form and a flow, in versions. Editing adds a version; approvals keep the
// version they were submitted with.
type ApprovalTemplate struct {
	ent.Schema
}

// Mixin of the ApprovalTemplate.
func (ApprovalTemplate) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalTemplate}, TenantMixin{}}
}

// Fields of the ApprovalTemplate.
func (ApprovalTemplate) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("NAME")),
		field.String("icon").Default("").MaxLen(64).Comment("An icon key the clients know."),
		field.String("group").Default("").MaxLen(64).Comment("The group the template is listed under."),
		field.String("kind").
			Default("GENERAL").
			Comment("GENERAL, or a built-in kind another app reacts to (LEAVE, BUSINESS_TRIP...)."),
		field.JSON("audience", audience.Audience{}).
			Comment("Who may apply.").
			Annotations(entgql.Skip()),
		field.Int("version").Default(1).Comment("The current version's number."),
		field.String("current_version_id").Optional().Annotations(entgql.Skip()),
		field.Time("archived_at").Optional().Nillable().Comment("Archived templates take no new approvals."),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow).Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// Edges of the ApprovalTemplate.
func (ApprovalTemplate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("versions", ApprovalTemplateVersion.Type).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the ApprovalTemplate.
func (ApprovalTemplate) Indexes() []ent.Index {
	return []ent.Index{index.Fields("enterprise_id", "kind")}
}

// Annotations of the ApprovalTemplate.
func (ApprovalTemplate) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the ApprovalTemplate: members in its audience and approval
// admins see it; admins holding MANAGE_APPROVALS write it, a scoped admin
// only when its audience lies in their subtrees.
func (ApprovalTemplate) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleApprovalTemplates()},
		Mutation: privacy.MutationPolicy{
			policy.FilterApprovalTemplateScope(),
			policy.AllowIfAdminWith(viewer.RightManageApprovals),
		},
	}
}
