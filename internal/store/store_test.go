package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
