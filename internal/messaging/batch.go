package messaging

import (
	"context"
	"sync"
	"time"
)

// batcher gathers calls that arrive together into one run: a message to a
// department wakes all its members' subscriptions at once, and each must
// re-check its viewer and read its new entries. Batched, that is a handful
// of queries per few hundred subscribers instead of several per subscriber.
// A call waits at most batchWait for company.
type batcher[Req, Res any] struct {
	run func(reqs []Req) ([]Res, []error)

	mu      sync.Mutex
	pending []call[Req, Res]
	timer   *time.Timer
}

const (
	batchWait = 2 * time.Millisecond
	batchMax  = 500
)

type call[Req, Res any] struct {
	req   Req
	reply chan result[Res]
}

type result[Res any] struct {
	res Res
	err error
}

func newBatcher[Req, Res any](run func([]Req) ([]Res, []error)) *batcher[Req, Res] {
	return &batcher[Req, Res]{run: run}
}

// do runs req with whatever else is asked about now.
func (b *batcher[Req, Res]) do(ctx context.Context, req Req) (Res, error) {
	reply := make(chan result[Res], 1)
	b.mu.Lock()
	b.pending = append(b.pending, call[Req, Res]{req: req, reply: reply})
	switch n := len(b.pending); {
	case n >= batchMax:
		calls := b.take()
		b.mu.Unlock()
		go b.exec(calls)
	case n == 1:
		b.timer = time.AfterFunc(batchWait, b.flush)
		b.mu.Unlock()
	default:
		b.mu.Unlock()
	}
	select {
	case r := <-reply:
		return r.res, r.err
	case <-ctx.Done():
		var zero Res
		return zero, ctx.Err()
	}
}

// take empties the pending batch; b.mu is held.
func (b *batcher[Req, Res]) take() []call[Req, Res] {
	calls := b.pending
	b.pending = nil
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	return calls
}

func (b *batcher[Req, Res]) flush() {
	b.mu.Lock()
	calls := b.take()
	b.mu.Unlock()
	if len(calls) > 0 {
		b.exec(calls)
	}
}

func (b *batcher[Req, Res]) exec(calls []call[Req, Res]) {
	reqs := make([]Req, len(calls))
	for i, c := range calls {
		reqs[i] = c.req
	}
	out, errs := b.run(reqs)
	for i, c := range calls {
		c.reply <- result[Res]{res: out[i], err: errs[i]}
	}
}
