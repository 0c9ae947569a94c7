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

// Tag groups members across departments, for targeting and audiences.
type Tag struct {
	ent.Schema
}

// Mixin of the Tag.
func (Tag) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Tag}, TenantMixin{}}
}

// Fields of the Tag.
func (Tag) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(64).
			Annotations(entgql.OrderField("NAME")),
	}
}

// Edges of the Tag.
func (Tag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("members", Member.Type).
			Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Tag.
func (Tag) Indexes() []ent.Index {
	return []ent.Index{index.Fields("enterprise_id", "name").Unique()}
}

// Annotations of the Tag.
func (Tag) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Policy of the Tag: every member of the enterprise sees tags (their member
// lists are cut by member visibility), an app those of its range; admins with
// MANAGE_MEMBERS write, inside their scope.
func (Tag) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterVisibleTags()},
		Mutation: privacy.MutationPolicy{
			policy.FilterTagScope(),
			policy.AllowIfAdminWith(viewer.RightManageMembers),
		},
	}
}
