package trial

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/migrate"
	"github.com/corpline/corpline/internal/audit"
)

// purge deletes every row that belongs to a reclaimed enterprise and marks
// it purged, in one transaction.
//
// "Belongs" is read off the schema, not listed by hand: every table with a
// foreign key to enterprises, deleted children first. A table added later
// (messages, inbox entries...) is purged without anyone remembering to.
// Join tables go with their rows (ON DELETE CASCADE).
func (r *Reclaimer) purge(ctx context.Context, id string, now time.Time) (bool, error) {
	tables, err := tenantTables()
	if err != nil {
		return false, err
	}
	return r.inTx(ctx, func(tx *ent.Client) (bool, error) {
		n, err := tx.Enterprise.Update().
			Where(enterprise.ID(id), enterprise.StatusEQ(enterprise.StatusRECLAIMED), enterprise.PurgedAtIsNil()).
			SetPurgedAt(now).
			ClearContactMobile().
			ClearContactEmail().
			ClearCallbackURL().
			ClearCallbackSecret().
			Save(ctx)
		if err != nil || n == 0 {
			return false, err
		}
		deleted := map[string]any{}
		for _, t := range tables {
			q, args := entsql.Dialect(r.dialect).Delete(t.name).Where(entsql.EQ(t.column, id)).Query()
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return false, fmt.Errorf("purge %s: %w", t.name, err)
			}
			if n, err := res.RowsAffected(); err == nil && n > 0 {
				deleted[t.name] = n
			}
		}
		return true, audit.Record(ctx, tx, audit.Entry{
			EnterpriseID: id, Action: "purgeTrial", TargetID: id, Details: map[string]any{"deletedRows": deleted},
		})
	})
}

type tenantTable struct{ name, column string }

// tenantTables lists the tables with a foreign key to enterprises, each
// before every table it references.
func tenantTables() ([]tenantTable, error) {
	col := map[*schema.Table]string{}
	for _, t := range migrate.Tables {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable == migrate.EnterprisesTable && len(fk.Columns) == 1 {
				col[t] = fk.Columns[0].Name
			}
		}
	}
	// Kahn's algorithm over "t references u": u may go only once no table
	// left references it.
	refs := map[*schema.Table]int{}
	for t := range col {
		for _, fk := range t.ForeignKeys {
			if u := fk.RefTable; u != t && col[u] != "" {
				refs[u]++
			}
		}
	}
	var out []tenantTable
	done := map[*schema.Table]bool{}
	for len(done) < len(col) {
		progressed := false
		for _, t := range migrate.Tables { // stable order
			if col[t] == "" || done[t] || refs[t] > 0 {
				continue
			}
			done[t], progressed = true, true
			out = append(out, tenantTable{name: t.Name, column: col[t]})
			for _, fk := range t.ForeignKeys {
				if u := fk.RefTable; u != t && col[u] != "" {
					refs[u]--
				}
			}
		}
		if !progressed {
			return nil, fmt.Errorf("purge: the tenant tables reference each other in a cycle")
		}
	}
	return out, nil
}
