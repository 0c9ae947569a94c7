package config

import "time"

// Realtime tunes live subscriptions. Zero values take the defaults of
// package gqlws and package live; tests shorten them.
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
	// not read them yet (default 64).
	Buffer int
	// Stall is how long a subscription waits for a client with a full buffer
	// before ending it with SLOW_CONSUMER; the client resumes by cursor
	// (default 5s).
	Stall time.Duration
}
