package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// WorkCalendar is an enterprise's work calendar (see package calendar): one
// row per enterprise, none until a super admin edits it.
type WorkCalendar struct {
	ent.Schema
}

// Mixin of the WorkCalendar.
func (WorkCalendar) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.WorkCalendar}, TenantMixin{}}
}

// Fields of the WorkCalendar.
func (WorkCalendar) Fields() []ent.Field {
	return []ent.Field{
		field.String("time_zone").NotEmpty(),
		field.JSON("working_week", []int{}),
		field.JSON("holidays", []calendar.StoredHoliday{}).Optional(),
		field.Strings("make_up_days").Optional(),
		field.JSON("hours", calendar.Hours{}),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow),
	}
}

// Indexes of the WorkCalendar.
func (WorkCalendar) Indexes() []ent.Index {
	return []ent.Index{index.Fields("enterprise_id").Unique().StorageKey("workcalendar_one_per_enterprise")}
}

// Annotations of the WorkCalendar: shown through its own GraphQL type.
func (WorkCalendar) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the WorkCalendar: every member reads it (their days are counted
// by it); super admins edit it.
func (WorkCalendar) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{policy.AllowIfSuperAdmin()},
	}
}
