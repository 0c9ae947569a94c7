package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/internal/ids"
)

// AttendanceRequest is a business trip, an outing or a make-up check-in
// (补卡) of a member, going through an approval. Approved trips and outings
// count their days as attended; an approved correction adds its punch.
type AttendanceRequest struct {
	ent.Schema
}

// Mixin of the AttendanceRequest.
func (AttendanceRequest) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.AttendanceRequest}, TenantMixin{}, AttendanceOwnerMixin{}}
}

// Fields of the AttendanceRequest.
func (AttendanceRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("BUSINESS_TRIP", "OUTING", "CHECK_IN_CORRECTION").Immutable().Annotations(entgql.Type("AttendanceRequestKind")),
		field.Time("start").Immutable().Annotations(entgql.OrderField("START")),
		field.Time("end").Immutable(),
		field.String("first_day").Immutable(),
		field.String("last_day").Immutable(),
		field.String("destination").Default("").MaxLen(200).Immutable(),
		field.String("reason").Default("").MaxLen(1000).Immutable(),
		field.Enum("punch_kind").Values("ON_DUTY", "OFF_DUTY").Optional().Nillable().Immutable().
			Annotations(entgql.Type("CorrectionPunchKind")).Comment("For a correction: which punch it makes up."),
		field.Enum("status").Values("PENDING", "APPROVED", "REJECTED", "WITHDRAWN", "RETURNED", "REVOKED").
			Default("PENDING").Annotations(entgql.Type("AttendanceRequestStatus")),
		field.String("approval_id").Optional().Nillable(),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow),
	}
}

// Indexes of the AttendanceRequest.
func (AttendanceRequest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "first_day", "last_day"),
		index.Fields("approval_id"),
	}
}

// Annotations of the AttendanceRequest.
func (AttendanceRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("attendanceRequests")}
}
