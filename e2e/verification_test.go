package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/corpline/corpline/ent/callback"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/outbox"
	"github.com/corpline/corpline/internal/policy"
)

// receiver is an enterprise's system: it answers the first `failures`
// callbacks with 503, then 200, and keeps what it received.
type receiver struct {
	mu       sync.Mutex
	failures int
	got      []*http.Request
	bodies   [][]byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got = append(rc.got, r)
	rc.bodies = append(rc.bodies, body)
	if len(rc.got) <= rc.failures {
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

const settingsMutation = `mutation($in: UpdateVerificationSettingsInput!) {
  updateVerificationSettings(input: $in) { enabled callbackUrl callbackSecret } }`

// turnOnVerification enables secondary verification with a callback URL and
// returns the shared secret.
func turnOnVerification(t *testing.T, admin *apitest.Client, url string) string {
	t.Helper()
	var out struct {
		UpdateVerificationSettings struct {
			Enabled        bool
			CallbackURL    string
			CallbackSecret string
		}
	}
	admin.MustDo(settingsMutation, map[string]any{"in": map[string]any{"enabled": true, "callbackUrl": url}}, &out)
	s := out.UpdateVerificationSettings
	if !s.Enabled || s.CallbackURL != url || s.CallbackSecret == "" {
		t.Fatalf("settings = %+v", s)
	}
	return s.CallbackSecret
}

// pendingFollow activates p and checks it waits as PENDING, without a session.
func pendingFollow(t *testing.T, env *apitest.Env, link string, p apitest.Person) {
	t.Helper()
	var out struct {
		Activate struct {
			Status string
			Token  *string
		}
	}
	r := env.Activate(link, p)
	if len(r.Errors) > 0 {
		t.Fatalf("activate: %v", r.Errors)
	}
	r.Decode(t, &out)
	if out.Activate.Status != "PENDING" || out.Activate.Token != nil {
		t.Fatalf("activation = %+v, want PENDING without a token", out.Activate)
	}
}

func TestTheVerificationCallbackArrivesSignedOnceTheEnterpriseAnswers(t *testing.T) {
	clk := clock.NewFake(time.Date(2030, 3, 1, 8, 0, 0, 0, time.UTC))
	env := apitest.Start(t, apitest.WithClock(clk))
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 1)
	rc := &receiver{failures: 1}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	secret := turnOnVerification(t, admin, hook.URL+"/corpline")

	pendingFollow(t, env, admin.InviteURL(), ps[0])
	env.Anonymous().MustFail("FORBIDDEN", apitest.LoginMutation,
		apitest.LoginVars("acme", ps[0].Userid, apitest.TestPassword))
	var pending struct {
		PendingActivations struct {
			TotalCount int
			Edges      []struct {
				Node struct{ ID, Userid, Status string }
			}
		}
	}
	admin.MustDo(`{ pendingActivations(first: 10) { totalCount edges { node { id userid status } } } }`, nil, &pending)
	if pending.PendingActivations.TotalCount != 1 || pending.PendingActivations.Edges[0].Node.Userid != ps[0].Userid {
		t.Fatalf("pendingActivations = %+v", pending.PendingActivations)
	}
	memberID := pending.PendingActivations.Edges[0].Node.ID

	// The callback is in the outbox before anything is sent.
	if rc.count() != 0 {
		t.Fatalf("sent before the worker ran")
	}
	jobs := env.Main.Jobs
	ctx := context.Background()
	if res, err := jobs.Outbox.RunOnce(ctx); err != nil || res.Failed != 1 || rc.count() != 1 {
		t.Fatalf("first attempt: %+v %v, received %d", res, err, rc.count())
	}
	// Not due again until the backoff has passed.
	if res, _ := jobs.Outbox.RunOnce(ctx); res != (outbox.Result{}) || rc.count() != 1 {
		t.Fatalf("retried before the backoff: %+v", res)
	}
	clk.Advance(outbox.FirstRetry)
	if res, err := jobs.Outbox.RunOnce(ctx); err != nil || res.Delivered != 1 || rc.count() != 2 {
		t.Fatalf("second attempt: %+v %v, received %d", res, err, rc.count())
	}
	if res, _ := jobs.Outbox.RunOnce(ctx); res != (outbox.Result{}) || rc.count() != 2 {
		t.Fatalf("sent again after delivery: %+v", res)
	}

	req, body := rc.got[1], rc.bodies[1]
	ts := req.Header.Get(outbox.HeaderTimestamp)
	if ts != strconv.FormatInt(clk.Now().Unix(), 10) {
		t.Fatalf("timestamp %s, want %d", ts, clk.Now().Unix())
	}
	if !outbox.Verify(secret, ts, body, req.Header.Get(outbox.HeaderSignature)) {
		t.Fatalf("signature %q does not verify", req.Header.Get(outbox.HeaderSignature))
	}
	if outbox.Verify("some-other-secret", ts, body, req.Header.Get(outbox.HeaderSignature)) {
		t.Fatalf("signature verifies with any secret")
	}
	var payload struct {
		ID, Event, EnterpriseID string
		Data                    struct{ MemberID, Userid, Name, Mobile string }
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.Event != "member.activation_pending" || payload.EnterpriseID != acme.ID || payload.Data.MemberID != memberID ||
		payload.Data.Mobile != ps[0].Mobile || req.Header.Get(outbox.HeaderDelivery) != payload.ID || req.URL.Path != "/corpline" {
		t.Fatalf("callback %s %s: %s", req.Method, req.URL, body)
	}

	// The enterprise approves: the member follows and signs in.
	var approved struct{ ApproveActivation struct{ Status string } }
	admin.MustDo(`mutation($id: ID!) { approveActivation(input: {memberId: $id}) { status } }`, map[string]any{"id": memberID}, &approved)
	if approved.ApproveActivation.Status != "ACTIVE" {
		t.Fatalf("approved member is %s", approved.ApproveActivation.Status)
	}
	env.Login("acme", ps[0].Userid, apitest.TestPassword)
}

func TestARejectedFollowGoesBackToInvited(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 1)
	admin.MustDo(settingsMutation, map[string]any{"in": map[string]any{"enabled": true}}, nil) // no callback URL: admins only
	link := admin.InviteURL()
	pendingFollow(t, env, link, ps[0])
	id := memberID(t, admin, ps[0].Userid)

	var rejected struct{ RejectActivation struct{ Status string } }
	admin.MustDo(`mutation($id: ID!) { rejectActivation(input: {memberId: $id, reason: "not ours"}) { status } }`, map[string]any{"id": id}, &rejected)
	if rejected.RejectActivation.Status != "INVITED" {
		t.Fatalf("rejected member is %s", rejected.RejectActivation.Status)
	}
	admin.MustFail("NOT_FOUND", `mutation($id: ID!) { approveActivation(input: {memberId: $id}) { status } }`, map[string]any{"id": id})
	env.Anonymous().MustFail("UNAUTHENTICATED", apitest.LoginMutation,
		apitest.LoginVars("acme", ps[0].Userid, apitest.TestPassword))
	pendingFollow(t, env, link, ps[0]) // may follow again
}

func TestACallbackNobodyAnswersExpiresAfterADay(t *testing.T) {
	clk := clock.NewFake(time.Date(2030, 3, 1, 8, 0, 0, 0, time.UTC))
	env := apitest.Start(t, apitest.WithClock(clk))
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 1)
	rc := &receiver{failures: 1 << 30}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	turnOnVerification(t, admin, hook.URL)
	pendingFollow(t, env, admin.InviteURL(), ps[0])

	expired := 0
	for i := 0; i < 100 && expired == 0; i++ {
		res, err := env.Main.Jobs.Outbox.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		expired = res.Expired
		clk.Advance(outbox.MaxRetryGap)
	}
	attempts := rc.count()
	// 10 s, 20 s, ... doubling up to an hour apart, within 24 hours.
	if expired != 1 || attempts < 15 || attempts > 40 {
		t.Fatalf("expired %d after %d attempts", expired, attempts)
	}
	cb, err := env.DB.Client.Callback.Query().Only(policy.SystemContext(context.Background()))
	if err != nil || cb.Status != callback.StatusEXPIRED || cb.Attempts != attempts || cb.LastError == "" {
		t.Fatalf("callback row = %+v, %v", cb, err)
	}
}

// Two server processes share the outbox: each callback is sent once.
func TestTwoProcessesSendEachCallbackOnce(t *testing.T) {
	env := apitest.Start(t)
	other := env.StartAnother()
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 30)
	rc := &receiver{}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	turnOnVerification(t, admin, hook.URL)
	link := admin.InviteURL()
	for _, p := range ps {
		pendingFollow(t, env, link, p)
	}

	var wg sync.WaitGroup
	for _, e := range []*apitest.Env{env, other, env, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				res, err := e.Main.Jobs.Outbox.RunOnce(context.Background())
				if err != nil || res == (outbox.Result{}) {
					return
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range rc.got {
		seen[r.Header.Get(outbox.HeaderDelivery)]++
	}
	if len(seen) != len(ps) || rc.count() != len(ps) {
		t.Fatalf("%d requests for %d distinct callbacks, want %d each once", rc.count(), len(seen), len(ps))
	}
}

// Who must not see pending activations or the verification settings:
// members, admins of other departments or enterprises, operators.
func TestPendingActivationsAreSeenOnlyByTheAdminsWhoManageThem(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	ps := apitest.People(1)
	admin.Import(sales, ps)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	salesLead := admin.CreateMember(apitest.MemberSpec{Userid: "slead", Depts: []string{sales}})
	admin.GrantScoped(salesLead, []string{sales}, "MANAGE_MEMBERS")
	rndLead := admin.CreateMember(apitest.MemberSpec{Userid: "rlead", Depts: []string{rnd}})
	admin.GrantScoped(rndLead, []string{rnd}, "MANAGE_MEMBERS")
	admin.MustDo(settingsMutation, map[string]any{"in": map[string]any{"enabled": true}}, nil)
	pendingFollow(t, env, admin.InviteURL(), ps[0])
	id := memberID(t, admin, ps[0].Userid)
	other := env.NewEnterprise("other")
	otherAdmin := env.Admin(other)
	op := env.NewOperator("root")

	count := func(c *apitest.Client) int {
		var out struct{ PendingActivations struct{ TotalCount int } }
		c.MustDo(`{ pendingActivations(first: 10) { totalCount } }`, nil, &out)
		return out.PendingActivations.TotalCount
	}
	sl := env.Login("acme", "slead", apitest.TestPassword)
	rl := env.Login("acme", "rlead", apitest.TestPassword)
	sam := env.Login("acme", "sam", apitest.TestPassword)
	if count(admin) != 1 || count(sl) != 1 || count(rl) != 0 || count(otherAdmin) != 0 {
		t.Fatalf("pending seen by admin %d, sales lead %d, R&D lead %d, other enterprise %d",
			count(admin), count(sl), count(rl), count(otherAdmin))
	}
	approve := `mutation($id: ID!) { approveActivation(input: {memberId: $id}) { status } }`
	vars := map[string]any{"id": id}
	sam.MustFail("FORBIDDEN", `{ pendingActivations(first: 10) { totalCount } }`, nil)
	op.MustFail("FORBIDDEN", `{ pendingActivations(first: 10) { totalCount } }`, nil)
	sam.MustFail("FORBIDDEN", approve, vars)
	rl.MustFail("NOT_FOUND", approve, vars)
	otherAdmin.MustFail("NOT_FOUND", approve, vars)
	for _, c := range []*apitest.Client{sam, sl, op} {
		c.MustFail("FORBIDDEN", `{ verificationSettings { enabled callbackUrl } }`, nil)
		c.MustFail("FORBIDDEN", settingsMutation, map[string]any{"in": map[string]any{"enabled": false}})
	}
	admin.MustFail("BAD_USER_INPUT", settingsMutation, map[string]any{"in": map[string]any{"callbackUrl": "ftp://example.com/x"}})
	sl.MustDo(approve, vars, nil) // the sales lead manages sales
}

// The enterprise's system decides with its app token, for the members of
// the app's visible range only; its decisions are audited as the app's.
func TestTheEnterpriseSystemApprovesWithItsAppToken(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	ps := apitest.People(2)
	admin.Import(sales, ps[:1])
	admin.Import(rnd, ps[1:])
	admin.MustDo(settingsMutation, map[string]any{"in": map[string]any{"enabled": true}}, nil)
	link := admin.InviteURL()
	pendingFollow(t, env, link, ps[0])
	pendingFollow(t, env, link, ps[1])
	inSales, inRnd := memberID(t, admin, ps[0].Userid), memberID(t, admin, ps[1].Userid)
	appID, secret := admin.CreateApp("HR system", apitest.Range{Departments: []string{sales}})
	hr := env.AsApp("acme", appID, secret)

	var pending struct {
		PendingActivations struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	hr.MustDo(`{ pendingActivations(first: 10) { edges { node { id } } } }`, nil, &pending)
	if len(pending.PendingActivations.Edges) != 1 || pending.PendingActivations.Edges[0].Node.ID != inSales {
		t.Fatalf("the app sees pending %+v, want only its range's", pending.PendingActivations.Edges)
	}
	approve := `mutation($id: ID!) { approveActivation(input: {memberId: $id}) { status } }`
	hr.MustFail("NOT_FOUND", approve, map[string]any{"id": inRnd})
	var out struct{ ApproveActivation struct{ Status string } }
	hr.MustDo(approve, map[string]any{"id": inSales}, &out)
	if out.ApproveActivation.Status != "ACTIVE" {
		t.Fatalf("approved by the app: %s", out.ApproveActivation.Status)
	}
	hr.MustFail("FORBIDDEN", disableM, map[string]any{"id": inSales}) // deciding follows is all an app may do here

	var log auditPage
	admin.MustDo(auditQ, map[string]any{"where": map[string]any{"action": "approveActivation"}}, &log)
	if e := log.AuditLog.Edges; len(e) != 1 || e[0].Node.ActorKind != "APP" || e[0].Node.ActorID != appID || e[0].Node.TargetID != inSales {
		t.Fatalf("audit of the app's approval = %+v", log.AuditLog.Edges)
	}
}

// A running server sends callbacks by itself (the outbox job runs every
// --job-interval); the wait only guards against a hang.
func TestTheServerSendsCallbacksInTheBackground(t *testing.T) {
	env := apitest.Start(t, func(c *config.Config) { c.JobInterval = 20 * time.Millisecond })
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 1)
	rc := &receiver{}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	turnOnVerification(t, admin, hook.URL)
	pendingFollow(t, env, admin.InviteURL(), ps[0])
	for deadline := time.Now().Add(10 * time.Second); rc.count() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no callback within 10s")
		}
	}
}
