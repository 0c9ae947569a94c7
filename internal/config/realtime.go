package config

import "time"

// The defaults of Realtime and Messages. Defaults sets them; the packages
// that take these settings (gqlws, live, messaging, server) fall back to the
// same constants when given zero, so each value is stated here only.
const (
	DefaultInitTimeout    = 10 * time.Second
	DefaultKeepAlive      = 15 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultBuffer         = 16
	DefaultSlowSubscriber = 10 * time.Second
	DefaultSendRate       = 300
	DefaultSendBurst      = 600
)

// Realtime tunes live subscriptions; tests shorten them.
type Realtime struct {
	// InitTimeout is how long a websocket client may take to send
	// connection_init before the socket closes with 4408 (default 10s).
	InitTimeout time.Duration
	// KeepAlive is the interval of pings on websockets and SSE streams
	// (default 15s).
	KeepAlive time.Duration
	// WriteTimeout drops a client that cannot take one message in this time
	// (default 10s).
	WriteTimeout time.Duration
	// Buffer is how many events a subscription holds for a client that has
	// not read them yet (default 16). How long it may stay full is
	// Messages.SlowSubscriber.
	Buffer int
}
