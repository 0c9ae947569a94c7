package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// announcementSight is what each read path shows a viewer.
type announcementSight struct {
	published, draft, nodes, list, where, filter, reading bool
}

// announcementSightOf asks every read path what c sees of a published
// announcement pub, a draft, and reading (sam's reading of pub).
func announcementSightOf(t *testing.T, c *apitest.Client, pub, draft, reading string) announcementSight {
	t.Helper()
	var s announcementSight
	found := func(id string) bool {
		r := c.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
		var out struct{ Node *struct{ ID string } }
		r.Decode(t, &out)
		if out.Node == nil && !r.HasCode("NOT_FOUND") {
			t.Fatalf("node(%s): a hidden row must answer NOT_FOUND, got %v", id, r.Errors)
		}
		return out.Node != nil
	}
	s.published, s.draft, s.reading = found(pub), found(draft), found(reading)
	var ns struct{ Nodes []*struct{ ID string } }
	c.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{pub}}).Decode(t, &ns)
	s.nodes = len(ns.Nodes) == 1 && ns.Nodes[0] != nil
	list := c.AnnouncementIDs("")
	s.list = slices.Contains(list, pub)
	var w struct{ Announcements struct{ TotalCount int } }
	c.MustDo(`{ announcements(first: 0, where: {titleContains: "bonus", status: PUBLISHED}) { totalCount } }`, nil, &w)
	s.where = w.Announcements.TotalCount == 1
	s.filter = slices.Contains(c.AnnouncementIDs(`{read: false}`), pub) || slices.Contains(c.AnnouncementIDs(`{read: true}`), pub)
	return s
}

// TestAnnouncementsAreSeenByTheirAudienceAuthorAndManagersOnly is the
// visibility table of announcements: a published one is seen by its
// audience as it is now, every state by its author and the admins holding
// MANAGE_ANNOUNCEMENTS over the author's departments; nobody else sees
// anything, through any read path; readings are seen by the reader and the
// managers.
func TestAnnouncementsAreSeenByTheirAudienceAuthorAndManagersOnly(t *testing.T) {
	o := newOrg(t)
	hr := o.admin.CreateDepartment("HR", o.acme.RootID)
	hank := o.admin.CreateMember(apitest.MemberSpec{Userid: "hank", Depts: []string{hr}})
	o.admin.GrantScoped(hank, []string{o.sales, hr}, "MANAGE_ANNOUNCEMENTS")
	mia := o.admin.CreateMember(apitest.MemberSpec{Userid: "mia", Depts: []string{hr}})
	o.admin.GrantScoped(mia, []string{hr}, "MANAGE_ANNOUNCEMENTS") // manages the author's department
	max := o.admin.CreateMember(apitest.MemberSpec{Userid: "max", Depts: []string{hr}})
	o.admin.GrantScoped(max, []string{hr}, "MANAGE_MEMBERS") // over it, without the right
	rob := o.admin.CreateMember(apitest.MemberSpec{Userid: "rob", Depts: []string{hr}})
	o.admin.GrantScoped(rob, []string{o.rnd}, "MANAGE_ANNOUNCEMENTS") // the right elsewhere
	_ = hank

	hankC := o.login("hank")
	pub := hankC.Announce("Sales bonus", depts(o.sales))
	draft := hankC.ActOnAnnouncement("createAnnouncement", map[string]any{"title": "Sales bonus, next year", "body": "b", "audience": depts(o.sales)})
	sam := o.login("sam")
	sam.ActOnAnnouncement("markAnnouncementRead", map[string]any{"id": pub.ID})
	var rd struct {
		Node struct {
			Readers struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	hankC.MustDo(`query($id: ID!) { node(id: $id) { ... on Announcement { readers(first: 1) { edges { node { id } } } } } }`, map[string]any{"id": pub.ID}, &rd)
	reading := rd.Node.Readers.Edges[0].Node.ID
	_, _, _ = mia, max, rob

	all := announcementSight{true, true, true, true, true, true, true}
	audience := announcementSight{published: true, nodes: true, list: true, where: true, filter: true}
	none := announcementSight{}
	crm, _ := o.salesApp()
	rows := []struct {
		who  string
		c    *apitest.Client
		want announcementSight
	}{
		{"author", hankC, all},
		{"super admin", o.admin, all},
		{"admin with the right over the author's department", o.login("mia"), all},
		{"reader in the audience", sam, announcementSight{true, false, true, true, true, true, true}},
		{"audience member of a sub-department", o.login("eve"), audience},
		{"member outside the audience", o.login("rita"), none},
		{"admin over the author's department without the right", o.login("max"), none},
		{"admin with the right elsewhere", o.login("rob"), none},
		{"other enterprise's admin", o.env.Admin(o.other), none},
	}
	for _, row := range rows {
		t.Run(row.who, func(t *testing.T) {
			if got := announcementSightOf(t, row.c, pub.ID, draft.ID, reading); got != row.want {
				t.Fatalf("got %+v, want %+v", got, row.want)
			}
		})
	}
	t.Run("app", func(t *testing.T) {
		crm.MustFail("NOT_FOUND", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": pub.ID})
		if got := crm.AnnouncementIDs(""); len(got) != 0 {
			t.Fatalf("an app lists %v", got)
		}
	})
}
