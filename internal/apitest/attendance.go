package apitest

// Leave and attendance fixtures, made through the API as an admin would.

// Office is where tests check in: People's Square, Shanghai, with a 300 m radius.
var Office = map[string]any{"name": "Office", "latitude": 31.2304, "longitude": 121.4737, "radius": 300}

// CreateNineToSixRule creates a FIXED 09:00-18:00 rule for everyone, lunch
// 12:00-13:00, five minutes of grace, checking in at Office, and returns its ID.
func (c *Client) CreateNineToSixRule() string {
	c.env.T.Helper()
	var out struct{ CreateAttendanceRule struct{ ID string } }
	c.MustDo(`mutation($in: CreateAttendanceRuleInput!) { createAttendanceRule(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Office hours", "audience": map[string]any{"everyone": true}, "kind": "FIXED",
		"onDuty": "09:00", "offDuty": "18:00", "lunchStart": "12:00", "lunchEnd": "13:00",
		"lateGraceMinutes": 5, "earlyGraceMinutes": 5, "places": []any{Office},
	}}, &out)
	return out.CreateAttendanceRule.ID
}

// CreateLeaveType creates a leave type from in (name, unit and counting at
// least) and returns its ID.
func (c *Client) CreateLeaveType(in map[string]any) string {
	c.env.T.Helper()
	var out struct{ CreateLeaveType struct{ ID string } }
	c.MustDo(`mutation($in: CreateLeaveTypeInput!) { createLeaveType(input: $in) { id } }`, map[string]any{"in": in}, &out)
	return out.CreateLeaveType.ID
}

// AdjustLeaveBalance adds minutes to a member's balance of a type and year.
func (c *Client) AdjustLeaveBalance(memberID, typeID string, year, minutes int) {
	c.env.T.Helper()
	c.MustDo(`mutation($in: AdjustLeaveBalanceInput!) { adjustLeaveBalance(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"memberId": memberID, "leaveTypeId": typeID, "year": year, "minutes": minutes, "reason": "test fixture",
	}}, nil)
}

// CheckIn punches as the client's member at a position and returns the
// check-in's time and location results.
func (c *Client) CheckIn(kind string, lat, lng float64, note string) (timeResult, locationResult string) {
	c.env.T.Helper()
	in := map[string]any{"kind": kind, "latitude": lat, "longitude": lng, "accuracy": 20}
	if note != "" {
		in["note"] = note
	}
	var out struct {
		CheckIn struct{ TimeResult, LocationResult string }
	}
	c.MustDo(`mutation($in: CheckInInput!) { checkIn(input: $in) { timeResult locationResult } }`, map[string]any{"in": in}, &out)
	return out.CheckIn.TimeResult, out.CheckIn.LocationResult
}
