package bus_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/store"
)

// twoProcesses opens two buses on one fresh PostgreSQL database, each with
// its own connection pool and listener, as two server processes would.
func twoProcesses(t *testing.T) (a, b *bus.Postgres, dbURL string) {
	t.Helper()
	if !apitest.OnPostgres() {
		t.Skip("PostgreSQL only: set " + apitest.EnvDatabaseURL + " to run it")
	}
	apitest.CheckGoroutineLeaks(t)
	dbURL = apitest.NewDatabaseURL(t)
	open := func() *bus.Postgres {
		db, err := store.Open(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		b := bus.NewPostgres(db.SQL, dbURL, bus.PostgresOptions{})
		t.Cleanup(func() {
			b.Close()
			db.Close()
		})
		select {
		case <-b.Ready():
		case <-time.After(10 * time.Second):
			t.Fatal("listener did not connect within 10s")
		}
		return b
	}
	return open(), open(), dbURL
}

func waitWake(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no wake-up within 10s", what)
	}
}

func TestPublishOnOneProcessWakesSubscribersOnBoth(t *testing.T) {
	a, b, _ := twoProcesses(t)
	onA, stopA := a.Subscribe(bus.MemberTopic("mem_1"))
	defer stopA()
	onB, stopB := b.Subscribe(bus.MemberTopic("mem_1"))
	defer stopB()
	otherB, stopOther := b.Subscribe(bus.MemberTopic("mem_2"))
	defer stopOther()

	a.Publish(context.Background(), bus.MemberTopic("mem_1"))
	waitWake(t, onA, "subscriber on the publishing process")
	waitWake(t, onB, "subscriber on the other process")
	select {
	case <-otherB:
		t.Fatal("a subscriber of another topic was woken")
	default:
	}
}

func TestAFanOutIsBatchedIntoFewNotifiesUnderThePayloadLimit(t *testing.T) {
	a, b, _ := twoProcesses(t)
	const n = 1000
	wakes := make([]<-chan struct{}, n)
	topics := make([]string, n)
	for i := range n {
		topics[i] = bus.MemberTopic(fmt.Sprintf("mem_%032d", i))
		ch, stop := b.Subscribe(topics[i])
		defer stop()
		wakes[i] = ch
	}
	// Published as one call, as a send after its commit does: every topic
	// lands in one batch, packed into as few notifications as the 8,000-byte
	// limit allows (1,000 topics of 43 bytes: 6 of them).
	a.Publish(context.Background(), topics...)
	for i, ch := range wakes {
		waitWake(t, ch, topics[i])
	}
	// The counters move once the NOTIFY statement returns, which may be
	// after the other process already heard it.
	deadline := time.Now().Add(10 * time.Second)
	for a.Stats().Batches == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := a.Stats(); st.Batches != 1 || st.Notifies != 6 {
		t.Fatalf("stats = %+v, want one batch of 6 notifications", st)
	}
}

func TestAListenerThatLosesItsConnectionReconnectsAndWakesEveryone(t *testing.T) {
	a, b, dbURL := twoProcesses(t)
	subs := make([]<-chan struct{}, 3)
	for i := range subs {
		ch, stop := b.Subscribe(bus.MemberTopic(fmt.Sprint("mem_", i)))
		defer stop()
		subs[i] = ch
	}
	killListeners(t, dbURL)
	// Nobody published: the reconnect alone wakes every subscriber, since
	// notifications sent while the listener was away are lost.
	for i, ch := range subs {
		waitWake(t, ch, fmt.Sprint("subscriber ", i, " after the reconnect"))
	}
	deadline := time.Now().Add(10 * time.Second)
	for b.Stats().Reconnects == 0 && a.Stats().Reconnects == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no reconnect was counted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// And it listens again.
	a.Publish(context.Background(), bus.MemberTopic("mem_1"))
	waitWake(t, subs[1], "subscriber after the reconnect, on a new publish")
}

// killListeners terminates the LISTEN connections of the database at dbURL,
// as a failover or a network cut would.
func killListeners(t *testing.T, dbURL string) {
	t.Helper()
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var killed int
	err = db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()`).Scan(&killed)
	if err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("no LISTEN connection to kill")
	}
}
