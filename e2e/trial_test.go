package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/corpline/corpline/ent/auditentry"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/trial"
)

// A trial: created with a phone and an email, 10 followers at most,
// reclaimed 90 days after creation (sessions revoked, live connections
// woken, every call answered ENTERPRISE_RECLAIMED) and purged 30 days later.
// Time is the injected clock's; the job runs by hand.
func TestATrialIsReclaimedAfter90DaysAndPurged30DaysLater(t *testing.T) {
	clk := clock.NewFake(time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC))
	env := apitest.Start(t, apitest.WithClock(clk))
	keep := env.NewEnterprise("keep")
	env.Admin(keep).CreateDepartment("Stays", keep.RootID)
	op := env.NewOperator("root")
	var created struct {
		CreateEnterprise struct{ ID, TrialEndsAt string }
	}
	op.MustDo(createEnterpriseM, enterpriseIn("lab", "TRIAL", map[string]any{
		"contactMobile": "+8613700000000", "contactEmail": "dev@example.com",
	}), &created)
	labID := created.CreateEnterprise.ID
	if created.CreateEnterprise.TrialEndsAt != "2030-07-30T12:00:00Z" {
		t.Fatalf("trial ends %s, want 90 days on", created.CreateEnterprise.TrialEndsAt)
	}
	boss := env.Login("lab", "boss", apitest.TestPassword)
	appID, secret := boss.CreateApp("Lab bot", apitest.Range{Everyone: true})
	bot := env.AsApp("lab", appID, secret)
	var root struct {
		Departments struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	boss.MustDo(`{ departments(first: 1) { edges { node { id } } } }`, nil, &root)
	dept := boss.CreateDepartment("Devs", root.Departments.Edges[0].Node.ID)
	ps := apitest.People(10)
	boss.Import(dept, ps)
	link := boss.InviteURL()
	for _, p := range ps[:9] {
		mustFollow(t, env, link, p)
	}
	if r := env.Activate(link, ps[9]); !r.HasCode("QUOTA_EXCEEDED") { // the 11th follower
		t.Fatalf("11th follower of a trial: %v", r.Errors)
	}

	jobs := env.Main.Jobs
	ctx := context.Background()
	clk.Advance(89 * 24 * time.Hour)
	if res, err := jobs.Reclaim.RunOnce(ctx); err != nil || res != (trial.Result{}) {
		t.Fatalf("day 89: %+v %v", res, err)
	}
	dev := env.Login("lab", ps[8].Userid, apitest.TestPassword)
	wake, stop := env.Main.Bus.Subscribe(bus.MemberTopic(dev.MemberID))
	defer stop()
	clk.Advance(24 * time.Hour)
	if res, err := jobs.Reclaim.RunOnce(ctx); err != nil || res.Reclaimed != 1 {
		t.Fatalf("day 90: %+v %v", res, err)
	}
	woken(t, wake, "a member of the reclaimed trial")
	dev.MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", `{ viewer { member { id } } }`, nil)
	bot.MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", `{ members(first: 1) { totalCount } }`, nil)
	env.Anonymous().MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", `mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken } }`,
		map[string]any{"in": map[string]any{"enterprise": "lab", "appId": appID, "secret": secret}})
	env.Anonymous().MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", apitest.LoginMutation, apitest.LoginVars("lab", "boss", apitest.TestPassword))
	if r := env.Activate(link, ps[9]); !(r.HasCode("FORBIDDEN") && r.HasReason("ENTERPRISE_RECLAIMED")) {
		t.Fatalf("following a reclaimed trial: %v", r.Errors)
	}
	op = env.OperatorLogin("root")
	op.MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", `mutation($id: ID!) { setAccountType(input: {enterpriseId: $id, accountType: REGISTERED}) { id } }`,
		map[string]any{"id": labID})
	var st struct {
		Enterprises struct {
			Edges []struct{ Node struct{ Status string } }
		}
	}
	op.MustDo(`{ enterprises(first: 1, where: {code: "lab"}) { edges { node { status } } } }`, nil, &st)
	if st.Enterprises.Edges[0].Node.Status != "RECLAIMED" {
		t.Fatalf("lab is %s", st.Enterprises.Edges[0].Node.Status)
	}
	if res, _ := jobs.Reclaim.RunOnce(ctx); res != (trial.Result{}) {
		t.Fatalf("reclaimed twice: %+v", res)
	}

	sys := policy.SystemContext(ctx)
	db := env.DB.Client
	if n, _ := db.Member.Query().Where(member.EnterpriseID(labID)).Count(sys); n != 11 {
		t.Fatalf("during the grace period %d members remain, want 11", n)
	}
	clk.Advance(trial.Grace - time.Hour)
	if res, _ := jobs.Reclaim.RunOnce(ctx); res.Purged != 0 {
		t.Fatalf("purged before the grace period ended")
	}
	clk.Advance(time.Hour)
	if res, err := jobs.Reclaim.RunOnce(ctx); err != nil || res.Purged != 1 {
		t.Fatalf("after the grace period: %+v %v", res, err)
	}
	for name, n := range map[string]func() (int, error){
		"members":     func() (int, error) { return db.Member.Query().Where(member.EnterpriseID(labID)).Count(sys) },
		"departments": func() (int, error) { return db.Department.Query().Where(department.EnterpriseID(labID)).Count(sys) },
		"sessions":    func() (int, error) { return db.Session.Query().Where(session.EnterpriseID(labID)).Count(sys) },
	} {
		if got, err := n(); err != nil || got != 0 {
			t.Fatalf("%s of the purged trial: %d, %v", name, got, err)
		}
	}
	lab, err := db.Enterprise.Get(sys, labID)
	if err != nil || lab.PurgedAt == nil || lab.ContactMobile != nil {
		t.Fatalf("purged enterprise row = %+v, %v", lab, err)
	}
	if n, _ := db.Department.Query().Where(department.EnterpriseID(keep.ID)).Count(sys); n != 2 {
		t.Fatalf("another enterprise lost departments: %d left", n)
	}
	actions, err := db.AuditEntry.Query().Where(auditentry.EnterpriseID(labID)).Select(auditentry.FieldAction).Strings(sys)
	if err != nil || !contains(actions, "reclaimTrial") || !contains(actions, "purgeTrial") || !contains(actions, "createEnterprise") {
		t.Fatalf("audit of the trial = %v, %v", actions, err)
	}
	env.Anonymous().MustFailBecause("FORBIDDEN", "ENTERPRISE_RECLAIMED", apitest.LoginMutation, apitest.LoginVars("lab", "boss", apitest.TestPassword))
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}
