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

// Membership places a member in a department, as primary or not, leader or not.
type Membership struct {
	ent.Schema
}

// Mixin of the Membership.
func (Membership) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Membership}, TenantMixin{}}
}

// Fields of the Membership.
func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Annotations(entgql.Skip()),
		field.String("department_id").Annotations(entgql.Skip()),
		field.Bool("is_primary").Default(false),
		field.Bool("is_leader").Default(false),
	}
}

// Edges of the Membership.
func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Required().Unique().Field("member_id"),
		edge.To("department", Department.Type).Required().Unique().Field("department_id"),
	}
}

// Indexes of the Membership.
func (Membership) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "department_id").Unique(),
		index.Fields("department_id"),
	}
}

// Annotations of the Membership.
func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{}
}

// Policy of the Membership: visible when both ends are; placed by admins with
// MANAGE_MEMBERS, inside their scope.
func (Membership) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleMemberships()},
		Mutation: privacy.MutationPolicy{
			policy.FilterMembershipScope(),
			policy.AllowIfAdminWith(viewer.RightManageMembers),
		},
	}
}
