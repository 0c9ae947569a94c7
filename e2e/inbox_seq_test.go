package e2e

import (
	"fmt"
	"sync"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestConcurrentSendsToOverlappingAudiencesNumberEachInboxWithoutGapOrRepeat(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	audiences := [][]string{{o.sam, o.eve}, {o.sam}, {o.eve}, {o.eve, o.sam}}
	const perSender = 10
	var wg sync.WaitGroup
	errs := make(chan string, len(audiences)*perSender)
	for i, members := range audiences {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perSender {
				r := crm.TrySend(apitest.Text(fmt.Sprint(i, ".", j), apitest.Range{Members: members}))
				if len(r.Errors) > 0 {
					errs <- r.Errors[0].Message
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("send: %s", e)
	}
	// sam got 3 of the 4 senders' messages, and so did eve.
	for _, who := range []string{"sam", "eve"} {
		c := o.login(who)
		ws := o.env.WS()
		ws.Init(c.Token)
		ws.SubscribeInbox("inbox", apitest.InboxBeginning())
		seen := map[string]bool{}
		for seq := 1; seq <= 3*perSender; seq++ {
			ev := ws.InboxEvent("inbox")
			if ev.Kind != "NEW" || ev.Seq != seq || seen[ev.Text()] {
				t.Fatalf("%s: event %d is %s seq %d %q", who, seq, ev.Kind, ev.Seq, ev.Text())
			}
			seen[ev.Text()] = true
		}
		ws.Close()
		if in := c.Inbox(100); in.TotalCount != 3*perSender {
			t.Fatalf("%s has %d entries, want %d", who, in.TotalCount, 3*perSender)
		}
	}
}
