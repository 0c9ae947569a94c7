package e2e

import (
	"context"
	"reflect"
	"testing"
)

const day = 480

func TestGrantProratesByHireDateAndTiersByService(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:00"))
	annual := o.admin.CreateLeaveType(map[string]any{"name": "Annual", "unit": "DAY", "counting": "WORKING_DAYS",
		"grant": map[string]any{"kind": "BY_SERVICE", "tiers": []any{map[string]any{"years": 0, "minutes": 5 * day}, map[string]any{"years": 1, "minutes": 10 * day}},
			"prorate": true, "roundMinutes": day / 2}})
	hire := func(who, date string) {
		o.admin.MustDo(`mutation($id: ID!, $d: Date) { updateMember(input: {id: $id, hiredOn: $d}) { id } }`, map[string]any{"id": o.ids[who], "d": date}, nil)
	}
	hire("sam", "2026-07-01")  // 0 years: 5 days × 184/365 = 2.52, down to half days: 2.5
	hire("lead", "2020-01-01") // 6 years: 10 days
	// east has no hire date: the lowest tier, not prorated: 5 days.
	grant := `mutation($in: GrantLeaveBalancesInput!) { grantLeaveBalances(input: $in) { granted skipped grantedMinutes } }`
	var out struct {
		GrantLeaveBalances struct{ Granted, Skipped, GrantedMinutes int }
	}
	in := map[string]any{"leaveTypeId": annual, "year": 2026, "memberIds": []string{o.ids["sam"], o.ids["lead"], o.ids["east"]}}
	o.admin.MustDo(grant, map[string]any{"in": in}, &out)
	if g := out.GrantLeaveBalances; g.Granted != 3 || g.Skipped != 0 || g.GrantedMinutes != 5*day/2+10*day+5*day {
		t.Fatalf("grant: %+v", g)
	}
	o.admin.MustDo(grant, map[string]any{"in": in}, &out)
	if g := out.GrantLeaveBalances; g.Granted != 0 || g.Skipped != 3 {
		t.Fatalf("grant again: %+v", g)
	}
	for who, want := range map[string]int{"sam": 5 * day / 2, "lead": 10 * day, "east": 5 * day} {
		if b := balanceOf(t, o.admin, o.ids[who], annual, 2026); b.AvailableMinutes != want || b.GrantedMinutes != want {
			t.Errorf("%s: %+v, want %d", who, b, want)
		}
	}
	// hr holds MANAGE_ATTENDANCE over Sales only.
	r := o.as["hr"].Do(grant, map[string]any{"in": map[string]any{"leaveTypeId": annual, "year": 2027, "memberIds": []string{o.ids["rdmem"]}}})
	if !r.HasCode("NOT_FOUND") {
		t.Errorf("hr granting outside Sales: %+v", r.Errors)
	}
	o.as["hr"].AdjustLeaveBalance(o.ids["sam"], annual, 2026, day/2)
	b := balanceOf(t, o.as["sam"], o.ids["sam"], annual, 2026)
	if b.AvailableMinutes != 3*day {
		t.Fatalf("sam after +half a day: %+v", b)
	}
	if got, want := changeKinds(t, o.as["sam"], b.ID), []string{"GRANT 1200 =1200", "ADJUST 240 =1440"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sam's log: %q, want %q", got, want)
	}
	o.as["membersadmin"].MustFail("FORBIDDEN", `mutation($m: ID!, $t: ID!) { adjustLeaveBalance(input: {memberId: $m, leaveTypeId: $t, year: 2026, minutes: 480, reason: "gift"}) { id } }`,
		map[string]any{"m": o.ids["sam"], "t": annual})
	o.as["lead"].MustFail("FORBIDDEN", `mutation($m: ID!, $t: ID!) { adjustLeaveBalance(input: {memberId: $m, leaveTypeId: $t, year: 2026, minutes: 480, reason: "gift"}) { id } }`,
		map[string]any{"m": o.ids["sam"], "t": annual})
}

func TestExpiryCarriesOverUnusedLeaveIntoTheNextYear(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-30 10:00"))
	annual := o.admin.CreateLeaveType(map[string]any{"name": "Annual", "unit": "DAY", "counting": "WORKING_DAYS",
		"grant": map[string]any{"kind": "FIXED", "minutes": 5 * day, "carryOverMinutes": 3 * day}})
	o.admin.MustDo(`mutation($t: ID!, $m: [ID!]) { grantLeaveBalances(input: {leaveTypeId: $t, year: 2026, memberIds: $m}) { granted } }`,
		map[string]any{"t": annual, "m": []string{o.ids["sam"]}}, nil)
	expire := func() int {
		n, err := o.env.Main.Jobs.LeaveExpiry.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	o.at("2026-12-31 23:59")
	if n := expire(); n != 0 {
		t.Fatalf("expired on the last day: %d", n)
	}
	// Five minutes past midnight in Shanghai: still Dec 31 in UTC.
	o.at("2027-01-01 00:05")
	if n := expire(); n != 1 {
		t.Fatalf("expired after the year: %d", n)
	}
	if n := expire(); n != 0 {
		t.Fatalf("expired twice: %d", n)
	}
	old := balanceOf(t, o.as["sam"], o.ids["sam"], annual, 2026)
	next := balanceOf(t, o.as["sam"], o.ids["sam"], annual, 2027)
	if old.AvailableMinutes != 0 || old.ExpiredMinutes != 2*day || next.AvailableMinutes != 3*day || next.GrantedMinutes != 3*day {
		t.Fatalf("after expiry: 2026 %+v, 2027 %+v", old, next)
	}
	if got, want := changeKinds(t, o.as["sam"], old.ID), []string{"GRANT 2400 =2400", "EXPIRE 2400 =0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("2026 log: %q, want %q", got, want)
	}
	if got, want := changeKinds(t, o.as["sam"], next.ID), []string{"GRANT 1440 =1440"}; !reflect.DeepEqual(got, want) {
		t.Errorf("2027 log: %q, want %q", got, want)
	}
}

func TestLeaveDurationCountsAgainstTheWorkCalendar(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:00"))
	var cal struct {
		UpdateWorkCalendar struct {
			TimeZone    string
			WorkingWeek []string
			Holidays    []struct{ Date, Name string }
			MakeUpDays  []string
			Days        []struct{ Date, Kind string }
		}
	}
	o.admin.MustDo(`mutation { updateWorkCalendar(input: {year: 2026, holidays: [{date: "2026-12-25", name: "Company day"}], makeUpDays: ["2026-12-19"]}) {
		timeZone workingWeek holidays(year: 2026) { date name } makeUpDays days(from: "2026-12-18", to: "2026-12-21") { date kind } } }`, nil, &cal)
	c := cal.UpdateWorkCalendar
	kinds := []string{}
	for _, d := range c.Days {
		kinds = append(kinds, d.Date+" "+d.Kind)
	}
	if c.TimeZone != "Asia/Shanghai" || len(c.WorkingWeek) != 5 || len(c.Holidays) != 1 || !reflect.DeepEqual(kinds,
		[]string{"2026-12-18 WORKDAY", "2026-12-19 WORKDAY", "2026-12-20 REST_DAY", "2026-12-21 WORKDAY"}) {
		t.Fatalf("calendar: %+v", c)
	}
	annual := o.admin.CreateLeaveType(map[string]any{"name": "Annual", "unit": "DAY", "counting": "WORKING_DAYS"})
	natural := o.admin.CreateLeaveType(map[string]any{"name": "Maternity", "unit": "DAY", "counting": "NATURAL_DAYS"})
	hourly := o.admin.CreateLeaveType(map[string]any{"name": "Personal", "unit": "HOUR", "counting": "WORKING_DAYS"})
	half := o.admin.CreateLeaveType(map[string]any{"name": "Sick", "unit": "HALF_DAY", "counting": "WORKING_DAYS"})
	duration := func(typeID, from, to string) (int, []string) {
		var out struct {
			LeaveDuration struct {
				Minutes int
				Days    []struct {
					Date, Kind, Part, From, To string
					Minutes                    int
				}
			}
		}
		o.as["sam"].MustDo(`query($in: LeaveDurationInput!) { leaveDuration(input: $in) { minutes days { date kind part minutes from to } } }`,
			map[string]any{"in": map[string]any{"leaveTypeId": typeID, "start": local(from).Format("2006-01-02T15:04:05Z07:00"), "end": local(to).Format("2006-01-02T15:04:05Z07:00")}}, &out)
		var days []string
		for _, d := range out.LeaveDuration.Days {
			days = append(days, d.Date+" "+d.Part+" "+itoa(d.Minutes))
		}
		return out.LeaveDuration.Minutes, days
	}
	for _, c := range []struct {
		name, typeID, from, to string
		want                   int
	}{
		{"working days over a holiday and a weekend", annual, "2026-12-24 09:00", "2026-12-28 18:00", 2 * day},
		{"natural days over the same", natural, "2026-12-24 09:00", "2026-12-28 18:00", 5 * day},
		{"working days over a make-up Saturday", annual, "2026-12-18 09:00", "2026-12-21 18:00", 3 * day},
		{"hours with lunch deducted", hourly, "2026-12-08 10:00", "2026-12-08 15:00", 4 * 60},
		{"an afternoon and a morning", half, "2026-12-08 13:00", "2026-12-09 12:00", day},
	} {
		if got, days := duration(c.typeID, c.from, c.to); got != c.want {
			t.Errorf("%s: %d minutes (%q), want %d", c.name, got, days, c.want)
		}
	}
	if _, days := duration(half, "2026-12-08 13:00", "2026-12-09 12:00"); !reflect.DeepEqual(days, []string{"2026-12-08 PM 240", "2026-12-09 AM 240"}) {
		t.Errorf("half days: %q", days)
	}
}
