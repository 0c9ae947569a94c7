package e2e

import (
	"sync"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
)

// The follower limit holds under concurrency: 100 people following at the
// same instant, with 3 places left, make exactly 3 followers. The suite runs
// this on SQLite and, with CORPLINE_TEST_DATABASE_URL, on PostgreSQL.
func TestAHundredSimultaneousFollowsTakeExactlyTheThreePlacesLeft(t *testing.T) {
	env := apitest.Start(t)
	acme := certified(env, "acme", 4) // the admin holds one place
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 100)
	link := admin.InviteURL()

	type outcome struct {
		codes []string
		msgs  []apitest.Error
		err   error
	}
	results := make([]outcome, len(ps))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r, err := env.Anonymous().Try(apitest.ActivateMutation, apitest.ActivateVars(link, p))
			if err != nil {
				results[i] = outcome{err: err}
				return
			}
			results[i] = outcome{codes: r.Codes(), msgs: r.Errors}
		}()
	}
	close(start)
	wg.Wait()

	ok, refused := 0, 0
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Fatalf("follow %d: %v", i, r.err)
		case len(r.codes) == 0:
			ok++
		case len(r.codes) == 1 && r.codes[0] == "QUOTA_EXCEEDED":
			refused++
		default:
			t.Fatalf("follow %d answered %v %v", i, r.codes, r.msgs)
		}
	}
	if ok != 3 || refused != 97 {
		t.Fatalf("%d followed and %d were refused, want 3 and 97", ok, refused)
	}
	if n, limit := followers(t, admin); n != 4 || limit != 4 {
		t.Fatalf("followers = %d of %d, want 4 of 4", n, limit)
	}
}

// Every way into ACTIVE counts: creating a member with a password and
// enabling a disabled follower, not only following.
func TestCreatingWithAPasswordAndEnablingRespectTheQuota(t *testing.T) {
	env := apitest.Start(t)
	acme := certified(env, "acme", 3)
	admin := env.Admin(acme)
	dept := admin.CreateDepartment("Staff", acme.RootID)
	a := admin.CreateMember(apitest.MemberSpec{Userid: "a", Depts: []string{dept}})
	admin.CreateMember(apitest.MemberSpec{Userid: "b", Depts: []string{dept}})

	create := `mutation($in: CreateMemberInput!) { createMember(input: $in) { id status } }`
	in := func(userid string, password bool) map[string]any {
		m := map[string]any{"userid": userid, "name": userid, "departments": []map[string]any{{"departmentId": dept}}}
		if password {
			m["password"] = apitest.TestPassword
		}
		return map[string]any{"in": m}
	}
	admin.MustFail("QUOTA_EXCEEDED", create, in("c", true))
	var invited struct{ CreateMember struct{ Status string } }
	admin.MustDo(create, in("c", false), &invited) // not a follower: no place needed
	if invited.CreateMember.Status != "INVITED" {
		t.Fatalf("created without a password: %s", invited.CreateMember.Status)
	}

	disable := `mutation($id: ID!) { disableMember(input: {id: $id}) { status } }`
	enable := `mutation($id: ID!) { enableMember(input: {id: $id}) { status } }`
	admin.MustDo(disable, map[string]any{"id": a}, nil)
	if n, _ := followers(t, admin); n != 2 {
		t.Fatalf("followers after disabling = %d, want 2", n)
	}
	admin.MustDo(create, in("d", true), nil) // takes a's place
	admin.MustFail("QUOTA_EXCEEDED", enable, map[string]any{"id": a})
	if n, _ := followers(t, admin); n != 3 {
		t.Fatalf("followers = %d, want 3", n)
	}
}

// A certification lasts a year; renewing extends it; once it lapses the
// enterprise follows REGISTERED rules (50 followers) until certified again.
func TestALapsedCertificationFallsBackToRegisteredRules(t *testing.T) {
	clk := clock.NewFake(time.Date(2030, 1, 10, 9, 0, 0, 0, time.UTC))
	env := apitest.Start(t, apitest.WithClock(clk))
	op := env.NewOperator("root")
	var created struct {
		CreateEnterprise struct{ ID, CertifiedUntil string }
	}
	op.MustDo(`mutation($in: CreateEnterpriseInput!) { createEnterprise(input: $in) { id certifiedUntil } }`,
		map[string]any{"in": map[string]any{"code": "big", "name": "Big Corp", "accountType": "CERTIFIED", "followerQuota": 500,
			"adminLogin": "admin", "adminPassword": apitest.TestPassword}}, &created)
	id := created.CreateEnterprise.ID
	if created.CreateEnterprise.CertifiedUntil != "2031-01-10T09:00:00Z" {
		t.Fatalf("certified until %s, want a year on", created.CreateEnterprise.CertifiedUntil)
	}
	usage := func() (limit int, valid bool) {
		var out struct {
			Enterprises struct {
				Edges []struct {
					Node struct {
						Usage struct {
							FollowerLimit      int
							CertificationValid bool
						}
					}
				}
			}
		}
		op.MustDo(`{ enterprises(first: 10, where: {code: "big"}) { edges { node { usage { followerLimit certificationValid } } } } }`, nil, &out)
		u := out.Enterprises.Edges[0].Node.Usage
		return u.FollowerLimit, u.CertificationValid
	}
	if limit, valid := usage(); limit != 500 || !valid {
		t.Fatalf("certified: limit %d valid %v", limit, valid)
	}

	// Renewing during the year extends it by a year from its end.
	clk.Advance(200 * 24 * time.Hour)
	op = env.OperatorLogin("root") // tokens last 30 days
	var renewed struct {
		CertifyEnterprise struct{ CertifiedUntil string }
	}
	op.MustDo(`mutation($id: ID!) { certifyEnterprise(input: {enterpriseId: $id}) { certifiedUntil } }`, map[string]any{"id": id}, &renewed)
	if renewed.CertifyEnterprise.CertifiedUntil != "2032-01-10T09:00:00Z" {
		t.Fatalf("renewed until %s, want 2032-01-10", renewed.CertifyEnterprise.CertifiedUntil)
	}

	// Past the end, REGISTERED rules.
	clk.Advance(2 * 366 * 24 * time.Hour)
	op = env.OperatorLogin("root")
	if limit, valid := usage(); limit != 50 || valid {
		t.Fatalf("lapsed: limit %d valid %v, want 50 and false", limit, valid)
	}
	admin := env.Login("big", "admin", apitest.TestPassword)
	if n, limit := followers(t, admin); n != 1 || limit != 50 {
		t.Fatalf("super admin sees %d of %d", n, limit)
	}
	// Certifying again starts a new year from now.
	op.MustDo(`mutation($id: ID!) { certifyEnterprise(input: {enterpriseId: $id}) { id } }`, map[string]any{"id": id}, nil)
	if limit, valid := usage(); limit != 500 || !valid {
		t.Fatalf("recertified: limit %d valid %v", limit, valid)
	}
}
