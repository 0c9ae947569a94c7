package judge

import (
	"testing"
	"time"

	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/leave/amount"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// nineToSix is a FIXED rule: 09:00-18:00, 5 minutes of grace each way,
// lunch 12:00-13:00.
func nineToSix() *Rule {
	return &Rule{Kind: Fixed, OnDuty: 540, OffDuty: 1080, LateGrace: 5, EarlyGrace: 5,
		LunchStart: 720, LunchEnd: 780, Field: FieldAllow}
}

func punch(kind PunchKind, at string) Punch {
	return Punch{At: local(at), Kind: kind, Location: LocationNormal}
}

func TestEachDailyResult(t *testing.T) {
	mon := calendar.MustDate("2026-12-07")
	work := func(ps ...Punch) Facts {
		return Facts{Date: mon, DayKind: calendar.Workday, Rule: nineToSix(), Punches: ps}
	}
	in, out := punch(OnDuty, "2026-12-07 08:58"), punch(OffDuty, "2026-12-07 18:02")
	amLeave := LeaveShare{LeaveTypeID: "annual", Share: amount.Share{Date: mon, Part: amount.PartAM, From: 0, To: 720, Minutes: 240}}
	fullLeave := LeaveShare{LeaveTypeID: "annual", Share: amount.Share{Date: mon, Part: amount.PartFull, From: 0, To: 1440, Minutes: 480}}
	outside := punch(OnDuty, "2026-12-07 08:50")
	outside.Location = Outside
	for _, c := range []struct {
		name  string
		facts Facts
		want  Status
		late  int
		early int
	}{
		{"normal", work(in, out), Normal, 0, 0},
		{"within grace", work(punch(OnDuty, "2026-12-07 09:05"), punch(OffDuty, "2026-12-07 17:55")), Normal, 0, 0},
		{"late", work(punch(OnDuty, "2026-12-07 09:20"), out), LateArrival, 20, 0},
		{"early leave", work(in, punch(OffDuty, "2026-12-07 17:30")), EarlyLeave, 0, 30},
		{"missing check-out", work(in), MissingCheckIn, 0, 0},
		{"missing check-in", work(out), MissingCheckIn, 0, 0},
		{"absent", work(), Absent, 0, 0},
		{"a punch outside the places does not count", work(outside, out), MissingCheckIn, 0, 0},
		{"on leave all day", Facts{Date: mon, DayKind: calendar.Workday, Rule: nineToSix(), Leaves: []LeaveShare{fullLeave}}, OnLeave, 0, 0},
		// Morning leave: expected at 13:00 after lunch.
		{"on leave in the morning, in at 13:00", work(punch(OnDuty, "2026-12-07 12:58"), out), OnLeave, 0, 0},
		{"on trip", Facts{Date: mon, DayKind: calendar.Workday, Rule: nineToSix(), Trip: true}, OnTrip, 0, 0},
		{"outing", Facts{Date: mon, DayKind: calendar.Workday, Rule: nineToSix(), Outing: true, Punches: []Punch{in}}, Outing, 0, 0},
		{"rest day", Facts{Date: calendar.MustDate("2026-12-12"), DayKind: calendar.RestDay, Rule: nineToSix()}, RestDay, 0, 0},
		{"holiday", Facts{Date: calendar.MustDate("2026-12-25"), DayKind: calendar.Holiday, Rule: nineToSix()}, Holiday, 0, 0},
		{"no rule: any punch is normal", Facts{Date: mon, DayKind: calendar.Workday, Punches: []Punch{in}}, Normal, 0, 0},
		{"field punches count wherever they are", work(Punch{At: local("2026-12-07 09:00"), Kind: FieldPunch, Location: LocationField},
			Punch{At: local("2026-12-07 18:00"), Kind: FieldPunch, Location: LocationField}), Normal, 0, 0},
	} {
		if c.name == "on leave in the morning, in at 13:00" {
			c.facts.Leaves = []LeaveShare{amLeave}
		}
		got := Evaluate(c.facts, shanghai)
		if got.Status != c.want || got.LateMinutes != c.late || got.EarlyMinutes != c.early {
			t.Errorf("%s: %s late %d early %d, want %s late %d early %d", c.name, got.Status, got.LateMinutes, got.EarlyMinutes, c.want, c.late, c.early)
		}
	}
}

func TestMembersOnLeaveWhoMustCheckIn(t *testing.T) {
	r := nineToSix()
	r.CheckInOnLeave = true
	f := Facts{Date: calendar.MustDate("2026-12-07"), DayKind: calendar.Workday, Rule: r, Trip: true}
	if got := Evaluate(f, shanghai); got.Status != MissingCheckIn {
		t.Errorf("trip without a punch under a rule that wants one: %s", got.Status)
	}
	f.Punches = []Punch{{At: local("2026-12-07 10:00"), Kind: FieldPunch, Location: LocationField}}
	if got := Evaluate(f, shanghai); got.Status != OnTrip {
		t.Errorf("trip with a field punch: %s", got.Status)
	}
}

func TestPunchTimeResults(t *testing.T) {
	r := nineToSix()
	d := calendar.MustDate("2026-12-07")
	for _, c := range []struct {
		kind    PunchKind
		at      string
		want    TimeResult
		minutes int
	}{
		{OnDuty, "2026-12-07 09:05", TimeNormal, 0},
		{OnDuty, "2026-12-07 09:06", Late, 6},
		{OnDuty, "2026-12-07 09:35", Late, 35},
		{OnDuty, "2026-12-07 09:36", SeriouslyLate, 36},
		{OffDuty, "2026-12-07 17:50", Early, 10},
		{OffDuty, "2026-12-07 17:55", TimeNormal, 0},
		{FieldPunch, "2026-12-07 11:00", TimeNormal, 0},
	} {
		got, m := r.JudgeTime(c.kind, local(c.at), d, shanghai)
		if got != c.want || m != c.minutes {
			t.Errorf("%s at %s: %s %d, want %s %d", c.kind, c.at, got, m, c.want, c.minutes)
		}
	}
}

// A night shift from 22:00 to 06:00 on the last day of a month: the punch
// after midnight belongs to December 31, not to January 1.
func TestNightShiftAcrossMidnightAtTheEndOfAMonth(t *testing.T) {
	r := &Rule{Kind: Fixed, OnDuty: 22 * 60, OffDuty: 6 * 60, DayStart: 12 * 60, LateGrace: 0, EarlyGrace: 0}
	in, out := local("2026-12-31 21:55"), local("2027-01-01 06:01")
	dec31 := calendar.MustDate("2026-12-31")
	if got := r.WorkDate(in, shanghai); got != dec31 {
		t.Fatalf("in belongs to %s", got)
	}
	if got := r.WorkDate(out, shanghai); got != dec31 {
		t.Fatalf("out belongs to %s", got)
	}
	if res, _ := r.JudgeTime(OffDuty, out, dec31, shanghai); res != TimeNormal {
		t.Errorf("off at 06:01 judged %s", res)
	}
	day := Evaluate(Facts{Date: dec31, DayKind: calendar.Workday, Rule: r,
		Punches: []Punch{{At: in, Kind: OnDuty, Location: LocationNormal}, {At: out, Kind: OffDuty, Location: LocationNormal}}}, shanghai)
	if day.Status != Normal {
		t.Errorf("night shift: %+v", day)
	}
	early := Evaluate(Facts{Date: dec31, DayKind: calendar.Workday, Rule: r,
		Punches: []Punch{{At: in, Kind: OnDuty, Location: LocationNormal}, {At: local("2027-01-01 05:00"), Kind: OffDuty, Location: LocationNormal}}}, shanghai)
	if early.Status != EarlyLeave || early.EarlyMinutes != 60 {
		t.Errorf("night shift left at 05:00: %+v", early)
	}
	// A punch on Jan 1 after the day boundary starts Jan 1's day.
	if got := r.WorkDate(local("2027-01-01 21:59"), shanghai); got != calendar.MustDate("2027-01-01") {
		t.Errorf("Jan 1 evening belongs to %s", got)
	}
}
