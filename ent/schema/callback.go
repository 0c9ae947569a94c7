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

// Callback is one signed HTTP POST owed to an enterprise's system: the
// durable outbox of package outbox. It is written in the transaction of the
// event it reports and delivered, retried with backoff, until the enterprise
// answers 2xx or it expires.
type Callback struct {
	ent.Schema
}

// Mixin of the Callback.
func (Callback) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Callback}, TenantMixin{}}
}

// Fields of the Callback.
func (Callback) Fields() []ent.Field {
	return []ent.Field{
		field.String("event").NotEmpty(),
		field.Text("body").Comment("The JSON body, signed as sent."),
		field.Enum("status").Values("PENDING", "DELIVERED", "EXPIRED").Default("PENDING"),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.Time("expires_at"),
		field.String("lease_owner").Optional().Nillable().
			Comment("The worker that claimed the row; with lease_until, keeps two processes from sending it at once."),
		field.Time("lease_until").Optional().Nillable(),
		field.Time("delivered_at").Optional().Nillable(),
		field.String("last_error").Default(""),
	}
}

// Indexes of the Callback.
func (Callback) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "next_attempt_at")}
}

// Annotations keep the outbox out of the API.
func (Callback) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the Callback: the system writes and sends callbacks; no viewer
// reads them (they carry the personal data of people asking to follow).
func (Callback) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.SystemOnly()},
		Mutation: privacy.MutationPolicy{policy.SystemOnly()},
	}
}
