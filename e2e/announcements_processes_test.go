package e2e

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// TestScheduledAnnouncementsArePublishedOnceByTwoProcesses: two server
// processes on one PostgreSQL database run the publishing job at the same
// time; every scheduled announcement is published exactly once, and each
// audience member gets exactly one inbox entry per announcement.
func TestScheduledAnnouncementsArePublishedOnceByTwoProcesses(t *testing.T) {
	apitest.RequirePostgres(t)
	clk := apitest.NewClock()
	o := newSerialOrg(t, apitest.WithClock(clk))
	other := o.env.StartAnother(apitest.WithClock(clk))
	const n = 30
	at := clk.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	var ids []string
	for i := range n {
		a := o.admin.ActOnAnnouncement("createAnnouncement", map[string]any{"title": fmt.Sprint("news ", i), "body": "b", "audience": depts(o.sales)})
		o.admin.ActOnAnnouncement("publishAnnouncement", map[string]any{"id": a.ID, "at": at})
		ids = append(ids, a.ID)
	}
	clk.Advance(2 * time.Minute)

	var published atomic.Int64
	var wg sync.WaitGroup
	for _, env := range []*apitest.Env{o.env, other} {
		job := env.Main.Jobs.Announcements
		job.Batch = 4 // small claims, so that the two interleave
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k, err := job.RunOnce(t.Context())
				if err != nil {
					t.Errorf("run: %v", err)
					return
				}
				if k == 0 {
					return
				}
				published.Add(int64(k))
			}
		}()
	}
	wg.Wait()
	if got := published.Load(); got != n {
		t.Fatalf("the two processes published %d times, want %d", got, n)
	}
	for _, who := range []string{"sam", "eve"} {
		c := o.login(who)
		if got := c.AnnouncementIDs(""); len(got) != n {
			t.Fatalf("%s sees %d announcements, want %d", who, len(got), n)
		}
		in := subjectInbox(t, c)
		seen := map[string]bool{}
		for _, e := range in {
			if seen[e] {
				t.Fatalf("%s got %s twice", who, e)
			}
			seen[e] = true
		}
		if len(in) != n {
			t.Fatalf("%s has %d inbox entries, want %d", who, len(in), n)
		}
	}
	for _, id := range ids {
		if a := o.admin.GetAnnouncement(id); a.Status != "PUBLISHED" {
			t.Fatalf("%s is %s", id, a.Status)
		}
	}
}
