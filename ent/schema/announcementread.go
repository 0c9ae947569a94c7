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

// AnnouncementRead is one member's reading of an announcement: the first
// (read_at, which decides who has read), and for a confidential one each
// later reading too (first false), so that every view is on record.
type AnnouncementRead struct {
	ent.Schema
}

// Mixin of the AnnouncementRead.
func (AnnouncementRead) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AnnouncementRead}, TenantMixin{}}
}

// Fields of the AnnouncementRead.
func (AnnouncementRead) Fields() []ent.Field {
	return []ent.Field{
		field.String("announcement_id").Immutable().Annotations(entgql.Skip()),
		field.String("member_id").Immutable().Annotations(entgql.Skip()),
		field.Bool("first").
			Immutable().
			Comment("The member's first reading: exactly one per member and announcement."),
		field.String("first_key").
			Optional().
			Nillable().
			Immutable().
			Comment("member_id on the first reading, null on later ones: its unique index keeps one first reading per member.").
			Annotations(entgql.Skip()),
	}
}

// Edges of the AnnouncementRead.
func (AnnouncementRead) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("announcement", Announcement.Type).Ref("reads").Field("announcement_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// Resolved by hand as nullable: the author may not see every reader in the directory.
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the AnnouncementRead.
func (AnnouncementRead) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("announcement_id", "first_key").Unique(),
		index.Fields("announcement_id", "member_id"),
	}
}

// Annotations of the AnnouncementRead.
func (AnnouncementRead) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the AnnouncementRead: a member sees their own readings; the
// author and the admins who manage the announcement see all of them. A
// member records only their own reading of what they see.
func (AnnouncementRead) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleAnnouncementReads()},
		Mutation: privacy.MutationPolicy{policy.DenyIfNotMember(), policy.FilterAnnouncementReadWrites()},
	}
}
