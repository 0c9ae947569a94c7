package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// Behind a load balancer, N processes must not give a password guesser N
// times the limit (issue 8, finding 10): on PostgreSQL every process counts
// failed logins and activations in the database.
func TestFailedLoginsAndActivationsAreCountedAcrossProcesses(t *testing.T) {
	apitest.RequirePostgres(t)
	env := apitest.Start(t, apitest.WithLoginFailures(4))
	other := env.StartAnother(apitest.WithLoginFailures(4))
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	dept := admin.CreateDepartment("Staff", acme.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{dept}})
	ps := apitest.People(1)
	admin.Import(dept, ps)
	link := admin.InviteURL()

	// Four failed logins, two on each process: the limit, counted once.
	for i, e := range []*apitest.Env{env, other, env, other} {
		if r := e.Anonymous().TryLogin("acme", "sam", "wrong-password"); !r.HasCode("UNAUTHENTICATED") {
			t.Fatalf("failure %d: %v", i+1, r.Errors)
		}
	}
	for _, e := range []*apitest.Env{env, other} {
		rateLimited(t, e.Anonymous().TryLogin("acme", "sam", apitest.TestPassword), 15*60)
	}

	// Five failed follows of one identity (the limit), alternating.
	for i := range 5 {
		guess := ps[0]
		guess.Name = "Guess " + string(rune('A'+i))
		if r := []*apitest.Env{env, other}[i%2].Activate(link, guess); !r.HasCode("FORBIDDEN") {
			t.Fatalf("follow guess %d: %v", i, r.Errors)
		}
	}
	for _, e := range []*apitest.Env{env, other} {
		if r := e.Activate(link, ps[0]); !r.HasCode("RATE_LIMITED") || r.Errors[0].Extensions["retryAfter"] == nil {
			t.Fatalf("after 5 failures on two processes: %v", r.Errors)
		}
	}
}
