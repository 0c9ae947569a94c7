package graph

import (
	"context"

	"entgo.io/contrib/entgql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/lifecycle"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// activatePayload answers a follow; an ACTIVE member is signed in at once,
// and becomes the viewer of the rest of the response.
func activatePayload(ctx context.Context, a *lifecycle.Activation) *model.ActivatePayload {
	p := &model.ActivatePayload{Status: a.Member.Status}
	if a.Session != nil {
		viewer.Adopt(ctx, a.Session.Viewer)
		p.Token, p.ExpiresAt, p.Viewer = &a.Session.Token, &a.Session.ExpiresAt, a.Session.Viewer
	}
	return p
}

// db is the client of the request's transaction, when there is one. Fields
// resolved inside a mutation's response (login { viewer { member } }) must
// read through it: on SQLite a second connection would wait for the
// transaction's own write lock.
func (r *Resolver) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, r.Client) }

// orNil turns "not found" (or not visible) into null, for optional edges.
func orNil[T any](v *T, err error) (*T, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}

// newestFirst is the audit log's default order.
var newestFirst = &ent.AuditEntryOrder{Direction: entgql.OrderDirectionDesc, Field: ent.AuditEntryOrderFieldCreatedAt}
