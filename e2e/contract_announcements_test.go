package e2e

import (
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// announcementScreens are the operations of announcement-list.graphql,
// announcement-detail.graphql and announcement-admin.graphql.
var announcementScreens = []string{"CreateAnnouncement", "PublishAnnouncement", "PinAnnouncement", "PinnedAnnouncements",
	"Announcements", "AnnouncementDetail", "MarkAnnouncementRead", "AnnouncementReadReceipts", "WithdrawAnnouncement"}

func init() {
	for _, op := range announcementScreens {
		contractElsewhere[op] = true
	}
}

// TestAnnouncementScreensRun runs the announcement screens as their users
// would: the admin writes, publishes and pins; a member lists, opens and
// reads; the admin follows who has not read, then withdraws.
func TestAnnouncementScreensRun(t *testing.T) {
	o := newOrg(t)
	sam := o.login("sam")
	as := func(c *apitest.Client) func() *apitest.Client { return func() *apitest.Client { return c } }
	var id string
	byID := func() map[string]any { return map[string]any{"id": id} }
	input := func(kv ...any) func() map[string]any {
		return func() map[string]any {
			in := map[string]any{"id": id}
			for i := 0; i < len(kv); i += 2 {
				in[kv[i].(string)] = kv[i+1]
			}
			return map[string]any{"input": in}
		}
	}
	steps := []contractStep{
		{op: "CreateAnnouncement", as: as(o.admin), vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"title": "Quarterly all-hands", "body": "Friday **3pm**", "category": "Events",
				"audience": depts(o.sales)}}
		}, keep: func(d map[string]any) { id = str(d["createAnnouncement"].(map[string]any)["id"]) }},
		{op: "PublishAnnouncement", as: as(o.admin), vars: input(), want: []string{`"status":"PUBLISHED"`}},
		{op: "PinAnnouncement", as: as(o.admin), vars: input("until", time.Now().Add(72*time.Hour).UTC().Format(time.RFC3339)),
			want: []string{`"pinned":true`}},
		{op: "PinnedAnnouncements", as: as(sam), want: []string{`"title":"Quarterly all-hands"`}},
		{op: "Announcements", as: as(sam), vars: func() map[string]any { return map[string]any{"unreadOnly": false} },
			want: []string{`"title":"Quarterly all-hands"`, `"readAt":null`}},
		{op: "AnnouncementDetail", as: as(sam), vars: byID, want: []string{`"body":"Friday **3pm**"`}},
		{op: "MarkAnnouncementRead", as: as(sam), vars: byID},
		{op: "AnnouncementReadReceipts", as: as(o.admin), vars: byID,
			want: []string{`"name":"Sam Sales"`, `"name":"Eve East"`, `"name":"Sales"`}},
		{op: "WithdrawAnnouncement", as: as(o.admin), vars: input(), want: []string{`"status":"WITHDRAWN"`}},
	}
	byName := contractOperations(t)
	for _, s := range steps {
		runContractStep(t, byName, s)
	}
}
