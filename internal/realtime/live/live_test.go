package live_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/viewer"
)

// feed is a member's event log, as a table read by cursor would be.
type feed struct {
	mu     sync.Mutex
	events []int // the event numbered n is events[n-1]
}

func (f *feed) add(b bus.Bus, member string, n int) {
	f.mu.Lock()
	for range n {
		f.events = append(f.events, len(f.events)+1)
	}
	f.mu.Unlock()
	b.Publish(context.Background(), bus.MemberTopic(member))
}

// source reads the feed after cursor after.
func (f *feed) source(after int) live.Source[int] {
	pos := after
	return live.Source[int]{
		After: strconv.Itoa(after),
		Fetch: func(_ context.Context, limit int) ([]int, bool, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			end := min(pos+limit, len(f.events))
			out := append([]int(nil), f.events[pos:end]...)
			pos = end
			return out, len(out) == limit, nil
		},
		Cursor: strconv.Itoa,
	}
}

// subscription is what gqlgen gives a subscription resolver: an operation
// context with the live extension's end record, and a viewer.
func subscription(t *testing.T, member string) (context.Context, context.CancelFunc) {
	t.Helper()
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
		Operation: &ast.OperationDefinition{Operation: ast.Subscription,
			SelectionSet: ast.SelectionSet{&ast.Field{Alias: "inbox", Name: "inbox"}}},
	})
	live.Extension{}.InterceptOperation(ctx, func(c context.Context) graphql.ResponseHandler {
		ctx = c
		return nil
	})
	ctx = viewer.NewContext(ctx, &viewer.Viewer{Kind: viewer.KindMember, EnterpriseID: "ent_1", MemberID: member})
	return context.WithCancel(ctx)
}

// lastResponse is what the client is sent once the stream's channel closed.
func lastResponse(ctx context.Context) *graphql.Response {
	present := func(_ context.Context, err error) *gqlerror.Error {
		ext := map[string]any{"code": string(apperr.CodeOf(err))}
		var ae *apperr.Error
		if errors.As(err, &ae) {
			for k, v := range ae.Extra {
				ext[k] = v
			}
			if ae.Reason != "" {
				ext["reason"] = string(ae.Reason)
			}
		}
		return &gqlerror.Error{Message: err.Error(), Extensions: ext}
	}
	ctx = graphql.WithResponseContext(ctx, present, nil)
	return live.Extension{}.InterceptResponse(ctx, func(context.Context) *graphql.Response { return nil })
}

func hub(b bus.Subscriber, o live.Options, recheck func(*viewer.Viewer) error) *live.Hub {
	return &live.Hub{Subscriber: b, Options: o, Recheck: func(_ context.Context, v *viewer.Viewer) (*viewer.Viewer, error) {
		if recheck != nil {
			if err := recheck(v); err != nil {
				return nil, err
			}
		}
		return v, nil
	}}
}

func receive(t *testing.T, ch <-chan int, want ...int) {
	t.Helper()
	for _, w := range want {
		select {
		case got, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended, want event %d", w)
			}
			if got != w {
				t.Fatalf("got event %d, want %d", got, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no event %d within 10s", w)
		}
	}
}

func ended(t *testing.T, ch <-chan int) {
	t.Helper()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("stream did not end within 10s")
		}
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestAStreamReplaysAfterItsCursorThenFollowsLiveWithoutGapOrDuplicate(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	f.add(b, "mem_a", 250) // more than two pages
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	ch, err := live.Run(ctx, hub(b, live.Options{}, nil), f.source(20))
	if err != nil {
		t.Fatal(err)
	}
	receive(t, ch, seq(21, 250)...)
	for round := range 5 {
		f.add(b, "mem_a", round+1)
	}
	receive(t, ch, seq(251, 265)...)
	cancel()
	ended(t, ch)
	if resp := lastResponse(ctx); resp != nil {
		t.Fatalf("a stream the client left sends nothing more, got %+v", resp)
	}
}

func TestAClientTooFarBehindIsEndedWithTheCursorToResumeFrom(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	ch, err := live.Run(ctx, hub(b, live.Options{Buffer: 4, Stall: 20 * time.Millisecond}, nil), f.source(0))
	if err != nil {
		t.Fatal(err)
	}
	f.add(b, "mem_a", 10) // the client reads nothing meanwhile
	// The stream fills the buffer, waits Stall for the client, and ends: it
	// leaves the bus then.
	deadline := time.Now().Add(10 * time.Second)
	for b.Subscribers() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the stream did not give up on the client")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The client still gets what was buffered, then the reason with the
	// cursor of the last of it.
	receive(t, ch, 1, 2, 3, 4)
	ended(t, ch)
	resp := lastResponse(ctx)
	if resp == nil || len(resp.Errors) != 1 {
		t.Fatalf("last response = %+v", resp)
	}
	if e := resp.Errors[0]; e.Extensions["code"] != "RATE_LIMITED" || e.Extensions["reason"] != "SLOW_CONSUMER" || e.Extensions["cursor"] != "4" {
		t.Fatalf("error = %+v", e)
	}
	if live.Revoked(ctx) {
		t.Fatal("a slow client is not a revoked one")
	}
}

func TestASlowClientHoldsBackNobodyElse(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	h := hub(b, live.Options{Buffer: 1, Stall: time.Minute}, nil)
	slowCtx, cancelSlow := subscription(t, "mem_a")
	defer cancelSlow()
	slow, err := live.Run(slowCtx, h, f.source(0))
	if err != nil {
		t.Fatal(err)
	}
	fastCtx, cancelFast := subscription(t, "mem_a")
	defer cancelFast()
	fast, err := live.Run(fastCtx, h, f.source(0))
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		f.add(b, "mem_a", 2)
	}
	receive(t, fast, seq(1, 100)...)
	receive(t, slow, 1) // still there, at its own pace
	cancelSlow()
	cancelFast()
	ended(t, slow)
	ended(t, fast)
}

func TestAViewerWhoLosesAccessIsCutOffAtTheNextWakeUpEvenWhenBehind(t *testing.T) {
	for _, tc := range []struct {
		behind bool
		code   apperr.Code
	}{{false, apperr.Unauthenticated}, {true, apperr.Unauthenticated}, {false, apperr.Forbidden}} {
		behind := tc.behind
		t.Run(fmt.Sprint("behind=", behind, ",", tc.code), func(t *testing.T) {
			apitest.CheckGoroutineLeaks(t)
			b := bus.NewLocal()
			f := &feed{}
			var disabled atomic.Bool
			h := hub(b, live.Options{Buffer: 1, Stall: time.Minute}, func(*viewer.Viewer) error {
				if disabled.Load() {
					return apperr.E(tc.code, "this member can no longer sign in")
				}
				return nil
			})
			ctx, cancel := subscription(t, "mem_a")
			defer cancel()
			ch, err := live.Run(ctx, h, f.source(0))
			if err != nil {
				t.Fatal(err)
			}
			f.add(b, "mem_a", 1)
			receive(t, ch, 1)
			if behind {
				f.add(b, "mem_a", 5) // fills the buffer: the stream waits on the client
			}
			disabled.Store(true)
			b.Publish(context.Background(), bus.MemberTopic("mem_a"))
			ended(t, ch)
			if !live.Revoked(ctx) {
				t.Fatal("Revoked = false, want true")
			}
			resp := lastResponse(ctx)
			if resp == nil || len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != string(tc.code) ||
				resp.Errors[0].Path.String() != "inbox" {
				t.Fatalf("last response = %+v", resp)
			}
		})
	}
}

func TestAStreamForAViewerNoLongerValidIsRefusedAtOnce(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	h := hub(b, live.Options{}, func(*viewer.Viewer) error { return apperr.ErrUnauthenticated })
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	if _, err := live.Run(ctx, h, (&feed{}).source(0)); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Fatalf("err = %v", err)
	}
	if n := b.Subscribers(); n != 0 {
		t.Fatalf("%d bus subscriptions left behind", n)
	}
}

func TestAnIdleSubscriptionHoldsNoGoroutine(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	f.add(b, "mem_a", 3)
	h := hub(b, live.Options{}, nil)
	var chans []<-chan int
	for range 100 {
		ctx, cancel := subscription(t, "mem_a")
		defer cancel()
		ch, err := live.Run(ctx, h, f.source(0))
		if err != nil {
			t.Fatal(err)
		}
		receive(t, ch, 1, 2, 3)
		chans = append(chans, ch)
	}
	deadline := time.Now().Add(10 * time.Second)
	for workers() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d stream goroutines while every subscription is idle", workers())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A wake-up still reaches every one of them.
	f.add(b, "mem_a", 1)
	for _, ch := range chans {
		receive(t, ch, 4)
	}
}

// workers counts the goroutines of package live's streams.
func workers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "live.(*stream[...]).work")
}

func TestAQuietSubscriptionRechecksByItself(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	var expired atomic.Bool
	h := hub(b, live.Options{Quiet: 20 * time.Millisecond}, func(*viewer.Viewer) error {
		if expired.Load() {
			return apperr.E(apperr.Unauthenticated, "the session has ended; sign in again")
		}
		return nil
	})
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	ch, err := live.Run(ctx, h, (&feed{}).source(0))
	if err != nil {
		t.Fatal(err)
	}
	expired.Store(true) // nothing is published: the session just ends
	ended(t, ch)
	if !live.Revoked(ctx) {
		t.Fatal("Revoked = false")
	}
}

func TestAStreamClosedInBandEndsWithItsOwnEventRightAfterWhatTheClientGot(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	src := f.source(0)
	var reason error
	src.Closed = func(err error) int { reason = err; return -1 }
	ch, err := live.Run(ctx, hub(b, live.Options{Buffer: 4, Stall: 20 * time.Millisecond}, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	f.add(b, "mem_a", 1)
	receive(t, ch, 1)
	f.add(b, "mem_a", 10) // the client reads nothing meanwhile
	deadline := time.Now().Add(10 * time.Second)
	for b.Subscribers() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the stream did not give up on the client")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The buffered events made way: the closing event follows event 1, the
	// last the client got, and it resumes from there.
	receive(t, ch, -1)
	ended(t, ch)
	if apperr.ReasonOf(reason) != string(apperr.SlowConsumer) {
		t.Fatalf("reason = %v", reason)
	}
	if resp := lastResponse(ctx); resp != nil {
		t.Fatalf("an in-band close sends no error response, got %+v", resp)
	}
}

func TestDataWakeUpsReadWithoutRecheckingAndAccessWakeUpsRecheck(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	b := bus.NewLocal()
	f := &feed{}
	var checks atomic.Int64
	h := hub(b, live.Options{}, func(*viewer.Viewer) error { checks.Add(1); return nil })
	ctx, cancel := subscription(t, "mem_a")
	defer cancel()
	src := f.source(0)
	src.Topics = []string{bus.InboxTopic("mem_a")}
	ch, err := live.Run(ctx, h, src)
	if err != nil {
		t.Fatal(err)
	}
	atStart := checks.Load()
	for i := range 20 {
		f.mu.Lock()
		f.events = append(f.events, len(f.events)+1)
		f.mu.Unlock()
		b.Publish(context.Background(), bus.InboxTopic("mem_a"))
		receive(t, ch, i+1)
	}
	if n := checks.Load() - atStart; n != 0 {
		t.Fatalf("%d re-checks for 20 data wake-ups, want none", n)
	}
	b.Publish(context.Background(), bus.MemberTopic("mem_a"))
	deadline := time.Now().Add(10 * time.Second)
	for checks.Load() == atStart {
		if time.Now().After(deadline) {
			t.Fatal("an access wake-up did not re-check the viewer")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
