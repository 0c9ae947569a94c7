package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// Session is a login: the token itself is never stored, only its SHA-256.
type Session struct {
	ent.Schema
}

// Mixin of the Session.
func (Session) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Session}, TenantMixin{}}
}

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Immutable(),
		field.Bytes("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member", Member.Type).
			Ref("sessions").
			Field("member_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Annotations keep sessions out of the API entirely.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the Session: created only by sign-in; a member sees and revokes
// only their own; an admin holding MANAGE_MEMBERS ends those of the members
// they manage.
func (Session) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterOwnSessions()},
		Mutation: privacy.MutationPolicy{policy.FilterSessionWrites()},
	}
}
