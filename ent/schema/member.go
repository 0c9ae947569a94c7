package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/events"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/quota"
	"github.com/corpline/corpline/internal/viewer"
)

// Member is a person of an enterprise's directory; a follower once ACTIVE.
type Member struct {
	ent.Schema
}

// Mixin of the Member.
func (Member) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Member}, TenantMixin{}}
}

// Fields of the Member.
func (Member) Fields() []ent.Field {
	return []ent.Field{
		field.String("userid").
			NotEmpty().
			MaxLen(64).
			Comment("The enterprise's own identifier for the person, unique within the enterprise. Never changed through the API; deleting a member frees it (see package lifecycle).").
			Annotations(entgql.OrderField("USERID")),
		field.String("name").
			NotEmpty().
			MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.String("mobile").
			Optional().
			Nillable(),
		field.String("email").
			Optional().
			Nillable(),
		field.String("position").
			Default("").
			MaxLen(100),
		field.Enum("status").
			Values("INVITED", "PENDING", "ACTIVE", "DISABLED", "DELETED").
			Default("INVITED").
			Comment("INVITED: imported, not following yet; PENDING: followed, waiting for the enterprise's approval; ACTIVE: a follower; DISABLED: locked out by an admin; DELETED: a former member, kept only so that what they wrote stays attributed (outside the directory).").
			Annotations(entgql.OrderField("STATUS")),
		field.String("password_hash").
			Optional().
			Sensitive().
			Annotations(entgql.Skip()),
		field.Time("activated_at").
			Optional().
			Nillable().
			Comment("When the member last became a follower."),
		field.String("referred_by").
			Optional().
			Nillable().
			Annotations(entgql.Skip()).
			Comment("The colleague whose referral card the member followed through."),
		field.Time("updated_at").
			Default(timeNow).
			UpdateDefault(timeNow).
			Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// Edges of the Member.
func (Member) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("departments", Department.Type).
			Through("memberships", Membership.Type),
		edge.From("tags", Tag.Type).
			Ref("members"),
		edge.To("admin_roles", AdminRole.Type).
			Annotations(entgql.Skip()),
		edge.To("sessions", Session.Type).
			Annotations(entgql.Skip()),
	}
}

// Indexes of the Member.
func (Member) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "userid").Unique(),
		// Mobiles and emails are logins too (see internal/directory/contacts.go).
		index.Fields("enterprise_id", "mobile").Unique(),
		index.Fields("enterprise_id", "email").Unique(),
		index.Fields("enterprise_id", "status"),
		// Member pages are ordered by name (then id) within an enterprise.
		index.Fields("enterprise_id", "name", "id"),
	}
}

// Hooks of the Member: the follower quota holds on every way into ACTIVE;
// each change apps hear of is recorded as an event in its transaction.
func (Member) Hooks() []ent.Hook {
	return []ent.Hook{quota.Hook(), events.MemberHook()}
}

// Annotations of the Member.
func (Member) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Policy of the Member: per-department visibility for reads; admins with
// MANAGE_MEMBERS write, inside their scope.
func (Member) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.FilterFormerMembers(), policy.FilterVisibleMembers()},
		Mutation: privacy.MutationPolicy{
			policy.AllowAppVerifierDecisions(),
			policy.FilterMemberScope(),
			policy.AllowIfAdminWith(viewer.RightManageMembers),
		},
	}
}
