package messaging

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/internal/policy"
)

// slot is a member's new counter values after a bump.
type slot struct{ Seq, Version int64 }

// chunk is how many rows one statement touches: well under PostgreSQL's
// 65,535 parameters and SQLite's 32,766.
const chunk = 1000

// bump advances the inbox counters of members by one version (and one seq
// when entries are delivered) and returns the new values.
//
// It runs in the request's transaction and locks the counter rows in member
// order: on PostgreSQL with SELECT ... FOR UPDATE, on SQLite by the database
// lock every write transaction takes at BEGIN (store opens it with
// _txlock=immediate). Two sends to one member therefore queue on the row,
// and the second reads the first's committed values: no seq given twice,
// none skipped. Taking the locks in one global order keeps concurrent sends
// to overlapping audiences from deadlocking.
func (s *Service) bump(ctx context.Context, enterpriseID string, memberIDs []string, entries bool) (map[string]slot, error) {
	ids := slices.Clone(memberIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// Counters are the system's rows: the caller decided who receives.
	sys := policy.SystemContext(ctx)
	db := s.db(ctx)
	out := make(map[string]slot, len(ids))
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		creates := make([]*ent.InboxCounterCreate, len(part))
		for i, id := range part {
			creates[i] = db.InboxCounter.Create().SetEnterpriseID(enterpriseID).SetMemberID(id)
		}
		err := db.InboxCounter.CreateBulk(creates...).
			OnConflictColumns(inboxcounter.FieldMemberID).
			DoNothing().
			Exec(sys)
		if err != nil {
			return nil, fmt.Errorf("inbox counters: create: %w", err)
		}
		q := db.InboxCounter.Query().Where(inboxcounter.MemberIDIn(part...)).Order(inboxcounter.ByMemberID())
		if s.dialect == dialect.Postgres {
			q.ForUpdate()
		}
		rows, err := q.All(sys)
		if err != nil {
			return nil, fmt.Errorf("inbox counters: lock: %w", err)
		}
		if len(rows) != len(part) {
			return nil, fmt.Errorf("inbox counters: %d rows for %d members", len(rows), len(part))
		}
		u := db.InboxCounter.Update().Where(inboxcounter.MemberIDIn(part...)).AddVersion(1)
		if entries {
			u.AddSeq(1)
		}
		if err := u.Exec(sys); err != nil {
			return nil, fmt.Errorf("inbox counters: bump: %w", err)
		}
		for _, r := range rows {
			sl := slot{Seq: r.Seq, Version: r.Version + 1}
			if entries {
				sl.Seq++
			}
			out[r.MemberID] = sl
		}
	}
	return out, nil
}
