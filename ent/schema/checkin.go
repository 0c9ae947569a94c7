package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/internal/ids"
)

// CheckIn is one punch of a member, stamped by the server's clock, with its
// results. work_date is the attendance day it belongs to, which for a night
// shift may be the day before its calendar date.
type CheckIn struct {
	ent.Schema
}

// Mixin of the CheckIn.
func (CheckIn) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.CheckIn}, TenantMixin{}, AttendanceOwnerMixin{}}
}

// Fields of the CheckIn.
func (CheckIn) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Immutable().Annotations(entgql.OrderField("AT")),
		field.String("work_date").Immutable().Annotations(entgql.OrderField("WORK_DATE")),
		field.Enum("kind").Values("ON_DUTY", "OFF_DUTY", "FIELD").Immutable().Annotations(entgql.Type("CheckInKind")),
		field.Float("latitude").Optional().Nillable().Immutable(),
		field.Float("longitude").Optional().Nillable().Immutable(),
		field.Float("accuracy").Optional().Nillable().Immutable(),
		field.String("note").Default("").MaxLen(500).Immutable(),
		field.String("photo_ref").Default("").MaxLen(500).Immutable(),
		field.Enum("time_result").Values("NORMAL", "LATE", "SERIOUSLY_LATE", "EARLY").Immutable().Annotations(entgql.Type("CheckInTimeResult")),
		field.Int("minutes").Default(0).Immutable().Comment("Minutes late or early."),
		field.Enum("location_result").Values("NORMAL", "OUTSIDE", "FIELD").Immutable().Annotations(entgql.Type("CheckInLocationResult")),
		field.String("place_name").Optional().Nillable().Immutable(),
		field.Float("distance").Optional().Nillable().Immutable().Comment("Meters to the matched place."),
		field.String("rule_id").Optional().Nillable().Immutable(),
		field.String("approval_id").Optional().Nillable().Immutable().Comment("Set on a punch made up by an approved correction (补卡)."),
	}
}

// Indexes of the CheckIn.
func (CheckIn) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "work_date"),
		index.Fields("enterprise_id", "work_date"),
	}
}

// Annotations of the CheckIn.
func (CheckIn) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("checkIns")}
}
