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
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			OriginPatterns: originPatterns(cfg.CORSOrigins),
		}},
		InitFunc:              s.websocketInit,
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
	})
	srv.AddTransport(transport.SSE{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.Limits.ParserTokens)
	srv.SetDisableSuggestion(!cfg.Dev)
	srv.SetErrorPresenter(graph.PresentError)
	srv.SetRecoverFunc(graph.Recover)

	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(cfg.Limits.Complexity))
	srv.Use(shapeLimit{Depth: cfg.Limits.Depth, Aliases: cfg.Limits.Aliases})
	// Mutations run in one transaction each: all of a mutation or none of it.
	srv.Use(entgql.Transactioner{TxOpener: s.db.Client})

	srv.AroundRootFields(graph.RequireViewer)
	srv.AroundFields(pageSizeLimit(cfg.Limits.PageSize))
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

// originPatterns turns CORS origins into websocket origin patterns (hosts).
func originPatterns(origins []string) []string {
	out := make([]string, 0, len(origins))
	for _, o := range origins {
		if i := indexScheme(o); i >= 0 {
			o = o[i+3:]
		}
		out = append(out, o)
	}
	return out
}

func indexScheme(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i:i+3] == "://" {
			return i
		}
	}
	return -1
}
