package e2e

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/ids"
)

// sightsUnder is what each viewer of the fixture may see under a
// directoryVisibility setting. Under DEPARTMENT a member sees their own
// departments' subtrees, the chain of ancestors and those ancestors'
// leaders; a scoped admin also their scope; a super admin everything.
// Nobody sees the other enterprise.
func sightsUnder(setting string) map[string]sight {
	s := map[string]sight{
		"admin":        {"acme", acmeDepts, acmeMembers, []string{"role:admin", "role:salesadmin"}},
		"globex/admin": {"globex", globexDepts, globexMembs, []string{"role:globex/admin"}},
		"gina":         {"globex", globexDepts, globexMembs, nil},
	}
	if setting == "EVERYONE" {
		s["salesadmin"] = sight{"acme", acmeDepts, acmeMembers, []string{"role:salesadmin"}}
		s["sam"] = sight{"acme", acmeDepts, acmeMembers, nil}
		s["east"] = sight{"acme", acmeDepts, acmeMembers, nil}
		s["rdmem"] = sight{"acme", acmeDepts, acmeMembers, nil}
		return s
	}
	s["salesadmin"] = sight{"acme",
		[]string{"acme Inc", "HR", "Sales", "Sales East"},
		[]string{"ceo", "salesadmin", "sam", "east", "both"},
		[]string{"role:salesadmin"}}
	s["sam"] = sight{"acme",
		[]string{"acme Inc", "Sales", "Sales East"},
		[]string{"ceo", "sam", "east", "both"},
		nil}
	// Sales has no leader: east sees Sales but none of its members.
	s["east"] = sight{"acme",
		[]string{"acme Inc", "Sales", "Sales East"},
		[]string{"ceo", "east"},
		nil}
	s["rdmem"] = sight{"acme",
		[]string{"acme Inc", "R&D", "Platform"},
		[]string{"ceo", "rdlead", "rdmem", "plat", "both"},
		nil}
	return s
}

// viewerOrder is the order the matrix runs viewers in.
var viewerOrder = []string{"admin", "salesadmin", "sam", "east", "rdmem", "gina", "globex/admin"}

// readCheck is one read of the matrix: a query, how to flatten its answer
// into labels, and what the viewer's sight says it must be.
type readCheck struct {
	name  string
	query string
	vars  map[string]any
	got   func(data any) []string
	want  func(s sight) []string
	// notFoundOK allows NOT_FOUND errors (node(id) of a row the viewer may not see).
	notFoundOK bool
}

func isRnD(p placement) bool { return p.dept == "R&D" }

func userid(label string) string { return strings.TrimPrefix(label, "globex/") }

// readChecks are the rows of the matrix. Each nested edge and each
// has...With filter is a row: those are where ent's privacy layer is known
// to let rows through (ent issues 2827 and 4509).
func readChecks(f *visFixture) []readCheck {
	withTotal := func(ids []string, total string) []string { return append(ids, "total#"+total) }
	return []readCheck{
		{
			name:  "departments",
			query: `{ departments(first: 20) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "departments.edges.node.id"), pick(d, "departments.totalCount")[0])
			},
			want: func(s sight) []string { return withTotal(s.depts, itoa(len(s.depts))) },
		},
		{
			name:  "members",
			query: `{ members(first: 20) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "members.edges.node.id"), pick(d, "members.totalCount")[0])
			},
			want: func(s sight) []string { return withTotal(s.members, itoa(len(s.members))) },
		},
		{
			name:  "tags{members}",
			query: `{ tags(first: 20) { totalCount edges { node { id members(first: 20) { totalCount edges { node { id } } } } } } }`,
			got: func(d any) []string {
				out := pick(d, "tags.edges.node.id")
				out = append(out, pairs(d, "tags.edges.node", "members.edges.node.id")...)
				return append(out, counts(d, "tags.edges.node", "members.totalCount")...)
			},
			want: func(s sight) []string {
				var out []string
				for _, tag := range s.tags() {
					out = append(out, tag, tag+"#"+itoa(len(s.tagged(tag))))
					for _, m := range s.tagged(tag) {
						out = append(out, tag+">"+m)
					}
				}
				return out
			},
		},
		{
			// Events are the apps' feed: no member reads any (TestAppReadsTheEventsOfItsRangeInOrderAndNobodyElseDoes).
			name:  "events",
			query: `{ events(first: 50) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "events.edges.node.id"), pick(d, "events.totalCount")[0])
			},
			want: func(sight) []string { return withTotal(nil, "0") },
		},
		{
			name:  "members(where: hasDepartmentsWith R&D)",
			query: `{ members(first: 20, where: {hasDepartmentsWith: [{nameContains: "R&D"}]}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "members.edges.node.id"), pick(d, "members.totalCount")[0])
			},
			want: func(s sight) []string { m := s.membersWhere(isRnD); return withTotal(m, itoa(len(m))) },
		},
		{
			name:  "members(where: not hasDepartmentsWith R&D)",
			query: `{ members(first: 20, where: {not: {hasDepartmentsWith: [{nameContains: "R&D"}]}}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "members.edges.node.id") },
			want: func(s sight) []string {
				var out []string
				for _, m := range s.members {
					if !s.memberHas(m, isRnD) {
						out = append(out, m)
					}
				}
				return out
			},
		},
		{
			name:  "members(where: hasMembershipsWith isLeader)",
			query: `{ members(first: 20, where: {hasMembershipsWith: [{isLeader: true}]}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "members.edges.node.id"), pick(d, "members.totalCount")[0])
			},
			want: func(s sight) []string {
				m := s.membersWhere(func(p placement) bool { return p.leader })
				return withTotal(m, itoa(len(m)))
			},
		},
		{
			name:  "members(where: hasMembershipsWith not primary)",
			query: `{ members(first: 20, where: {hasMembershipsWith: [{isPrimary: false}]}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "members.edges.node.id") },
			want: func(s sight) []string {
				return s.membersWhere(func(p placement) bool { return !p.primary })
			},
		},
		{
			name:  "members(where: hasTagsWith Project X)",
			query: `{ members(first: 20, where: {hasTagsWith: [{name: "Project X"}]}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "members.edges.node.id"), pick(d, "members.totalCount")[0])
			},
			want: func(s sight) []string { m := s.tagged("Project X"); return withTotal(m, itoa(len(m))) },
		},
		{
			name:  "members(where: hasDepartmentsWith hasParentWith R&D)",
			query: `{ members(first: 20, where: {hasDepartmentsWith: [{hasParentWith: [{name: "R&D"}]}]}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "members.edges.node.id") },
			want: func(s sight) []string {
				return s.membersWhere(func(p placement) bool { return fixtureParents[p.dept] == "R&D" && s.seesDept("R&D") })
			},
		},
		{
			name:  "departments(where: hasMembersWith userid admin or plat)",
			query: `{ departments(first: 20, where: {hasMembersWith: [{useridIn: ["admin", "plat"]}]}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "departments.edges.node.id"), pick(d, "departments.totalCount")[0])
			},
			want: func(s sight) []string {
				var out []string
				for _, p := range s.placements() {
					if u := userid(p.member); (u == "admin" || u == "plat") && !slices.Contains(out, p.dept) {
						out = append(out, p.dept)
					}
				}
				return withTotal(out, itoa(len(out)))
			},
		},
		{
			name:  "departments(where: hasMembersWith hasDepartmentsWith R&D)",
			query: `{ departments(first: 20, where: {hasMembersWith: [{hasDepartmentsWith: [{nameContains: "R&D"}]}]}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "departments.edges.node.id") },
			want: func(s sight) []string {
				var out []string
				for _, p := range s.placements() {
					if s.memberHas(p.member, isRnD) && !slices.Contains(out, p.dept) {
						out = append(out, p.dept)
					}
				}
				return out
			},
		},
		{
			name:  "departments(where: hasChildrenWith HR)",
			query: `{ departments(first: 20, where: {hasChildrenWith: [{name: "HR"}]}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "departments.edges.node.id") },
			want: func(s sight) []string {
				if s.seesDept("HR") {
					return []string{fixtureParents["HR"]}
				}
				return nil
			},
		},
		{
			name:  "departments(where: hasMembershipsWith isLeader)",
			query: `{ departments(first: 20, where: {hasMembershipsWith: [{isLeader: true}]}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "departments.edges.node.id") },
			want: func(s sight) []string {
				var out []string
				for _, p := range s.placements() {
					if p.leader && !slices.Contains(out, p.dept) {
						out = append(out, p.dept)
					}
				}
				return out
			},
		},
		{
			name:  "departments(where: hasMembers / hasMemberships)",
			query: `{ departments(first: 20, where: {hasMembers: true, hasMemberships: true}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "departments.edges.node.id"), pick(d, "departments.totalCount")[0])
			},
			want: func(s sight) []string {
				out := deptsWhere(s, func(d string) bool { return len(membersOf(s, d)) > 0 })
				return withTotal(out, itoa(len(out)))
			},
		},
		{
			name:  "departments(where: hasMembers false)",
			query: `{ departments(first: 20, where: {hasMembers: false}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "departments.edges.node.id") },
			want:  func(s sight) []string { return deptsWhere(s, func(d string) bool { return len(membersOf(s, d)) == 0 }) },
		},
		{
			name:  "departments(where: hasChildren false)",
			query: `{ departments(first: 20, where: {hasChildren: false}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "departments.edges.node.id") },
			want: func(s sight) []string {
				return deptsWhere(s, func(d string) bool {
					for child, parent := range fixtureParents {
						if parent == d && s.seesDept(child) {
							return false
						}
					}
					return true
				})
			},
		},
		{
			name:  "members(where: hasDepartments, hasMemberships)",
			query: `{ members(first: 20, where: {hasDepartments: true, hasMemberships: true}) { edges { node { id } } } }`,
			got:   func(d any) []string { return pick(d, "members.edges.node.id") },
			want:  func(s sight) []string { return s.membersWhere(func(placement) bool { return true }) },
		},
		{
			name:  "tags(where: hasMembers)",
			query: `{ tags(first: 20, where: {hasMembers: true}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "tags.edges.node.id"), pick(d, "tags.totalCount")[0])
			},
			want: func(s sight) []string {
				var out []string
				for _, tag := range s.tags() {
					if len(s.tagged(tag)) > 0 {
						out = append(out, tag)
					}
				}
				return withTotal(out, itoa(len(out)))
			},
		},
		{
			name:  "tags{members(where: hasDepartmentsWith R&D)}",
			query: `{ tags(first: 20) { edges { node { id members(first: 20, where: {hasDepartmentsWith: [{nameContains: "R&D"}]}) { totalCount edges { node { id } } } } } } }`,
			got: func(d any) []string {
				return append(pairs(d, "tags.edges.node", "members.edges.node.id"), counts(d, "tags.edges.node", "members.totalCount")...)
			},
			want: func(s sight) []string {
				var out []string
				for _, tag := range s.tags() {
					n := 0
					for _, m := range s.tagged(tag) {
						if s.memberHas(m, isRnD) {
							out, n = append(out, tag+">"+m), n+1
						}
					}
					out = append(out, tag+"#"+itoa(n))
				}
				return out
			},
		},
		{
			name:  "departments{members(where: hasMembershipsWith isLeader)}",
			query: `{ departments(first: 20) { edges { node { id members(first: 20, where: {hasMembershipsWith: [{isLeader: true}]}) { totalCount edges { node { id } } } } } } }`,
			got: func(d any) []string {
				return append(pairs(d, "departments.edges.node", "members.edges.node.id"), counts(d, "departments.edges.node", "members.totalCount")...)
			},
			want: func(s sight) []string {
				var out []string
				for _, d := range s.depts {
					n := 0
					for _, p := range s.placements() {
						if p.dept == d && s.memberHas(p.member, func(q placement) bool { return q.leader }) {
							out, n = append(out, d+">"+p.member), n+1
						}
					}
					out = append(out, d+"#"+itoa(n))
				}
				return out
			},
		},
		{
			name:  "adminRoles(where: hasDepartmentsWith Sales, hasMemberWith salesadmin)",
			query: `{ adminRoles(first: 20, where: {hasDepartmentsWith: [{name: "Sales"}], hasMemberWith: [{userid: "salesadmin"}]}) { totalCount edges { node { id } } } }`,
			got: func(d any) []string {
				return withTotal(pick(d, "adminRoles.edges.node.id"), pick(d, "adminRoles.totalCount")[0])
			},
			want: func(s sight) []string {
				if slices.Contains(s.roles, "role:salesadmin") {
					return withTotal([]string{"role:salesadmin"}, "1")
				}
				return withTotal(nil, "0")
			},
		},
		{
			name:  "members{departments}",
			query: `{ members(first: 20) { edges { node { id departments { id } } } } }`,
			got:   func(d any) []string { return pairs(d, "members.edges.node", "departments.id") },
			want:  func(s sight) []string { return placementPairs(s, func(p placement) bool { return true }, false) },
		},
		{
			name:  "members{memberships{department member}}",
			query: `{ members(first: 20) { edges { node { id memberships { id department { id } member { id } } } } } }`,
			got: func(d any) []string {
				return append(pairs(d, "members.edges.node", "memberships.department.id"),
					pairs(d, "members.edges.node.memberships", "member.id")...)
			},
			want: func(s sight) []string {
				out := placementPairs(s, func(p placement) bool { return true }, false)
				for _, p := range s.placements() {
					out = append(out, p.member+"@"+p.dept+">"+p.member)
				}
				return out
			},
		},
		{
			name:  "members{primaryDepartment}",
			query: `{ members(first: 20) { edges { node { id primaryDepartment { id } } } } }`,
			got:   func(d any) []string { return pairs(d, "members.edges.node", "primaryDepartment.id") },
			want:  func(s sight) []string { return placementPairs(s, func(p placement) bool { return p.primary }, false) },
		},
		{
			name:  "members{tags}",
			query: `{ members(first: 20) { edges { node { id tags { id } } } } }`,
			got:   func(d any) []string { return pairs(d, "members.edges.node", "tags.id") },
			want: func(s sight) []string {
				var out []string
				for _, tag := range s.tags() {
					for _, m := range s.tagged(tag) {
						out = append(out, m+">"+tag)
					}
				}
				return out
			},
		},
		{
			name:  "departments{members}",
			query: `{ departments(first: 20) { edges { node { id members(first: 20) { totalCount edges { node { id } } } } } } }`,
			got: func(d any) []string {
				return append(pairs(d, "departments.edges.node", "members.edges.node.id"), counts(d, "departments.edges.node", "members.totalCount")...)
			},
			want: func(s sight) []string {
				out := placementPairs(s, func(p placement) bool { return true }, true)
				for _, d := range s.depts {
					n := 0
					for _, p := range s.placements() {
						if p.dept == d {
							n++
						}
					}
					out = append(out, d+"#"+itoa(n))
				}
				return out
			},
		},
		{
			name:  "departments{members totalCount only}",
			query: `{ departments(first: 20) { edges { node { id members(first: 20) { totalCount } } } } }`,
			got:   func(d any) []string { return counts(d, "departments.edges.node", "members.totalCount") },
			want: func(s sight) []string {
				var out []string
				for _, d := range s.depts {
					n := 0
					for _, p := range s.placements() {
						if p.dept == d {
							n++
						}
					}
					out = append(out, d+"#"+itoa(n))
				}
				return out
			},
		},
		{
			name:  "departments{memberships{member}}",
			query: `{ departments(first: 20) { edges { node { id memberships { member { id } } } } } }`,
			got:   func(d any) []string { return pairs(d, "departments.edges.node", "memberships.member.id") },
			want:  func(s sight) []string { return placementPairs(s, func(p placement) bool { return true }, true) },
		},
		{
			name:  "departments{leaders}",
			query: `{ departments(first: 20) { edges { node { id leaders { id } } } } }`,
			got:   func(d any) []string { return pairs(d, "departments.edges.node", "leaders.id") },
			want:  func(s sight) []string { return placementPairs(s, func(p placement) bool { return p.leader }, true) },
		},
		{
			name:  "departments{children parent}",
			query: `{ departments(first: 20) { edges { node { id parent { id } children(first: 20) { totalCount edges { node { id } } } } } } }`,
			got: func(d any) []string {
				out := pairs(d, "departments.edges.node", "children.edges.node.id")
				out = append(out, counts(d, "departments.edges.node", "children.totalCount")...)
				for _, p := range pairs(d, "departments.edges.node", "parent.id") {
					out = append(out, "parent:"+p)
				}
				return out
			},
			want: func(s sight) []string {
				var out []string
				for _, d := range s.depts {
					n := 0
					for child, parent := range fixtureParents {
						if parent == d && s.seesDept(child) {
							out, n = append(out, d+">"+child), n+1
						}
					}
					out = append(out, d+"#"+itoa(n))
					if p, ok := fixtureParents[d]; ok {
						out = append(out, "parent:"+d+">"+p)
					}
				}
				return out
			},
		},
		{
			name:  "adminRoles{member departments}",
			query: `{ adminRoles(first: 20) { totalCount edges { node { id member { id } departments { id } } } } }`,
			got: func(d any) []string {
				out := append(pick(d, "adminRoles.edges.node.id"), "total#"+pick(d, "adminRoles.totalCount")[0])
				out = append(out, pairs(d, "adminRoles.edges.node", "member.id")...)
				return append(out, pairs(d, "adminRoles.edges.node", "departments.id")...)
			},
			want: func(s sight) []string {
				out := append(append([]string{}, s.roles...), "total#"+itoa(len(s.roles)))
				for _, r := range s.roles {
					out = append(out, r+">"+strings.TrimPrefix(r, "role:"))
					if r == "role:salesadmin" {
						out = append(out, r+">Sales")
					}
				}
				return out
			},
		},
		{
			name:  "node(both){departments memberships primaryDepartment}",
			query: `query($id: ID!) { node(id: $id) { id ... on Member { departments { id } memberships { department { id } } primaryDepartment { id } } } }`,
			vars:  map[string]any{"id": f.id["both"]},
			got: func(d any) []string {
				out := pick(d, "node.id")
				out = append(out, pairs(d, "node", "departments.id")...)
				for _, p := range pairs(d, "node", "memberships.department.id") {
					out = append(out, "membership:"+p)
				}
				for _, p := range pairs(d, "node", "primaryDepartment.id") {
					out = append(out, "primary:"+p)
				}
				return out
			},
			want: func(s sight) []string {
				if !s.seesMember("both") {
					return nil
				}
				out := []string{"both"}
				for _, p := range s.placements() {
					if p.member == "both" {
						out = append(out, "both>"+p.dept, "membership:both>"+p.dept)
						if p.primary {
							out = append(out, "primary:both>"+p.dept)
						}
					}
				}
				return out
			},
			notFoundOK: true,
		},
		{
			name:  "node(R&D){members leaders memberships}",
			query: `query($id: ID!) { node(id: $id) { id ... on Department { members(first: 20) { totalCount edges { node { id } } } leaders { id } memberships { member { id } } } } }`,
			vars:  map[string]any{"id": f.id["R&D"]},
			got: func(d any) []string {
				out := pick(d, "node.id")
				out = append(out, pairs(d, "node", "members.edges.node.id")...)
				out = append(out, counts(d, "node", "members.totalCount")...)
				for _, p := range pairs(d, "node", "leaders.id") {
					out = append(out, "leader:"+p)
				}
				for _, p := range pairs(d, "node", "memberships.member.id") {
					out = append(out, "membership:"+p)
				}
				return out
			},
			want: func(s sight) []string {
				if !s.seesDept("R&D") {
					return nil
				}
				out := []string{"R&D"}
				n := 0
				for _, p := range s.placements() {
					if p.dept == "R&D" {
						out, n = append(out, "R&D>"+p.member, "membership:R&D>"+p.member), n+1
						if p.leader {
							out = append(out, "leader:R&D>"+p.member)
						}
					}
				}
				return append(out, "R&D#"+itoa(n))
			},
			notFoundOK: true,
		},
	}
}

// deptsWhere are the visible departments matching ok.
func deptsWhere(s sight, ok func(dept string) bool) []string {
	var out []string
	for _, d := range s.depts {
		if ok(d) {
			out = append(out, d)
		}
	}
	return out
}

// membersOf are the visible members of the visible department d.
func membersOf(s sight, d string) []string {
	var out []string
	for _, p := range s.placements() {
		if p.dept == d {
			out = append(out, p.member)
		}
	}
	return out
}

// placementPairs are "member>dept" (or "dept>member") for the visible placements matching ok.
func placementPairs(s sight, ok func(placement) bool, deptFirst bool) []string {
	var out []string
	for _, p := range s.placements() {
		if !ok(p) {
			continue
		}
		if deptFirst {
			out = append(out, p.dept+">"+p.member)
		} else {
			out = append(out, p.member+">"+p.dept)
		}
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestDirectoryVisibilityMatrix logs in as a super admin, a scoped admin of
// Sales, a Sales member, an R&D member, a member and an admin of another
// enterprise, under both directoryVisibility settings, and checks every list,
// count, node lookup, cross-edge filter and nested edge against what the
// viewer may see.
func TestDirectoryVisibilityMatrix(t *testing.T) {
	f := newVisFixture(t)
	checks := readChecks(f)
	for _, setting := range []string{"EVERYONE", "DEPARTMENT"} {
		f.admin.SetVisibility(setting)
		f.globexAdmin.SetVisibility(setting)
		sights := sightsUnder(setting)
		t.Run(setting, func(t *testing.T) {
			for _, who := range viewerOrder {
				c, s := f.viewers[who], sights[who]
				t.Run(strings.ReplaceAll(who, "/", "_"), func(t *testing.T) {
					for _, ck := range checks {
						r := c.Do(ck.query, ck.vars)
						for _, e := range r.Errors {
							if !(ck.notFoundOK && e.Code() == "NOT_FOUND") {
								t.Errorf("%s: error %s (%s)", ck.name, e.Message, e.Code())
							}
						}
						var data any
						r.Decode(t, &data)
						got, want := f.labels(ck.got(data)), sorted(ck.want(s))
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s:\n got %q\nwant %q", ck.name, got, want)
						}
					}
					checkNodes(t, f, c, s)
				})
			}
		})
	}
}

// checkNodes asks nodes(ids) for every row of both enterprises and node(id)
// for each row the viewer may not see. A row the viewer may not see answers
// exactly as an ID that never existed: null, with NOT_FOUND.
func checkNodes(t *testing.T, f *visFixture, c *apitest.Client, s sight) {
	t.Helper()
	all := f.allIDs()
	r := c.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": all})
	var out struct{ Nodes []*struct{ ID string } }
	r.Decode(t, &out)
	var seen []string
	nulls := 0
	for _, n := range out.Nodes {
		if n == nil {
			nulls++
			continue
		}
		seen = append(seen, n.ID)
	}
	if got, want := f.labels(seen), s.visibleLabels(); !reflect.DeepEqual(got, want) {
		t.Errorf("nodes(all):\n got %q\nwant %q", got, want)
	}
	if len(r.Errors) != nulls {
		t.Errorf("nodes(all): %d nulls but %d errors", nulls, len(r.Errors))
	}
	for _, e := range r.Errors {
		if e.Code() != "NOT_FOUND" {
			t.Errorf("nodes(all): error %s (%s), want NOT_FOUND", e.Message, e.Code())
		}
	}

	visible := map[string]bool{}
	for _, l := range s.visibleLabels() {
		visible[l] = true
	}
	for _, id := range all {
		if visible[f.label[id]] {
			continue
		}
		hidden := nodeAnswer(t, c, id)
		ghost := ids.New(ids.Prefix(id))
		if never := strings.ReplaceAll(nodeAnswer(t, c, ghost), ghost, id); hidden != never {
			t.Errorf("node(%s) answers %s, but an ID that never existed answers %s", f.label[id], hidden, never)
		}
	}
}

// nodeAnswer is node(id)'s whole answer (data and errors' messages and
// codes), for comparison; it must hold a null node and a NOT_FOUND error.
func nodeAnswer(t *testing.T, c *apitest.Client, id string) string {
	t.Helper()
	r := c.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	if string(r.Data) != `{"node":null}` || len(r.Errors) != 1 || r.Errors[0].Code() != "NOT_FOUND" {
		t.Errorf("node(%s) = %s %v, want null with NOT_FOUND", id, r.Data, r.Errors)
	}
	var b strings.Builder
	b.WriteString(string(r.Data))
	for _, e := range r.Errors {
		b.WriteString(" " + e.Message + " (" + e.Code() + ")")
	}
	return b.String()
}
