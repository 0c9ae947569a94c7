package server

import (
	"context"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/config"
)

// newGraphQL builds the GraphQL handler with the transports and extensions
// chosen on purpose (handler.NewDefaultServer turns on things nobody chose).
func (s *Server) newGraphQL(cfg config.Config) *handler.Server {
	srv := handler.New(graph.NewSchema(s.resolver))

	srv.AddTransport(transport.Websocket{
		// The origin is checked before the upgrade, against the same
		// allow-list as CORS (graphQLEndpoint, origin.go).
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			InsecureSkipVerify: true,
		}},
		InitFunc:              s.websocketInit,
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
	})
	srv.AddTransport(transport.SSE{})
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
	srv.Use(entgql.Transactioner{TxOpener: s.db.Client})

	srv.AroundRootFields(graph.RequireViewer)
	srv.AroundFields(s.resolver.PrefetchEdges)
	return srv
}

// websocketInit authenticates a subscription connection from the authToken
// of its connection_init payload, through the same function as HTTP.
func (s *Server) websocketInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	token, _ := p["authToken"].(string)
	v, err := s.auth.Authenticate(ctx, token)
	if err != nil {
		return ctx, nil, err
	}
	return withViewer(ctx, v), nil, nil
}
