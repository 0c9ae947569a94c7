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
	"github.com/corpline/corpline/internal/live"
)

// newGraphQL builds the GraphQL handler with the transports and extensions
// chosen on purpose (handler.NewDefaultServer turns on things nobody chose).
func (s *Server) newGraphQL(cfg config.Config) *handler.Server {
	srv := handler.New(graph.NewSchema(s.resolver))

	ws := s.websocketTransport()
	ws.AcceptOptions = websocket.AcceptOptions{OriginPatterns: originPatterns(cfg.CORSOrigins)}
	srv.AddTransport(ws)
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: keepAlive(cfg)})
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
	// Subscriptions end with a coded reason as their last response.
	srv.Use(live.Extension{})

	srv.AroundRootFields(graph.RequireViewer)
	srv.AroundFields(pageSizeLimit(cfg.Limits.PageSize))
	srv.AroundFields(graph.ScopeWhereInputs)
	srv.AroundFields(s.resolver.AuditMutations)
	return srv
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
