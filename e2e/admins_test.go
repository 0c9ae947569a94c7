package e2e

import (
	"sort"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// adminRole is the viewer's role as a client reads it.
type adminRole struct {
	Kind        string
	Rights      []string
	Departments []struct{ ID string }
}

func myRole(t *testing.T, c *apitest.Client) *adminRole {
	t.Helper()
	var out struct {
		Viewer struct {
			IsSuperAdmin bool
			AdminRole    *adminRole
		}
	}
	c.MustDo(`{ viewer { isSuperAdmin adminRole { kind rights departments { id } } } }`, nil, &out)
	return out.Viewer.AdminRole
}

// roleHolders lists the userids of the admin roles c sees, with their kinds.
func roleHolders(t *testing.T, c *apitest.Client) string {
	t.Helper()
	var out struct {
		AdminRoles struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind   string
					Member struct{ Userid string }
				}
			}
		}
	}
	c.MustDo(`{ adminRoles(first: 100) { totalCount edges { node { kind member { userid } } } } }`, nil, &out)
	var s []string
	for _, e := range out.AdminRoles.Edges {
		s = append(s, e.Node.Member.Userid+":"+e.Node.Kind)
	}
	sort.Strings(s)
	if out.AdminRoles.TotalCount != len(s) {
		t.Errorf("adminRoles totalCount %d for %d roles", out.AdminRoles.TotalCount, len(s))
	}
	return strings.Join(s, ",")
}

func grant(c *apitest.Client, member, kind string, depts []string, rights ...string) *apitest.Response {
	in := map[string]any{"memberId": member, "kind": kind}
	if depts != nil {
		in["departmentIds"] = depts
		in["rights"] = rights
	}
	return c.Do(mGrant, map[string]any{"in": in})
}

func revoke(c *apitest.Client, member string) *apitest.Response {
	return c.Do(mRevoke, map[string]any{"in": map[string]any{"memberId": member}})
}

func TestGrantedRightsTakeEffectOnTheNextRequestAndRevokingEndsThem(t *testing.T) {
	tr := newTree(t)
	sam := tr.env.Login("acme", "sam", apitest.TestPassword)
	mustFailWith(t, sam, "FORBIDDEN", mCreateDept, map[string]any{"in": map[string]any{"name": "X", "parentId": tr.east}})
	if r := myRole(t, sam); r != nil {
		t.Fatalf("sam has a role before any grant: %+v", r)
	}

	if r := grant(tr.admin, tr.sam, "SCOPED", []string{tr.east, tr.east}, "MANAGE_DEPARTMENTS", "MANAGE_DEPARTMENTS"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	r := myRole(t, sam)
	if r == nil || r.Kind != "SCOPED" || strings.Join(r.Rights, ",") != "MANAGE_DEPARTMENTS" || len(r.Departments) != 1 || r.Departments[0].ID != tr.east {
		t.Fatalf("sam's role = %+v", r)
	}
	sam.CreateDepartment("East Lab", tr.east)
	mustFailWith(t, sam, "FORBIDDEN", mCreateMember, map[string]any{"in": map[string]any{"userid": "x", "name": "X", "departments": place2(tr.east)}})

	// A new grant replaces the role: one role per member.
	if r := grant(tr.admin, tr.sam, "SCOPED", []string{tr.sales}, "MANAGE_MEMBERS"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if got := roleHolders(t, tr.admin); got != "admin:SUPER,salesadmin:SCOPED,sam:SCOPED" {
		t.Errorf("roles = %s", got)
	}
	mustFailWith(t, sam, "FORBIDDEN", mCreateDept, map[string]any{"in": map[string]any{"name": "Y", "parentId": tr.east}})

	tr.admin.MustDo(mRevoke, map[string]any{"in": map[string]any{"memberId": tr.sam}}, nil)
	if r := myRole(t, sam); r != nil {
		t.Errorf("sam keeps a role after revoke: %+v", r)
	}
	mustFailWith(t, sam, "FORBIDDEN", mUpdateMember, map[string]any{"in": map[string]any{"id": tr.rdmem, "name": "X"}})
	mustFailWith(t, tr.admin, "NOT_FOUND", mRevoke, map[string]any{"in": map[string]any{"memberId": tr.sam}})
}

func TestScopedAdminGrantsAndRevokesOnlyWhatTheyHold(t *testing.T) {
	tr := newTree(t)
	sa := tr.salesAdmin
	east := tr.admin.CreateMember(apitest.MemberSpec{Userid: "east", Depts: []string{tr.east}})
	both := tr.admin.CreateMember(apitest.MemberSpec{Userid: "both", Depts: []string{tr.sales, tr.rnd}})
	tr.admin.CreateMember(apitest.MemberSpec{Userid: "sender", Depts: []string{tr.east}})
	sender := tr.env.Login("acme", "sender", apitest.TestPassword)
	tr.admin.GrantScoped(sender.MemberID, []string{tr.east}, "SEND_MESSAGES")
	tr.admin.GrantScoped(both, []string{tr.sales, tr.rnd}, "MANAGE_MEMBERS")

	// What the scoped admin sees of roles: their own and those they manage
	// (inside Sales, with their rights or fewer). sender's (a right they lack)
	// is inside Sales too, so visible; both's reaches R&D, so it is not.
	if r := grant(sa, east, "SCOPED", []string{tr.east}, "MANAGE_MEMBERS"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if got := roleHolders(t, sa); got != "east:SCOPED,salesadmin:SCOPED,sender:SCOPED" {
		t.Errorf("scoped admin sees roles %s", got)
	}
	if got := roleHolders(t, tr.env.Login("acme", "east", apitest.TestPassword)); got != "east:SCOPED,sender:SCOPED" {
		t.Errorf("east (MANAGE_MEMBERS over Sales East) sees roles %s", got)
	}
	if got := roleHolders(t, tr.env.Login("acme", "sam", apitest.TestPassword)); got != "" {
		t.Errorf("sam sees roles %s", got)
	}

	before := roleHolders(t, tr.admin)
	mustFailWith(t, sa, "FORBIDDEN", mRevoke, map[string]any{"in": map[string]any{"memberId": sender.MemberID}})
	mustFailWith(t, sa, "NOT_FOUND", mRevoke, map[string]any{"in": map[string]any{"memberId": both}})
	if r := grant(sa, both, "SCOPED", []string{tr.sales}, "MANAGE_MEMBERS"); !r.HasCode("FORBIDDEN") {
		t.Errorf("scoped admin replaced a role reaching beyond them: %v", r.Errors)
	}
	if r := grant(sa, sender.MemberID, "SCOPED", []string{tr.east}, "MANAGE_MEMBERS"); !r.HasCode("FORBIDDEN") {
		t.Errorf("scoped admin replaced a role with a right they lack: %v", r.Errors)
	}
	if r := grant(sa, tr.acme.AdminID, "SCOPED", []string{tr.sales}, "MANAGE_MEMBERS"); !r.HasCode("FORBIDDEN") {
		t.Errorf("scoped admin demoted the super admin: %v", r.Errors)
	}
	if r := grant(sa, tr.sam, "SCOPED", []string{}, "MANAGE_MEMBERS"); !r.HasCode("BAD_USER_INPUT") {
		t.Errorf("grant without departments: %v", r.Errors)
	}
	if r := grant(sa, tr.sam, "SCOPED", []string{tr.sales}); !r.HasCode("BAD_USER_INPUT") {
		t.Errorf("grant without rights: %v", r.Errors)
	}
	if after := roleHolders(t, tr.admin); after != before {
		t.Errorf("refused grants changed roles: %s, was %s", after, before)
	}

	tr.salesAdmin.MustDo(mRevoke, map[string]any{"in": map[string]any{"memberId": east}}, nil)
	if got := roleHolders(t, tr.admin); got != "admin:SUPER,both:SCOPED,salesadmin:SCOPED,sender:SCOPED" {
		t.Errorf("roles after revoke = %s", got)
	}
}

func TestTheLastSuperAdminStays(t *testing.T) {
	tr := newTree(t)
	ceo := tr.admin.CreateMember(apitest.MemberSpec{Userid: "ceo", Depts: []string{tr.root}})
	mustFailWith(t, tr.admin, "CONFLICT", mRevoke, map[string]any{"in": map[string]any{"memberId": tr.acme.AdminID}})

	// With a second super admin, the first may step down; then the second
	// is the last one.
	if r := grant(tr.admin, ceo, "SUPER", nil); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	ceoC := tr.env.Login("acme", "ceo", apitest.TestPassword)
	if r := myRole(t, ceoC); r == nil || r.Kind != "SUPER" {
		t.Fatalf("ceo's role = %+v", r)
	}
	tr.admin.MustDo(mRevoke, map[string]any{"in": map[string]any{"memberId": tr.acme.AdminID}}, nil)
	mustFailWith(t, tr.admin, "FORBIDDEN", mCreateDept, map[string]any{"in": map[string]any{"name": "X", "parentId": tr.root}})
	mustFailWith(t, ceoC, "CONFLICT", mRevoke, map[string]any{"in": map[string]any{"memberId": ceo}})
	mustFailWith(t, ceoC, "CONFLICT", mGrant, map[string]any{"in": map[string]any{"memberId": ceo, "kind": "SCOPED",
		"departmentIds": []any{tr.sales}, "rights": []any{"MANAGE_MEMBERS"}}})
	if got := roleHolders(t, ceoC); got != "ceo:SUPER,salesadmin:SCOPED" {
		t.Errorf("roles = %s", got)
	}
}

func TestTagsAreCreatedRenamedRetaggedAndDeleted(t *testing.T) {
	tr := newTree(t)
	var out struct{ CreateTag struct{ ID string } }
	tr.admin.MustDo(mCreateTag, map[string]any{"in": map[string]any{"name": " Project X ", "memberIds": []any{tr.sam, tr.rdmem}}}, &out)
	tag := out.CreateTag.ID
	mustFailWith(t, tr.admin, "CONFLICT", mCreateTag, map[string]any{"in": map[string]any{"name": "Project X"}})
	mustFailWith(t, tr.admin, "BAD_USER_INPUT", mCreateTag, map[string]any{"in": map[string]any{"name": ""}})

	tagMembers := func() string {
		var out struct {
			Node struct {
				Name    string
				Members struct {
					TotalCount int
					Edges      []struct{ Node struct{ Userid string } }
				}
			}
		}
		tr.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Tag { name members(first: 10, orderBy: {field: USERID}) {
			totalCount edges { node { userid } } } } } }`, map[string]any{"id": tag}, &out)
		s := []string{out.Node.Name}
		for _, e := range out.Node.Members.Edges {
			s = append(s, e.Node.Userid)
		}
		return strings.Join(s, ",")
	}
	if got := tagMembers(); got != "Project X,rdmem,sam" {
		t.Errorf("tag = %s", got)
	}
	tr.admin.MustDo(mUpdateTag, map[string]any{"in": map[string]any{"id": tag, "name": "Project Y",
		"addMemberIds": []any{tr.salesAdminID}, "removeMemberIds": []any{tr.rdmem}}}, nil)
	if got := tagMembers(); got != "Project Y,salesadmin,sam" {
		t.Errorf("tag after update = %s", got)
	}

	// The scoped admin of Sales tags members of Sales only, and renames or
	// deletes only tags of their own members.
	sa := tr.salesAdmin
	var mine struct{ CreateTag struct{ ID string } }
	sa.MustDo(mCreateTag, map[string]any{"in": map[string]any{"name": "Sales only", "memberIds": []any{tr.sam}}}, &mine)
	sa.MustDo(mUpdateTag, map[string]any{"in": map[string]any{"id": mine.CreateTag.ID, "name": "Sales crew"}}, nil)
	mustFailWith(t, sa, "FORBIDDEN", mUpdateTag, map[string]any{"in": map[string]any{"id": tag, "name": "Mine"}})
	mustFailWith(t, sa, "FORBIDDEN", mUpdateTag, map[string]any{"in": map[string]any{"id": mine.CreateTag.ID, "addMemberIds": []any{tr.rdmem}}})
	sa.MustDo(mDeleteTag, map[string]any{"in": map[string]any{"id": mine.CreateTag.ID}}, nil)

	tr.admin.MustDo(mDeleteTag, map[string]any{"in": map[string]any{"id": tag}}, nil)
	mustFailWith(t, tr.admin, "NOT_FOUND", mDeleteTag, map[string]any{"in": map[string]any{"id": tag}})
	if n := totalCount(t, tr.admin, "tags"); n != 0 {
		t.Errorf("tags left: %d", n)
	}
	if n := totalCount(t, tr.admin, "members"); n != 4 {
		t.Errorf("deleting tags removed members: %d left", n)
	}
}

// TestTwoSuperAdminsRevokingEachOtherAtOnceLeaveOne runs the race the last
// super admin rule must survive: whatever the interleaving, one remains.
func TestTwoSuperAdminsRevokingEachOtherAtOnceLeaveOne(t *testing.T) {
	tr := newTree(t)
	a := tr.admin
	bID := tr.admin.CreateMember(apitest.MemberSpec{Userid: "b", Depts: []string{tr.root}})
	for round := range 5 {
		if r := grant(a, bID, "SUPER", nil); len(r.Errors) > 0 {
			t.Fatalf("round %d: grant: %v", round, r.Errors)
		}
		b := tr.env.Login("acme", "b", apitest.TestPassword)
		results := make(chan *apitest.Response, 2)
		go func() { results <- revoke(a, bID) }()
		go func() { results <- revoke(b, tr.acme.AdminID) }()
		ok := 0
		for range 2 {
			if r := <-results; len(r.Errors) == 0 {
				ok++
			}
		}
		// Whoever is still super sees every role; the other sees none.
		byA := roleHolders(t, tr.env.Admin(tr.acme))
		byB := roleHolders(t, tr.env.Login("acme", "b", apitest.TestPassword))
		supers := max(strings.Count(byA, ":SUPER"), strings.Count(byB, ":SUPER"))
		if ok != 1 || supers != 1 {
			t.Fatalf("round %d: %d revocations succeeded, %d super admins left (%q, %q)", round, ok, supers, byA, byB)
		}
		if strings.Contains(byA, "admin:SUPER") {
			continue
		}
		// b won: b makes the original admin super again and steps down.
		b = tr.env.Login("acme", "b", apitest.TestPassword)
		b.MustDo(mGrant, map[string]any{"in": map[string]any{"memberId": tr.acme.AdminID, "kind": "SUPER"}}, nil)
		b.MustDo(mRevoke, map[string]any{"in": map[string]any{"memberId": bID}}, nil)
	}
}
