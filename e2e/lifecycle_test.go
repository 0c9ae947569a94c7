package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// woken waits for a wake-up on ch; the timeout only guards against a hang.
func woken(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("no wake-up for %s", what)
	}
}

const (
	disableM = `mutation($id: ID!) { disableMember(input: {id: $id}) { status } }`
	enableM  = `mutation($id: ID!) { enableMember(input: {id: $id}) { status } }`
	deleteM  = `mutation($id: ID!) { deleteMember(input: {id: $id}) { deletedId } }`
)

// Scenario 6 of DOMAIN.md, the token part: a phone is lost; the admin
// disables the member; every session stops at once and every call says why,
// until the member is enabled and signs in again. (Closing the open inbox
// subscription is the realtime part: the disable wakes the member's topic.)
func TestScenario6ADisabledMemberIsLockedOutAtOnceUntilEnabled(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	phone := env.Login("acme", "sam", apitest.TestPassword)
	laptop := env.Login("acme", "sam", apitest.TestPassword)
	phone.MustDo(`{ viewer { member { id } } }`, nil, nil)
	wake, stop := env.Main.Bus.Subscribe(bus.MemberTopic(samID))
	defer stop()

	var out struct{ DisableMember struct{ Status string } }
	admin.MustDo(disableM, map[string]any{"id": samID}, &out)
	if out.DisableMember.Status != "DISABLED" {
		t.Fatalf("status = %s", out.DisableMember.Status)
	}
	woken(t, wake, "the disabled member's live connections")
	for name, c := range map[string]*apitest.Client{"phone": phone, "laptop": laptop} {
		c.MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", `{ viewer { member { id } } }`, nil)
		c.MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", `{ members(first: 5) { totalCount } }`, nil)
		if r := c.Do(`mutation { logout { ok } }`, nil); !(r.HasCode("FORBIDDEN") && r.HasReason("MEMBER_DISABLED")) {
			t.Fatalf("%s logout: %v", name, r.Errors)
		}
	}
	env.Anonymous().MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", apitest.LoginMutation, apitest.LoginVars("acme", "sam", apitest.TestPassword))

	admin.MustDo(enableM, map[string]any{"id": samID}, nil)
	woken(t, wake, "the enabled member")
	phone.MustFail("UNAUTHENTICATED", `{ viewer { member { id } } }`, nil) // sign in again
	env.Login("acme", "sam", apitest.TestPassword).MustDo(`{ viewer { member { id } } }`, nil, nil)
	admin.MustFail("CONFLICT", enableM, map[string]any{"id": samID})
}

func TestWhoMayDisableWhom(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	lead := admin.CreateMember(apitest.MemberSpec{Userid: "lead", Depts: []string{sales}})
	admin.GrantScoped(lead, []string{sales}, "MANAGE_MEMBERS")
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	rita := admin.CreateMember(apitest.MemberSpec{Userid: "rita", Depts: []string{rnd}})
	boss := admin.CreateMember(apitest.MemberSpec{Userid: "boss", Depts: []string{sales}})
	admin.MustDo(`mutation($id: ID!) { grantAdmin(input: {memberId: $id, kind: SUPER}) { id } }`, map[string]any{"id": boss}, nil)
	lc := env.Login("acme", "lead", apitest.TestPassword)
	samc := env.Login("acme", "sam", apitest.TestPassword)

	admin.MustFail("FORBIDDEN", disableM, map[string]any{"id": acme.AdminID}) // not yourself
	samc.MustFail("FORBIDDEN", disableM, map[string]any{"id": rita})          // members never
	lc.MustFail("NOT_FOUND", disableM, map[string]any{"id": rita})            // outside the lead's scope
	lc.MustFail("FORBIDDEN", disableM, map[string]any{"id": boss})            // an admin: super admins only
	lc.MustFail("FORBIDDEN", deleteM, map[string]any{"id": boss})
	lc.MustDo(disableM, map[string]any{"id": sam}, nil)
	lc.MustDo(enableM, map[string]any{"id": sam}, nil)
	admin.MustDo(disableM, map[string]any{"id": boss}, nil) // another super admin remains
	env.Anonymous().MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", apitest.LoginMutation, apitest.LoginVars("acme", "boss", apitest.TestPassword))
}

// Deleting a member: they leave the directory and stop following, their
// sessions end, their userid is free again; the row that stays is a
// tombstone kept only for attribution, with nothing personal but the name.
func TestADeletedMemberLeavesTheDirectoryAndStopsFollowing(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Name: "Sam Li", Depts: []string{sales}, Mobile: "+8613900000001"})
	admin.MustDo(`mutation($ids: [ID!]) { createTag(input: {name: "Travel", memberIds: $ids}) { id } }`, map[string]any{"ids": []string{samID}}, nil)
	sam := env.Login("acme", "sam", apitest.TestPassword)
	if n, _ := followers(t, admin); n != 2 {
		t.Fatalf("followers = %d", n)
	}
	wake, stop := env.Main.Bus.Subscribe(bus.MemberTopic(samID))
	defer stop()

	var out struct{ DeleteMember struct{ DeletedID string } }
	admin.MustDo(deleteM, map[string]any{"id": samID}, &out)
	if out.DeleteMember.DeletedID != samID {
		t.Fatalf("deletedId = %s", out.DeleteMember.DeletedID)
	}
	woken(t, wake, "the deleted member's live connections")
	sam.MustFail("UNAUTHENTICATED", `{ viewer { member { id } } }`, nil)
	env.Anonymous().MustFail("UNAUTHENTICATED", apitest.LoginMutation, apitest.LoginVars("acme", "sam", apitest.TestPassword))
	env.Anonymous().MustFail("UNAUTHENTICATED", apitest.LoginMutation, apitest.LoginVars("acme", "+8613900000001", apitest.TestPassword))

	var dir struct {
		Members struct{ TotalCount int }
		Tags    struct {
			Edges []struct {
				Node struct{ Members struct{ TotalCount int } }
			}
		}
		Departments struct {
			Edges []struct {
				Node struct{ Members struct{ TotalCount int } }
			}
		}
	}
	admin.MustDo(`{
	  members(first: 10) { totalCount }
	  tags(first: 5) { edges { node { members(first: 5) { totalCount } } } }
	  departments(first: 5, where: {name: "Sales"}) { edges { node { members(first: 5) { totalCount } } } }
	}`, nil, &dir)
	admin.MustFail("NOT_FOUND", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": samID})
	if dir.Members.TotalCount != 1 || dir.Tags.Edges[0].Node.Members.TotalCount != 0 || dir.Departments.Edges[0].Node.Members.TotalCount != 0 {
		t.Fatalf("directory after delete = %+v", dir)
	}
	if n, _ := followers(t, admin); n != 1 {
		t.Fatalf("followers after delete = %d", n)
	}
	admin.MustFail("NOT_FOUND", deleteM, map[string]any{"id": samID})

	// What stays: a tombstone with the name only; no sessions, no placements.
	sys := policy.SystemContext(context.Background())
	db := env.DB.Client
	tomb, err := db.Member.Get(sys, samID)
	if err != nil || tomb.Status != member.StatusDELETED || tomb.Name != "Sam Li" || tomb.Mobile != nil || tomb.PasswordHash != "" || tomb.Userid == "sam" {
		t.Fatalf("tombstone = %+v, %v", tomb, err)
	}
	if n, _ := db.Session.Query().Where(session.MemberID(samID)).Count(sys); n != 0 {
		t.Fatalf("%d sessions left", n)
	}
	if n, _ := db.Membership.Query().Where(membership.MemberID(samID)).Count(sys); n != 0 {
		t.Fatalf("%d placements left", n)
	}
	// The userid is free for someone new.
	if id := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}}); id == samID {
		t.Fatalf("the new sam reuses the old row")
	}
}

func TestAScopedAdminDeletesOnlyMembersWhollyInTheirScope(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	lead := admin.CreateMember(apitest.MemberSpec{Userid: "lead", Depts: []string{sales}})
	admin.GrantScoped(lead, []string{sales}, "MANAGE_MEMBERS")
	both := admin.CreateMember(apitest.MemberSpec{Userid: "both", Depts: []string{sales, rnd}})
	only := admin.CreateMember(apitest.MemberSpec{Userid: "only", Depts: []string{sales}})
	lc := env.Login("acme", "lead", apitest.TestPassword)
	lc.MustFail("FORBIDDEN", deleteM, map[string]any{"id": both})
	lc.MustDo(deleteM, map[string]any{"id": only}, nil)
	admin.MustDo(deleteM, map[string]any{"id": both}, nil)
}

// Scenario 5 of DOMAIN.md, the next-query part: an employee moves from Sales
// to R&D; on their very next request, with the same token, they see what R&D
// sees and no longer what only Sales sees. Their live connections are woken
// to reload their viewer.
func TestScenario5ATransferChangesWhatTheNextQuerySees(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	admin.SetVisibility("DEPARTMENT")
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	admin.CreateMember(apitest.MemberSpec{Userid: "sue", Depts: []string{sales}})
	admin.CreateMember(apitest.MemberSpec{Userid: "rita", Depts: []string{rnd}})
	sam := env.Login("acme", "sam", apitest.TestPassword)
	sees := func() map[string]bool {
		var out struct {
			Members struct {
				Edges []struct{ Node struct{ Userid string } }
			}
		}
		sam.MustDo(`{ members(first: 50) { edges { node { userid } } } }`, nil, &out)
		m := map[string]bool{}
		for _, e := range out.Members.Edges {
			m[e.Node.Userid] = true
		}
		return m
	}
	if s := sees(); !s["sue"] || s["rita"] {
		t.Fatalf("in Sales, sam sees %v", s)
	}
	wake, stop := env.Main.Bus.Subscribe(bus.MemberTopic(samID))
	defer stop()
	admin.MustDo(`mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"id": samID, "departments": []map[string]any{{"departmentId": rnd, "isPrimary": true}},
	}}, nil)
	woken(t, wake, "the transferred member's live connections")
	if s := sees(); s["sue"] || !s["rita"] {
		t.Fatalf("in R&D, sam sees %v", s)
	}
}
