package e2e

import (
	"testing"
	"time"
)

const qDays = `query($m: ID, $from: Date!, $to: Date!) { attendanceDays(memberId: $m, from: $from, to: $to) {
	date dayKind status lateMinutes earlyMinutes
	checkIn { at kind locationResult } checkOut { at kind locationResult }
	leaves { leaveTypeName part minutes } } }`

// dayRow is an attendance day as the tests read it.
type dayRow struct {
	Date, DayKind, Status     string
	LateMinutes, EarlyMinutes int
	CheckIn, CheckOut         *struct{ At, Kind, LocationResult string }
	Leaves                    []struct {
		LeaveTypeName, Part string
		Minutes             int
	}
}

func daysOf(t *testing.T, c interface {
	MustDo(string, map[string]any, any)
}, memberID, from, to string) map[string]dayRow {
	t.Helper()
	vars := map[string]any{"from": from, "to": to}
	if memberID != "" {
		vars["m"] = memberID
	}
	var out struct{ AttendanceDays []dayRow }
	c.MustDo(qDays, vars, &out)
	byDate := map[string]dayRow{}
	for _, d := range out.AttendanceDays {
		byDate[d.Date] = d
	}
	return byDate
}

func TestCheckInIsStampedByTheServerAndJudgedAgainstTheRule(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:00")) // a Monday
	o.admin.CreateNineToSixRule()
	sam := o.as["sam"]

	o.at("2026-12-07 09:20")
	var out struct {
		CheckIn struct {
			At, WorkDate, TimeResult, LocationResult string
			Minutes                                  int
			PlaceName                                *string
			Distance                                 *float64
		}
	}
	// About 111 m north of the office center.
	sam.MustDo(`mutation($in: CheckInInput!) { checkIn(input: $in) { at workDate timeResult minutes locationResult placeName distance } }`,
		map[string]any{"in": map[string]any{"kind": "ON_DUTY", "latitude": 31.2314, "longitude": 121.4737, "accuracy": 15}}, &out)
	c := out.CheckIn
	if at, _ := time.Parse(time.RFC3339, c.At); !at.Equal(local("2026-12-07 09:20")) || c.WorkDate != "2026-12-07" || c.TimeResult != "LATE" || c.Minutes != 20 ||
		c.LocationResult != "NORMAL" || c.PlaceName == nil || *c.PlaceName != "Office" || c.Distance == nil || *c.Distance < 110 || *c.Distance > 112.5 {
		t.Fatalf("late check-in at the office: %+v", c)
	}

	// 1.1 km away: OUTSIDE, recorded but not counted.
	o.at("2026-12-07 18:01")
	if tr, lr := sam.CheckIn("OFF_DUTY", 31.2404, 121.4737, ""); tr != "NORMAL" || lr != "OUTSIDE" {
		t.Fatalf("off duty away from the office: %s %s", tr, lr)
	}
	sam.MustFail("BAD_USER_INPUT", `mutation { checkIn(input: {kind: FIELD, latitude: 31.2404, longitude: 121.4737, accuracy: 20}) { id } }`, nil)
	if _, lr := sam.CheckIn("FIELD", 31.2404, 121.4737, "at the client's"); lr != "FIELD" {
		t.Fatalf("field check-in: %s", lr)
	}

	// The day is shown once it has ended: LATE, out by the field punch.
	if d := daysOf(t, sam, "", "2026-12-07", "2026-12-07"); len(d) != 0 {
		t.Fatalf("a day not over yet is shown: %+v", d)
	}
	o.at("2026-12-08 08:00")
	d := daysOf(t, sam, "", "2026-12-07", "2026-12-08")["2026-12-07"]
	if d.Status != "LATE" || d.LateMinutes != 20 || d.CheckOut == nil || d.CheckOut.Kind != "FIELD" {
		t.Fatalf("Monday: %+v", d)
	}
}

func TestFieldCheckInRefusedWhenTheRuleRefusesIt(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:00"))
	o.admin.MustDo(`mutation { createAttendanceRule(input: {name: "Strict", audience: {everyone: true}, kind: FREE, fieldCheckIn: REFUSE}) { id } }`, nil, nil)
	o.as["sam"].MustFail("FORBIDDEN", `mutation { checkIn(input: {kind: FIELD, latitude: 31.2404, longitude: 121.4737, accuracy: 20, note: "client"}) { id } }`, nil)
	if n := countCheckIns(t, o.as["sam"]); n != 0 {
		t.Fatalf("a refused check-in was written: %d", n)
	}
}

func countCheckIns(t *testing.T, c interface {
	MustDo(string, map[string]any, any)
}) int {
	t.Helper()
	var out struct{ CheckIns struct{ TotalCount int } }
	c.MustDo(`{ checkIns(first: 1) { totalCount } }`, nil, &out)
	return out.CheckIns.TotalCount
}

// A night shift from 22:00 to 06:00 on December 31: the punch of January 1
// at 06:00 belongs to December 31, and December's days show it.
func TestNightShiftPunchAfterMidnightAtMonthEndBelongsToTheMonth(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-31 20:00")) // a Thursday
	o.admin.MustDo(`mutation { createAttendanceRule(input: {name: "Nights", audience: {everyone: true}, kind: FIXED,
		onDuty: "22:00", offDuty: "06:00", dayStartsAt: "12:00"}) { id } }`, nil, nil)
	sam := o.as["sam"]
	o.at("2026-12-31 21:58")
	sam.CheckIn("ON_DUTY", 31.2304, 121.4737, "")
	o.at("2027-01-01 06:03")
	sam.CheckIn("OFF_DUTY", 31.2304, 121.4737, "")
	var out struct {
		CheckIns struct {
			Edges []struct{ Node struct{ WorkDate string } }
		}
	}
	sam.MustDo(`{ checkIns(first: 10, where: {workDateGTE: "2026-12-01", workDateLTE: "2026-12-31"}) { edges { node { workDate } } } }`, nil, &out)
	if len(out.CheckIns.Edges) != 2 {
		t.Fatalf("December's punches: %+v", out.CheckIns.Edges)
	}
	// Dec 31's attendance day ends at noon on Jan 1.
	if d := daysOf(t, sam, "", "2026-12-31", "2026-12-31"); len(d) != 0 {
		t.Fatalf("Dec 31 shown before its day ended: %+v", d)
	}
	o.at("2027-01-01 12:00")
	d := daysOf(t, sam, "", "2026-12-01", "2026-12-31")["2026-12-31"]
	if at, _ := time.Parse(time.RFC3339, d.CheckOut.At); d.Status != "NORMAL" || !at.Equal(local("2027-01-01 06:03")) {
		t.Fatalf("Dec 31 night shift: %+v", d)
	}
	var sum struct {
		AttendanceSummary struct {
			To     string
			Totals struct{ DaysAttended, Normal int }
		}
	}
	sam.MustDo(`{ attendanceSummary(month: "2026-12") { to totals { daysAttended normal } } }`, nil, &sum)
	if sum.AttendanceSummary.To != "2026-12-31" || sum.AttendanceSummary.Totals.Normal != 1 {
		t.Fatalf("December summary: %+v", sum.AttendanceSummary)
	}
}

func TestBadAttendanceInputIsRefusedWithItsFieldAndWritesNothing(t *testing.T) {
	o := newAttendanceOrg(t, local("2026-12-07 08:00"))
	o.admin.CreateNineToSixRule()
	typeID := o.admin.CreateLeaveType(map[string]any{"name": "Annual", "unit": "DAY", "counting": "WORKING_DAYS"})
	sam, admin := o.as["sam"], o.admin
	for _, c := range []struct {
		name, field string
		admin       bool
		query       string
		vars        map[string]any
	}{
		{"latitude out of range", "latitude", false, `mutation { checkIn(input: {kind: ON_DUTY, latitude: 91, longitude: 121, accuracy: 10}) { id } }`, nil},
		{"longitude out of range", "longitude", false, `mutation { checkIn(input: {kind: ON_DUTY, latitude: 31, longitude: -180.5, accuracy: 10}) { id } }`, nil},
		{"accuracy worse than 1 km", "accuracy", false, `mutation { checkIn(input: {kind: ON_DUTY, latitude: 31, longitude: 121, accuracy: 1500}) { id } }`, nil},
		{"leave ending before it starts", "end", false, `query($t: ID!) { leaveDuration(input: {leaveTypeId: $t, start: "2026-12-09T09:00:00+08:00", end: "2026-12-08T09:00:00+08:00"}) { minutes } }`, map[string]any{"t": typeID}},
		{"leave range past a year", "end", false, `query($t: ID!) { leaveDuration(input: {leaveTypeId: $t, start: "2026-12-09T09:00:00+08:00", end: "2027-12-10T09:00:00+08:00"}) { minutes } }`, map[string]any{"t": typeID}},
		{"days ending before they start", "to", false, `{ attendanceDays(from: "2026-12-05", to: "2026-12-01") { date } }`, nil},
		{"unknown time zone", "timeZone", true, `mutation { updateWorkCalendar(input: {timeZone: "Asia/Atlantis"}) { timeZone } }`, nil},
		{"a holiday twice", "holidays", true, `mutation { updateWorkCalendar(input: {year: 2026, holidays: [{date: "2026-12-25", name: "a"}, {date: "2026-12-25", name: "b"}]}) { timeZone } }`, nil},
		{"a holiday of another year", "holidays", true, `mutation { updateWorkCalendar(input: {year: 2026, holidays: [{date: "2027-01-01", name: "a"}]}) { timeZone } }`, nil},
		{"a fixed rule without on duty", "onDuty", true, `mutation { createAttendanceRule(input: {name: "x", audience: {everyone: true}, kind: FIXED, offDuty: "18:00"}) { id } }`, nil},
		{"a fixed rule without off duty", "offDuty", true, `mutation { createAttendanceRule(input: {name: "x", audience: {everyone: true}, kind: FIXED, onDuty: "09:00"}) { id } }`, nil},
		{"a night shift without its day start", "dayStartsAt", true, `mutation { createAttendanceRule(input: {name: "x", audience: {everyone: true}, kind: FIXED, onDuty: "22:00", offDuty: "06:00"}) { id } }`, nil},
		{"a place off the globe", "places", true, `mutation { createAttendanceRule(input: {name: "x", audience: {everyone: true}, kind: FREE, places: [{name: "x", latitude: 95, longitude: 0, radius: 100}]}) { id } }`, nil},
		{"a step smaller than a day", "stepMinutes", true, `mutation { createLeaveType(input: {name: "x", unit: DAY, counting: WORKING_DAYS, stepMinutes: 240}) { id } }`, nil},
		{"an hour step under 30 minutes", "stepMinutes", true, `mutation { createLeaveType(input: {name: "x", unit: HOUR, counting: WORKING_DAYS, stepMinutes: 15}) { id } }`, nil},
		{"an adjustment without a reason", "reason", true, `mutation($m: ID!, $t: ID!) { adjustLeaveBalance(input: {memberId: $m, leaveTypeId: $t, year: 2026, minutes: 480, reason: " "}) { id } }`, map[string]any{"m": o.ids["sam"], "t": typeID}},
		{"taking more than is there", "minutes", true, `mutation($m: ID!, $t: ID!) { adjustLeaveBalance(input: {memberId: $m, leaveTypeId: $t, year: 2026, minutes: -480, reason: "oops"}) { id } }`, map[string]any{"m": o.ids["sam"], "t": typeID}},
	} {
		cl := sam
		if c.admin {
			cl = admin
		}
		r := cl.Do(c.query, c.vars)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", c.name, r.Errors, c.field)
		}
	}
	// Nothing was written: no punch, one rule, the default calendar, one type, no log line.
	if n := countCheckIns(t, sam); n != 0 {
		t.Errorf("check-ins written: %d", n)
	}
	var out struct {
		AttendanceRules     struct{ TotalCount int }
		LeaveTypes          struct{ TotalCount int }
		LeaveBalanceChanges struct{ TotalCount int }
		WorkCalendar        struct {
			TimeZone string
			Holidays []struct{ Date string }
		}
	}
	admin.MustDo(`{ attendanceRules(first: 1) { totalCount } leaveTypes(first: 1) { totalCount }
		leaveBalanceChanges(first: 1) { totalCount } workCalendar { timeZone holidays { date } } }`, nil, &out)
	if out.AttendanceRules.TotalCount != 1 || out.LeaveTypes.TotalCount != 1 || out.LeaveBalanceChanges.TotalCount != 0 ||
		out.WorkCalendar.TimeZone != "Asia/Shanghai" || len(out.WorkCalendar.Holidays) != 0 {
		t.Errorf("something was written: %+v", out)
	}
}
