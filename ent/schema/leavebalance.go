package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/internal/ids"
)

// LeaveBalance is what a member has of one leave type for one year, in
// minutes. available is what may still be requested; reserved is held by
// running requests; used is taken; expired is gone at the year's end.
type LeaveBalance struct {
	ent.Schema
}

// Mixin of the LeaveBalance.
func (LeaveBalance) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.LeaveBalance}, TenantMixin{}, AttendanceOwnerMixin{}}
}

// Fields of the LeaveBalance.
func (LeaveBalance) Fields() []ent.Field {
	return []ent.Field{
		field.String("leave_type_id").Immutable().NotEmpty(),
		field.Int("year").Immutable().Annotations(entgql.OrderField("YEAR")),
		field.String("valid_until").Comment("The last day (YYYY-MM-DD) the balance may be used; it expires after it."),
		field.Int("granted_minutes").Default(0).Comment("Everything granted, carried over and adjusted."),
		field.Int("available_minutes").Default(0),
		field.Int("reserved_minutes").Default(0),
		field.Int("used_minutes").Default(0),
		field.Int("expired_minutes").Default(0),
		field.Time("expired_at").Optional().Nillable(),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow),
	}
}

// Edges of the LeaveBalance.
func (LeaveBalance) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("leave_type", LeaveType.Type).Field("leave_type_id").Unique().Required().Immutable(),
		edge.To("changes", LeaveBalanceChange.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the LeaveBalance.
func (LeaveBalance) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "leave_type_id", "year").Unique(),
		index.Fields("enterprise_id", "valid_until"),
	}
}

// Annotations of the LeaveBalance.
func (LeaveBalance) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("leaveBalances")}
}
