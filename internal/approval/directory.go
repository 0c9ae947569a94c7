package approval

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/policy"
)

// snapshot is the part of the directory one resolution needs, loaded in a
// handful of queries up front (flow.Directory).
type snapshot struct {
	leaders map[string][]string
	tags    map[string][]string
	supers  []string
	active  map[string]bool
	facts   map[string]audience.Facts
}

func (d *snapshot) Leaders(id string) []string    { return d.leaders[id] }
func (d *snapshot) TagMembers(id string) []string { return d.tags[id] }
func (d *snapshot) SuperAdmins() []string         { return d.supers }
func (d *snapshot) Active(id string) bool         { return d.active[id] }
func (d *snapshot) Facts(id string) audience.Facts {
	return d.facts[id]
}

// canAct is whether a member may hold a task: disabled and deleted members
// may not, and their tasks move by the node's empty-approver policy.
func canAct(m *ent.Member) bool {
	return m.Status != member.StatusDISABLED && m.Status != member.StatusDELETED
}

// applicantOf finds where the applicant sits: their primary department's
// path (or their first department's, when none is marked primary).
func (s *Service) applicantOf(ctx context.Context, memberID string) (flow.Applicant, error) {
	ms, err := s.db(ctx).Membership.Query().
		Where(membership.MemberID(memberID)).
		WithDepartment().
		All(directoryRead(ctx))
	if err != nil {
		return flow.Applicant{}, fmt.Errorf("applicant departments: %w", err)
	}
	a := flow.Applicant{MemberID: memberID}
	slices.SortFunc(ms, func(x, y *ent.Membership) int {
		if x.IsPrimary != y.IsPrimary {
			if x.IsPrimary {
				return -1
			}
			return 1
		}
		return 0
	})
	for _, m := range ms {
		if m.Edges.Department != nil {
			a.PrimaryPath = m.Edges.Department.Path
			break
		}
	}
	return a, nil
}

// loadDirectory reads what resolving f for a needs: the leaders along the
// applicant's path and of named departments, the members of named tags,
// the super admins, and the status and audience facts of every member the
// flow, the applicant's choices and CC name.
func (s *Service) loadDirectory(ctx context.Context, f flow.Flow, a flow.Applicant, in flow.Inputs) (*snapshot, error) {
	ctx = directoryRead(ctx)
	db := s.db(ctx)
	d := &snapshot{leaders: map[string][]string{}, tags: map[string][]string{},
		active: map[string]bool{}, facts: map[string]audience.Facts{}}
	deps, tagIDs := f.Needs()
	deps = append(deps, flow.LeaderDepartments(a)...)
	seen := func(m *ent.Member) {
		if canAct(m) {
			d.active[m.ID] = true
		}
	}
	if len(deps) > 0 {
		ls, err := db.Membership.Query().
			Where(membership.DepartmentIDIn(deps...), membership.IsLeader(true)).
			WithMember().
			Order(ent.Asc(membership.FieldCreatedAt), ent.Asc(membership.FieldID)).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("leaders: %w", err)
		}
		for _, l := range ls {
			if l.Edges.Member != nil && canAct(l.Edges.Member) {
				d.leaders[l.DepartmentID] = append(d.leaders[l.DepartmentID], l.MemberID)
				seen(l.Edges.Member)
			}
		}
	}
	if len(tagIDs) > 0 {
		ts, err := db.Tag.Query().Where(tag.IDIn(tagIDs...)).
			WithMembers(func(q *ent.MemberQuery) { q.Order(ent.Asc(member.FieldName), ent.Asc(member.FieldID)) }).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("tag members: %w", err)
		}
		for _, t := range ts {
			for _, m := range t.Edges.Members {
				if canAct(m) {
					d.tags[t.ID] = append(d.tags[t.ID], m.ID)
					seen(m)
				}
			}
		}
	}
	supers, err := db.AdminRole.Query().Where(adminrole.KindEQ(adminrole.KindSUPER)).
		WithMember().Order(ent.Asc(adminrole.FieldCreatedAt)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("super admins: %w", err)
	}
	for _, r := range supers {
		if r.Edges.Member != nil && canAct(r.Edges.Member) {
			d.supers = append(d.supers, r.Edges.Member.ID)
			seen(r.Edges.Member)
		}
	}
	named := f.NamedMembers()
	named = append(named, in.Cc...)
	for _, c := range in.Chosen {
		named = append(named, c...)
	}
	if len(named) > 0 {
		ms, err := db.Member.Query().Where(member.IDIn(named...)).
			WithMemberships(func(q *ent.MembershipQuery) { q.WithDepartment() }).
			WithTags().
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("named members: %w", err)
		}
		for _, m := range ms {
			seen(m)
			facts := audience.Facts{MemberID: m.ID}
			for _, ms := range m.Edges.Memberships {
				if ms.Edges.Department != nil {
					facts.DeptPaths = append(facts.DeptPaths, ms.Edges.Department.Path)
				}
			}
			for _, t := range m.Edges.Tags {
				facts.TagIDs = append(facts.TagIDs, t.ID)
			}
			d.facts[m.ID] = facts
		}
	}
	return d, nil
}

// names reads the names of members, to record them on their tasks.
func (s *Service) names(ctx context.Context, ids []string) (map[string]string, error) {
	ms, err := s.db(ctx).Member.Query().Where(member.IDIn(ids...)).
		Select(member.FieldID, member.FieldName).All(directoryRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("member names: %w", err)
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.ID] = m.Name
	}
	return out, nil
}

// directoryRead is the context in which a flow reads the directory. Who
// leads a department, who carries a tag and who the super admins are must
// not depend on what the applicant may see: those people approve whether
// or not the applicant's directory shows them.
func directoryRead(ctx context.Context) context.Context { return policy.TenantRead(ctx) }
