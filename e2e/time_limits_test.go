package e2e

import (
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

func TestAnIdempotencyKeyAnswersForFourHoursThenSendsAnew(t *testing.T) {
	clock := apitest.NewClock()
	o := newOrg(t, apitest.WithClock(clock))
	appID, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	in := apitest.Text("daily digest", apitest.Range{Members: []string{o.sam}})
	in["idempotencyKey"] = "digest"
	first := o.env.AsApp("acme", appID, secret).Send(in)

	clock.Advance(4*time.Hour - time.Minute)
	if again := o.env.AsApp("acme", appID, secret).Send(in); !again.Replayed || again.Message.ID != first.Message.ID {
		t.Fatalf("a retry within 4 hours: %+v", again)
	}
	clock.Advance(2 * time.Minute)
	later := o.env.AsApp("acme", appID, secret).Send(in)
	if later.Replayed || later.Message.ID == first.Message.ID {
		t.Fatalf("the same key after 4 hours: %+v", later)
	}
	if n := o.login("sam").Inbox(5).TotalCount; n != 2 {
		t.Fatalf("sam has %d entries, want 2 (one per window)", n)
	}
}

func TestAMessageCanBeRecalledForTwentyFourHoursOnly(t *testing.T) {
	clock := apitest.NewClock()
	o := newOrg(t, apitest.WithClock(clock))
	o.admin.GrantScoped(o.rita, []string{o.rnd}, "SEND_MESSAGES")
	rita := o.login("rita")
	early := rita.Send(apitest.Text("early", apitest.Range{Members: []string{o.ray}}))
	late := rita.Send(apitest.Text("late", apitest.Range{Members: []string{o.ray}}))
	recall := `mutation($id: ID!) { recallMessage(input: {id: $id}) { message { recalledAt } } }`
	clock.Advance(24*time.Hour - time.Minute)
	rita.MustDo(recall, map[string]any{"id": early.Message.ID}, nil)
	clock.Advance(2 * time.Minute)
	rita.MustFail("FORBIDDEN", recall, map[string]any{"id": late.Message.ID})
	if in := o.login("ray").Inbox(5); in.TotalCount != 1 || in.Entries[0].Message.ID != late.Message.ID {
		t.Fatalf("ray's inbox = %+v, want only the late message", in)
	}
}
