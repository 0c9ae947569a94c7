package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/internal/store"
)

// Three fields are computed by resolvers rather than eager-loaded by entgql:
// Member.primaryDepartment, Department.leaders and Department.memberships.
// Asked once per row, a page of 50 members would cost 50 more queries.
// PrefetchEdges looks ahead instead: when a field returns a list of members
// or departments and the query asks for one of those fields below it, it
// loads them for the whole list in one query, and the resolvers then read
// the answer. It is deterministic (no batching window): one query per list.
//
// Every load runs with the context of the list's field, so the viewer's
// policies apply as to any query, inside the request's transaction when
// there is one. Loads live for one response (see withPrefetch), so nothing is
// served stale to a later subscription event.

// prefetched holds what PrefetchEdges loaded for one response.
type prefetched struct {
	mu          sync.Mutex
	primary     map[string]*ent.Department   // by member ID; nil: none visible
	leaders     map[string][]*ent.Member     // by department ID
	memberships map[string][]*ent.Membership // by department ID
	formerNames map[string]*string           // by sender member ID; nil: not a former member
}

type prefetchKey struct{}

func prefetchedFrom(ctx context.Context) *prefetched {
	p, _ := ctx.Value(prefetchKey{}).(*prefetched)
	return p
}

// withPrefetch gives each response of the schema its own prefetched values.
type withPrefetch struct {
	graphql.ExecutableSchema
}

func (s withPrefetch) Exec(ctx context.Context) graphql.ResponseHandler {
	next := s.ExecutableSchema.Exec(ctx)
	return func(ctx context.Context) *graphql.Response {
		return next(context.WithValue(ctx, prefetchKey{}, &prefetched{
			primary:     map[string]*ent.Department{},
			leaders:     map[string][]*ent.Member{},
			memberships: map[string][]*ent.Membership{},
			formerNames: map[string]*string{},
		}))
	}
}

// PrefetchEdges is field middleware; see the comment at the top of the file.
func (r *Resolver) PrefetchEdges(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	pf := prefetchedFrom(ctx)
	if err != nil || pf == nil {
		return res, err
	}
	members, depts := rowsOf(res)
	msgs := messagesOf(res)
	if len(members) < 2 && len(depts) < 2 && len(msgs) < 2 {
		return res, nil
	}
	fc := graphql.GetFieldContext(ctx)
	asked := map[string]bool{}
	askedBelow(fc.Field.Selections, asked, 0)
	db := store.ClientFrom(ctx, r.Client)
	if len(msgs) > 1 && asked["content"] {
		if err := loadReaderEntries(ctx, db, res, msgs); err != nil {
			return nil, err
		}
	}
	if len(msgs) > 1 && asked["senderName"] {
		if err := pf.loadFormerSenders(ctx, r.Lifecycle, msgs); err != nil {
			return nil, err
		}
	}
	if len(members) > 1 && asked["primaryDepartment"] {
		if err := pf.loadPrimary(ctx, db, members); err != nil {
			return nil, err
		}
	}
	if len(depts) > 1 && (asked["leaders"] || asked["memberships"]) {
		if err := pf.loadDepartmentEdges(ctx, db, depts, asked["leaders"], asked["memberships"]); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// rowsOf returns the members and departments a field returned as a list.
func rowsOf(res any) (members []string, depts []string) {
	switch v := res.(type) {
	case *ent.MemberConnection:
		if v == nil { // a nullable connection, withheld
			return nil, nil
		}
		for _, e := range v.Edges {
			members = append(members, e.Node.ID)
		}
	case []*ent.Member:
		for _, m := range v {
			members = append(members, m.ID)
		}
	case *ent.DepartmentConnection:
		if v == nil {
			return nil, nil
		}
		for _, e := range v.Edges {
			depts = append(depts, e.Node.ID)
		}
	case []*ent.Department:
		for _, d := range v {
			depts = append(depts, d.ID)
		}
	case []ent.Noder:
		for _, n := range v {
			switch n := n.(type) {
			case *ent.Member:
				members = append(members, n.ID)
			case *ent.Department:
				depts = append(depts, n.ID)
			}
		}
	}
	return members, depts
}

// askedBelow records the names of the fields selected anywhere in set.
func askedBelow(set ast.SelectionSet, names map[string]bool, depth int) {
	if depth > 32 { // the depth limit stops real queries long before
		return
	}
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			names[s.Name] = true
			askedBelow(s.SelectionSet, names, depth+1)
		case *ast.InlineFragment:
			askedBelow(s.SelectionSet, names, depth+1)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				askedBelow(s.Definition.SelectionSet, names, depth+1)
			}
		}
	}
}

func (pf *prefetched) loadPrimary(ctx context.Context, db *ent.Client, memberIDs []string) error {
	ms, err := db.Membership.Query().
		Where(membership.MemberIDIn(memberIDs...), membership.IsPrimary(true)).
		WithDepartment().
		All(ctx)
	if err != nil {
		return err
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	for _, id := range memberIDs {
		pf.primary[id] = nil
	}
	for _, m := range ms {
		pf.primary[m.MemberID] = m.Edges.Department
	}
	return nil
}

func (pf *prefetched) loadDepartmentEdges(ctx context.Context, db *ent.Client, deptIDs []string, leaders, memberships bool) error {
	q := db.Membership.Query().
		Where(membership.DepartmentIDIn(deptIDs...)).
		Order(ent.Asc(membership.FieldMemberID)).
		WithMember().
		WithDepartment()
	if !memberships {
		q.Where(membership.IsLeader(true))
	}
	ms, err := q.All(ctx)
	if err != nil {
		return err
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	for _, id := range deptIDs {
		if leaders {
			pf.leaders[id] = []*ent.Member{}
		}
		if memberships {
			pf.memberships[id] = []*ent.Membership{}
		}
	}
	for _, m := range ms {
		if memberships {
			pf.memberships[m.DepartmentID] = append(pf.memberships[m.DepartmentID], m)
		}
		if leaders && m.IsLeader && m.Edges.Member != nil {
			pf.leaders[m.DepartmentID] = append(pf.leaders[m.DepartmentID], m.Edges.Member)
		}
	}
	return nil
}

// primaryDepartment returns the prefetched primary department of a member.
func (pf *prefetched) primaryDepartment(memberID string) (*ent.Department, bool) {
	if pf == nil {
		return nil, false
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	d, ok := pf.primary[memberID]
	return d, ok
}

// departmentLeaders returns the prefetched leaders of a department.
func (pf *prefetched) departmentLeaders(deptID string) ([]*ent.Member, bool) {
	if pf == nil {
		return nil, false
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	l, ok := pf.leaders[deptID]
	return l, ok
}

// departmentMemberships returns the prefetched memberships of a department.
func (pf *prefetched) departmentMemberships(deptID string) ([]*ent.Membership, bool) {
	if pf == nil {
		return nil, false
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	m, ok := pf.memberships[deptID]
	return m, ok
}
