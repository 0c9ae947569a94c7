package realtime

import (
	"context"
	"sync"
)

// Local is the in-process Bus, for SQLite and tests: one process, no network.
type Local struct {
	mu   sync.Mutex
	subs map[string]map[*wakeFunc]struct{}
}

// wakeFunc is one subscription; a pointer, so that equal funcs stay apart.
type wakeFunc struct{ f func() }

// NewLocal returns an empty in-process bus.
func NewLocal() *Local { return &Local{subs: map[string]map[*wakeFunc]struct{}{}} }

// Publish wakes the subscribers of topics without ever blocking.
func (b *Local) Publish(_ context.Context, topics ...string) error {
	var wake []*wakeFunc
	b.mu.Lock()
	for _, t := range topics {
		for w := range b.subs[t] {
			wake = append(wake, w)
		}
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
	if b.subs[topic] == nil {
		b.subs[topic] = map[*wakeFunc]struct{}{}
	}
	b.subs[topic][w] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs[topic], w)
			if len(b.subs[topic]) == 0 {
				delete(b.subs, topic)
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
		for w := range subs {
			wake = append(wake, w)
		}
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
