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
)

// ConfidentialView records one reading of a confidential message's content:
// who and when (created_at). Every reading is kept, not just the first.
type ConfidentialView struct {
	ent.Schema
}

// Mixin of the ConfidentialView.
func (ConfidentialView) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ConfidentialView}, TenantMixin{}}
}

// Fields of the ConfidentialView.
func (ConfidentialView) Fields() []ent.Field {
	return []ent.Field{
		field.String("message_id").Immutable().Annotations(entgql.Skip()),
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of the ConfidentialView.
func (ConfidentialView) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("message", Message.Type).Ref("confidential_views").Field("message_id").Unique().Required().Immutable(),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ConfidentialView.
func (ConfidentialView) Indexes() []ent.Index {
	return []ent.Index{index.Fields("message_id", "created_at")}
}

// Annotations of the ConfidentialView.
func (ConfidentialView) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the ConfidentialView: the message's sender and super admins see
// the record; the reader writes it, when content is read.
func (ConfidentialView) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleConfidentialViews()},
		Mutation: privacy.MutationPolicy{policy.AllowOwnConfidentialView()},
	}
}
