package store

import (
	"context"

	"entgo.io/ent/dialect/sql/schema"
)

// joinTableIndexes are indexes of the many-to-many join tables that ent
// generates without a schema of their own (so no Indexes() to declare them
// in). Their primary key covers lookups from the first column only; the
// other direction needs its own index.
var joinTableIndexes = map[string][]string{
	// member{tags} and tag removal cascades look tags up by member.
	"tag_members": {"member_id"},
	// Deleting a department cascades to the scopes that name it.
	"admin_role_departments": {"department_id"},
}

// withJoinTableIndexes is a migration hook adding joinTableIndexes.
func withJoinTableIndexes(next schema.Creator) schema.Creator {
	return schema.CreateFunc(func(ctx context.Context, tables ...*schema.Table) error {
		for _, t := range tables {
			for _, col := range joinTableIndexes[t.Name] {
				name := t.Name + "_" + col
				if _, ok := t.Index(name); !ok {
					t.AddIndex(name, false, []string{col})
				}
			}
		}
		return next.Create(ctx, tables...)
	})
}
