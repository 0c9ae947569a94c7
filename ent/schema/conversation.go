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

// Conversation is a talk among members: DIRECT between two (one per pair)
// or GROUP. Its messages arrive in the same inbox as everything else.
type Conversation struct {
	ent.Schema
}

// Mixin of the Conversation.
func (Conversation) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Conversation}, TenantMixin{}}
}

// Fields of the Conversation.
func (Conversation) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("DIRECT", "GROUP").Immutable(),
		field.String("title").Default("").MaxLen(100),
		field.String("direct_key").
			Optional().
			Nillable().
			Immutable().
			Comment("The two member IDs in order, for DIRECT: the unique index keeps one conversation per pair.").
			Annotations(entgql.Skip()),
		field.String("created_by").Immutable().Annotations(entgql.Skip()),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow).
			Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// Edges of the Conversation.
func (Conversation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("participants", ConversationMember.Type).
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Conversation.
func (Conversation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("enterprise_id", "direct_key").Unique()}
}

// Annotations of the Conversation.
func (Conversation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("conversations")}
}

// Policy of the Conversation: its current members see it, nobody else
// (admins included: conversations are private); a member starts one and
// updates those they are in (policy.AllowConversationWrites).
func (Conversation) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterOwnConversations()},
		Mutation: privacy.MutationPolicy{policy.AllowConversationWrites()},
	}
}
