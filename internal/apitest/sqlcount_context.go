package apitest

import (
	"context"
	"database/sql"
	"fmt"
)

// Domain code also runs raw SQL through ent's ExecContext/QueryContext (the
// inbox counters, the stream fetches): these count too, inside
// transactions or not.

type contextQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (d *countingDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	d.n.Add(1)
	return d.Driver.ExecContext(ctx, query, args...)
}

func (d *countingDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	d.n.Add(1)
	return d.Driver.QueryContext(ctx, query, args...)
}

func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q, ok := t.Tx.(contextQuerier)
	if !ok {
		return nil, fmt.Errorf("Tx.ExecContext is not supported")
	}
	t.n.Add(1)
	return q.ExecContext(ctx, query, args...)
}

func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q, ok := t.Tx.(contextQuerier)
	if !ok {
		return nil, fmt.Errorf("Tx.QueryContext is not supported")
	}
	t.n.Add(1)
	return q.QueryContext(ctx, query, args...)
}
