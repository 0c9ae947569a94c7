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

// Operator is a platform operator: an account outside every enterprise that
// creates, certifies and reclaims enterprises (`corpline bootstrap --operator`).
type Operator struct {
	ent.Schema
}

// Mixin of the Operator.
func (Operator) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Operator}}
}

// Fields of the Operator.
func (Operator) Fields() []ent.Field {
	return []ent.Field{
		field.String("login").Unique().NotEmpty().MaxLen(64),
		field.String("name").NotEmpty().MaxLen(100),
		field.String("password_hash").Sensitive(),
	}
}

// Edges of the Operator.
func (Operator) Edges() []ent.Edge {
	return []ent.Edge{edge.To("sessions", OperatorSession.Type)}
}

// Annotations keep operator accounts out of the API: operators see
// themselves through `viewer`.
func (Operator) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the Operator: only the system (bootstrap, login) reads or writes it.
func (Operator) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.SystemOnly()},
		Mutation: privacy.MutationPolicy{policy.SystemOnly()},
	}
}

// OperatorSession is an operator's login; like Session, only the token's SHA-256 is kept.
type OperatorSession struct {
	ent.Schema
}

// Mixin of the OperatorSession.
func (OperatorSession) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.OperatorSession}}
}

// Fields of the OperatorSession.
func (OperatorSession) Fields() []ent.Field {
	return []ent.Field{
		field.String("operator_id").Immutable(),
		field.Bytes("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of the OperatorSession.
func (OperatorSession) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("operator", Operator.Type).Ref("sessions").Field("operator_id").Unique().Required().Immutable(),
	}
}

// Annotations keep operator sessions out of the API.
func (OperatorSession) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the OperatorSession: system only.
func (OperatorSession) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.SystemOnly()},
		Mutation: privacy.MutationPolicy{policy.SystemOnly()},
	}
}
