package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/contrib/entgql"
)

// subscription is what each client follows: its inbox, with the message's
// text, as the mobile client shows it.
const subscription = `subscription($after: Cursor) { inbox(after: $after) {
	kind seq entry { message { id content { text } } } } }`

// beginning is the stream cursor before a member's first event; the seeded
// inboxes are empty, so it is "now" without the race of subscribing "from
// now" (a message sent before the subscription is live would be missed).
func beginning() string {
	var b bytes.Buffer
	entgql.Cursor[string]{ID: "inbox:0.0"}.MarshalGQL(&b)
	s, _ := strconv.Unquote(b.String())
	return s
}

// fanout: one message to a department of n members, each with an open
// websocket subscription on one server process.
func fanout(ctx context.Context, kind, pgURL string, n int) error {
	fmt.Printf("\n== fan-out on %s: one message to a department of %d members, %d websocket subscriptions on one process\n", kind, n, n)
	dbURL, drop, err := freshDatabase(kind, pgURL)
	if err != nil {
		return err
	}
	defer drop()
	start := time.Now()
	w, err := seed(ctx, dbURL, n)
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d members with sessions in %v\n", n, time.Since(start).Round(time.Millisecond))
	srv, err := startChild(dbURL)
	if err != nil {
		return err
	}
	defer srv.Stop()
	app, err := createApp(ctx, srv.URL, w)
	if err != nil {
		return err
	}
	// A first message to everyone, before anyone subscribes: a database in
	// use has rows and statistics, a fresh one neither.
	if err := sendToDepartment(ctx, srv.URL, app, w, "welcome", nil); err != nil {
		return err
	}
	if err := analyze(ctx, dbURL); err != nil {
		return err
	}
	// One subscription first, so that the baseline has paid for what every
	// server pays once (code paths, caches, pools).
	warm, err := dialSubscriber(ctx, srv.URL, w.Tokens[0], subscription, map[string]any{"after": nil},
		func(time.Time, json.RawMessage) {})
	if err != nil {
		return err
	}
	if err := waitSubscribers(ctx, srv, topicsPerSubscription); err != nil {
		return err
	}
	warm.Close()
	base, err := srv.Mem(true)
	if err != nil {
		return err
	}

	recv := make([]atomic.Int64, n)
	var got atomic.Int64
	all := make(chan struct{})
	start = time.Now()
	subs, err := dialAll(ctx, n, func(ctx context.Context, i int) (*subscriber, error) {
		// From now: once the server follows the bus for it (waitSubscribers),
		// its starting point is read, so the message below cannot be missed.
		return dialSubscriber(ctx, srv.URL, w.Tokens[i], subscription, map[string]any{"after": nil},
			func(at time.Time, payload json.RawMessage) {
				if !isNew(payload) { // the SYNC that starts a subscription from now
					return
				}
				if recv[i].CompareAndSwap(0, at.UnixNano()) && got.Add(1) == int64(n) {
					close(all)
				}
			})
	})
	if err != nil {
		return err
	}
	defer closeAll(subs)
	if err := waitSubscribers(ctx, srv, topicsPerSubscription*n); err != nil {
		return err
	}
	fmt.Printf("opened %d subscriptions in %v\n", n, time.Since(start).Round(time.Millisecond))
	idle, err := srv.Mem(true)
	if err != nil {
		return err
	}
	if err := srv.profile(profileDir, "heap", kind+"-fanout-idle.heap", 0); err != nil {
		return err
	}
	cpu := make(chan error, 1)
	if profileDir != "" {
		go func() {
			if os.Getenv("BENCH_TRACE") != "" {
				cpu <- srv.profile(profileDir, "trace", kind+"-fanout.trace", 3)
				return
			}
			cpu <- srv.profile(profileDir, "profile", kind+"-fanout.cpu", 5)
		}()
		f, err := os.Create(filepath.Join(profileDir, kind+"-fanout-clients.cpu"))
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
		time.Sleep(100 * time.Millisecond)
	} else {
		cpu <- nil
	}

	t0 := time.Now()
	var recipients int
	if err := sendToDepartment(ctx, srv.URL, app, w, "all hands at 3pm", &recipients); err != nil {
		return err
	}
	sendTook := time.Since(t0)
	select {
	case <-all:
	case <-time.After(2 * time.Minute):
	case <-ctx.Done():
		return ctx.Err()
	}
	var lat []time.Duration
	var last time.Duration
	for i := range recv {
		if at := recv[i].Load(); at != 0 {
			d := time.Duration(at - t0.UnixNano())
			lat = append(lat, d)
			last = max(last, d)
		}
	}
	end, err := srv.Mem(false)
	if err != nil {
		return err
	}
	if err := <-cpu; err != nil {
		return err
	}
	fmt.Printf("send request (writes %d inbox entries): %s\n", recipients, ms(sendTook))
	fmt.Printf("delivered to %d of %d; send to last delivery: %s\n", len(lat), n, ms(last))
	fmt.Printf("per recipient, send to delivery: first %s, p10 %s, p50 %s, p90 %s, p99 %s\n", ms(percentile(lat, 0)),
		ms(percentile(lat, 10)), ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99)))
	fmt.Printf("server memory: peak RSS %s; RSS %s before the subscriptions, %s with %d idle ones\n",
		mib(end.PeakRSS), mib(base.RSS), mib(idle.RSS), n)
	fmt.Printf("per idle subscription (websocket + subscription): %s of RSS; Go heap %s, stacks %s (%d goroutines for %d subscriptions)\n",
		kib(float64(idle.RSS-base.RSS)/float64(n)),
		kib(float64(idle.HeapInuse-base.HeapInuse)/float64(n)), kib(float64(idle.StackInuse-base.StackInuse)/float64(n)),
		idle.Goroutines-base.Goroutines, n)
	return nil
}

// steady: rate messages a second, each to one recipient, among n
// subscribers; the sender talks to process a, the subscribers to process b
// (the same one unless two is set).
func steady(ctx context.Context, kind, pgURL string, n, rate int, d time.Duration, two bool) error {
	where := "one process"
	if two {
		where = "two processes (sender on one, subscribers on the other)"
	}
	fmt.Printf("\n== steady load on %s, %s: %d messages/s to single recipients among %d subscribers, for %v\n",
		kind, where, rate, n, d)
	dbURL, drop, err := freshDatabase(kind, pgURL)
	if err != nil {
		return err
	}
	defer drop()
	w, err := seed(ctx, dbURL, n)
	if err != nil {
		return err
	}
	a, err := startChild(dbURL)
	if err != nil {
		return err
	}
	defer a.Stop()
	b := a
	if two {
		if b, err = startChild(dbURL); err != nil {
			return err
		}
		defer b.Stop()
	}
	app, err := createApp(ctx, a.URL, w)
	if err != nil {
		return err
	}

	total := rate * int(d/time.Second)
	sentAt := make([]atomic.Int64, total)
	lat := make([]atomic.Int64, total)
	var got atomic.Int64
	all := make(chan struct{})
	subs, err := dialAll(ctx, n, func(ctx context.Context, i int) (*subscriber, error) {
		return dialSubscriber(ctx, b.URL, w.Tokens[i], subscription, map[string]any{"after": beginning()},
			func(at time.Time, payload json.RawMessage) {
				id, ok := messageNumber(payload)
				if !ok || id >= total || sentAt[id].Load() == 0 {
					return
				}
				if lat[id].CompareAndSwap(0, at.UnixNano()-sentAt[id].Load()) && got.Add(1) == int64(total) {
					close(all)
				}
			})
	})
	if err != nil {
		return err
	}
	defer closeAll(subs)
	if err := waitSubscribers(ctx, b, topicsPerSubscription*n); err != nil {
		return err
	}

	var sendMu sync.Mutex
	var sendLat []time.Duration
	var failed atomic.Int64
	sem := make(chan struct{}, 64)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range total {
		<-tick.C
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			to := w.MemberIDs[rand.IntN(n)]
			t := time.Now()
			sentAt[i].Store(t.UnixNano())
			err := gql(ctx, a.URL, app, `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
				map[string]any{"in": map[string]any{"kind": "TEXT", "content": map[string]any{"text": fmt.Sprint("#", i)},
					"targets": map[string]any{"memberIds": []string{to}}}}, nil)
			if err != nil {
				if failed.Add(1) == 1 {
					fmt.Println("send failed:", err)
				}
				return
			}
			sendMu.Lock()
			sendLat = append(sendLat, time.Since(t))
			sendMu.Unlock()
		}()
	}
	wg.Wait()
	sending := time.Since(start)
	select {
	case <-all:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
		return ctx.Err()
	}
	var ds []time.Duration
	for i := range lat {
		if l := lat[i].Load(); l != 0 {
			ds = append(ds, time.Duration(l))
		}
	}
	fmt.Printf("sent %d in %v (%.0f/s), %d failed; send request p50 %s, p99 %s\n", total, sending.Round(time.Millisecond),
		float64(total)/sending.Seconds(), failed.Load(), ms(percentile(sendLat, 50)), ms(percentile(sendLat, 99)))
	fmt.Printf("delivered %d of %d; send to delivery: p50 %s, p99 %s, max %s\n",
		len(ds), total, ms(percentile(ds, 50)), ms(percentile(ds, 99)), ms(percentile(ds, 100)))
	return nil
}

// messageNumber reads "#<n>" from a next payload.
func messageNumber(payload json.RawMessage) (int, bool) {
	var r struct {
		Data struct {
			Inbox struct {
				Entry *struct {
					Message struct {
						Content *struct{ Text string }
					}
				}
			}
		}
	}
	if json.Unmarshal(payload, &r) != nil || r.Data.Inbox.Entry == nil || r.Data.Inbox.Entry.Message.Content == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(r.Data.Inbox.Entry.Message.Content.Text, "#"))
	return n, err == nil
}

// topicsPerSubscription is how many bus topics one inbox subscription
// follows: its member's and its enterprise's (access), its inbox (data).
const topicsPerSubscription = 3

// waitSubscribers waits until the server's bus has n subscriptions.
func waitSubscribers(ctx context.Context, c *child, n int) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		m, err := c.Mem(false)
		if err != nil {
			return err
		}
		if m.BusSubscribers >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d bus subscriptions after 2 minutes", m.BusSubscribers, n)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// sendToDepartment sends text to the seeded department as the app.
func sendToDepartment(ctx context.Context, url, app string, w *world, text string, recipients *int) error {
	var sent struct {
		SendMessage struct{ RecipientCount int }
	}
	err := gql(ctx, url, app, `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
		map[string]any{"in": map[string]any{"kind": "TEXT", "content": map[string]any{"text": text},
			"targets": map[string]any{"departmentIds": []string{w.DeptID}}}}, &sent)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	if recipients != nil {
		*recipients = sent.SendMessage.RecipientCount
	}
	return nil
}

// isNew tells a NEW event from the others (SYNC) in a next payload.
func isNew(payload json.RawMessage) bool {
	var r struct {
		Data struct{ Inbox struct{ Kind string } }
	}
	return json.Unmarshal(payload, &r) == nil && r.Data.Inbox.Kind == "NEW"
}
