package store

import (
	"container/list"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// stmtDriver sends the reads that run outside a transaction as statements
// prepared once per connection and kept. lib/pq sends a parameterized
// statement in two round trips (parse, then bind and execute) and
// PostgreSQL parses and plans it each time; a kept statement is one round
// trip and no parsing. Reads inside a transaction, writes and statements
// without arguments go the usual way.
//
// Statements are kept by their text, the most recently used stmtCacheSize
// of them (a page's IN list has one text per length); database/sql prepares
// each on a connection the first time it runs there.
type stmtDriver struct {
	*entsql.Driver
	db *sql.DB

	mu    sync.Mutex
	order *list.List // of *keptStmt, most recent first
	byKey map[string]*list.Element
}

// stmtCacheSize bounds the statements kept per process (each is prepared on
// up to pgMaxOpen connections).
const stmtCacheSize = 256

type keptStmt struct {
	query string
	stmt  *sql.Stmt
}

func newStmtDriver(drv *entsql.Driver, db *sql.DB) *stmtDriver {
	return &stmtDriver{Driver: drv, db: db, order: list.New(), byKey: map[string]*list.Element{}}
}

// Query runs a read through a kept statement; see stmtDriver.
func (d *stmtDriver) Query(ctx context.Context, query string, args, v any) error {
	vr, ok := v.(*entsql.Rows)
	argv, _ := args.([]any)
	if !ok || len(argv) == 0 {
		return d.Driver.Query(ctx, query, args, v)
	}
	stmt, err := d.stmt(ctx, query)
	if err != nil {
		return err
	}
	rows, err := stmt.QueryContext(ctx, argv...)
	if err != nil && err.Error() == "sql: statement is closed" {
		// Evicted between the lookup and the query: run it the usual way.
		return d.Driver.Query(ctx, query, args, v)
	}
	if err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && (pqErr.Code == "0A000" || pqErr.Code == "26000") {
			// The server no longer takes the statement as prepared (its
			// plan went stale with the schema, or it is gone): prepare it
			// again next time.
			d.forget(query, stmt)
		}
		return err
	}
	*vr = entsql.Rows{ColumnScanner: rows}
	return nil
}

func (d *stmtDriver) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	d.mu.Lock()
	if e, ok := d.byKey[query]; ok {
		d.order.MoveToFront(e)
		d.mu.Unlock()
		return e.Value.(*keptStmt).stmt, nil
	}
	d.mu.Unlock()
	stmt, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.byKey[query]; ok { // prepared meanwhile by another request
		stmt.Close()
		return e.Value.(*keptStmt).stmt, nil
	}
	d.byKey[query] = d.order.PushFront(&keptStmt{query: query, stmt: stmt})
	for d.order.Len() > stmtCacheSize {
		old := d.order.Remove(d.order.Back()).(*keptStmt)
		delete(d.byKey, old.query)
		// Closing waits for no query: database/sql closes the statement on
		// each connection once its rows are done.
		old.stmt.Close()
	}
	return stmt, nil
}

func (d *stmtDriver) forget(query string, stmt *sql.Stmt) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.byKey[query]; ok && e.Value.(*keptStmt).stmt == stmt {
		d.order.Remove(e)
		delete(d.byKey, query)
		stmt.Close()
	}
}

// Close closes the kept statements, then the database.
func (d *stmtDriver) Close() error {
	d.mu.Lock()
	for e := d.order.Front(); e != nil; e = e.Next() {
		e.Value.(*keptStmt).stmt.Close()
	}
	d.order.Init()
	d.byKey = map[string]*list.Element{}
	d.mu.Unlock()
	return d.Driver.Close()
}
