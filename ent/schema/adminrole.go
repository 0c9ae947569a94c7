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
	"github.com/corpline/corpline/internal/viewer"
)

// AdminRole makes a member a super admin, or a scoped admin over department subtrees.
type AdminRole struct {
	ent.Schema
}

// Mixin of the AdminRole.
func (AdminRole) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AdminRole}, TenantMixin{}}
}

// Fields of the AdminRole.
func (AdminRole) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("kind").Values("SUPER", "SCOPED"),
		field.JSON("rights", []viewer.Right{}).
			Default([]viewer.Right{}).
			Annotations(entgql.Type("[AdminRight!]")).
			Comment("Rights of a scoped admin; a super admin holds them all."),
		field.String("granted_by").Optional().Annotations(entgql.Skip()),
	}
}

// Edges of the AdminRole.
func (AdminRole) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member", Member.Type).
			Ref("admin_roles").
			Field("member_id").
			Unique().
			Required().
			Immutable(),
		edge.To("departments", Department.Type).
			Comment("Roots of the subtrees a scoped admin manages."),
	}
}

// Indexes of the AdminRole.
func (AdminRole) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id").Unique()}
}

// Annotations of the AdminRole.
func (AdminRole) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Policy of the AdminRole: super admins see all roles, others their own;
// super admins grant anything, scoped admins only inside their scope.
func (AdminRole) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterAdminRoles()},
		Mutation: privacy.MutationPolicy{
			policy.FilterAdminRoleScope(),
			policy.AllowIfAdminWith(viewer.RightManageMembers),
		},
	}
}
