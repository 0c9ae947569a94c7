package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

func TestAClientTooFarBehindIsClosedWithSlowConsumerAndResumesByCursor(t *testing.T) {
	o := newSerialOrg(t, func(c *config.Config) {
		c.Realtime.Buffer = 4
		c.Messages.SlowSubscriber = 200 * time.Millisecond
		c.Realtime.WriteTimeout = time.Minute // the phone is slow, not gone
	})
	crm, _ := o.salesApp()
	sam := o.login("sam")
	phone := o.env.SlowWS()
	phone.Init(sam.Token)
	phone.SubscribeInbox("inbox", "")
	laptop := o.env.WS()
	laptop.Init(sam.Token)
	laptop.SubscribeInbox("inbox", "")

	// The laptop reads as messages come; the stuck phone holds it back in
	// nothing.
	const n = 300
	onLaptop := make(chan string, n)
	go func() {
		defer close(onLaptop)
		for range n {
			ev, err := laptop.TryInboxEvent("inbox")
			if err != nil {
				onLaptop <- err.Error()
				return
			}
			onLaptop <- ev.Text()
		}
	}()
	// Far more than the phone's socket takes in while it reads nothing.
	big := strings.Repeat("x", 16000) // about 4.8 MB in all
	for i := 1; i <= n; i++ {
		crm.Send(apitest.Text(fmt.Sprint(i, " ", big), apitest.Range{Members: []string{o.sam}}))
	}
	for i := 1; i <= n; i++ {
		if text := <-onLaptop; !strings.HasPrefix(text, fmt.Sprint(i, " ")) {
			t.Fatalf("laptop event %d: %.20q", i, text)
		}
	}
	laptop.Close()
	o.env.WaitNoSubscribers() // and the server gave up on the phone

	// The phone gets what was on its way, in order, then CLOSED.
	var last apitest.InboxEvent
	got := 0
	for {
		ev := phone.InboxEvent("inbox")
		if ev.Kind == "CLOSED" {
			if ev.Code != "SLOW_CONSUMER" || ev.Reason == "" {
				t.Fatalf("closed with %+v", ev)
			}
			break
		}
		got++
		if ev.Kind != "NEW" || !strings.HasPrefix(ev.Text(), fmt.Sprint(got, " ")) {
			t.Fatalf("event %d: %s %.10q", got, ev.Kind, ev.Text())
		}
		last = ev
	}
	if got == 0 || got >= n {
		t.Fatalf("got %d of %d before CLOSED: the phone was not behind", got, n)
	}
	if m := phone.Next(); m.Type != "complete" {
		t.Fatalf("want complete after CLOSED, got %s %s", m.Type, m.Payload)
	}
	phone.Close()

	// It resumes from the last event it got, and gets exactly the rest.
	ws := o.env.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", last.Cursor)
	for i := got + 1; i <= n; i++ {
		ev := ws.InboxEvent("inbox")
		if ev.Kind != "NEW" || !strings.HasPrefix(ev.Text(), fmt.Sprint(i, " ")) {
			t.Fatalf("resumed event %d: %s %.10q", i, ev.Kind, ev.Text())
		}
	}
	ws.Close()
}
