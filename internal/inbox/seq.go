package inbox

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/internal/ids"
)

// slot is a member's new counter values after a bump.
type slot struct{ Seq, Version int64 }

// chunk is how many rows one statement touches: well under PostgreSQL's
// 65,535 parameters and SQLite's 32,766.
const chunk = 1000

// bump advances the inbox counters of members by one version (and one seq
// when entries are delivered) and returns the new values.
//
// One upsert per chunk creates missing counters and increments the others,
// returning the new values, in the request's transaction. The row it writes
// stays locked until commit (on SQLite the whole database is, from BEGIN:
// store opens transactions with _txlock=immediate), so two sends to one
// member queue on the row and the second increments the first's committed
// values: no seq is given twice, none is skipped. Rows are written in member
// order, so concurrent sends to overlapping audiences take their locks in
// one order and never deadlock.
func (s *Service) bump(ctx context.Context, enterpriseID string, memberIDs []string, entries bool) (map[string]slot, error) {
	members := slices.Clone(memberIDs)
	slices.Sort(members)
	members = slices.Compact(members)
	db := s.db(ctx)
	now := s.now()
	firstSeq := int64(0)
	if entries {
		firstSeq = 1
	}
	out := make(map[string]slot, len(members))
	for start := 0; start < len(members); start += chunk {
		part := members[start:min(start+chunk, len(members))]
		ins := sql.Dialect(s.dialect).Insert(inboxcounter.Table).Columns(
			inboxcounter.FieldID, inboxcounter.FieldCreatedAt, inboxcounter.FieldEnterpriseID,
			inboxcounter.FieldMemberID, inboxcounter.FieldSeq, inboxcounter.FieldVersion,
		)
		for _, m := range part {
			ins.Values(ids.New(ids.InboxCounter), now, enterpriseID, m, firstSeq, 1)
		}
		ins.OnConflict(
			sql.ConflictColumns(inboxcounter.FieldMemberID),
			sql.ResolveWith(func(u *sql.UpdateSet) {
				u.Add(inboxcounter.FieldVersion, 1)
				if entries {
					u.Add(inboxcounter.FieldSeq, 1)
				}
			}),
		).Returning(inboxcounter.FieldMemberID, inboxcounter.FieldSeq, inboxcounter.FieldVersion)
		// Raw SQL on the transaction's connection: counters are the system's
		// rows (their ent policy denies everyone), and no builder of ent
		// returns the values an upsert wrote.
		query, args := ins.Query()
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("inbox counters: %w", err)
		}
		for rows.Next() {
			var m string
			var sl slot
			if err := rows.Scan(&m, &sl.Seq, &sl.Version); err != nil {
				rows.Close()
				return nil, fmt.Errorf("inbox counters: %w", err)
			}
			out[m] = sl
		}
		err = rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("inbox counters: %w", err)
		}
	}
	if len(out) != len(members) {
		return nil, fmt.Errorf("inbox counters: %d rows for %d members", len(out), len(members))
	}
	return out, nil
}
