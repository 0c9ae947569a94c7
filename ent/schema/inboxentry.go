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

// InboxEntry is one message in one member's inbox.
//
// seq numbers a member's entries 1, 2, 3... with no gap: it orders the inbox
// and is its pagination cursor. version numbers every change of the member's
// entries (delivered, read, recalled), so a live subscription resumes by
// (version, seq) without missing a recall or a read on another device.
type InboxEntry struct {
	ent.Schema
}

// Mixin of the InboxEntry.
func (InboxEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.InboxEntry}, TenantMixin{}}
}

// Fields of the InboxEntry.
func (InboxEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
		field.String("message_id").
			Optional().
			Nillable().
			Immutable().
			Comment("The message, for entries that carry one; null for entries about an item (subject_type).").
			Annotations(entgql.Skip()),
		field.Enum("subject_type").
			Values("ASSIGNMENT", "ANNOUNCEMENT").
			Optional().
			Nillable().
			Immutable().
			Comment("The kind of item an entry is about, instead of a message: the entry references it and copies nothing, so it shows the item as it is now, to whoever may still see it.").
			Annotations(entgql.Type("InboxSubjectType")),
		field.String("subject_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("subject_event").
			Optional().
			Nillable().
			Immutable().
			Comment("What happened to the item (ASSIGNED, COMPLETED, PUBLISHED...): the values are the item's app's."),
		field.String("actor_id").
			Optional().
			Nillable().
			Immutable().
			Comment("The member whose action the entry reports.").
			Annotations(entgql.Skip()),
		field.Int64("seq").Immutable().Annotations(entgql.OrderField("SEQ")),
		field.Int64("version").Annotations(entgql.Skip()),
		field.Int64("created_version").
			Immutable().
			Comment("The version the entry was delivered at: a stream resuming after it has seen the entry.").
			Annotations(entgql.Skip()),
		field.Time("read_at").Optional().Nillable(),
		field.Time("recalled_at").Optional().Nillable().Annotations(entgql.Skip()),
		field.Bool("confidential").Default(false).Immutable(),
		field.Bool("withheld").
			Default(false).
			Immutable().
			Comment("The entry came from forwarding a confidential message: its content is not readable here."),
		field.String("app_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("conversation_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of the InboxEntry.
func (InboxEntry) Edges() []ent.Edge {
	return []ent.Edge{
		// A deleted member's inbox goes with them.
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
		edge.From("message", Message.Type).Ref("entries").Field("message_id").Unique().Immutable(),
		edge.To("actor", Member.Type).Field("actor_id").Unique().Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		edge.To("app", App.Type).Field("app_id").Unique().Immutable(),
		edge.To("conversation", Conversation.Type).Field("conversation_id").Unique().Immutable(),
	}
}

// Indexes of the InboxEntry.
func (InboxEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "seq").Unique(),
		index.Fields("member_id", "version", "seq"),
		index.Fields("message_id", "member_id"),
		index.Fields("subject_id", "member_id"),
	}
}

// Annotations of the InboxEntry.
func (InboxEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the InboxEntry: a member sees only their own entries, and no
// recalled one; senders deliver and recall, members mark read, admins erase
// a deleted member's (policy.AllowInboxEntryWrites).
func (InboxEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterOwnInbox()},
		Mutation: privacy.MutationPolicy{policy.AllowInboxEntryWrites()},
	}
}
