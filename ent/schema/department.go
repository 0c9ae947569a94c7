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
	"github.com/corpline/corpline/internal/viewer"
)

// Department is a node of an enterprise's department tree.
type Department struct {
	ent.Schema
}

// Mixin of the Department.
func (Department) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Department}, TenantMixin{}}
}

// Fields of the Department.
func (Department) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.String("parent_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.Int("order").
			Default(0).
			Comment("Position among siblings; lower comes first.").
			Annotations(entgql.OrderField("ORDER")),
		field.String("path").
			NotEmpty().
			Comment("Materialized path of IDs from the root, '/a/b/c/', so a subtree is one prefix match.").
			Annotations(entgql.Skip()),
		field.Int("depth").
			Default(1).
			Comment("1 for a root department."),
	}
}

// Edges of the Department.
func (Department) Edges() []ent.Edge {
	return []ent.Edge{
		// No CHILDREN_COUNT order: counting children outside the viewer's
		// visibility would leak how many there are.
		// Deleting a department that still has children fails in the
		// database too (ent's default, SET NULL, would turn a child created
		// during the delete into a root with a stale path).
		edge.To("children", Department.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.NoAction)).
			From("parent").
			Field("parent_id").
			Unique(),
		edge.From("members", Member.Type).
			Ref("departments").
			Through("memberships", Membership.Type).
			Annotations(entgql.RelayConnection()),
		// The inverse makes AdminRole.departments many-to-many: without it
		// ent stores the scope as a column of departments, and a department
		// could be in one admin's scope only.
		edge.From("admin_roles", AdminRole.Type).
			Ref("departments").
			Annotations(entgql.Skip()),
	}
}

// Indexes of the Department.
func (Department) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "path"),
		index.Fields("parent_id"),
	}
}

// Annotations of the Department.
func (Department) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Policy of the Department: per-department visibility for reads; admins with
// MANAGE_DEPARTMENTS write, inside their scope.
func (Department) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleDepartments()},
		Mutation: privacy.MutationPolicy{
			policy.FilterDepartmentScope(),
			policy.AllowIfAdminWith(viewer.RightManageDepartments),
		},
	}
}
