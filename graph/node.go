package graph

import (
	"context"

	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/app"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/ent/auditentry"
	"github.com/corpline/corpline/ent/confidentialview"
	"github.com/corpline/corpline/ent/conversation"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/ids"
)

// nodeTables maps ID prefixes to ent tables, so node(id) needs no lookup.
var nodeTables = map[string]string{
	ids.Enterprise:       enterprise.Table,
	ids.Department:       department.Table,
	ids.Member:           member.Table,
	ids.Membership:       membership.Table,
	ids.Tag:              tag.Table,
	ids.AdminRole:        adminrole.Table,
	ids.App:              app.Table,
	ids.Message:          message.Table,
	ids.InboxEntry:       inboxentry.Table,
	ids.Conversation:     conversation.Table,
	ids.ConfidentialView: confidentialview.Table,
	ids.AuditEntry:       auditentry.Table,

	ids.Assignment:            assignment.Table,
	ids.AssignmentParticipant: assignmentparticipant.Table,
	ids.AssignmentEvent:       assignmentevent.Table,
}

// nodeType resolves the table of a global ID from its prefix. Sessions have
// no entry: they are never nodes.
func nodeType(_ context.Context, id string) (string, error) {
	if t, ok := nodeTables[ids.Prefix(id)]; ok {
		return t, nil
	}
	return "", apperr.ErrNotFound
}
