// Package directory holds the rules of the enterprise directory that are more
// than one builder chain: the department tree, member placement and import,
// tags, admin grants and enterprise settings.
//
// Who may do what is decided by the ent privacy policies (package policy);
// this package adds the rules of shape: a tree without cycles, one primary
// department, unique userids, a scoped admin granting no more than they hold.
package directory

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/store"
)

// Limits of the directory.
const (
	MaxDepth      = 15     // levels of the department tree
	MaxImportRows = 10_000 // rows of one importMembers call
)

// Service applies directory rules over an ent client.
type Service struct {
	client *ent.Client
}

// New returns a Service over client.
func New(client *ent.Client) *Service { return &Service{client: client} }

// db is the client of the request's transaction, if any.
func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }
