// Package graph holds corpline's GraphQL resolvers: thin calls into ent and
// the domain packages, which own the rules.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/graph/generated"
	"github.com/corpline/corpline/internal/apps"
	"github.com/corpline/corpline/internal/assignments"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/conversation"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/invite"
	"github.com/corpline/corpline/internal/lifecycle"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/operator"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	Client        *ent.Client
	Auth          *auth.Service
	Directory     *directory.Service
	Apps          *apps.Service
	Messaging     *messaging.Service
	Conversations *conversation.Service
	Assignments   *assignments.Service
	Publisher     bus.Publisher
	Lifecycle     *lifecycle.Service
	Invites       *invite.Service
	Operator      *operator.Service
}

// NewSchema returns corpline's executable schema over r, with connections
// weighed by their page size for the complexity limit (complexity.go) and
// per-response prefetching (prefetch.go: serve it with r.PrefetchEdges as
// field middleware).
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return withPrefetch{weighedSchema{generated.NewExecutableSchema(generated.Config{
		Resolvers:  r,
		Directives: generated.DirectiveRoot{ScopeToViewer: ScopeToViewer},
	})}}
}
