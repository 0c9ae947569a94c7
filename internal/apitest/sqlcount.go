package apitest

import (
	"context"
	"database/sql"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/cmd/corpline/wiring"
)

// QueryCounter counts the SQL statements a server sends to its database,
// inside transactions or not, so tests can prove there is no N+1.
type QueryCounter struct{ n atomic.Int64 }

// Count is the number of statements sent so far.
func (q *QueryCounter) Count() int64 { return q.n.Load() }

// StartCounting runs a server like Start, over a driver that counts every
// statement it sends.
func StartCounting(t testing.TB, opts ...Option) (*Env, *QueryCounter) {
	t.Helper()
	q := &QueryCounter{}
	count := wiring.WithDriver(func(d dialect.Driver) dialect.Driver {
		return &countingDriver{Driver: d.(*entsql.Driver), n: &q.n}
	})
	return start(t, NewDatabaseURL(t), opts, count), q
}

type countingDriver struct {
	*entsql.Driver
	n *atomic.Int64
}

func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	return &countingTx{Tx: tx, n: d.n}, err
}

func (d *countingDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	return &countingTx{Tx: tx, n: d.n}, err
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Query(ctx, query, args, v)
}
