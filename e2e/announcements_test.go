package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// depts is an AudienceInput of departments.
func depts(ids ...string) map[string]any { return map[string]any{"departmentIds": ids} }

// TestScenario5TransferMovesAnnouncements is scenario 5: an employee moves
// from Sales to R&D; the Sales-only announcement vanishes for them and the
// R&D one appears, in the announcements list and in the inbox subscription
// they had open before the move.
func TestScenario5TransferMovesAnnouncements(t *testing.T) {
	o := newOrg(t)
	salesNews := o.admin.Announce("Sales quota", depts(o.sales))
	rndNews := o.admin.Announce("R&D offsite", depts(o.rnd))
	sam := o.login("sam")
	if got := sam.AnnouncementIDs(""); !slices.Equal(got, []string{salesNews.ID}) {
		t.Fatalf("sam in Sales sees %v", got)
	}
	if in := subjectInbox(t, sam); !slices.Equal(in, []string{"PUBLISHED:" + salesNews.ID}) {
		t.Fatalf("sam's inbox %v", in)
	}

	ws := o.env.WS()
	ws.Init(sam.Token)
	ws.SubscribeSubjects("in")
	var before struct {
		Inbox struct {
			Edges []struct{ Node struct{ Seq int } }
		}
	}
	sam.MustDo(`{ inbox(first: 1) { edges { node { seq } } } }`, nil, &before)
	salesSeq := before.Inbox.Edges[0].Node.Seq

	o.admin.MustDo(`mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"id": o.sam, "departments": []map[string]any{{"departmentId": o.rnd, "isPrimary": true}},
	}}, nil)

	var recalled, arrived bool
	for !recalled || !arrived {
		ev := ws.SubjectEvent("in")
		switch {
		case ev.Kind == "RECALLED" && ev.Seq == salesSeq && !recalled:
			recalled = true
		case ev.Kind == "NEW" && ev.Entry != nil && ev.Entry.Subject != nil && ev.Entry.Subject.ID == rndNews.ID && !arrived:
			arrived = true
		default:
			t.Fatalf("after the transfer: unexpected %+v (entry %+v)", ev, ev.Entry)
		}
	}
	if got := sam.AnnouncementIDs(""); !slices.Equal(got, []string{rndNews.ID}) {
		t.Fatalf("sam in R&D sees %v", got)
	}
	mustNotFind(t, sam, salesNews.ID)
	if in := subjectInbox(t, sam); !slices.Equal(in, []string{"PUBLISHED:" + rndNews.ID}) {
		t.Fatalf("sam's inbox after the move %v", in)
	}
	// Sales' own members are untouched.
	if got := o.login("eve").AnnouncementIDs(""); !slices.Equal(got, []string{salesNews.ID}) {
		t.Fatalf("eve in East (under Sales) sees %v", got)
	}
}

// TestAnAnnouncementGoesFromDraftToPublishedToWithdrawn follows one
// announcement through its states, with who sees it at each.
func TestAnAnnouncementGoesFromDraftToPublishedToWithdrawn(t *testing.T) {
	clk := apitest.NewClock()
	o := newOrg(t, apitest.WithClock(clk))
	a := o.admin.ActOnAnnouncement("createAnnouncement", map[string]any{"title": "Holiday schedule", "body": "**closed** on Friday",
		"category": "HR", "audience": depts(o.sales)})
	sam := o.login("sam")
	if a.Status != "DRAFT" || a.Author == nil || a.Author.ID != o.acme.AdminID {
		t.Fatalf("created %+v", a)
	}
	mustNotFind(t, sam, a.ID) // drafts are the author's

	a = o.admin.ActOnAnnouncement("updateAnnouncement", map[string]any{"id": a.ID, "title": "Holiday schedule 2026"})
	at := clk.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	a = o.admin.ActOnAnnouncement("publishAnnouncement", map[string]any{"id": a.ID, "at": at})
	if a.Status != "SCHEDULED" || a.PublishAt == nil {
		t.Fatalf("scheduled %+v", a)
	}
	if n, _ := o.env.Main.Jobs.Announcements.RunOnce(t.Context()); n != 0 {
		t.Fatalf("published %d before its time", n)
	}
	mustNotFind(t, sam, a.ID)
	clk.Advance(time.Hour)
	if n, err := o.env.Main.Jobs.Announcements.RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("published %d at its time (%v)", n, err)
	}
	if got := sam.AnnouncementIDs(""); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("sam sees %v once published", got)
	}
	if in := subjectInbox(t, sam); !slices.Equal(in, []string{"PUBLISHED:" + a.ID}) {
		t.Fatalf("sam's inbox %v", in)
	}
	o.admin.MustFail("CONFLICT", apitest.AnnouncementOp("updateAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID, "title": "late"}})
	o.admin.MustFail("CONFLICT", apitest.AnnouncementOp("publishAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID}})

	// Pinned until a time: on top until then.
	until := clk.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	if a = o.admin.ActOnAnnouncement("pinAnnouncement", map[string]any{"id": a.ID, "until": until}); !a.Pinned {
		t.Fatalf("pinned %+v", a)
	}
	if got := sam.AnnouncementIDs(`{pinned: true}`); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("pinned list %v", got)
	}
	clk.Advance(49 * time.Hour)
	if got := sam.AnnouncementIDs(`{pinned: true}`); len(got) != 0 {
		t.Fatalf("a pin outlived its expiry: %v", got)
	}

	// Read: the first reading is the one that counts.
	r := sam.ActOnAnnouncement("markAnnouncementRead", map[string]any{"id": a.ID})
	if r.ReadAt == nil {
		t.Fatalf("read %+v", r)
	}
	if again := sam.ActOnAnnouncement("markAnnouncementRead", map[string]any{"id": a.ID}); *again.ReadAt != *r.ReadAt {
		t.Fatalf("a second reading moved readAt %s -> %s", *r.ReadAt, *again.ReadAt)
	}

	// Withdrawn: gone for the audience and from their inboxes.
	if a = o.admin.ActOnAnnouncement("withdrawAnnouncement", map[string]any{"id": a.ID}); a.Status != "WITHDRAWN" {
		t.Fatalf("withdrawn %+v", a)
	}
	mustNotFind(t, sam, a.ID)
	if in := subjectInbox(t, sam); len(in) != 0 {
		t.Fatalf("a withdrawn announcement stays in the inbox: %v", in)
	}
	mustFind(t, o.admin, a.ID)
}

// TestAuthorsSeeWhoHasReadAndWhoHasNot: readers and unreadMembers, with
// counts, for the author and admins; nothing for the audience.
func TestAuthorsSeeWhoHasReadAndWhoHasNot(t *testing.T) {
	o := newOrg(t)
	a := o.admin.Announce("Security training", depts(o.sales))
	sam, eve := o.login("sam"), o.login("eve")
	sam.ActOnAnnouncement("markAnnouncementRead", map[string]any{"id": a.ID})
	q := `query($id: ID!) { node(id: $id) { ... on Announcement {
		readers(first: 10) { totalCount edges { node { member { id } } } }
		unreadMembers(first: 10) { totalCount edges { node { id } } } } } }`
	var out struct {
		Node struct {
			Readers *struct {
				TotalCount int
				Edges      []struct {
					Node struct{ Member *struct{ ID string } }
				}
			}
			UnreadMembers *struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
	}
	o.admin.MustDo(q, map[string]any{"id": a.ID}, &out)
	if out.Node.Readers == nil || out.Node.Readers.TotalCount != 1 || out.Node.Readers.Edges[0].Node.Member.ID != o.sam {
		t.Fatalf("readers %+v", out.Node.Readers)
	}
	if out.Node.UnreadMembers == nil || out.Node.UnreadMembers.TotalCount != 1 || out.Node.UnreadMembers.Edges[0].Node.ID != o.eve {
		t.Fatalf("unread %+v", out.Node.UnreadMembers)
	}
	out.Node.Readers, out.Node.UnreadMembers = nil, nil
	eve.MustDo(q, map[string]any{"id": a.ID}, &out)
	if out.Node.Readers != nil || out.Node.UnreadMembers != nil {
		t.Fatalf("a reader sees the receipts: %+v", out.Node)
	}
}

// TestConfidentialAnnouncementsCarryAWatermarkAndRecordEveryRead.
func TestConfidentialAnnouncementsCarryAWatermarkAndRecordEveryRead(t *testing.T) {
	o := newOrg(t)
	a := o.admin.ActOnAnnouncement("createAnnouncement", map[string]any{"title": "Salary bands", "body": "confidential numbers",
		"audience": depts(o.sales), "confidential": true})
	o.admin.ActOnAnnouncement("publishAnnouncement", map[string]any{"id": a.ID})
	sam := o.login("sam")
	read := `query($id: ID!) { node(id: $id) { ... on Announcement { body watermark } } }`
	var out struct {
		Node struct{ Body, Watermark string }
	}
	for range 2 {
		sam.MustDo(read, map[string]any{"id": a.ID}, &out)
	}
	if out.Node.Body != "confidential numbers" || out.Node.Watermark != "Sam Sales" {
		t.Fatalf("read %+v", out.Node)
	}
	var views struct {
		Node struct {
			Views   struct{ TotalCount int }
			Readers struct{ TotalCount int }
		}
	}
	o.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Announcement { views(first: 0) { totalCount } readers(first: 0) { totalCount } } } }`,
		map[string]any{"id": a.ID}, &views)
	if views.Node.Views.TotalCount != 2 || views.Node.Readers.TotalCount != 1 {
		t.Fatalf("two reads by one reader recorded as %+v", views.Node)
	}
}

func TestAnnouncementInputAndRightsAreChecked(t *testing.T) {
	clk := apitest.NewClock()
	o := newOrg(t, apitest.WithClock(clk))
	hr := o.admin.CreateDepartment("HR", o.acme.RootID)
	hank := o.admin.CreateMember(apitest.MemberSpec{Userid: "hank", Depts: []string{hr}})
	o.admin.GrantScoped(hank, []string{o.sales}, "MANAGE_ANNOUNCEMENTS")
	hankC := o.login("hank")
	create := apitest.AnnouncementOp("createAnnouncement")
	in := func(kv ...any) map[string]any {
		m := map[string]any{"title": "t", "body": "b", "audience": depts(o.sales)}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"in": m}
	}
	long := string(make([]rune, 201))
	for _, c := range []struct {
		name, code, field string
		vars              map[string]any
	}{
		{"empty title", "BAD_USER_INPUT", "title", in("title", " ")},
		{"title over 200", "BAD_USER_INPUT", "title", in("title", long+"x")},
		{"empty body", "BAD_USER_INPUT", "body", in("body", "")},
		{"empty audience", "BAD_USER_INPUT", "audience", in("audience", map[string]any{})},
		{"unknown department", "NOT_FOUND", "audience", in("audience", depts("dep_nothing"))},
	} {
		t.Run(c.name, func(t *testing.T) { mustFailOn(t, hankC, c.code, c.field, create, c.vars) })
	}
	o.login("sam").MustFail("FORBIDDEN", create, in())                                    // no right
	hankC.MustFail("FORBIDDEN", create, in("audience", depts(o.rnd)))                     // outside scope
	hankC.MustFail("FORBIDDEN", create, in("audience", map[string]any{"everyone": true})) // scoped admins never address everyone
	a := hankC.ActOnAnnouncement("createAnnouncement", in()["in"].(map[string]any))       // inside scope
	past := clk.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	mustFailOn(t, hankC, "BAD_USER_INPUT", "at", apitest.AnnouncementOp("publishAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID, "at": past}})
	hankC.ActOnAnnouncement("publishAnnouncement", map[string]any{"id": a.ID})
	mustFailOn(t, hankC, "BAD_USER_INPUT", "until", apitest.AnnouncementOp("pinAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID, "until": past}})
	o.login("sam").MustFail("FORBIDDEN", apitest.AnnouncementOp("withdrawAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID}})
	o.login("rita").MustFail("FORBIDDEN", apitest.AnnouncementOp("withdrawAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID}})
	rob := o.admin.CreateMember(apitest.MemberSpec{Userid: "rob", Depts: []string{hr}})
	o.admin.GrantScoped(rob, []string{o.rnd}, "MANAGE_ANNOUNCEMENTS")
	o.login("rob").MustFail("NOT_FOUND", apitest.AnnouncementOp("withdrawAnnouncement"), map[string]any{"in": map[string]any{"id": a.ID}})
}
