// Package store opens corpline's database: PostgreSQL through lib/pq in
// production, or an embedded SQLite file (modernc.org/sqlite, pure Go).
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"  // registers "postgres"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/corpline/corpline/ent"
	_ "github.com/corpline/corpline/ent/runtime" // policies and hooks
)

// DB is an open database with its ent client.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	// URL is the PostgreSQL URL, for listeners that need their own connection.
	URL string
}

// Pool sizes: with database/sql's default of 2 idle connections, 50
// concurrent clients on PostgreSQL mostly opened new connections (about 330
// requests/s); with 16 open and 16 idle it served about 2,200.
const (
	pgMaxOpen = 16
	pgMaxIdle = 16
)

// Option changes how Open builds the database's ent client.
type Option func(*options)

type options struct {
	wrap func(dialect.Driver) dialect.Driver
}

// WrapDriver puts w around the driver the ent client sends statements
// through (tests count them that way).
func WrapDriver(w func(dialect.Driver) dialect.Driver) Option {
	return func(o *options) { o.wrap = w }
}

// Open opens the database at rawURL: postgres://..., sqlite://PATH, or a bare file path.
func Open(rawURL string, opts ...Option) (*DB, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://") {
		db, err := sql.Open("postgres", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(pgMaxOpen)
		db.SetMaxIdleConns(pgMaxIdle)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return wrap(db, dialect.Postgres, rawURL, o), nil
	}
	dsn, err := sqliteDSN(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// SQLite has one writer; a small pool with a busy timeout queues writers
	// instead of failing them with SQLITE_BUSY.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return wrap(db, dialect.SQLite, "", o), nil
}

func wrap(db *sql.DB, dia, u string, o options) *DB {
	var drv dialect.Driver = entsql.OpenDB(dia, db)
	if dia == dialect.Postgres {
		drv = newStmtDriver(drv.(*entsql.Driver), db)
	}
	if o.wrap != nil {
		drv = o.wrap(drv)
	}
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: db, Dialect: dia, URL: u}
}

// sqliteDSN turns sqlite://PATH or a bare path into a modernc DSN with
// foreign keys (ent refuses to migrate without them), WAL and a busy timeout.
func sqliteDSN(raw string) (string, error) {
	path := strings.TrimPrefix(raw, "sqlite://")
	if path == "" {
		return "", fmt.Errorf("empty database path")
	}
	q := url.Values{}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		parsed, err := url.ParseQuery(path[i+1:])
		if err != nil {
			return "", fmt.Errorf("database url: %w", err)
		}
		q, path = parsed, path[:i]
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	if q.Get("mode") != "memory" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// migrating serializes migrations in one process: ent's migration writes
// to the package-level table descriptions of ent/migrate, so two at once
// (parallel tests, each on its own database) race.
var migrating sync.Mutex

// Migrate creates or updates the schema.
func (d *DB) Migrate(ctx context.Context) error {
	migrating.Lock()
	defer migrating.Unlock()
	if err := d.Client.Schema.Create(ctx, schema.WithHooks(withJoinTableIndexes)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error { return d.Client.Close() }

// ClientFrom returns the client of the request's transaction when there is
// one (every mutation runs in one, see entgql.Transactioner), else fallback.
// Writing beside the transaction instead would deadlock SQLite's one writer
// and break all-or-nothing.
func ClientFrom(ctx context.Context, fallback *ent.Client) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return fallback
}

// AfterCommit runs f once the request's transaction has committed (and never
// if it rolls back), or at once when ctx has no transaction. Realtime
// wake-ups go through it (bus.PublishAfterCommit), so no client is told
// about a row that is not there.
func AfterCommit(ctx context.Context, f func()) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		f()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				f()
			}
			return err
		})
	})
}
