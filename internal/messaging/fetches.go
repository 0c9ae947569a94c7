package messaging

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/batch"
)

// fetches gathers the reads of inbox streams woken together. A message to a
// department of 10,000 wakes 10,000 subscriptions at once; read one by one
// that is 20,000 statements (SQLite parses each anew), gathered it is 40.
type fetches struct {
	l *batch.Loader[fetchKey, fetchResult]
}

type fetchKey struct {
	member string
	pos    Position
	limit  int
}

type fetchResult struct {
	entries []*ent.InboxEntry
	more    bool
}

// perMember is how many rows a gathered read expects per member: woken
// streams are at the head of their inbox, one or two entries behind.
const perMember = 4

func newFetches(s *Service) *fetches {
	f := &fetches{}
	f.l = &batch.Loader[fetchKey, fetchResult]{Max: 500, Load: func(ctx context.Context, keys []fetchKey) (map[fetchKey]fetchResult, error) {
		return s.fetchAll(ctx, keys)
	}}
	return f
}

// get reads like entriesAfter, gathered with the reads made meanwhile.
func (f *fetches) get(ctx context.Context, memberID string, pos Position, limit int) ([]*ent.InboxEntry, bool, error) {
	r, ok, err := f.l.Get(ctx, fetchKey{member: memberID, pos: pos, limit: limit})
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, false, nil
	}
	// Streams asking the same (two devices at one position) share a
	// result: each gets its own copies, which events() then annotates.
	own := make([]*ent.InboxEntry, len(r.entries))
	for i, e := range r.entries {
		c := *e
		own[i] = &c
	}
	return own, r.more, nil
}

func (s *Service) fetchAll(ctx context.Context, keys []fetchKey) (map[fetchKey]fetchResult, error) {
	total := len(keys) * perMember
	ids, err := s.changedIDs(ctx, keys, total+1)
	if err != nil {
		return nil, err
	}
	// The round serves many members' streams at once, outside any request
	// (see batch.Loader): there is no viewer to read as. Each key is a
	// stream whose viewer live re-checked before it asked, and each gets
	// only its own member's entries.
	sys := policy.SystemContext(ctx)
	var es []*ent.InboxEntry
	if len(ids) > 0 && len(ids) <= total {
		es, err = s.client.InboxEntry.Query().
			WithMessage().
			Where(inboxentry.IDIn(ids...)).
			Order(inboxentry.ByMemberID(), inboxentry.ByVersion(), inboxentry.BySeq()).
			All(sys)
		if err != nil {
			return nil, fmt.Errorf("inbox streams: %w", err)
		}
	}
	out := make(map[fetchKey]fetchResult, len(keys))
	if len(ids) > total {
		// Someone is far behind: everyone reads alone this time.
		for _, k := range keys {
			alone, more, err := s.entriesAfter(sys, k.member, k.pos, k.limit)
			if err != nil {
				return nil, err
			}
			out[k] = fetchResult{entries: alone, more: more}
		}
		return out, nil
	}
	byMember := map[string][]*ent.InboxEntry{}
	for _, e := range es {
		byMember[e.MemberID] = append(byMember[e.MemberID], e)
	}
	for _, k := range keys {
		// Several streams of one member (phone, laptop) may stand at
		// different positions: each gets the entries after its own.
		var mine []*ent.InboxEntry
		for _, e := range byMember[k.member] {
			if !isAfter(e, k.pos) {
				continue
			}
			if len(mine) == k.limit {
				out[k] = fetchResult{entries: mine, more: true}
				break
			}
			mine = append(mine, e)
		}
		if _, done := out[k]; !done {
			out[k] = fetchResult{entries: mine}
		}
	}
	return out, nil
}

// isAfter is the predicate after, on a loaded entry.
func isAfter(e *ent.InboxEntry, pos Position) bool {
	return e.Version > pos.Version || (e.Version == pos.Version && e.Seq > pos.Seq)
}

// changedIDs finds the entries changed after each key's position, at most
// limit in all. The positions are joined in as a table of values: an OR of
// hundreds of conditions costs SQLite more to plan than to run.
func (s *Service) changedIDs(ctx context.Context, keys []fetchKey, limit int) ([]string, error) {
	var b strings.Builder
	args := make([]any, 0, 3*len(keys)+1)
	arg := func(v any) string {
		args = append(args, v)
		if s.dialect == dialect.Postgres {
			return "$" + strconv.Itoa(len(args))
		}
		return "?"
	}
	b.WriteString("WITH k(member_id, version, seq) AS (VALUES ")
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(CAST(%s AS TEXT), CAST(%s AS BIGINT), CAST(%s AS BIGINT))",
			arg(k.member), arg(k.pos.Version), arg(k.pos.Seq))
	}
	fmt.Fprintf(&b, ") SELECT e.%[1]s FROM k JOIN %[2]s e ON e.%[3]s = k.member_id"+
		" AND (e.%[4]s > k.version OR (e.%[4]s = k.version AND e.%[5]s > k.seq)) LIMIT %[6]s",
		inboxentry.FieldID, inboxentry.Table, inboxentry.FieldMemberID, inboxentry.FieldVersion,
		inboxentry.FieldSeq, arg(limit))
	rows, err := s.client.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("inbox streams: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("inbox streams: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
