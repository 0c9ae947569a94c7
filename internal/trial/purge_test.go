package trial

import (
	"testing"

	"github.com/corpline/corpline/ent/migrate"
)

// Purging deletes children before the rows they reference, and reaches
// every table that belongs to an enterprise.
func TestTenantTablesComeBeforeWhatTheyReference(t *testing.T) {
	tables, err := tenantTables()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, tt := range tables {
		pos[tt.name] = i
	}
	for _, want := range []string{"members", "departments", "memberships", "sessions", "admin_roles", "tags", "callbacks"} {
		if _, ok := pos[want]; !ok {
			t.Fatalf("%s is not purged (order %v)", want, tables)
		}
	}
	if _, ok := pos["audit_entries"]; ok {
		t.Fatalf("the audit log is purged")
	}
	for _, tb := range migrate.Tables {
		i, ok := pos[tb.Name]
		if !ok {
			continue
		}
		for _, fk := range tb.ForeignKeys {
			if j, ok := pos[fk.RefTable.Name]; ok && fk.RefTable != tb && j < i {
				t.Fatalf("%s is purged after %s, which it references", tb.Name, fk.RefTable.Name)
			}
		}
	}
}
