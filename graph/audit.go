package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/internal/audit"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/viewer"
)

// unaudited are mutations that are not administration: what admins do for
// themselves as any member would (sign in, read their inbox), and message
// traffic, which the messages themselves record (sender, recipients, reads).
// Every other mutation of an admin, an operator or an app is audited.
var unaudited = map[string]bool{
	"login":                   true,
	"logout":                  true,
	"operatorLogin":           true,
	"activate":                true,
	"appToken":                true,
	"markInboxRead":           true,
	"sendMessage":             true,
	"forwardMessage":          true,
	"recallMessage":           true,
	"createConversation":      true,
	"sendConversationMessage": true,
}

// AuditMutations records each root mutation made by an admin, a platform
// operator or an app (an enterprise's system, approving follows say) in the
// audit log: the action is the mutation's name, the target
// what it returned or named, the details its arguments (secrets redacted).
// It runs inside the mutation's transaction, after the resolver: a mutation
// that fails rolls back with its entry, and one whose entry cannot be written
// fails. Being the one path every mutation takes, it cannot be forgotten by a
// mutation added later.
func (r *Resolver) AuditMutations(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	v := viewer.FromContext(ctx)
	if fc == nil || fc.Object != "Mutation" || unaudited[fc.Field.Name] ||
		v == nil || (v.Kind == viewer.KindMember && v.Admin == nil) {
		return next(ctx)
	}
	res, err := next(ctx)
	if err != nil {
		return res, err
	}
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	target := audit.TargetOf(res, args)
	enterpriseID := v.EnterpriseID
	if v.Kind == viewer.KindOperator {
		enterpriseID = ""
		if ids.Prefix(target) == ids.Enterprise {
			enterpriseID = target
		}
	}
	err = audit.Record(ctx, r.Client, audit.Entry{
		EnterpriseID: enterpriseID,
		Action:       fc.Field.Name,
		TargetID:     target,
		Details:      audit.Details(args),
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
