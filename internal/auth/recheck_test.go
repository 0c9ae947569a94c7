package auth_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

func TestRecheckFollowsATransferAndEndsWithTheSession(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	sam := env.Login("acme", "sam", apitest.TestPassword)
	svc := env.Main.Auth
	ctx := context.Background()

	v, err := svc.Authenticate(ctx, sam.Token)
	if err != nil {
		t.Fatal(err)
	}
	admin.MustDo(`mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"id": samID, "departments": []map[string]any{{"departmentId": rnd, "isPrimary": true}},
	}}, nil)
	fresh, err := svc.Recheck(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh.DeptPaths) != 1 || !strings.HasSuffix(fresh.DeptPaths[0], rnd+"/") || fresh.SessionID != v.SessionID {
		t.Fatalf("after the transfer: %+v", fresh)
	}
	sam.MustDo(`mutation { logout { ok } }`, nil, nil)
	if _, err := svc.Recheck(ctx, v); apperr.CodeOf(err) != apperr.Unauthenticated {
		t.Fatalf("after logout: err = %v", err)
	}
}

func TestRechecksMadeTogetherAnswerEachViewerForItself(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	svc := env.Main.Auth
	ctx := context.Background()
	var vs []*viewer.Viewer
	for _, u := range []string{"ann", "bob", "cat"} {
		admin.CreateMember(apitest.MemberSpec{Userid: u, Depts: []string{sales}})
		c := env.Login("acme", u, apitest.TestPassword)
		v, err := svc.Authenticate(ctx, c.Token)
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
		if u == "bob" {
			c.MustDo(`mutation { logout { ok } }`, nil, nil)
		}
	}
	// No API disables members in this package's world: the system does it.
	env.DB.Client.Member.UpdateOneID(vs[2].MemberID).SetStatus(member.StatusDISABLED).ExecX(policy.SystemContext(ctx))

	for range 20 { // often enough that some rounds gather all three
		got := make([]*viewer.Viewer, 3)
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for i, v := range vs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = svc.Recheck(ctx, v)
			}()
		}
		wg.Wait()
		if errs[0] != nil || got[0].MemberID != vs[0].MemberID || got[0].SessionID != vs[0].SessionID {
			t.Fatalf("ann: %+v, %v", got[0], errs[0])
		}
		if apperr.CodeOf(errs[1]) != apperr.Unauthenticated || apperr.CodeOf(errs[2]) != apperr.Forbidden || apperr.ReasonOf(errs[2]) != string(apperr.MemberDisabled) {
			t.Fatalf("bob (signed out): %v; cat (disabled): %v", errs[1], errs[2])
		}
	}
}
