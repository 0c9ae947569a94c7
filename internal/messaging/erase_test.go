package messaging_test

import (
	"context"
	"testing"

	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// TestDeletingAMemberErasesTheirInbox: should a member's row itself be
// deleted, the database takes their entries and counter with it (ON DELETE
// CASCADE), while the message stays for its other recipients. (deleteMember
// keeps a tombstone row and erases explicitly, see EraseMember; this is the
// schema's second wall.)
func TestDeletingAMemberErasesTheirInbox(t *testing.T) {
	db := apitest.NewDB(t)
	ctx := context.Background()
	sys := policy.SystemContext(ctx)
	res, err := provision.Create(ctx, db.Client, provision.Enterprise{Code: "acme", Name: "Acme", AdminLogin: "admin", AdminPassword: apitest.TestPassword})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range []string{"gone", "stays"} {
		m := db.Client.Member.Create().SetEnterpriseID(res.EnterpriseID).SetUserid(u).SetName(u).SetStatus(member.StatusACTIVE).SaveX(sys)
		db.Client.Membership.Create().SetEnterpriseID(res.EnterpriseID).SetMemberID(m.ID).SetDepartmentID(res.DepartmentID).ExecX(sys)
		ids = append(ids, m.ID)
	}
	authn := auth.New(db.Client, auth.Options{})
	svc := messaging.New(db.Client, db.Dialect, bus.NewLocal(), authn, messaging.Options{})
	admin, err := authn.LoadViewer(ctx, res.AdminID)
	if err != nil {
		t.Fatal(err)
	}
	actx := viewer.NewContext(ctx, admin)
	if _, err := svc.Send(actx, messaging.SendInput{Kind: msgtype.Text, Body: msgtype.Body{Text: "hi"}, Targets: audience.Audience{MemberIDs: ids}}); err != nil {
		t.Fatal(err)
	}
	db.Client.Membership.Delete().Where(membership.MemberID(ids[0])).ExecX(sys)
	db.Client.Member.DeleteOneID(ids[0]).ExecX(sys)
	count := func(q interface {
		Count(context.Context) (int, error)
	}) int {
		n, err := q.Count(sys)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(db.Client.InboxEntry.Query().Where(inboxentry.MemberID(ids[0]))); n != 0 {
		t.Fatalf("%d entries of the deleted member remain", n)
	}
	if n := count(db.Client.InboxCounter.Query().Where(inboxcounter.MemberID(ids[0]))); n != 0 {
		t.Fatal("the deleted member's counter remains")
	}
	if n := count(db.Client.InboxEntry.Query().Where(inboxentry.MemberID(ids[1]))); n != 1 {
		t.Fatalf("the other recipient has %d entries, want 1", n)
	}
}
