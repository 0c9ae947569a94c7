package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// whoAmI returns the userid behind c's token, or the error code.
func whoAmI(c *apitest.Client) string {
	r := c.Do(`{ viewer { member { userid } } }`, nil)
	if len(r.Errors) > 0 {
		return r.Errors[0].Code() + ": " + r.Errors[0].Message
	}
	var out struct {
		Viewer struct{ Member struct{ Userid string } }
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return err.Error()
	}
	return out.Viewer.Member.Userid
}

func TestLoginByUseridMobileOrEmail(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}, Mobile: "+8613800000001", Email: "Sam.Lee@Acme.test"})
	for _, who := range []string{"sam", " sam ", "+8613800000001", "Sam.Lee@Acme.test", "sam.lee@acme.TEST"} {
		c := env.Login("acme", who, apitest.TestPassword)
		if c.MemberID != sam || whoAmI(c) != "sam" {
			t.Errorf("login as %q: member %s, whoAmI %s", who, c.MemberID, whoAmI(c))
		}
	}
}

func TestFailedLoginsAllSayTheSameThing(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	env.NewEnterprise("globex")
	admin := env.Admin(acme)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}})
	// An imported member has no password until they follow.
	importMembers(t, admin, importRows("inv", 1, acme.RootID), true)

	anon := env.Anonymous()
	var first string
	for _, c := range []struct{ enterprise, login, password string }{
		{"acme", "sam", "wrong-password"},
		{"acme", "nobody", apitest.TestPassword},
		{"acme", "inv0000", apitest.TestPassword},
		{"globex", "sam", apitest.TestPassword},
		{"initech", "sam", apitest.TestPassword},
		{"acme", "", apitest.TestPassword},
		{"acme", "sam", ""},
	} {
		r := anon.TryLogin(c.enterprise, c.login, c.password)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "UNAUTHENTICATED" || (len(r.Data) > 0 && string(r.Data) != "null") {
			t.Errorf("login %+v: %v %s, want UNAUTHENTICATED and no data", c, r.Errors, r.Data)
			continue
		}
		if first == "" {
			first = r.Errors[0].Message
		}
		if r.Errors[0].Message != first {
			t.Errorf("login %+v says %q, another failure says %q", c, r.Errors[0].Message, first)
		}
	}
}

func TestTokensExpire(t *testing.T) {
	clock := apitest.NewClock()
	env := apitest.Start(t, apitest.WithClock(clock), apitest.WithTokenTTL(time.Hour))
	acme := env.NewEnterprise("acme")
	anon := env.Anonymous()
	r := anon.TryLogin("acme", acme.AdminLogin, apitest.TestPassword)
	var out struct {
		Login struct{ Token, ExpiresAt string }
	}
	r.Decode(t, &out)
	expires, err := time.Parse(time.RFC3339Nano, out.Login.ExpiresAt)
	if err != nil || expires.Sub(clock.Now()).Round(time.Second) != time.Hour {
		t.Fatalf("expiresAt = %q (%v), now %v", out.Login.ExpiresAt, err, clock.Now())
	}
	c := env.Anonymous()
	c.Token = out.Login.Token

	clock.Advance(59 * time.Minute)
	if got := whoAmI(c); got != "admin" {
		t.Fatalf("a minute before expiry: %s", got)
	}
	clock.Advance(2 * time.Minute)
	if got := whoAmI(c); got != "UNAUTHENTICATED: invalid or expired token" {
		t.Errorf("after expiry: %s", got)
	}
	mustFailWith(t, c, "UNAUTHENTICATED", `{ members(first: 1) { totalCount } }`, nil)
	// A fresh login works again.
	if got := whoAmI(env.Admin(acme)); got != "admin" {
		t.Errorf("fresh login: %s", got)
	}
}

func TestLogoutRevokesOnlyThatToken(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	phone, laptop := env.Admin(acme), env.Admin(acme)
	var out struct{ Logout struct{ Ok bool } }
	phone.MustDo(`mutation { logout { ok } }`, nil, &out)
	if !out.Logout.Ok {
		t.Errorf("logout ok = false")
	}
	if got := whoAmI(phone); got != "UNAUTHENTICATED: invalid or expired token" {
		t.Errorf("revoked token: %s", got)
	}
	mustFailWith(t, phone, "UNAUTHENTICATED", `mutation { logout { ok } }`, nil)
	if got := whoAmI(laptop); got != "admin" {
		t.Errorf("the other session: %s", got)
	}
}

// rateLimited checks r is RATE_LIMITED with a retryAfter within (0, max] seconds.
func rateLimited(t *testing.T, r *apitest.Response, max int) {
	t.Helper()
	if len(r.Errors) != 1 || r.Errors[0].Code() != "RATE_LIMITED" {
		t.Fatalf("want RATE_LIMITED, got %v %s", r.Errors, r.Data)
	}
	after, _ := r.Errors[0].Extensions["retryAfter"].(float64)
	if after <= 0 || int(after) > max {
		t.Errorf("retryAfter = %v, want 1..%d seconds", r.Errors[0].Extensions["retryAfter"], max)
	}
}

func TestFailedLoginsAreLimitedPerEnterpriseAndLogin(t *testing.T) {
	clock := apitest.NewClock()
	env := apitest.Start(t, apitest.WithClock(clock), apitest.WithLoginFailures(3))
	acme := env.NewEnterprise("acme")
	globex := env.NewEnterprise("globex")
	admin := env.Admin(acme)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}})
	admin.CreateMember(apitest.MemberSpec{Userid: "east", Depts: []string{acme.RootID}})
	env.Admin(globex).CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{globex.RootID}})
	anon := env.Anonymous()

	for i, who := range []string{"sam", "SAM", "sam"} {
		if r := anon.TryLogin("acme", who, "wrong-password"); !r.HasCode("UNAUTHENTICATED") {
			t.Fatalf("failure %d: %v", i+1, r.Errors)
		}
	}
	// Blocked now, even with the right password, for 15 minutes.
	rateLimited(t, anon.TryLogin("acme", "sam", apitest.TestPassword), 15*60)
	clock.Advance(10 * time.Minute)
	rateLimited(t, anon.TryLogin("acme", "sam", apitest.TestPassword), 5*60)
	// Other logins, and the same userid in another enterprise, are not.
	if r := anon.TryLogin("acme", "east", apitest.TestPassword); len(r.Errors) > 0 {
		t.Errorf("another login is blocked: %v", r.Errors)
	}
	if r := anon.TryLogin("globex", "sam", apitest.TestPassword); len(r.Errors) > 0 {
		t.Errorf("sam of globex is blocked: %v", r.Errors)
	}
	clock.Advance(5 * time.Minute)
	if r := anon.TryLogin("acme", "sam", apitest.TestPassword); len(r.Errors) > 0 {
		t.Errorf("after the window: %v", r.Errors)
	}
}

func TestFailedLoginsAreLimitedPerClientAddress(t *testing.T) {
	clock := apitest.NewClock()
	// Two failures per login, so twenty per address.
	env := apitest.Start(t, apitest.WithClock(clock), apitest.WithLoginFailures(2))
	acme := env.NewEnterprise("acme")
	anon := env.Anonymous()
	for i := range 20 {
		if r := anon.TryLogin("acme", fmt.Sprintf("guess%02d", i), "wrong-password"); !r.HasCode("UNAUTHENTICATED") {
			t.Fatalf("failure %d: %v", i+1, r.Errors)
		}
	}
	rateLimited(t, anon.TryLogin("acme", acme.AdminLogin, apitest.TestPassword), 15*60)
	clock.Advance(15 * time.Minute)
	if r := anon.TryLogin("acme", acme.AdminLogin, apitest.TestPassword); len(r.Errors) > 0 {
		t.Errorf("after the window: %v", r.Errors)
	}
}
