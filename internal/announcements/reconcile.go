package announcements

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// Watch keeps inboxes in line with audiences: every transaction that
// changes members' departments (a transfer, an import, a removal) runs
// Reconcile for them just before it commits, once all its changes are in,
// so a transfer that removes the old departments and then adds the new
// ones retracts and delivers only what really changed.
func (s *Service) Watch(client *ent.Client) {
	client.Membership.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			members, err := membershipOwners(ctx, m.(*ent.MembershipMutation))
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			s.reconcileAtCommit(ctx, members)
			return v, nil
		})
	})
}

// membershipOwners are the members whose memberships m writes, read before
// the rows change, tenant-wide: the question is only whose rows these are.
func membershipOwners(ctx context.Context, m *ent.MembershipMutation) ([]string, error) {
	var out []string
	if id, ok := m.MemberID(); ok {
		out = append(out, id)
	}
	if m.Op().Is(ent.OpCreate) {
		return out, nil
	}
	ids, err := m.IDs(ctx)
	if err != nil {
		return nil, err
	}
	got, err := m.Client().Membership.Query().Where(membership.IDIn(ids...)).
		Select(membership.FieldMemberID).Strings(policy.TenantRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("announcement audiences: %w", err)
	}
	return append(out, got...), nil
}

// pending is the set of members a transaction will reconcile at commit.
type pending struct {
	mu      sync.Mutex
	members []string
}

// reconcileAtCommit adds members to the transaction's reconciliation,
// registering it on the transaction's first call. Without a transaction
// (a single statement) it reconciles at once.
func (s *Service) reconcileAtCommit(ctx context.Context, members []string) {
	if v := viewer.FromContext(ctx); v == nil || v.Kind == viewer.KindOperator {
		// Provisioning (the system, an operator creating an enterprise)
		// places members of an enterprise that has no announcements yet.
		return
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		if err := s.reconcileAndWake(ctx, s.client, members); err != nil {
			slog.Error("announcement audiences", "err", err)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[*ent.Tx]*pending{}
	}
	p := s.pending[tx]
	if p == nil {
		p = &pending{}
		s.pending[tx] = p
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				s.mu.Lock()
				delete(s.pending, tx)
				s.mu.Unlock()
				p.mu.Lock()
				todo := p.members
				p.mu.Unlock()
				// The writes join the transaction; their own after-commit
				// wake-ups, registered while it commits, never run: the
				// members are woken below, once it has committed.
				touched, err := s.Reconcile(ent.NewTxContext(ent.NewContext(ctx, tx.Client()), tx), todo)
				if err != nil {
					return err
				}
				if err := next.Commit(ctx, tx); err != nil {
					return err
				}
				s.wake(ctx, touched)
				return nil
			})
		})
		tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
			return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
				s.mu.Lock()
				delete(s.pending, tx)
				s.mu.Unlock()
				return next.Rollback(ctx, tx)
			})
		})
	}
	p.mu.Lock()
	p.members = append(p.members, members...)
	p.mu.Unlock()
}

func (s *Service) reconcileAndWake(ctx context.Context, db *ent.Client, members []string) error {
	touched, err := s.Reconcile(ent.NewContext(ctx, db), members)
	if err != nil {
		return err
	}
	s.wake(ctx, touched)
	return nil
}

// wake tells the touched members' live inboxes to re-check their viewer
// (access first: the entries that arrived are about announcements of their
// new departments, which the old viewer would not show) and read.
func (s *Service) wake(ctx context.Context, members []string) {
	if len(members) == 0 || s.pub == nil {
		return
	}
	topics := make([]string, 0, 2*len(members))
	for _, m := range members {
		topics = append(topics, bus.MemberTopic(m), bus.InboxTopic(m))
	}
	if err := s.pub.Publish(context.WithoutCancel(ctx), topics...); err != nil {
		slog.Error("announcement audiences: wake inboxes", "err", err)
	}
}

// Reconcile brings the inboxes of members in line with the announcements
// their audiences give them now: an entry about a published announcement
// they no longer see is retracted, and one published within ArrivalWindow
// that they now see and hold no entry of arrives. It runs in the
// transaction of ctx and returns the members whose inboxes changed.
//
// It runs for whoever changed the directory (an admin moving a member, an
// import) about what the moved member sees, so it asks as that member: the
// member's own row is read as the system (to learn where they sit), and
// everything else under a viewer built from it, through the same policies
// as the member's own requests.
func (s *Service) Reconcile(ctx context.Context, members []string) ([]string, error) {
	db := s.db(ctx)
	var touched []string
	for _, id := range dedupe(members) {
		changed, err := s.reconcileOne(ctx, db, id)
		if err != nil {
			return nil, fmt.Errorf("announcement audiences: %w", err)
		}
		if changed {
			touched = append(touched, id)
		}
	}
	return touched, nil
}

// asMemberOf returns ctx acting as member id as they are in db now, or nil
// when the member is gone. Where the member sits is read tenant-wide: the
// one who moved them may not see all of it.
func asMemberOf(ctx context.Context, db *ent.Client, id string) (context.Context, *ent.Member, error) {
	m, err := db.Member.Query().Where(member.ID(id)).WithDepartments().WithTags().Only(policy.TenantRead(ctx))
	if ent.IsNotFound(err) {
		return nil, nil, nil // deleted: their inbox went with them
	}
	if err != nil {
		return nil, nil, err
	}
	v := &viewer.Viewer{Kind: viewer.KindMember, EnterpriseID: m.EnterpriseID, MemberID: m.ID, Name: m.Name}
	for _, d := range m.Edges.Departments {
		v.DeptPaths = append(v.DeptPaths, d.Path)
	}
	for _, t := range m.Edges.Tags {
		v.TagIDs = append(v.TagIDs, t.ID)
	}
	return viewer.NewContext(ctx, v), m, nil
}

func (s *Service) reconcileOne(ctx context.Context, db *ent.Client, memberID string) (bool, error) {
	ctx, m, err := asMemberOf(ctx, db, memberID)
	if err != nil || m == nil {
		return false, err
	}
	now := policy.InAudienceNow(viewer.FromContext(ctx).Facts())
	held, err := db.InboxEntry.Query().
		Where(inboxentry.SubjectTypeEQ(inboxentry.SubjectTypeANNOUNCEMENT)).
		Select(inboxentry.FieldSubjectID).
		Strings(ctx)
	if err != nil {
		return false, err
	}
	stay, err := db.Announcement.Query().Where(announcement.IDIn(held...), now).IDs(ctx)
	if err != nil {
		return false, err
	}
	changed := false
	for _, id := range held {
		if slices.Contains(stay, id) {
			continue
		}
		if _, err := s.inbox.Retract(ctx, m.EnterpriseID, retraction(id, []string{m.ID})); err != nil {
			return false, err
		}
		changed = true
	}
	if m.Status != member.StatusACTIVE {
		return changed, nil
	}
	arrive, err := db.Announcement.Query().
		Where(
			now,
			announcement.PublishedAtGTE(clock.Now(ctx).Add(-ArrivalWindow)),
			announcement.IDNotIn(held...),
			announcement.Or(announcement.AuthorIDIsNil(), announcement.AuthorIDNEQ(m.ID)),
		).
		Order(announcement.ByPublishedAt()).
		All(ctx)
	if err != nil {
		return false, err
	}
	for _, a := range arrive {
		if err := s.inbox.Notify(ctx, m.EnterpriseID, notice(a, []string{m.ID})); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
