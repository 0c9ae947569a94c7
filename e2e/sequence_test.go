package e2e

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// TestConcurrentSendsNumberEachInboxWithoutGapOrRepeat sends from several
// clients at once to overlapping audiences: every send succeeds (no
// deadlock, no lost update) and each inbox is numbered 1..n exactly.
func TestConcurrentSendsNumberEachInboxWithoutGapOrRepeat(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Everyone: true})
	senders := []*apitest.Client{o.env.AsApp("acme", id, secret), o.env.AsApp("acme", id, secret), o.admin, o.env.Admin(o.acme)}
	targets := []apitest.Range{
		{Members: []string{o.sam}},
		{Members: []string{o.eve, o.sam}},
		{Departments: []string{o.sales}},
		{Members: []string{o.eve}, Tags: []string{o.mgrTag}},
	}
	const perSender = 12
	var wg sync.WaitGroup
	errs := make(chan string, len(senders)*perSender)
	for i, c := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perSender {
				r := c.TrySend(apitest.Text(fmt.Sprint(i, j), targets[(i+j)%len(targets)]))
				if len(r.Errors) > 0 {
					errs <- fmt.Sprint(r.Errors)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error("a concurrent send failed:", e)
	}
	want := map[string]int{}
	for i := range senders {
		for j := range perSender {
			tg := targets[(i+j)%len(targets)]
			for _, who := range []string{"sam", "eve", "rita"} {
				hit := map[string]bool{
					"sam":  slices.Contains(tg.Members, o.sam) || len(tg.Departments) > 0,
					"eve":  slices.Contains(tg.Members, o.eve) || len(tg.Departments) > 0,
					"rita": len(tg.Tags) > 0,
				}
				if hit[who] {
					want[who]++
				}
			}
		}
	}
	for who, n := range want {
		c := o.login(who)
		var seqs []int
		var after any
		for {
			var out struct {
				Inbox struct {
					Edges    []struct{ Node struct{ Seq int } }
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			c.MustDo(`query($a: Cursor) { inbox(first: 100, after: $a) { edges { node { seq } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"a": after}, &out)
			for _, e := range out.Inbox.Edges {
				seqs = append(seqs, e.Node.Seq)
			}
			if !out.Inbox.PageInfo.HasNextPage {
				break
			}
			after = out.Inbox.PageInfo.EndCursor
		}
		if len(seqs) != n {
			t.Fatalf("%s has %d entries, want %d", who, len(seqs), n)
		}
		for i, s := range seqs {
			if s != n-i {
				t.Fatalf("%s's seqs are not %d..1 without gap or repeat: %v", who, n, seqs)
			}
		}
	}
}
