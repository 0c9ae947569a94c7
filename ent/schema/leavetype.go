package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/leave/amount"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// LeaveType is a kind of leave of one enterprise (annual, sick, personal),
// with how it is counted, who may take it and how it is granted.
type LeaveType struct {
	ent.Schema
}

// Mixin of the LeaveType.
func (LeaveType) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.LeaveType}, TenantMixin{}}
}

// Fields of the LeaveType.
func (LeaveType) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(64).Annotations(entgql.OrderField("NAME")),
		field.Enum("unit").Values("DAY", "HALF_DAY", "HOUR").Annotations(entgql.Type("LeaveUnit")),
		field.Enum("counting").Values("WORKING_DAYS", "NATURAL_DAYS").Annotations(entgql.Type("LeaveCounting")),
		field.Int("minutes_per_day").Positive().Comment("Working minutes one day of leave counts for (hours per day × 60)."),
		field.Bool("paid").Default(true),
		field.JSON("audience", audience.Audience{}).
			Comment("Who may take leave of the type.").
			Annotations(entgql.Type("Audience"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)),
		field.Bool("needs_balance").Default(true),
		field.Int("step_minutes").Positive().Comment("The smallest amount taken; every request is a multiple of it."),
		field.Int("max_days_in_advance").Optional().Nillable().Comment("How many days before its start a request may be made at most; none means any time."),
		field.Int("max_days_late").Optional().Nillable().Comment("How many days after its start a request may still be made; none means not after the start."),
		field.String("approval_template_id").Optional().Nillable().Comment("The approval template requests go through; none means the default leave flow (the applicant's leader, then HR)."),
		field.JSON("grant", amount.Grant{}).Annotations(entgql.Skip()),
		field.Bool("active").Default(true),
	}
}

// Indexes of the LeaveType.
func (LeaveType) Indexes() []ent.Index {
	return []ent.Index{index.Fields("enterprise_id", "name").Unique()}
}

// Annotations of the LeaveType.
func (LeaveType) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("leaveTypes")}
}

// Policy of the LeaveType: every member of the enterprise reads the types
// (a leader reads the names of the leave their team takes; usableByMe
// tells a phone which ones the viewer may request); admins holding
// MANAGE_ATTENDANCE write them.
func (LeaveType) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{policy.AllowIfAdminWith(viewer.RightManageAttendance)},
	}
}
