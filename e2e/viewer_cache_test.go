package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/realtime/bus"
)

// Each process keeps the viewers of the tokens it has seen (auth's viewer
// cache), and drops them when the change that ends them wakes the member's
// topic. These tests warm the cache of a second process with a token, make
// the change through the first, wait until the wake-up reached the second
// (the cache follows the topic from before the test does, so it is dropped
// first), and require the second's very next request to see the change.

// onOther is c's token sent to other, a second server on the same database.
func onOther(other *apitest.Env, c *apitest.Client) *apitest.Client {
	d := other.Anonymous()
	d.Token, d.MemberID = c.Token, c.MemberID
	return d
}

// warm sends query twice through c, so that its viewer is cached.
func warm(c *apitest.Client, query string) {
	c.MustDo(query, nil, nil)
	c.MustDo(query, nil, nil)
}

// afterWake runs change, then waits until env has received the wake-up of
// memberID's topic.
func afterWake(t *testing.T, env *apitest.Env, memberID, what string, change func()) {
	t.Helper()
	wake, stop := env.Main.Bus.Subscribe(bus.MemberTopic(memberID))
	defer stop()
	change()
	woken(t, wake, what)
}

const viewerQ = `{ viewer { member { id } } }`

func TestACachedViewerNeverServesADisabledOrDeletedMemberOnAnotherProcess(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newOrg(t)
	other := o.env.StartAnother()
	eve, rita := onOther(other, o.login("eve")), onOther(other, o.login("rita"))
	warm(eve, viewerQ)
	warm(rita, viewerQ)

	afterWake(t, other, o.eve, "eve's disable", func() { o.admin.MustDo(disableM, map[string]any{"id": o.eve}, nil) })
	eve.MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", viewerQ, nil)
	eve.MustFailBecause("FORBIDDEN", "MEMBER_DISABLED", `{ members(first: 5) { totalCount } }`, nil)

	afterWake(t, other, o.rita, "rita's deletion", func() { o.admin.MustDo(deleteM, map[string]any{"id": o.rita}, nil) })
	rita.MustFail("UNAUTHENTICATED", viewerQ, nil)
}

func TestACachedViewerNeverServesAnEndedSessionOnAnotherProcess(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newOrg(t)
	other := o.env.StartAnother()
	phone := o.login("ray")
	laptop := onOther(other, o.login("ray"))
	phoneThere := onOther(other, phone)
	warm(phoneThere, viewerQ)
	warm(laptop, viewerQ)

	afterWake(t, other, o.ray, "ray's logout", func() { phone.MustDo(`mutation { logout { ok } }`, nil, nil) })
	phoneThere.MustFail("UNAUTHENTICATED", viewerQ, nil)
	laptop.MustDo(viewerQ, nil, nil) // the other session still holds
}

func TestACachedViewerNeverServesAMovedMembersOldDepartmentsOnAnotherProcess(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newOrg(t)
	o.admin.SetVisibility("DEPARTMENT")
	other := o.env.StartAnother()
	sam := onOther(other, o.login("sam"))
	sees := func() map[string]bool {
		t.Helper()
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
	sees()
	if s := sees(); !s["eve"] || s["rita"] {
		t.Fatalf("in Sales, sam sees %v", s)
	}
	afterWake(t, other, o.sam, "sam's transfer", func() {
		o.admin.MustDo(`mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"id": o.sam, "departments": []map[string]any{{"departmentId": o.rnd, "isPrimary": true}},
		}}, nil)
	})
	if s := sees(); s["eve"] || !s["rita"] {
		t.Fatalf("moved to R&D, sam sees %v on the other process", s)
	}
}

func TestACachedViewerNeverKeepsARevokedRoleOrARemovedTagOnAnotherProcess(t *testing.T) {
	apitest.RequirePostgres(t)
	o := newOrg(t)
	other := o.env.StartAnother()
	o.admin.GrantScoped(o.ray, []string{o.rnd}, "SEND_MESSAGES")
	o.admin.CreateApp("Mentoring", apitest.Range{Tags: []string{o.mgrTag}})
	ray, rita := onOther(other, o.login("ray")), onOther(other, o.login("rita"))
	send := func() *apitest.Response {
		return ray.Do(`mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
			map[string]any{"in": apitest.Text("hello", apitest.Range{Members: []string{o.rita}})})
	}
	if r := send(); len(r.Errors) > 0 {
		t.Fatalf("a scoped admin's send: %v", r.Errors)
	}
	send()
	const appsQ = `{ apps(first: 10) { totalCount } }`
	var apps struct{ Apps struct{ TotalCount int } }
	warm(rita, appsQ)
	if rita.MustDo(appsQ, nil, &apps); apps.Apps.TotalCount != 1 {
		t.Fatalf("rita, tagged mgr, sees %d apps", apps.Apps.TotalCount)
	}

	afterWake(t, other, o.ray, "ray's revoked role", func() {
		o.admin.MustDo(`mutation($in: RevokeAdminInput!) { revokeAdmin(input: $in) { memberId } }`,
			map[string]any{"in": map[string]any{"memberId": o.ray}}, nil)
	})
	if r := send(); !r.HasCode("FORBIDDEN") {
		t.Fatalf("a send after the role was revoked: %v", r.Errors)
	}

	afterWake(t, other, o.rita, "rita's removal from the tag", func() {
		o.admin.MustDo(`mutation($in: UpdateTagInput!) { updateTag(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"id": o.mgrTag, "removeMemberIds": []string{o.rita}}}, nil)
	})
	if rita.MustDo(appsQ, nil, &apps); apps.Apps.TotalCount != 0 {
		t.Fatalf("rita, no longer tagged, sees %d apps on the other process", apps.Apps.TotalCount)
	}
}
