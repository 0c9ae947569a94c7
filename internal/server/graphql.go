package server

import (
	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/realtime/live"
)

// newGraphQL builds the GraphQL handler with the transports and extensions
// chosen on purpose (handler.NewDefaultServer turns on things nobody chose).
func (s *Server) newGraphQL(cfg config.Config) *handler.Server {
	srv := handler.New(graph.NewSchema(s.resolver))

	ws := s.websocketTransport()
	// The origin is checked before the upgrade, against the same allow-list
	// as CORS (graphQLEndpoint, origin.go).
	ws.AcceptOptions = websocket.AcceptOptions{InsecureSkipVerify: true}
	srv.AddTransport(ws)
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: keepAlive(cfg)})
	srv.AddTransport(graphqlHTTP{}) // GET and POST, per the GraphQL over HTTP spec

	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(cfg.Limits.ParserTokens)
	srv.SetDisableSuggestion(!cfg.Dev)
	srv.SetErrorPresenter(graph.PresentError)
	srv.SetRecoverFunc(graph.Recover)

	srv.Use(extension.Introspection{})
	// Before parsing and validation (see limits_document.go).
	srv.Use(documentLimit{Selections: cfg.Limits.Selections, Tokens: cfg.Limits.ParserTokens, Cache: cache})
	// shapeLimit first: it bounds what the complexity walker will expand.
	srv.Use(shapeLimit{Depth: cfg.Limits.Depth, Aliases: cfg.Limits.Aliases,
		PageSize: cfg.Limits.PageSize, Complexity: cfg.Limits.Complexity})
	srv.Use(extension.FixedComplexityLimit(cfg.Limits.Complexity))
	// Mutations run in one transaction each: all of a mutation or none of it.
	srv.Use(entgql.Transactioner{TxOpener: s.resolver.Client})
	// Subscriptions end with a coded reason as their last response.
	srv.Use(live.Extension{})

	srv.AroundRootFields(graph.RequireViewer)
	srv.AroundFields(s.resolver.PrefetchEdges)
	srv.AroundFields(s.resolver.AuditMutations)
	return srv
}
