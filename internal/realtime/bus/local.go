package bus

import (
	"context"
	"slices"
	"sync"
)

// Local is the in-process Bus, for SQLite and tests: one process, no network.
type Local struct {
	mu sync.Mutex
	// subs holds each topic's subscribers; most topics (a member's) have
	// one or two, for which a slice is a fraction of a map's size.
	subs map[string][]*wakeFunc
}

// wakeFunc is one subscription; a pointer, so that equal funcs stay apart.
type wakeFunc struct{ f func() }

// NewLocal returns an empty in-process bus.
func NewLocal() *Local { return &Local{subs: map[string][]*wakeFunc{}} }

// Publish wakes the subscribers of topics without ever blocking.
func (b *Local) Publish(_ context.Context, topics ...string) error {
	var wake []*wakeFunc
	b.mu.Lock()
	for _, t := range topics {
		wake = append(wake, b.subs[t]...)
	}
	b.mu.Unlock()
	for _, w := range wake {
		w.f()
	}
	return nil
}

// Subscribe follows topic until the returned cancel is called: a
// subscriber that has not consumed its last wake-up already has one pending.
func (b *Local) Subscribe(topic string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	return ch, b.SubscribeFunc(topic, func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	})
}

// SubscribeFunc calls wake after each publish of topic until the returned
// cancel is called. wake must return at once (it runs in the publisher's
// goroutine); it is how an idle subscription waits without a goroutine.
func (b *Local) SubscribeFunc(topic string, wake func()) func() {
	w := &wakeFunc{f: wake}
	b.mu.Lock()
	b.subs[topic] = append(b.subs[topic], w)
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			subs := b.subs[topic]
			if i := slices.Index(subs, w); i >= 0 {
				subs = slices.Delete(subs, i, i+1)
			}
			if len(subs) == 0 {
				delete(b.subs, topic)
			} else {
				b.subs[topic] = subs
			}
			b.mu.Unlock()
		})
	}
}

// WakeAll wakes every subscriber of every topic. The PostgreSQL bus calls it
// after its listener reconnects: notifications sent while it was away are
// lost, so every subscriber re-reads the database from its cursor.
func (b *Local) WakeAll() {
	var wake []*wakeFunc
	b.mu.Lock()
	for _, subs := range b.subs {
		wake = append(wake, subs...)
	}
	b.mu.Unlock()
	for _, w := range wake {
		w.f()
	}
}

// Subscribers counts the open subscriptions, for tests and metrics.
func (b *Local) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, subs := range b.subs {
		n += len(subs)
	}
	return n
}
