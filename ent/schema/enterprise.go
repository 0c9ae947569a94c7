package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/policy"
)

// Enterprise is one tenant: a company's enterprise account.
type Enterprise struct {
	ent.Schema
}

// Mixin of the Enterprise.
func (Enterprise) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Enterprise}}
}

// Fields of the Enterprise.
func (Enterprise) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			Unique().
			Immutable().
			NotEmpty().
			MaxLen(32).
			Comment("Short unique code members type at login.").
			Annotations(entgql.OrderField("CODE")),
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("account_type").
			Values("REGISTERED", "CERTIFIED", "TRIAL").
			Default("REGISTERED"),
		field.Enum("directory_visibility").
			Values("EVERYONE", "DEPARTMENT").
			Default("EVERYONE").
			Comment("EVERYONE: members see the whole directory; DEPARTMENT: their own departments' subtrees, the ancestors and their leaders."),
	}
}

// Annotations of the Enterprise.
func (Enterprise) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the Enterprise: a viewer sees their own enterprise; its super
// admin changes its settings; operators see and change all.
func (Enterprise) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.DenyIfNoViewer(), policy.FilterOwnEnterprise()},
		Mutation: privacy.MutationPolicy{
			policy.DenyIfNoViewer(),
			policy.FilterOwnEnterprise(),
			policy.AllowIfSuperAdmin(),
		},
	}
}
