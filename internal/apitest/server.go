package apitest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/server"
	"github.com/corpline/corpline/internal/store"
)

// Env is one running server with its database.
type Env struct {
	T      testing.TB
	DB     *store.DB
	Server *server.Server
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
	return StartOn(t, NewDB(t), opts...)
}

// StartOn runs a server over an existing database (a second process, say).
func StartOn(t testing.TB, db *store.DB, opts ...Option) *Env {
	t.Helper()
	cfg := config.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.GraphiQL = false
	// Background jobs (callback outbox, trial reclaim) do not run by
	// themselves in tests: their statements would land in the middle of what
	// a test counts or times. Tests run them by hand with env.Server.Jobs().
	cfg.JobInterval = 0
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logs := newLogs(t)
	srv := server.New(cfg, db, server.WithLogger(logs.logger()))
	if err := srv.Listen(cfg.Addr); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
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
	return &Env{T: t, DB: db, Server: srv, URL: scheme + "://" + srv.Addr() + "/graphql", Config: cfg, Logs: logs, HTTPClient: http.DefaultClient, stop: stop}
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
