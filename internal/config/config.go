// Package config is corpline's configuration: one struct, filled from flags
// and CORPLINE_* environment variables (a flag wins over the environment).
// The README's configuration table lists the same settings.
package config

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

// Config is every setting of a corpline server.
type Config struct {
	Addr        string
	DatabaseURL string
	TokenTTL    time.Duration
	CORSOrigins []string
	TLSCert     string
	TLSKey      string
	GraphiQL    bool
	Dev         bool // field suggestions on, for development only
	Seed        bool // seed the demo enterprise into an empty database
	LogFormat   string
	// LoginFailures is how many failed logins one enterprise+login may make
	// per 15 minutes; one client address may make ten times as many.
	LoginFailures int
	// PublicURL is the address clients reach the server at, which invite
	// links start with; empty means http(s)://Addr once bound.
	PublicURL string
	// JobInterval is how often background jobs (callback outbox, trial
	// reclaim) look for work; 0 turns them off (tests run them by hand).
	JobInterval time.Duration

	Limits   Limits
	Realtime Realtime
	Messages Messages

	// Now is the server's clock for sessions, login limits, quotas, trials
	// and callbacks (nil: time.Now). It is no setting: tests set it to move
	// time forward.
	Now func() time.Time
}

// Messages tune delivery. Each is stated in the README.
type Messages struct {
	SendRate  float64 // sends a second per sender (app or member), sustained
	SendBurst int     // sends a sender may make at once
	// SlowSubscriber is how long a live subscriber's buffer may stay full
	// before it is closed as too far behind (it resumes by cursor).
	SlowSubscriber time.Duration
}

// Limits bound what one request may cost. Each is stated in the README.
type Limits struct {
	BodyBytes    int64 // request body size
	Depth        int   // selection depth
	Complexity   int   // gqlgen complexity
	ParserTokens int   // lexer tokens per document (CVE-2023-49559)
	Selections   int   // fields and fragments per document (validation is quadratic in them)
	Aliases      int   // aliased fields per operation
	PageSize     int   // first/last of a connection
}

// Defaults are the settings of `corpline` with no arguments.
func Defaults() Config {
	return Config{
		Addr:        "127.0.0.1:8080",
		DatabaseURL: "./corpline.db",
		TokenTTL:    30 * 24 * time.Hour,
		GraphiQL:    true,
		LogFormat:   "text",
		JobInterval: time.Second,
		// 10 failed logins per enterprise+login per 15 minutes.
		LoginFailures: 10,
		Limits: Limits{
			BodyBytes:    4 << 20, // a 10,000-row importMembers is about 2 MB
			Depth:        15,
			Complexity:   5000,
			ParserTokens: 15000,
			Selections:   500,
			Aliases:      30,
			PageSize:     100,
		},
		Realtime: Realtime{
			InitTimeout:  DefaultInitTimeout,
			KeepAlive:    DefaultKeepAlive,
			WriteTimeout: DefaultWriteTimeout,
			Buffer:       DefaultBuffer,
		},
		Messages: Messages{SendRate: DefaultSendRate, SendBurst: DefaultSendBurst, SlowSubscriber: DefaultSlowSubscriber},
	}
}

// Parse fills a Config from args and the environment.
func Parse(name string, args []string, getenv func(string) string) (Config, error) {
	c := Defaults()
	var origins string
	fs := flagSet(name, &c, &origins)
	// The environment first, so that flags parsed after override it.
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		key := "CORPLINE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(key); v != "" {
			if err := f.Value.Set(v); err != nil && envErr == nil {
				envErr = fmt.Errorf("%s: %w", key, err)
			}
		}
	})
	if envErr != nil {
		return c, envErr
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if origins != "" {
		for _, o := range strings.Split(origins, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.CORSOrigins = append(c.CORSOrigins, o)
			}
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return c, fmt.Errorf("--tls-cert and --tls-key go together")
	}
	return c, nil
}

// flagSet declares every setting as a flag of c. The README's configuration
// table lists the same flags, variables and defaults (a test compares them).
func flagSet(name string, c *Config, origins *string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address HOST:PORT (CORPLINE_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "postgres://..., sqlite://PATH or a file path (CORPLINE_DATABASE_URL)")
	fs.DurationVar(&c.TokenTTL, "token-ttl", c.TokenTTL, "session token lifetime (CORPLINE_TOKEN_TTL)")
	fs.StringVar(origins, "cors-origins", "", "comma-separated allowed browser origins (CORPLINE_CORS_ORIGINS)")
	fs.StringVar(&c.TLSCert, "tls-cert", "", "TLS certificate file (CORPLINE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", "", "TLS key file (CORPLINE_TLS_KEY)")
	fs.BoolVar(&c.GraphiQL, "graphiql", c.GraphiQL, "serve GraphiQL at / (CORPLINE_GRAPHIQL)")
	fs.BoolVar(&c.Dev, "dev", false, "development mode: field suggestions in errors (CORPLINE_DEV)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json (CORPLINE_LOG_FORMAT)")
	fs.IntVar(&c.LoginFailures, "login-failures", c.LoginFailures, "failed logins per enterprise+login per 15 minutes; ten times as many per client address (CORPLINE_LOGIN_FAILURES)")
	fs.Int64Var(&c.Limits.BodyBytes, "max-body-bytes", c.Limits.BodyBytes, "request body limit (CORPLINE_MAX_BODY_BYTES)")
	fs.IntVar(&c.Limits.Depth, "max-depth", c.Limits.Depth, "query depth limit (CORPLINE_MAX_DEPTH)")
	fs.IntVar(&c.Limits.Complexity, "max-complexity", c.Limits.Complexity, "query complexity limit (CORPLINE_MAX_COMPLEXITY)")
	fs.IntVar(&c.Limits.ParserTokens, "max-tokens", c.Limits.ParserTokens, "parser token limit (CORPLINE_MAX_TOKENS)")
	fs.IntVar(&c.Limits.Selections, "max-selections", c.Limits.Selections, "fields and fragments per document (CORPLINE_MAX_SELECTIONS)")
	fs.IntVar(&c.Limits.Aliases, "max-aliases", c.Limits.Aliases, "aliases per operation (CORPLINE_MAX_ALIASES)")
	fs.Float64Var(&c.Messages.SendRate, "send-rate", c.Messages.SendRate, "messages a second one sender (app or member) may send, sustained (CORPLINE_SEND_RATE)")
	fs.IntVar(&c.Messages.SendBurst, "send-burst", c.Messages.SendBurst, "messages one sender may send at once (CORPLINE_SEND_BURST)")
	fs.StringVar(&c.PublicURL, "public-url", "", "public base URL for invite links, e.g. https://corpline.example.com (CORPLINE_PUBLIC_URL)")
	fs.DurationVar(&c.JobInterval, "job-interval", c.JobInterval, "how often background jobs (callbacks, trial reclaim) run; 0 turns them off (CORPLINE_JOB_INTERVAL)")
	return fs
}
