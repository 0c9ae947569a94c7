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
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
)

// Message is one message, sent by an app, an admin, or a member in a
// conversation. Its recipients each hold an InboxEntry for it.
type Message struct {
	ent.Schema
}

// Mixin of the Message.
func (Message) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Message}, TenantMixin{}}
}

// Fields of the Message.
func (Message) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").GoType(msgtype.Kind("")).Annotations(entgql.Type("MessageKind")),
		field.JSON("body", &msgtype.Body{}).
			Optional().
			Comment("Null once recalled, and for forwards of a confidential message: the content is not passed on.").
			Annotations(entgql.Skip()),
		field.Bool("confidential").
			Default(false).
			Comment("Only original recipients read the content, each read is recorded, and the content carries a watermark naming the reader."),
		field.JSON("targets", audience.Audience{}).
			Optional().
			Comment("The targets as sent, before they were cut to the sender's range.").
			Annotations(entgql.Skip()),
		field.JSON("report", msgtype.Report{}).
			Optional().
			Annotations(entgql.Skip()),
		field.String("app_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("sender_member_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.String("conversation_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("forwarded_from_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.String("sender_ref").
			Immutable().
			Comment("The app or member that sent it, for idempotency keys and rate limits.").
			Annotations(entgql.Skip()),
		field.String("idempotency_key").Optional().Nillable().Annotations(entgql.Skip()),
		field.Bytes("request_hash").Optional().Annotations(entgql.Skip()),
		field.Time("recalled_at").Optional().Nillable(),
	}
}

// Edges of the Message.
func (Message) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("app", App.Type).Field("app_id").Unique().Immutable(),
		edge.To("sender", Member.Type).Field("sender_member_id").Unique(),
		edge.To("conversation", Conversation.Type).Field("conversation_id").Unique().Immutable(),
		// No where-filters on these two: `hasForwardedFrom` and
		// `hasConfidentialViews` would test rows the viewer may not see
		// (an original they never received, who read a confidential message).
		edge.To("forwards", Message.Type).
			Annotations(entgql.Skip()).
			From("forwarded_from").
			Field("forwarded_from_id").
			Unique().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		edge.To("entries", InboxEntry.Type).
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
		edge.To("confidential_views", ConfidentialView.Type).
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Message.
func (Message) Indexes() []ent.Index {
	return []ent.Index{
		// A retried send finds its first attempt by key; NULL keys never collide.
		index.Fields("enterprise_id", "sender_ref", "idempotency_key").Unique(),
		index.Fields("conversation_id"),
	}
}

// Annotations of the Message.
func (Message) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the Message: its sender and its recipients see it (super admins
// see every message sent outside conversations); a sender writes its own
// (policy.AllowMessageWrites).
func (Message) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleMessages()},
		Mutation: privacy.MutationPolicy{policy.AllowMessageWrites()},
	}
}
