// Package audit records what admins, operators and the system do: who, what,
// on which target, when, with details.
//
// Entries are written through the request's transaction, so an action and its
// record commit or roll back together. GraphQL mutations are recorded by one
// field middleware (graph/audit.go) rather than by a call in each domain
// function: every mutation an admin or an operator makes passes there,
// including mutations added later, so none can be forgotten. Actions outside
// GraphQL (the trial reclaim job, bootstrap) call Record themselves.
package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/auditentry"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Entry is one action to record; the actor comes from the context's viewer
// (the system when there is none).
type Entry struct {
	EnterpriseID string // "" for platform actions that touch no enterprise
	Action       string
	TargetID     string
	Details      map[string]any
}

// Record writes e in the transaction of ctx (or through client without one).
func Record(ctx context.Context, client *ent.Client, e Entry) error {
	kind, id, name := actorOf(viewer.FromContext(ctx))
	c := store.ClientFrom(ctx, client).AuditEntry.Create().
		SetActorKind(kind).
		SetActorID(id).
		SetActorName(name).
		SetAction(e.Action).
		SetTargetID(e.TargetID).
		SetTargetType(TypeOf(e.TargetID))
	if e.EnterpriseID != "" {
		c.SetEnterpriseID(e.EnterpriseID)
	}
	if e.Details != nil {
		c.SetDetails(e.Details)
	}
	// Entries are written by the system on behalf of whoever acted: no viewer
	// may write the audit log directly.
	if err := c.Exec(policy.SystemContext(ctx)); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

func actorOf(v *viewer.Viewer) (auditentry.ActorKind, string, string) {
	switch {
	case v == nil:
		return auditentry.ActorKindSYSTEM, "", "system"
	case v.Kind == viewer.KindOperator:
		return auditentry.ActorKindOPERATOR, v.OperatorID, v.Name
	case v.Kind == viewer.KindApp:
		return auditentry.ActorKindAPP, v.AppID, v.Name
	}
	return auditentry.ActorKindMEMBER, v.MemberID, v.Name
}

// typeNames maps ID prefixes to GraphQL type names.
var typeNames = map[string]string{
	ids.Enterprise: "Enterprise",
	ids.Department: "Department",
	ids.Member:     "Member",
	ids.Membership: "Membership",
	ids.Tag:        "Tag",
	ids.AdminRole:  "AdminRole",
	ids.Operator:   "Operator",
}

// TypeOf names the type of an ID from its prefix ("" when unknown).
func TypeOf(id string) string {
	if t, ok := typeNames[ids.Prefix(id)]; ok {
		return t
	}
	if p := ids.Prefix(id); p != "" {
		return strings.ToUpper(p[:1]) + p[1:]
	}
	return ""
}
