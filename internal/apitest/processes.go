package apitest

import (
	"database/sql"
	"testing"
	"time"
)

// RequirePostgres skips a test that only means something on PostgreSQL
// (several processes on one database, LISTEN/NOTIFY).
func RequirePostgres(t testing.TB) {
	t.Helper()
	if !OnPostgres() {
		t.Skip("PostgreSQL only: set " + EnvDatabaseURL + " to run it")
	}
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
	bus, ok := e.Main.Bus.(interface{ Subscribers() int })
	if !ok {
		e.T.Fatalf("bus %T does not count its subscribers", e.Main.Bus)
	}
	streams := func() int { return bus.Subscribers() - e.Main.Auth.CacheWatches() }
	deadline := time.Now().Add(30 * time.Second)
	for streams() > 0 {
		if time.Now().After(deadline) {
			e.T.Fatalf("%d subscriptions still open after 30s", streams())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
