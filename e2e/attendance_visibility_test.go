package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// attendanceSight is whose leave and attendance each viewer sees: the
// member, the leaders of their departments (with sub-departments), admins
// holding MANAGE_ATTENDANCE over them, super admins. Nobody else: not a
// colleague, not the leader of another department, not an admin holding
// another right, not another enterprise.
var attendanceSight = map[string][]string{
	"sam":          {"sam"},
	"east":         {"east"},
	"rdmem":        {"rdmem"},
	"lead":         {"east", "sam"},
	"rdlead":       {"rdmem"},
	"hr":           {"east", "sam"},
	"membersadmin": {},
	"admin":        {"east", "rdmem", "sam"},
	"globex/admin": {},
}

// subjectsOfAttendance are the members with leave and attendance rows.
var subjectsOfAttendance = []string{"sam", "east", "rdmem"}

func TestNobodyElseSeesLeaveAndAttendance(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:50"))
	o.admin.CreateNineToSixRule()
	annual := o.admin.CreateLeaveType(map[string]any{"name": "Annual", "unit": "DAY", "counting": "WORKING_DAYS"})
	checkIns := map[string]string{} // member -> check-in ID
	balances := map[string]string{}
	for _, who := range subjectsOfAttendance {
		o.admin.AdjustLeaveBalance(o.ids[who], annual, 2026, 5*day)
		var out struct{ CheckIn struct{ ID string } }
		o.as[who].MustDo(`mutation { checkIn(input: {kind: ON_DUTY, latitude: 31.2304, longitude: 121.4737, accuracy: 10}) { id } }`, nil, &out)
		checkIns[who] = out.CheckIn.ID
		balances[who] = balanceOf(t, o.admin, o.ids[who], annual, 2026).ID
	}
	o.at("2026-12-08 08:00")
	who := func(memberIDs []string) []string {
		var out []string
		for _, id := range memberIDs {
			for name, mid := range o.ids {
				if mid == id && !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
		}
		slices.Sort(out)
		if out == nil {
			out = []string{}
		}
		return out
	}
	type list struct {
		TotalCount int
		Edges      []struct{ Node struct{ MemberID string } }
	}
	members := func(l list) []string {
		var ids []string
		for _, e := range l.Edges {
			ids = append(ids, e.Node.MemberID)
		}
		return who(ids)
	}
	for _, viewer := range []string{"sam", "east", "rdmem", "lead", "rdlead", "hr", "membersadmin", "admin", "globex/admin"} {
		c := o.as[viewer]
		want := attendanceSight[viewer]
		check := func(row string, got []string) {
			t.Helper()
			if got == nil {
				got = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, %s: sees %q, want %q", viewer, row, got, want)
			}
		}
		var lists struct {
			LeaveBalances       list
			LeaveBalanceChanges list
			CheckIns            list
			Filtered            list
			Nested              struct {
				Edges []struct {
					Node struct {
						Changes struct{ TotalCount int }
					}
				}
			}
		}
		c.MustDo(`query($sam: ID!) {
			leaveBalances(first: 20) { totalCount edges { node { memberID } } }
			leaveBalanceChanges(first: 20) { totalCount edges { node { memberID } } }
			checkIns(first: 20) { totalCount edges { node { memberID } } }
			filtered: checkIns(first: 20, where: {memberID: $sam}) { totalCount edges { node { memberID } } }
			nested: leaveBalances(first: 20) { edges { node { changes(first: 5) { totalCount } } } }
		}`, map[string]any{"sam": o.ids["sam"]}, &lists)
		check("leaveBalances", members(lists.LeaveBalances))
		check("leaveBalanceChanges", members(lists.LeaveBalanceChanges))
		check("checkIns", members(lists.CheckIns))
		for name, l := range map[string]list{"leaveBalances": lists.LeaveBalances, "leaveBalanceChanges": lists.LeaveBalanceChanges, "checkIns": lists.CheckIns} {
			if l.TotalCount != len(want) {
				t.Errorf("%s, %s totalCount: %d, want %d", viewer, name, l.TotalCount, len(want))
			}
		}
		if sees := slices.Contains(want, "sam"); (lists.Filtered.TotalCount == 1) != sees {
			t.Errorf("%s, checkIns(where: sam): %d", viewer, lists.Filtered.TotalCount)
		}
		nested := 0
		for _, e := range lists.Nested.Edges {
			nested += e.Node.Changes.TotalCount
		}
		if nested != len(want) {
			t.Errorf("%s, leaveBalances { changes }: %d, want %d", viewer, nested, len(want))
		}
		var seen []string
		for _, subject := range subjectsOfAttendance {
			if visibleByID(t, c, checkIns[subject]) && visibleByID(t, c, balances[subject]) && daysVisible(t, c, o.ids[subject]) {
				seen = append(seen, o.ids[subject])
			}
		}
		check("node(id), attendanceDays, attendanceSummary(memberId)", who(seen))
		var sum struct {
			AttendanceSummary struct {
				Members []struct{ MemberID string }
			}
		}
		r := c.Do(`query($d: ID!) { attendanceSummary(month: "2026-12", departmentId: $d) { members { memberId } } }`, map[string]any{"d": o.sales})
		var ids []string
		if len(r.Errors) == 0 {
			r.Decode(t, &sum)
			for _, m := range sum.AttendanceSummary.Members {
				ids = append(ids, m.MemberID)
			}
		} else if !r.HasCode("NOT_FOUND") && !r.HasCode("FORBIDDEN") {
			t.Errorf("%s, Sales summary: %+v", viewer, r.Errors)
		}
		got := []string{}
		for _, name := range who(ids) {
			if slices.Contains(subjectsOfAttendance, name) {
				got = append(got, name)
			}
		}
		var wantSales []string
		for _, w := range want {
			if w != "rdmem" {
				wantSales = append(wantSales, w)
			}
		}
		if wantSales == nil {
			wantSales = []string{}
		}
		if !slices.Equal(got, wantSales) {
			t.Errorf("%s, Sales summary: %q, want %q", viewer, got, wantSales)
		}
	}
}

// visibleByID reads a row through node(id) and nodes(ids): found in both,
// or answered exactly as a nonexistent ID in both.
func visibleByID(t *testing.T, c *apitest.Client, id string) bool {
	t.Helper()
	ghost := id[:4] + "00000000000000000000000000000000"
	var out struct {
		Node  *struct{ ID string }
		Nodes []*struct{ ID string }
		Ghost *struct{ ID string }
	}
	r := c.Do(`query($id: ID!, $ghost: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } ghost: node(id: $ghost) { id } }`, map[string]any{"id": id, "ghost": ghost})
	r.Decode(t, &out)
	found := out.Node != nil && len(out.Nodes) == 1 && out.Nodes[0] != nil
	if !found {
		for _, e := range r.Errors {
			if e.Code() != "NOT_FOUND" {
				t.Errorf("hidden %s answered %+v, not as a nonexistent ID", id, e)
			}
		}
		if out.Node != nil || (len(out.Nodes) == 1 && out.Nodes[0] != nil) {
			t.Errorf("%s half visible: %+v", id, out)
		}
	}
	return found
}

// daysVisible reads a member's days and month: both answered, or both
// NOT_FOUND as for a member that does not exist.
func daysVisible(t *testing.T, c *apitest.Client, memberID string) bool {
	t.Helper()
	days := c.Do(`query($m: ID) { attendanceDays(memberId: $m, from: "2026-12-07", to: "2026-12-07") { status } }`, map[string]any{"m": memberID})
	sum := c.Do(`query($m: ID) { attendanceSummary(month: "2026-12", memberId: $m) { totals { normal } } }`, map[string]any{"m": memberID})
	ghost := c.Do(`query($m: ID) { attendanceDays(memberId: $m, from: "2026-12-07", to: "2026-12-07") { status } }`, map[string]any{"m": "mem_00000000000000000000000000000000"})
	if len(days.Errors) == 0 && len(sum.Errors) == 0 {
		return true
	}
	if !days.HasCode("NOT_FOUND") || !sum.HasCode("NOT_FOUND") || !ghost.HasCode("NOT_FOUND") {
		t.Errorf("member %s hidden with %v and %v (a ghost: %v), want NOT_FOUND", memberID, days.Codes(), sum.Codes(), ghost.Codes())
	}
	return false
}
