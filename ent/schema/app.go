package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// App is an enterprise app: it acts with its own credentials (a secret
// exchanged for short-lived tokens), inside its visible range.
type App struct {
	ent.Schema
}

// Mixin of the App.
func (App) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.App}, TenantMixin{}}
}

// Fields of the App.
func (App) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").
			Default("").
			MaxLen(500),
		field.JSON("visible_range", audience.Audience{}).
			Comment("Who the app may read and send to; members see the app when they are in it.").
			Annotations(entgql.Type("Audience"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)),
		field.Bytes("secret_hash").
			Sensitive().
			Comment("SHA-256 of the secret: secrets are random, so a fast hash is enough.").
			Annotations(entgql.Skip()),
		field.JSON("event_types", []string{}).
			Default([]string{}).
			Comment("The event types the app receives at its callback URL (see package events).").
			Annotations(entgql.Skip(entgql.SkipWhereInput | entgql.SkipOrderField)),
		field.String("callback_url").
			Default("").
			Comment("Where the app's events are delivered; shown only to its managers and itself.").
			Annotations(entgql.Skip()),
		field.Time("updated_at").
			Default(timeNow).
			UpdateDefault(timeNow),
	}
}

// Edges of the App.
func (App) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tokens", AppToken.Type).
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Annotations of the App.
func (App) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("apps"),
	}
}

// Policy of the App: members see the apps whose range includes them, admins
// with MANAGE_APPS see all and write them (scope is checked by package apps).
func (App) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleApps()},
		Mutation: privacy.MutationPolicy{policy.AllowIfAdminWith(viewer.RightManageApps)},
	}
}
