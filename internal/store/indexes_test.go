package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// TestJoinTablesAreIndexedBothWays checks the migration hook's indexes
// exist, on SQLite or PostgreSQL, and that migrating again changes nothing.
func TestJoinTablesAreIndexedBothWays(t *testing.T) {
	db := apitest.NewDB(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("second migration: %v", err)
	}
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1`
	if apitest.OnPostgres() {
		q = `SELECT indexname FROM pg_indexes WHERE tablename = $1`
	}
	for table, want := range map[string]string{
		"tag_members":            "tag_members_member_id",
		"admin_role_departments": "admin_role_departments_department_id",
	} {
		rows, err := db.SQL.Query(q, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		rows.Close()
		if !slices.Contains(names, want) {
			t.Errorf("indexes of %s: %v, want %s", table, names, want)
		}
	}
}
