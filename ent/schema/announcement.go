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
	"github.com/corpline/corpline/internal/policy"
)

// Announcement is company news (新闻公告) for an audience, written by an
// admin holding the announcements right, with who has read it.
type Announcement struct {
	ent.Schema
}

// Mixin of the Announcement.
func (Announcement) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Announcement}, TenantMixin{}}
}

// Fields of the Announcement.
func (Announcement) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(entgql.OrderField("TITLE")),
		field.Text("body").
			Comment("Markdown. Resolved by hand: a confidential announcement's body is recorded as read and carries a watermark.").
			Annotations(entgql.Skip()),
		field.String("category").Default(""),
		field.JSON("audience", audience.Audience{}).
			Comment("Who it is for, evaluated at every read: a member who joins a department of the audience sees it from then on, one who leaves no longer does.").
			Annotations(entgql.Type("Audience"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)),
		field.Enum("status").
			Values("DRAFT", "SCHEDULED", "PUBLISHED", "WITHDRAWN").
			Default("DRAFT").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("publish_at").
			Optional().
			Nillable().
			Comment("When a SCHEDULED announcement is to be published."),
		field.Time("published_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("PUBLISHED_AT")),
		field.Time("withdrawn_at").Optional().Nillable(),
		field.Time("pinned_until").
			Optional().
			Nillable().
			Comment("Pinned to the top of the list until then."),
		field.Bool("confidential").
			Default(false).
			Comment("Each reading of the body is recorded, and the body comes with a watermark naming the reader."),
		field.String("author_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Null once the author is deleted: the announcement stays.").
			Annotations(entgql.Skip()),
		field.Time("updated_at").Default(timeNow).Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// Edges of the Announcement.
func (Announcement) Edges() []ent.Edge {
	return []ent.Edge{
		// Resolved by hand as nullable: a reader may not see the author in the directory.
		edge.To("author", Member.Type).Field("author_id").Unique().Immutable().Annotations(entgql.Skip()),
		edge.To("reads", AnnouncementRead.Type).
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Announcement.
func (Announcement) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "status", "published_at"),
		index.Fields("status", "publish_at"),
		index.Fields("author_id"),
	}
}

// Annotations of the Announcement.
func (Announcement) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}

// Policy of the Announcement: published ones are seen by their audience as
// it is now; every state by the author and by the admins holding the
// announcements right over the author's departments, who alone write them.
func (Announcement) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleAnnouncements()},
		Mutation: privacy.MutationPolicy{policy.DenyIfNotMember(), policy.FilterAnnouncementWrites()},
	}
}
