package server

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// The HTTP server knows HTTP and the GraphQL schema; the domain services it
// serves are built by the composition root (cmd/corpline/wiring) and reach
// it inside graph.Resolver. This keeps it that way: a domain import here
// would let the server build the application again.
func TestServerImportsNoDomainPackage(t *testing.T) {
	const module = "github.com/corpline/corpline/"
	allowed := []string{
		"graph",                   // the schema and its resolvers
		"internal/apperr",         // error codes in HTTP answers
		"internal/clock",          // the request's clock
		"internal/config",         // the server's settings
		"internal/realtime/gqlws", // the websocket transport
		"internal/realtime/live",  // subscription end reasons and pumps
		"internal/request",        // request id, logger, client address
		"internal/viewer",         // the request's viewer
	}
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		rel, ours := strings.CutPrefix(imp, module)
		if ours && !slices.Contains(allowed, rel) {
			t.Errorf("internal/server imports %s; only %v may be imported (wire domain services in cmd/corpline/wiring)", imp, allowed)
		}
	}
}
