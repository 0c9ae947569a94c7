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

// ConversationMember places a member in a conversation. Removing them
// deletes the row: they stop receiving, and keep the entries they had.
type ConversationMember struct {
	ent.Schema
}

// Mixin of the ConversationMember.
func (ConversationMember) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.ConversationMember}, TenantMixin{}}
}

// Fields of the ConversationMember.
func (ConversationMember) Fields() []ent.Field {
	return []ent.Field{
		field.String("conversation_id").Immutable(),
		field.String("member_id").Immutable(),
	}
}

// Edges of the ConversationMember.
func (ConversationMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("conversation", Conversation.Type).Ref("participants").Field("conversation_id").Unique().Required().Immutable(),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ConversationMember.
func (ConversationMember) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("conversation_id", "member_id").Unique(),
		index.Fields("member_id"),
	}
}

// Annotations keep the join rows out of the API: Conversation.members shows them.
func (ConversationMember) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the ConversationMember: visible to the conversation's current
// members; placed by members, removed by the creator or by themselves
// (policy.AllowConversationMemberWrites).
func (ConversationMember) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterOwnConversationMembers()},
		Mutation: privacy.MutationPolicy{policy.AllowConversationMemberWrites()},
	}
}
