package apitest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/store"
)

// RequirePostgres skips a test that only means something on PostgreSQL
// (several processes on one database, LISTEN/NOTIFY).
func RequirePostgres(t testing.TB) {
	t.Helper()
	if !OnPostgres() {
		t.Skip("PostgreSQL only: set " + EnvDatabaseURL + " to run it")
	}
}

// StartAnother starts a second server on e's PostgreSQL database, with its
// own connection pool and its own realtime bus and listener: in process,
// but sharing nothing with e except the database, as a second
// `corpline serve` would.
func (e *Env) StartAnother(opts ...Option) *Env {
	e.T.Helper()
	if e.DB.URL == "" {
		e.T.Fatal("StartAnother needs PostgreSQL (see RequirePostgres)")
	}
	db, err := store.Open(e.DB.URL)
	if err != nil {
		e.T.Fatal(err)
	}
	e.T.Cleanup(func() { db.Close() })
	return StartOn(e.T, db, opts...)
}

// KillListeners terminates every LISTEN connection to e's database, as a
// failover or a network cut would, and returns how many it ended.
func (e *Env) KillListeners() int {
	e.T.Helper()
	db, err := sql.Open("postgres", e.DB.URL)
	if err != nil {
		e.T.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
	if err != nil {
		e.T.Fatalf("kill listeners: %v", err)
	}
	return n
}

// WaitNoSubscribers waits until no stream of the server follows its
// realtime bus any more (every stream has ended), or fails the test. The
// viewer cache's own subscriptions are not streams.
func (e *Env) WaitNoSubscribers() {
	e.T.Helper()
	bus, ok := e.Server.Bus().(interface{ Subscribers() int })
	if !ok {
		e.T.Fatalf("bus %T does not count its subscribers", e.Server.Bus())
	}
	streams := func() int { return bus.Subscribers() - e.Server.Auth().CacheWatches() }
	deadline := time.Now().Add(30 * time.Second)
	for streams() > 0 {
		if time.Now().After(deadline) {
			e.T.Fatalf("%d subscriptions still open after 30s", streams())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
