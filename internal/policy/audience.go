package policy

import (
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/audience"
)

// AudienceMembers is the SQL form of audience.Contains: the members of a,
// for fan-out and for what an app may read. It is nil for Everyone (no
// filter); the tenant filter, or the caller, keeps it inside one enterprise.
// A test holds it equal to audience.Contains on a generated directory.
func AudienceMembers(a audience.Audience) predicate.Member {
	if a.Everyone {
		return nil
	}
	var ps []predicate.Member
	if len(a.MemberIDs) > 0 {
		ps = append(ps, member.IDIn(a.MemberIDs...))
	}
	if len(a.TagIDs) > 0 {
		ps = append(ps, member.HasTagsWith(tag.IDIn(a.TagIDs...)))
	}
	if d := AudienceDepartments(a); len(a.DepartmentIDs) > 0 {
		ps = append(ps, member.HasMembershipsWith(membership.HasDepartmentWith(d)))
	}
	if len(ps) == 0 {
		return member.IDIn() // nobody
	}
	return member.Or(ps...)
}

// AudienceDepartments is the predicate of the departments inside a's
// department subtrees (all departments for Everyone: nil). Tags and named
// members bring no department with them.
func AudienceDepartments(a audience.Audience) predicate.Department {
	if a.Everyone {
		return nil
	}
	ps := make([]predicate.Department, 0, len(a.DepartmentIDs))
	for _, id := range a.DepartmentIDs {
		ps = append(ps, department.PathContains("/"+id+"/"))
	}
	if len(ps) == 0 {
		return department.IDIn()
	}
	return department.Or(ps...)
}

// AndMembers joins member predicates, skipping nil ones (which filter
// nothing); it is nil when all are.
func AndMembers(ps ...predicate.Member) predicate.Member {
	var out []predicate.Member
	for _, p := range ps {
		if p != nil {
			out = append(out, p)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return member.And(out...)
}

// AudienceIncludes selects rows whose audience, stored as JSON in column,
// includes the member described by f: the SQL twin of audience.Contains for
// content (an app's visible range, later announcements and posts).
func AudienceIncludes(column string, f audience.Facts) func(*sql.Selector) {
	return func(s *sql.Selector) {
		c := s.C(column)
		ps := []*sql.Predicate{sqljson.ValueEQ(c, true, sqljson.Path("everyone"))}
		if f.MemberID != "" {
			ps = append(ps, sqljson.ValueContains(c, f.MemberID, sqljson.Path("memberIds")))
		}
		for _, t := range f.TagIDs {
			ps = append(ps, sqljson.ValueContains(c, t, sqljson.Path("tagIds")))
		}
		for _, d := range f.DepartmentIDs() {
			ps = append(ps, sqljson.ValueContains(c, d, sqljson.Path("departmentIds")))
		}
		s.Where(sql.Or(ps...))
	}
}
