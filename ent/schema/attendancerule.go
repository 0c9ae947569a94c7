package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/attendance/judge"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// AttendanceRule says how the days of the members in its audience are
// judged. Clock times are "HH:MM" in the enterprise's zone. When several
// rules hold a member, the highest priority wins, then the newest.
type AttendanceRule struct {
	ent.Schema
}

// Mixin of the AttendanceRule.
func (AttendanceRule) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AttendanceRule}, TenantMixin{}}
}

// Fields of the AttendanceRule.
func (AttendanceRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(64).Annotations(entgql.OrderField("NAME")),
		field.JSON("audience", audience.Audience{}).
			Annotations(entgql.Type("Audience"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)),
		field.Int("priority").Default(0),
		field.Enum("kind").Values("FIXED", "FLEXIBLE", "FREE").Annotations(entgql.Type("AttendanceRuleKind")),
		field.String("on_duty").Optional().Nillable(),
		field.String("off_duty").Optional().Nillable(),
		field.Int("late_grace_minutes").Default(0),
		field.Int("early_grace_minutes").Default(0),
		field.Int("serious_late_minutes").Default(judge.DefaultSeriousLate),
		field.String("lunch_start").Optional().Nillable(),
		field.String("lunch_end").Optional().Nillable(),
		field.String("core_start").Optional().Nillable(),
		field.String("core_end").Optional().Nillable(),
		field.Int("required_minutes").Default(0),
		field.String("day_starts_at").Default("00:00").Comment("When an attendance day begins: punches before it belong to the day before (night shifts)."),
		field.JSON("places", []judge.Place{}).Annotations(entgql.Type("[AttendancePlace!]"), entgql.Skip(entgql.SkipWhereInput|entgql.SkipOrderField)),
		field.Enum("field_check_in").Values("ALLOW", "REFUSE").Default("ALLOW").Annotations(entgql.Type("FieldCheckInPolicy")),
		field.Bool("check_in_on_leave").Default(false).Comment("Whether members on leave or on a trip must still check in."),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow),
	}
}

// Annotations of the AttendanceRule.
func (AttendanceRule) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("attendanceRules")}
}

// Policy of the AttendanceRule: every member of the enterprise reads the
// rules (a phone shows the places to check in at); admins holding
// MANAGE_ATTENDANCE write them.
func (AttendanceRule) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{policy.AllowIfAdminWith(viewer.RightManageAttendance)},
	}
}
