package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/leave/amount"
)

// LeaveRequest is a member's request for leave of one type over a range,
// going through an approval; days holds what each day counts for, and
// shrinks when part of an approved leave is cancelled.
type LeaveRequest struct {
	ent.Schema
}

// Mixin of the LeaveRequest.
func (LeaveRequest) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.LeaveRequest}, TenantMixin{}, AttendanceOwnerMixin{}}
}

// Fields of the LeaveRequest.
func (LeaveRequest) Fields() []ent.Field {
	return []ent.Field{
		field.String("leave_type_id").Immutable().NotEmpty(),
		field.String("balance_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("start").Immutable().Annotations(entgql.OrderField("START")),
		field.Time("end"),
		field.Int("minutes").Comment("What the leave counts for now: the requested duration, less what was cancelled."),
		field.Int("cancelled_minutes").Default(0),
		field.JSON("days", []amount.Share{}).Annotations(entgql.Skip()),
		field.String("first_day").Comment("The first day (YYYY-MM-DD) the leave takes, for range queries."),
		field.String("last_day"),
		field.Enum("status").Values("PENDING", "APPROVED", "REJECTED", "WITHDRAWN", "RETURNED", "CANCELLED").
			Default("PENDING").Annotations(entgql.Type("LeaveRequestStatus")),
		field.String("reason").Default("").MaxLen(1000),
		field.String("approval_id").Optional().Nillable(),
		field.Enum("cancel_status").Values("PENDING", "APPROVED", "REJECTED").Optional().Nillable().
			Annotations(entgql.Type("LeaveCancelStatus")),
		field.Time("cancel_from").Optional().Nillable().Comment("The moment a pending or approved cancellation gives the leave back from."),
		field.String("cancel_approval_id").Optional().Nillable(),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow),
	}
}

// Edges of the LeaveRequest.
func (LeaveRequest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("leave_type", LeaveType.Type).Field("leave_type_id").Unique().Required().Immutable(),
	}
}

// Indexes of the LeaveRequest.
func (LeaveRequest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "first_day", "last_day"),
		index.Fields("enterprise_id", "first_day"),
		index.Fields("approval_id"),
		index.Fields("cancel_approval_id"),
	}
}

// Annotations of the LeaveRequest.
func (LeaveRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("leaveRequests")}
}
