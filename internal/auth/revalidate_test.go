package auth_test

import (
	"context"
	"testing"

	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/viewer"
)

// TestRevalidateManyAnswersEachConnectionAsRevalidateWould checks the
// batched re-check of live connections against the single one, for a
// valid session, a logged-out one, a disabled member and a deleted one.
func TestRevalidateManyAnswersEachConnectionAsRevalidateWould(t *testing.T) {
	db := apitest.NewDB(t)
	ctx := context.Background()
	sys := policy.SystemContext(ctx)
	svc := auth.New(db.Client, auth.Options{})
	var vs []*viewer.Viewer
	for _, code := range []string{"valid", "loggedout", "disabled", "deleted"} {
		res, err := provision.Create(ctx, db.Client, provision.Enterprise{Code: code, Name: code, AdminLogin: "admin", AdminPassword: apitest.TestPassword})
		if err != nil {
			t.Fatal(err)
		}
		ses, err := svc.Login(ctx, auth.Credentials{Enterprise: code, Login: "admin", Password: apitest.TestPassword})
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, ses.Viewer)
		switch code {
		case "loggedout":
			if _, err := svc.Logout(viewer.NewContext(ctx, ses.Viewer)); err != nil {
				t.Fatal(err)
			}
		case "disabled":
			db.Client.Member.UpdateOneID(res.AdminID).SetStatus(member.StatusDISABLED).ExecX(sys)
		case "deleted":
			db.Client.Session.Delete().Where(session.MemberID(res.AdminID)).ExecX(sys)
			vs[len(vs)-1].SessionID = "" // as if only the member row were gone
			db.Client.AdminRole.Delete().Where(adminrole.MemberID(res.AdminID)).ExecX(sys)
			db.Client.Membership.Delete().Where(membership.MemberID(res.AdminID)).ExecX(sys)
			db.Client.Member.DeleteOneID(res.AdminID).ExecX(sys)
		}
	}
	out, errs := svc.RevalidateMany(ctx, vs)
	for i, v := range vs {
		one, err := svc.Revalidate(ctx, v)
		if (err == nil) != (errs[i] == nil) {
			t.Fatalf("viewer %d: batched error %v, single %v", i, errs[i], err)
		}
		if err == nil && (out[i].MemberID != one.MemberID || out[i].SessionID != one.SessionID || !out[i].IsSuperAdmin()) {
			t.Fatalf("viewer %d: batched %+v, single %+v", i, out[i], one)
		}
	}
	if errs[0] != nil || errs[1] == nil || errs[2] == nil || errs[3] == nil {
		t.Fatalf("errors = %v; want only the first connection still valid", errs)
	}
}
