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

// LeaveBalanceChange is one line of a balance's log: every change of a
// balance writes one, in the same transaction.
type LeaveBalanceChange struct {
	ent.Schema
}

// Mixin of the LeaveBalanceChange.
func (LeaveBalanceChange) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.LeaveBalanceChange}, TenantMixin{}, AttendanceOwnerMixin{}}
}

// Fields of the LeaveBalanceChange.
func (LeaveBalanceChange) Fields() []ent.Field {
	return []ent.Field{
		field.String("balance_id").Immutable().NotEmpty(),
		field.Enum("kind").Values("GRANT", "ADJUST", "RESERVE", "SPEND", "RELEASE", "RESTORE", "EXPIRE").
			Immutable().Annotations(entgql.Type("LeaveBalanceChangeKind")),
		field.Int("minutes").Immutable().Comment("How much moved: positive, except for an ADJUST that takes away."),
		field.Int("available_after").Immutable().Comment("The balance's available minutes after the change."),
		field.String("reason").Default("").Immutable(),
		field.String("leave_request_id").Optional().Nillable().Immutable(),
		field.String("approval_id").Optional().Nillable().Immutable().Comment("The approval the change came from."),
		field.String("actor_id").Optional().Nillable().Immutable().Comment("The member who made the change; none for the system (expiry)."),
	}
}

// Edges of the LeaveBalanceChange.
func (LeaveBalanceChange) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("balance", LeaveBalance.Type).Ref("changes").Field("balance_id").Unique().Required().Immutable(),
	}
}

// Indexes of the LeaveBalanceChange.
func (LeaveBalanceChange) Indexes() []ent.Index {
	return []ent.Index{index.Fields("balance_id", "created_at")}
}

// Annotations of the LeaveBalanceChange.
func (LeaveBalanceChange) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("leaveBalanceChanges")}
}
