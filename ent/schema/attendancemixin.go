package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"github.com/corpline/corpline/internal/policy"
)

// AttendanceOwnerMixin ties a row of leave or attendance to the member it
// is about, and gives it the attendance visibility: the member, the leaders
// of their departments and admins holding MANAGE_ATTENDANCE over them see
// it; nobody else, on any read path.
type AttendanceOwnerMixin struct {
	mixin.Schema
}

// Fields of the AttendanceOwnerMixin.
func (AttendanceOwnerMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").Immutable().NotEmpty(),
	}
}

// Edges of the AttendanceOwnerMixin.
func (AttendanceOwnerMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the AttendanceOwnerMixin.
func (AttendanceOwnerMixin) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id")}
}

// Policy of the AttendanceOwnerMixin.
func (AttendanceOwnerMixin) Policy() ent.Policy {
	return policy.AttendanceOwned()
}
