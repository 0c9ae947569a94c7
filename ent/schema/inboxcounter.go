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

// InboxCounter holds a member's last inbox seq and version. Every delivery,
// read and recall updates it in the same transaction as the entries, so the
// row's lock serializes concurrent writers of one inbox: no seq is given
// twice or skipped.
type InboxCounter struct {
	ent.Schema
}

// Mixin of the InboxCounter.
func (InboxCounter) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.InboxCounter}, TenantMixin{}}
}

// Fields of the InboxCounter.
func (InboxCounter) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Immutable(),
		field.Int64("seq").Default(0),
		field.Int64("version").Default(0),
	}
}

// Edges of the InboxCounter.
func (InboxCounter) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the InboxCounter: one counter per member (the upsert in
// package messaging relies on it).
func (InboxCounter) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id").Unique()}
}

// Annotations keep counters out of the API.
func (InboxCounter) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the InboxCounter: a member reads their own (the head of their
// stream); deliveries number entries through an upsert in the sender's
// transaction; an admin erases a deleted member's.
func (InboxCounter) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterOwnInboxCounter()},
		Mutation: privacy.MutationPolicy{policy.AllowInboxCounterErase()},
	}
}
