package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// Several `corpline serve` processes share one PostgreSQL database. Here the
// "processes" are servers in the test's process that share nothing but the
// database: each has its own connection pool, realtime bus and LISTEN
// connection (apitest.Env.StartAnother).

func TestAMessageSentThroughOneProcessReachesASubscriberOnAnother(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newSerialOrg(t)
	other := o.env.StartAnother()
	crm, _ := o.salesApp() // its token works on either process: the database is the record
	sam := other.Login("acme", "sam", apitest.TestPassword)

	ws := other.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", "")
	sse := sam.SubscribeInbox("")
	sendTexts(crm, "a", 20, o.sam) // through the first process
	expectTexts(t, func() apitest.InboxEvent { return ws.InboxEvent("inbox") }, "a", 20)
	expectTexts(t, sse.InboxEvent, "a", 20)
	ws.Close()
	sse.Close()
}

func TestASubscriberCatchesUpAfterItsProcessLosesTheListenerConnection(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newSerialOrg(t)
	other := o.env.StartAnother()
	crm, _ := o.salesApp()
	sam := other.Login("acme", "sam", apitest.TestPassword)
	ws := other.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", "")
	next := func() apitest.InboxEvent { return ws.InboxEvent("inbox") }

	sendTexts(crm, "a", 5, o.sam)
	expectTexts(t, next, "a", 5)

	// Mid-stream, the LISTEN connections die (both processes'): what is
	// notified until they are back is lost, and the subscriber catches up
	// from the database once its listener reconnects.
	if n := o.env.KillListeners(); n < 2 {
		t.Fatalf("killed %d LISTEN connections, want both processes'", n)
	}
	sendTexts(crm, "b", 20, o.sam)
	expectTexts(t, next, "b", 20)
	// And it listens again.
	sendTexts(crm, "c", 3, o.sam)
	expectTexts(t, next, "c", 3)
	ws.Close()
}
