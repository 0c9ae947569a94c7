package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// Failure is one failed attempt (a login, an app secret, an activation)
// counted against a key, when the server processes of one database share
// their rate limits (package ratelimit, on PostgreSQL).
type Failure struct {
	ent.Schema
}

// Mixin of the Failure.
func (Failure) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Failure}}
}

// Fields of the Failure.
func (Failure) Fields() []ent.Field {
	return []ent.Field{
		field.String("scope").Immutable().NotEmpty().
			Comment("Which limit counts it (login, address, activation ...): each has its own window."),
		field.String("key").Immutable().NotEmpty().
			Comment("SHA-256 of the scope and the key (an enterprise and login, an address): no login string is stored."),
		field.Time("at").Immutable(),
	}
}

// Indexes of the Failure: a key's failures in a window; a scope's expired
// rows, swept as new ones come.
func (Failure) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("key", "at"),
		index.Fields("scope", "at"),
	}
}

// Annotations keep failures out of the API entirely.
func (Failure) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the Failure: the system's alone.
func (Failure) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.SystemOnly()},
		Mutation: privacy.MutationPolicy{policy.SystemOnly()},
	}
}
