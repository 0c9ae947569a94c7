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
		field.String("time_zone").
			Default("Asia/Shanghai").
			Comment("IANA time zone of the enterprise's dates: due dates, working days, report cycles."),
		field.Enum("account_type").
			Values("REGISTERED", "CERTIFIED", "TRIAL").
			Default("REGISTERED"),
		field.Enum("directory_visibility").
			Values("EVERYONE", "DEPARTMENT").
			Default("EVERYONE").
			Comment("EVERYONE: members see the whole directory; DEPARTMENT: their own departments' subtrees, the ancestors and their leaders."),
		field.Int("follower_quota").
			Optional().
			Nillable().
			Positive().
			Comment("Followers a CERTIFIED enterprise may have while its certification is valid, set by the platform operator."),
		field.Time("certified_until").
			Optional().
			Nillable().
			Comment("End of the paid certification; a lapsed certified enterprise follows REGISTERED rules."),
		field.Time("trial_ends_at").
			Optional().
			Nillable().
			Comment("When a TRIAL enterprise is reclaimed: 90 days after it was created."),
		field.Enum("status").
			Values("ACTIVE", "RECLAIMED").
			Default("ACTIVE").
			Comment("RECLAIMED: an expired trial; every call is refused and its data is purged after a grace period."),
		field.Time("reclaimed_at").
			Optional().
			Nillable(),
		field.Time("purged_at").
			Optional().
			Nillable().
			Comment("When a reclaimed enterprise's data was erased; the enterprise row stays as a record."),
		field.String("contact_mobile").
			Optional().
			Nillable().
			Annotations(entgql.Skip()).
			Comment("The trial developer's phone number; the platform operator sees it through usage."),
		field.String("contact_email").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.Bool("secondary_verification").
			Default(false).
			Comment("When true, a follow waits as PENDING until the enterprise approves it."),
		field.String("callback_url").
			Optional().
			Nillable().
			Annotations(entgql.Skip()).
			Comment("Where the enterprise's system receives signed callbacks (pending activations)."),
		field.String("callback_secret").
			Optional().
			Sensitive().
			Annotations(entgql.Skip()).
			Comment("Shared secret of the HMAC-SHA256 callback signatures."),
		field.String("invite_secret").
			Optional().
			Sensitive().
			Annotations(entgql.Skip()).
			Comment("Key that signs the enterprise's invite links; rotating it voids every link given out."),
	}
}

// Indexes of the Enterprise.
func (Enterprise) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_type", "status", "trial_ends_at")}
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
