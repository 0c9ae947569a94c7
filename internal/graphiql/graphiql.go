// Package graphiql serves GraphiQL from files embedded in the binary, so it
// works with no internet access: GraphiQL, React and graphql-ws as their
// npm packages ship them for browsers (assets/vendor, fetched at the versions
// pinned in fetch-assets.sh and listed in assets/vendor/VERSIONS), and a page
// that sends queries and mutations over HTTP and subscriptions over the
// websocket (assets/corpline.js).
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

// contentSecurityPolicy lets the page load and connect to its own origin only:
// nothing it needs comes from anywhere else.
const contentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'"

// Handler serves the page at / and its files under /graphiql/. The page
// talks to /graphql on the same origin.
func Handler() http.Handler {
	root, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServerFS(root)
	page, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(page)
	})
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path == "index.html" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})))
	return mux
}
