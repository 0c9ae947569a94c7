package apitest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/corpline/corpline/cmd/corpline/wiring"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/store"
)

// Env is one running server with its database.
type Env struct {
	T testing.TB
	// Main is the running process, built as `corpline serve` builds it:
	// its store, bus, services, jobs and HTTP server.
	Main   *wiring.Main
	DB     *store.DB
	URL    string // http://127.0.0.1:PORT/graphql (https with TLS)
	Config config.Config
	Logs   *Logs // what the server logged
	// HTTPClient sends every request of the test (http.DefaultClient unless
	// a test needs another, such as one that trusts a test certificate).
	HTTPClient *http.Client

	stop func() error
}

// Stop shuts the server down as SIGTERM would and returns what Serve
// returned. Tests of shutdown call it; otherwise the test's end does.
func (e *Env) Stop() error { return e.stop() }

// Option changes the configuration of a test server.
type Option func(*config.Config)

// Start runs a server on a fresh database and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return StartOn(t, NewDatabaseURL(t), opts...)
}

// StartOn runs a server on the database at dbURL, migrating it first, as
// `corpline serve --database-url dbURL` would.
func StartOn(t testing.TB, dbURL string, opts ...Option) *Env {
	t.Helper()
	return start(t, dbURL, opts)
}

// StartAnother starts a second server on e's database, with its own
// connection pool, realtime bus and listener: in process, but sharing
// nothing with e except the database, as a second `corpline serve` would.
// Wake-ups cross between the two only on PostgreSQL (see RequirePostgres).
func (e *Env) StartAnother(opts ...Option) *Env {
	e.T.Helper()
	return StartOn(e.T, e.Config.DatabaseURL, opts...)
}

func start(t testing.TB, dbURL string, opts []Option, mainOpts ...wiring.Option) *Env {
	t.Helper()
	cfg := config.Defaults()
	cfg.DatabaseURL = dbURL
	cfg.Addr = "127.0.0.1:0"
	cfg.GraphiQL = false
	// Background jobs (callback outbox, trial reclaim) do not run by
	// themselves in tests: their statements would land in the middle of what
	// a test counts or times. Tests run them by hand with env.Main.Jobs.
	cfg.JobInterval = 0
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logs := newLogs(t)
	m := wiring.NewMain(cfg, append([]wiring.Option{wiring.WithLogger(logs.logger())}, mainOpts...)...)
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return errors.Join(err, m.Close())
		case <-time.After(15 * time.Second):
			return errors.New("server did not stop within 15s")
		}
	})
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("stop server: %v", err)
		}
	})
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	return &Env{T: t, Main: m, DB: m.DB, URL: scheme + "://" + m.Server.Addr() + "/graphql", Config: cfg, Logs: logs, HTTPClient: http.DefaultClient, stop: stop}
}

// Enterprise is a provisioned enterprise and its super admin's credentials.
type Enterprise struct {
	Code          string
	ID            string
	RootID        string // the root department
	AdminID       string
	AdminLogin    string
	AdminPassword string
}

// TestPassword is the password of every member tests create.
const TestPassword = "test-password-1"

// NewEnterprise provisions an enterprise with a super admin "admin". It is
// CERTIFIED with a quota of a million followers for a year, so that tests
// about something else never meet the follower limit; tests about account
// types use NewEnterpriseOf.
func (e *Env) NewEnterprise(code string) *Enterprise {
	e.T.Helper()
	q, until := provision.MaxFollowerQuota, e.Now().AddDate(1, 0, 0)
	return e.NewEnterpriseOf(code, provision.Enterprise{
		AccountType: enterprise.AccountTypeCERTIFIED, FollowerQuota: &q, CertifiedUntil: &until,
	})
}

// NewEnterpriseOf provisions an enterprise of the account described by spec
// (code, name and admin are filled in), with a super admin "admin".
func (e *Env) NewEnterpriseOf(code string, spec provision.Enterprise) *Enterprise {
	e.T.Helper()
	spec.Code, spec.Name, spec.AdminLogin, spec.AdminPassword = code, code+" Inc", "admin", TestPassword
	ctx := clock.NewContext(context.Background(), e.Config.Now)
	res, err := provision.Create(ctx, e.DB.Client, spec)
	if err != nil {
		e.T.Fatalf("provision %s: %v", code, err)
	}
	return &Enterprise{Code: code, ID: res.EnterpriseID, RootID: res.DepartmentID, AdminID: res.AdminID,
		AdminLogin: "admin", AdminPassword: TestPassword}
}
