package e2e

import (
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// local is a Shanghai wall-clock time "2006-01-02 15:04".
func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// attendanceOrg is an enterprise for leave and attendance tests, on a
// server whose clock the test moves:
//
//	acme Inc (root)   hr: scoped admin with MANAGE_ATTENDANCE over Sales
//	                  membersadmin: scoped admin with MANAGE_MEMBERS over Sales
//	  Sales           lead (leader), sam
//	    Sales East    east
//	  R&D             rdlead (leader), rdmem
//
// and globex, another enterprise, with its super admin.
type attendanceOrg struct {
	env              *apitest.Env
	clock            *clock.Fake
	acme             *apitest.Enterprise
	admin            *apitest.Client
	sales, east, rnd string
	ids              map[string]string
	as               map[string]*apitest.Client
}

func newAttendanceOrg(t *testing.T, start time.Time) *attendanceOrg {
	t.Helper()
	fake := clock.NewFake(start)
	env := apitest.Start(t, apitest.WithClock(fake))
	o := &attendanceOrg{env: env, clock: fake, acme: env.NewEnterprise("acme"), ids: map[string]string{}, as: map[string]*apitest.Client{}}
	o.admin = env.Admin(o.acme)
	root := o.acme.RootID
	o.sales = o.admin.CreateDepartment("Sales", root)
	o.east = o.admin.CreateDepartment("Sales East", o.sales)
	o.rnd = o.admin.CreateDepartment("R&D", root)
	for _, m := range []apitest.MemberSpec{
		{Userid: "lead", Depts: []string{o.sales}, LeaderOf: []string{o.sales}},
		{Userid: "sam", Depts: []string{o.sales}},
		{Userid: "east", Depts: []string{o.east}},
		{Userid: "rdlead", Depts: []string{o.rnd}, LeaderOf: []string{o.rnd}},
		{Userid: "rdmem", Depts: []string{o.rnd}},
		{Userid: "hr", Depts: []string{root}},
		{Userid: "membersadmin", Depts: []string{root}},
	} {
		o.ids[m.Userid] = o.admin.CreateMember(m)
	}
	o.admin.GrantScoped(o.ids["hr"], []string{o.sales}, "MANAGE_ATTENDANCE")
	o.admin.GrantScoped(o.ids["membersadmin"], []string{o.sales}, "MANAGE_MEMBERS")
	for who := range o.ids {
		o.as[who] = env.Login("acme", who, apitest.TestPassword)
	}
	o.as["admin"] = o.admin
	o.ids["admin"] = o.acme.AdminID
	globex := env.NewEnterprise("globex")
	o.as["globex/admin"] = env.Admin(globex)
	return o
}

// at moves the server's clock to a Shanghai wall-clock time.
func (o *attendanceOrg) at(s string) {
	o.clock.Advance(local(s).Sub(o.clock.Now()))
}

// balance reads a member's balance of a type as c sees it: available,
// reserved and used minutes of year.
type balanceRow struct {
	ID                                                                             string
	Year                                                                           int
	GrantedMinutes, AvailableMinutes, ReservedMinutes, UsedMinutes, ExpiredMinutes int
}

func balanceOf(t *testing.T, c *apitest.Client, memberID, typeID string, year int) balanceRow {
	t.Helper()
	var out struct {
		LeaveBalances struct{ Edges []struct{ Node balanceRow } }
	}
	c.MustDo(`query($w: LeaveBalanceWhereInput) { leaveBalances(first: 10, where: $w) { edges { node {
		id year grantedMinutes availableMinutes reservedMinutes usedMinutes expiredMinutes } } } }`,
		map[string]any{"w": map[string]any{"memberID": memberID, "leaveTypeID": typeID, "year": year}}, &out)
	if len(out.LeaveBalances.Edges) != 1 {
		t.Fatalf("balance of %s for %d: %d rows", memberID, year, len(out.LeaveBalances.Edges))
	}
	return out.LeaveBalances.Edges[0].Node
}

// changeKinds lists the kinds and minutes of a balance's log, oldest first.
func changeKinds(t *testing.T, c *apitest.Client, balanceID string) []string {
	t.Helper()
	var out struct {
		LeaveBalanceChanges struct {
			Edges []struct {
				Node struct {
					Kind                    string
					Minutes, AvailableAfter int
				}
			}
		}
	}
	c.MustDo(`query($w: LeaveBalanceChangeWhereInput) { leaveBalanceChanges(first: 100, where: $w, orderBy: {field: CREATED_AT}) {
		edges { node { kind minutes availableAfter } } } }`, map[string]any{"w": map[string]any{"balanceID": balanceID}}, &out)
	var kinds []string
	for _, e := range out.LeaveBalanceChanges.Edges {
		kinds = append(kinds, e.Node.Kind+" "+itoa(e.Node.Minutes)+" ="+itoa(e.Node.AvailableAfter))
	}
	return kinds
}
