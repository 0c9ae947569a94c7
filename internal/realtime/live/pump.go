package live

import (
	"context"
	"sync"
)

// Pump lets a transport hand the delivery of a live stream to the stream
// itself. Without it, each subscription keeps a goroutine waiting on its
// channel (gqlgen's model: the transport pulls responses); with it, a
// goroutine delivers only while there are events, so an idle subscription
// holds none: 8 KiB less each, 80 MB for 10,000.
//
// The transport puts a Pump in the operation's context (NewPump) before it
// dispatches it; Run claims it; the transport then gives it the function
// that pulls and sends one response (Serve) and stops waiting itself.
type Pump struct {
	mu      sync.Mutex
	ready   func() bool // the stream has an event, or has ended
	pull    func() bool // delivers one response; false once there are no more
	running bool
	over    bool
}

type pumpKey struct{}

// NewPump returns ctx with a Pump for the operation about to run in it.
func NewPump(ctx context.Context) (context.Context, interface {
	Claimed() bool
	Serve(pull func() bool)
}) {
	p := &Pump{}
	return context.WithValue(ctx, pumpKey{}, p), p
}

func pumpOf(ctx context.Context) *Pump {
	p, _ := ctx.Value(pumpKey{}).(*Pump)
	return p
}

// claim makes the stream the pump's source.
func (p *Pump) claim(ready func() bool) {
	p.mu.Lock()
	p.ready = ready
	p.mu.Unlock()
}

// Claimed reports whether a live stream took the operation over.
func (p *Pump) Claimed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ready != nil
}

// Serve gives the pump the transport's delivery of one response.
func (p *Pump) Serve(pull func() bool) {
	p.mu.Lock()
	p.pull = pull
	p.mu.Unlock()
	p.kick() // what the stream queued meanwhile
}

// kick starts a delivering goroutine unless one runs: the stream calls it
// after each event it queues, and once it has ended.
func (p *Pump) kick() {
	p.mu.Lock()
	if p.over || p.running || p.pull == nil {
		p.mu.Unlock()
		return
	}
	p.running = true
	p.mu.Unlock()
	go p.run()
}

// run delivers while the stream has something; the check and the stop are
// one step under the lock, so a kick after it starts a new run.
func (p *Pump) run() {
	for {
		p.mu.Lock()
		if !p.ready() {
			p.running = false
			p.mu.Unlock()
			return
		}
		pull := p.pull
		p.mu.Unlock()
		if !pull() {
			p.mu.Lock()
			p.over, p.running = true, false
			p.mu.Unlock()
			return
		}
	}
}
