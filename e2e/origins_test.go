package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// Browser origins: the --cors-origins allow-list decides for CORS and for
// websocket upgrades alike; an empty list allows the server's own origin only.

const (
	appOrigin  = "https://app.example.com"
	evilOrigin = "https://evil.example.net"
)

func withOrigins(origins ...string) apitest.Option {
	return func(c *config.Config) { c.CORSOrigins = origins }
}

func preflight(env *apitest.Env, origin string) *apitest.RawResponse {
	return env.HTTP(http.MethodOptions, "/graphql", nil,
		"Origin", origin,
		"Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization, content-type")
}

func TestCORSAllowsListedOriginsOnly(t *testing.T) {
	env := apitest.Start(t, withOrigins(appOrigin))

	r := preflight(env, appOrigin)
	if r.Status/100 != 2 || r.Header.Get("Access-Control-Allow-Origin") != appOrigin {
		t.Fatalf("preflight from %s: HTTP %d, allow-origin %q", appOrigin, r.Status, r.Header.Get("Access-Control-Allow-Origin"))
	}
	allowed := strings.ToLower(r.Header.Get("Access-Control-Allow-Headers"))
	if !strings.Contains(allowed, "authorization") || !strings.Contains(allowed, "content-type") {
		t.Errorf("preflight allows headers %q", allowed)
	}
	if r := preflight(env, evilOrigin); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from %s allowed: %v", evilOrigin, r.Header)
	}

	post := func(origin string) *apitest.RawResponse {
		return env.PostJSON(map[string]any{"query": "{ __typename }"}, "Origin", origin)
	}
	r = post(appOrigin)
	if r.Header.Get("Access-Control-Allow-Origin") != appOrigin ||
		!strings.EqualFold(r.Header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
		t.Errorf("POST from %s: headers %v", appOrigin, r.Header)
	}
	for _, origin := range []string{evilOrigin, "http://app.example.com", "https://app.example.com.evil.net"} {
		if r := post(origin); r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("POST from %s allowed: %v", origin, r.Header)
		}
	}
}

func TestNoConfiguredOriginsAllowsNoOtherSite(t *testing.T) {
	env := apitest.Start(t) // rs/cors alone would read an empty list as "all"
	if r := preflight(env, appOrigin); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight allowed with no origins configured: %v", r.Header)
	}
	if code := dialStatus(t, env, appOrigin); code != http.StatusForbidden {
		t.Fatalf("websocket from %s with no origins configured: HTTP %d, want 403", appOrigin, code)
	}
	if code := dialStatus(t, env, "http://"+strings.TrimPrefix(env.BaseURL(), "http://")); code != http.StatusSwitchingProtocols {
		t.Fatalf("websocket from the server's own origin: HTTP %d, want 101", code)
	}
}

func TestWebsocketUpgradeFollowsTheCORSList(t *testing.T) {
	env := apitest.Start(t, withOrigins(appOrigin, "https://*.corp.example"))
	for _, tc := range []struct {
		origin string
		want   int
	}{
		{"", http.StatusSwitchingProtocols}, // not a browser
		{appOrigin, http.StatusSwitchingProtocols},
		{"https://hr.corp.example", http.StatusSwitchingProtocols},
		{env.BaseURL(), http.StatusSwitchingProtocols}, // same origin (GraphiQL)
		{evilOrigin, http.StatusForbidden},
		{"http://app.example.com", http.StatusForbidden}, // CORS refuses this scheme too
	} {
		if code := dialStatus(t, env, tc.origin); code != tc.want {
			t.Errorf("websocket from %q: HTTP %d, want %d", tc.origin, code, tc.want)
		}
	}
}

// dialStatus opens a graphql-transport-ws connection from origin and returns
// the upgrade's HTTP status.
func dialStatus(t *testing.T, env *apitest.Env, origin string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(env.URL, "http"), &websocket.DialOptions{
		HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"},
	})
	if conn != nil {
		conn.Close(websocket.StatusNormalClosure, "")
	}
	if res == nil {
		t.Fatalf("dial from %q: %v", origin, err)
	}
	return res.StatusCode
}
