package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// AppToken is an access token of an app, valid two hours. Only its SHA-256
// is stored. Several are valid at once: a new token never ends an older one,
// so each instance of an integrator can fetch its own.
type AppToken struct {
	ent.Schema
}

// Mixin of the AppToken.
func (AppToken) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AppToken}, TenantMixin{}}
}

// Fields of the AppToken.
func (AppToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("app_id").Immutable(),
		field.Bytes("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at"),
	}
}

// Edges of the AppToken.
func (AppToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("app", App.Type).
			Ref("tokens").
			Field("app_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the AppToken.
func (AppToken) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "expires_at")}
}

// Annotations keep app tokens out of the API entirely.
func (AppToken) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the AppToken: only sign-in issues and reads tokens (package
// auth); no viewer ever sees one; an admin holding MANAGE_APPS revokes them.
func (AppToken) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{policy.AllowAppTokenRevoke()},
	}
}
