package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/store"
)

// TestOpenTakesEveryDatabaseURLForm: sqlite://PATH and a bare path open the
// same embedded SQLite file (foreign keys on, WAL); postgres:// opens
// PostgreSQL (when the suite has one).
func TestOpenTakesEveryDatabaseURLForm(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ url, file string }{
		{"sqlite://" + filepath.Join(dir, "a.db"), filepath.Join(dir, "a.db")},
		{filepath.Join(dir, "b.db"), filepath.Join(dir, "b.db")},
		{"sqlite://" + filepath.Join(dir, "c.db") + "?_pragma=cache_size(-4000)", filepath.Join(dir, "c.db")},
	} {
		db := openMigrated(t, tc.url)
		if db.Dialect != dialect.SQLite {
			t.Errorf("%s: dialect %s", tc.url, db.Dialect)
		}
		var fk int
		var journal string
		db.SQL.QueryRow("PRAGMA foreign_keys").Scan(&fk)
		db.SQL.QueryRow("PRAGMA journal_mode").Scan(&journal)
		if fk != 1 || !strings.EqualFold(journal, "wal") {
			t.Errorf("%s: foreign_keys=%d journal_mode=%s", tc.url, fk, journal)
		}
		if _, err := os.Stat(tc.file); err != nil {
			t.Errorf("%s: no file %s: %v", tc.url, tc.file, err)
		}
	}
	if _, err := store.Open("sqlite://"); err == nil {
		t.Error("an empty SQLite path opened")
	}
	if apitest.OnPostgres() {
		url := apitest.NewDatabaseURL(t)
		if !strings.HasPrefix(url, "postgres://") {
			t.Fatalf("test database URL %s", url)
		}
		if db := openMigrated(t, url); db.Dialect != dialect.Postgres {
			t.Errorf("%s: dialect %s", url, db.Dialect)
		}
	}
}

func openMigrated(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", url, err)
	}
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM enterprises").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%s: enterprises after migrate: %d, %v", url, n, err)
	}
	return db
}

// Behind the request limits, no PostgreSQL statement runs past
// statement_timeout (default 15 s), and a statement whose request ends is
// cancelled in the database, not left running (issue 8, finding 1).
func TestPostgresStatementsEndOnTimeoutAndWithTheirRequest(t *testing.T) {
	apitest.RequirePostgres(t)
	url := apitest.NewDatabaseURL(t)
	db, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var setting string
	if err := db.SQL.QueryRow("SHOW statement_timeout").Scan(&setting); err != nil || setting != "15s" {
		t.Fatalf("statement_timeout = %q, %v; want 15s", setting, err)
	}

	short, err := store.Open(store.WithStatementTimeout(url, 300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	start := time.Now()
	_, err = short.SQL.Exec("SELECT pg_sleep(30)")
	if err == nil || !strings.Contains(err.Error(), "statement timeout") || time.Since(start) > 10*time.Second {
		t.Fatalf("pg_sleep(30) under a 300 ms timeout: %v after %s", err, time.Since(start))
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start = time.Now()
	if _, err := db.SQL.ExecContext(ctx, "SELECT pg_sleep(30)"); err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled pg_sleep(30): %v after %s", err, time.Since(start))
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var running int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'`).Scan(&running); err != nil {
			t.Fatal(err)
		}
		if running == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled statement still runs in the database")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
