package lifecycle

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/hook"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// Watch makes every change to what a viewer is built from wake that
// viewer's live subscriptions, after commit, whichever code makes it:
//
//   - a member's departments (a transfer through updateMember, an import, a
//     tag of placement), tags and admin role: bus.MemberTopic of the member;
//   - a department moved in the tree, or the enterprise's directory
//     visibility: bus.EnterpriseTopic, since any member may be affected.
//
// A woken subscription reloads its viewer (auth.LoadViewer), so the next
// event it sends is cut to the new departments, and every process drops the
// viewers it cached for the member (auth's viewer cache). Hooks on the client
// apply to every transaction opened from it.
func Watch(client *ent.Client, pub bus.Publisher) {
	w := watcher{pub: pub}
	client.Membership.Use(w.wakeOwners(membershipOwners))
	client.AdminRole.Use(w.wakeOwners(adminRoleOwners))
	client.Tag.Use(w.tagMembers)
	client.Member.Use(w.memberTags)
	client.Department.Use(hook.If(w.departments, hook.HasFields("path")))
	client.Enterprise.Use(hook.If(w.enterprises, hook.HasFields("directory_visibility")))
}

type watcher struct{ pub bus.Publisher }

func (w watcher) wake(ctx context.Context, topics []string) {
	bus.PublishAfterCommit(ctx, w.pub, topics...)
}

// wakeOwners wakes the members whose rows a mutation writes (their
// member_id): the one it sets, and those of the rows it updates or deletes,
// read before the rows change (or go). owners is a tenant-wide read: the
// question is only whose rows these are.
func (w watcher) wakeOwners(owners func(ctx context.Context, m ent.Mutation, ids []string) ([]string, error)) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			var members []string
			if id, ok := m.Field("member_id"); ok {
				members = append(members, id.(string))
			}
			if !m.Op().Is(ent.OpCreate) {
				ids, err := m.(interface {
					IDs(context.Context) ([]string, error)
				}).IDs(ctx)
				if err != nil {
					return nil, err
				}
				got, err := owners(policy.TenantRead(ctx), m, ids)
				if err != nil {
					return nil, err
				}
				members = append(members, got...)
			}
			w.wake(ctx, memberTopics(members))
			return next.Mutate(ctx, m)
		})
	}
}

func membershipOwners(ctx context.Context, m ent.Mutation, ids []string) ([]string, error) {
	return m.(*ent.MembershipMutation).Client().Membership.Query().
		Where(membership.IDIn(ids...)).Select(membership.FieldMemberID).Strings(ctx)
}

func adminRoleOwners(ctx context.Context, m ent.Mutation, ids []string) ([]string, error) {
	return m.(*ent.AdminRoleMutation).Client().AdminRole.Query().
		Where(adminrole.IDIn(ids...)).Select(adminrole.FieldMemberID).Strings(ctx)
}

// tagMembers wakes the members a tag write adds or removes, and every
// member of a tag that is deleted or cleared (read before it goes).
func (w watcher) tagMembers(next ent.Mutator) ent.Mutator {
	return hook.TagFunc(func(ctx context.Context, m *ent.TagMutation) (ent.Value, error) {
		members := append(m.MembersIDs(), m.RemovedMembersIDs()...)
		if m.MembersCleared() || m.Op().Is(ent.OpDelete|ent.OpDeleteOne) {
			ids, err := m.IDs(ctx)
			if err != nil {
				return nil, err
			}
			got, err := m.Client().Tag.Query().Where(tag.IDIn(ids...)).QueryMembers().IDs(policy.TenantRead(ctx))
			if err != nil {
				return nil, err
			}
			members = append(members, got...)
		}
		w.wake(ctx, memberTopics(members))
		return next.Mutate(ctx, m)
	})
}

// memberTags wakes a member whose own write changes their tags.
func (w watcher) memberTags(next ent.Mutator) ent.Mutator {
	return hook.MemberFunc(func(ctx context.Context, m *ent.MemberMutation) (ent.Value, error) {
		changed := m.TagsCleared() || len(m.TagsIDs()) > 0 || len(m.RemovedTagsIDs()) > 0
		if changed && !m.Op().Is(ent.OpCreate) {
			ids, err := m.IDs(ctx)
			if err != nil {
				return nil, err
			}
			w.wake(ctx, memberTopics(ids))
		}
		return next.Mutate(ctx, m)
	})
}

func (w watcher) departments(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if v := viewer.FromContext(ctx); v != nil && v.EnterpriseID != "" {
			w.wake(ctx, []string{bus.EnterpriseTopic(v.EnterpriseID)})
		}
		return next.Mutate(ctx, m)
	})
}

func (w watcher) enterprises(next ent.Mutator) ent.Mutator {
	return hook.EnterpriseFunc(func(ctx context.Context, m *ent.EnterpriseMutation) (ent.Value, error) {
		if id, ok := m.ID(); ok {
			w.wake(ctx, []string{bus.EnterpriseTopic(id)})
		}
		return next.Mutate(ctx, m)
	})
}

func memberTopics(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, bus.MemberTopic(id))
		}
	}
	return out
}
