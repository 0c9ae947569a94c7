// Package apitest starts real corpline servers for tests: a fresh database
// per test (SQLite by default, PostgreSQL when CORPLINE_TEST_DATABASE_URL is
// set), a server on a free loopback port, and GraphQL clients that speak HTTP
// and websocket to it as the web and mobile clients do.
package apitest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/lib/pq"

	"github.com/corpline/corpline/internal/store"
)

// EnvDatabaseURL names the PostgreSQL server the suite runs against, as a URL
// of a database the tests may create other databases from.
const EnvDatabaseURL = "CORPLINE_TEST_DATABASE_URL"

// OnPostgres reports whether the suite runs against PostgreSQL.
func OnPostgres() bool { return os.Getenv(EnvDatabaseURL) != "" }

// NewDatabaseURL returns the URL of a fresh, empty database that is dropped
// when the test ends.
func NewDatabaseURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvDatabaseURL)
	if admin == "" {
		return "sqlite://" + filepath.Join(t.TempDir(), "corpline.db")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "corpline_test_" + hex.EncodeToString(b)
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDatabaseURL, err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		db.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewDB opens a fresh, migrated database, closed when the test ends.
func NewDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(NewDatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(fmt.Errorf("migrate test database: %w", err))
	}
	return db
}
