package auth

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// ViewerCacheTTL bounds how long a cached viewer is served without going
// back to the database, should a wake-up ever be lost.
const ViewerCacheTTL = 30 * time.Second

// viewerCacheSize bounds the number of cached tokens per process.
const viewerCacheSize = 50000

// viewerCache keeps the viewers of member session tokens, by token hash, so
// that a warm request learns who is calling without a statement.
//
// It is only as fresh as the wake-ups: every change to what a viewer is
// built from, or to a session, publishes bus.MemberTopic of the member
// or bus.EnterpriseTopic of the enterprise after it commits (disable,
// enable, delete, transfer, tags, admin roles, logout, approval, reclaim,
// directory visibility, a department moved). The cache follows those topics
// for every member and enterprise it holds, on every process (the
// PostgreSQL bus carries them across processes, and wakes everything after
// its listener reconnects), and drops their entries when woken. A session's
// expiry is checked on every hit, and every entry is dropped after
// ViewerCacheTTL whatever happens.
//
// A fill must not outlive a change that committed while it read: entries
// are only stored while the member's and the enterprise's topics were
// followed from before the read began and have not been woken since (see
// Service.authenticateMember).
type viewerCache struct {
	sub bus.Subscriber
	ttl time.Duration

	mu      sync.Mutex
	tokens  map[[sha256.Size]byte]*cachedViewer
	watches map[string]*watch // by topic
	// epoch moves whenever a watch starts or is woken: a fill that saw it
	// unchanged across its read knows its watches were there all along.
	epoch uint64
}

type cachedViewer struct {
	v                  *viewer.Viewer
	sessionExpires     time.Time
	until              time.Time
	member, enterprise *watch
}

// watch follows one topic for the entries that depend on it.
type watch struct {
	topic  string
	gen    uint64 // woken this many times
	tokens map[[sha256.Size]byte]struct{}
	pins   int // fills in flight that rely on it
	cancel func()
}

func newViewerCache(sub bus.Subscriber, ttl time.Duration) *viewerCache {
	return &viewerCache{sub: sub, ttl: ttl, tokens: map[[sha256.Size]byte]*cachedViewer{}, watches: map[string]*watch{}}
}

// watching counts the topics the cache follows.
func (c *viewerCache) watching() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.watches)
}

// get returns a copy of the cached viewer of h, if it is still good at now.
func (c *viewerCache) get(h [sha256.Size]byte, now time.Time) (*viewer.Viewer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.tokens[h]
	if e == nil {
		return nil, false
	}
	if !now.Before(e.until) || !now.Before(e.sessionExpires) {
		c.remove(h)
		return nil, false
	}
	v := *e.v
	return &v, true
}

// fill is a read in progress: where the cache stood when it began.
type fill struct {
	epoch              uint64
	member, enterprise *watch
	gens               [2]uint64
}

// begin marks the start of a read.
func (c *viewerCache) begin() fill {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fill{epoch: c.epoch}
}

// settle decides whether what a read found may be stored. When the member's
// and the enterprise's topics were followed since before the read and
// nothing was woken, it stores the viewer and returns true. Otherwise it
// starts following them, pins them and returns false: the caller reads
// again and calls put with the fill.
func (c *viewerCache) settle(f *fill, h [sha256.Size]byte, v *viewer.Viewer, expires, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, e := c.watches[bus.MemberTopic(v.MemberID)], c.watches[bus.EnterpriseTopic(v.EnterpriseID)]
	if m != nil && e != nil && c.epoch == f.epoch {
		c.store(h, v, expires, now, m, e)
		return true
	}
	f.member, f.enterprise = c.follow(bus.MemberTopic(v.MemberID)), c.follow(bus.EnterpriseTopic(v.EnterpriseID))
	f.member.pins++
	f.enterprise.pins++
	f.gens = [2]uint64{f.member.gen, f.enterprise.gen}
	return false
}

// put stores what the second read of a fill found, unless a topic it
// depends on was woken meanwhile, and unpins the fill's watches.
func (c *viewerCache) put(f fill, h [sha256.Size]byte, v *viewer.Viewer, expires, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.member.pins--
	f.enterprise.pins--
	if v != nil && f.member.gen == f.gens[0] && f.enterprise.gen == f.gens[1] &&
		f.member.topic == bus.MemberTopic(v.MemberID) && f.enterprise.topic == bus.EnterpriseTopic(v.EnterpriseID) {
		c.store(h, v, expires, now, f.member, f.enterprise)
	}
	c.release(f.member)
	c.release(f.enterprise)
}

// abandon unpins a fill whose second read failed.
func (c *viewerCache) abandon(f fill) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.member.pins--
	f.enterprise.pins--
	c.release(f.member)
	c.release(f.enterprise)
}

func (c *viewerCache) store(h [sha256.Size]byte, v *viewer.Viewer, expires, now time.Time, m, e *watch) {
	if old := c.tokens[h]; old != nil {
		c.remove(h)
	}
	if len(c.tokens) >= viewerCacheSize {
		c.shed(now)
	}
	c.tokens[h] = &cachedViewer{v: v, sessionExpires: expires, until: now.Add(c.ttl), member: m, enterprise: e}
	m.tokens[h] = struct{}{}
	e.tokens[h] = struct{}{}
}

// shed makes room: expired entries first, then any tenth of the rest.
func (c *viewerCache) shed(now time.Time) {
	n := 0
	for h, e := range c.tokens {
		if !now.Before(e.until) || !now.Before(e.sessionExpires) {
			c.remove(h)
		} else if n < viewerCacheSize/10 {
			c.remove(h)
			n++
		}
	}
}

// follow returns the watch of topic, subscribing when there is none.
// Subscribing under c.mu is safe: the bus calls wake-ups without its own
// lock held.
func (c *viewerCache) follow(topic string) *watch {
	if w := c.watches[topic]; w != nil {
		return w
	}
	w := &watch{topic: topic, tokens: map[[sha256.Size]byte]struct{}{}}
	c.watches[topic] = w
	c.epoch++
	w.cancel = c.sub.SubscribeFunc(topic, func() { c.woken(w) })
	return w
}

// woken drops every entry that depends on w's topic.
func (c *viewerCache) woken(w *watch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w.gen++
	c.epoch++
	for h := range w.tokens {
		c.remove(h)
	}
	c.release(w)
}

func (c *viewerCache) remove(h [sha256.Size]byte) {
	e := c.tokens[h]
	if e == nil {
		return
	}
	delete(c.tokens, h)
	delete(e.member.tokens, h)
	delete(e.enterprise.tokens, h)
	c.release(e.member)
	c.release(e.enterprise)
}

// release stops following a topic nothing depends on any more.
func (c *viewerCache) release(w *watch) {
	if len(w.tokens) > 0 || w.pins > 0 || c.watches[w.topic] != w {
		return
	}
	delete(c.watches, w.topic)
	w.cancel()
}
