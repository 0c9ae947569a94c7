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
	"github.com/corpline/corpline/internal/viewer"
)

// ApprovalTemplateVersion is one immutable version of a template's form and flow.
type ApprovalTemplateVersion struct {
	ent.Schema
}

// Mixin of the ApprovalTemplateVersion.
func (ApprovalTemplateVersion) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ApprovalTemplateVersion}, TenantMixin{}}
}

// Fields of the ApprovalTemplateVersion.
func (ApprovalTemplateVersion) Fields() []ent.Field {
	return []ent.Field{
		field.String("template_id").Immutable().Annotations(entgql.Skip()),
		field.Int("version").Immutable(),
		field.JSON("controls", []flow.Control{}).Immutable().Annotations(entgql.Skip()),
		field.JSON("flow", flow.Flow{}).Immutable().Annotations(entgql.Skip()),
		field.String("created_by").Optional().Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of the ApprovalTemplateVersion.
func (ApprovalTemplateVersion) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("template", ApprovalTemplate.Type).Ref("versions").Field("template_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the ApprovalTemplateVersion.
func (ApprovalTemplateVersion) Indexes() []ent.Index {
	return []ent.Index{index.Fields("template_id", "version").Unique()}
}

// Policy of the ApprovalTemplateVersion: as its template.
func (ApprovalTemplateVersion) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleApprovalTemplateVersions()},
		Mutation: privacy.MutationPolicy{
			policy.AllowIfAdminWith(viewer.RightManageApprovals),
		},
	}
}
