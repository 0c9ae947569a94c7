package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// Approval is one request submitted along a template's flow. It keeps the
// form as submitted and the definition (controls and flow) it runs by, so
// editing the template never changes a running approval.
type Approval struct {
	ent.Schema
}

// Mixin of the Approval.
func (Approval) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: ids.Approval}, TenantMixin{}}
}

// Fields of the Approval.
func (Approval) Fields() []ent.Field {
	return []ent.Field{
		field.String("applicant_id").Immutable().Annotations(entgql.Skip()),
		field.String("template_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("template_version_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.String("applicant_name").Immutable().Comment("The applicant's name when submitted: part of the record, shown to everyone who sees the approval."),
		field.String("kind").Immutable().Default("GENERAL"),
		field.String("title").NotEmpty().MaxLen(200).Comment("The template's name when submitted."),
		field.String("summary").Default("").Comment("The first values of the form, for lists."),
		field.JSON("form", flow.Form{}).Annotations(entgql.Skip()),
		field.JSON("controls", []flow.Control{}).Annotations(entgql.Skip()),
		field.JSON("flow", flow.Flow{}).Annotations(entgql.Skip()),
		field.Enum("status").GoType(flow.Status("")).Default(string(flow.StatusRunning)).
			Annotations(entgql.Type("ApprovalStatus"), entgql.OrderField("STATUS")),
		field.Strings("cc_on_finish").Optional().Comment("Copied when the approval ends approved, resolved at submit.").Annotations(entgql.Skip()),
		field.Int("revision").Default(0).Comment("Counts the changes of the approval: one per action, so a live view knows it has the latest."),
		field.Int("round").Default(1).Comment("1, plus one for each resubmission.").Annotations(entgql.Skip()),
		field.String("current_node_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Time("submitted_at").Annotations(entgql.OrderField("SUBMITTED_AT")),
		field.Time("finished_at").Optional().Nillable(),
		field.Time("updated_at").Default(timeNow).UpdateDefault(timeNow).Annotations(entgql.OrderField("UPDATED_AT")),
		field.String("idempotency_key").Optional().Nillable().Annotations(entgql.Skip()),
		field.Bytes("request_hash").Optional().Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of the Approval.
func (Approval) Edges() []ent.Edge {
	skipWhere := entgql.Skip(entgql.SkipWhereInput)
	return []ent.Edge{
		// Shown by a resolver (graph/approvals.resolvers.go) that answers
		// null for an applicant the viewer may not see; applicant_name is
		// shown to everyone who sees the approval.
		edge.To("applicant", Member.Type).Field("applicant_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
		edge.To("template", ApprovalTemplate.Type).Field("template_id").Unique().Immutable().
			Annotations(skipWhere),
		edge.To("template_version", ApprovalTemplateVersion.Type).Field("template_version_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("nodes", ApprovalNode.Type).Annotations(entgql.Skip()),
		edge.To("tasks", ApprovalTask.Type).Annotations(entgql.Skip()),
		edge.To("timeline", ApprovalTimelineEntry.Type).Annotations(entgql.Skip()),
		edge.To("ccs", ApprovalCc.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of the Approval.
func (Approval) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("enterprise_id", "applicant_id", "submitted_at"),
		index.Fields("enterprise_id", "status"),
		// A retried submit finds its first attempt by key; NULL keys never collide.
		index.Fields("enterprise_id", "applicant_id", "idempotency_key").Unique(),
	}
}

// Annotations of the Approval.
func (Approval) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the Approval: its applicant, everyone who has or had a task in
// it, its CC recipients, and admins holding MANAGE_APPROVALS over the
// applicant's departments see it; nobody else, not even that it exists. A
// member submits their own; those who see an approval write its changes
// (which change is theirs to make is package approval's rule).
func (Approval) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.FilterVisibleApprovals()},
		Mutation: privacy.MutationPolicy{policy.AllowApprovalWrites()},
	}
}
