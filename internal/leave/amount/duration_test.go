package amount

import (
	"errors"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/calendar"
)

func testCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New("Asia/Shanghai", []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		[]calendar.HolidayDate{{Date: calendar.MustDate("2026-12-25"), Name: "Company day"}},
		[]calendar.Date{calendar.MustDate("2026-12-19")}, calendar.DefaultHours)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at is a local time in Shanghai.
func at(s string) time.Time {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

const day = 480

func TestWorkingAndNaturalDaysAcrossWeekendHolidayAndMakeUpDay(t *testing.T) {
	c := testCalendar(t)
	for _, tc := range []struct {
		name       string
		from, to   string
		counting   Counting
		wantDays   int
		wantShares int
	}{
		// Thursday 24 to Monday 28: the 25th is a holiday, 26-27 a weekend.
		{"holiday and weekend, working days", "2026-12-24 09:00", "2026-12-28 18:00", WorkingDays, 2, 5},
		{"holiday and weekend, natural days", "2026-12-24 09:00", "2026-12-28 18:00", NaturalDays, 5, 5},
		// Friday 18 to Monday 21: Saturday 19 is a make-up working day.
		{"make-up day, working days", "2026-12-18 09:00", "2026-12-21 18:00", WorkingDays, 3, 4},
		{"make-up day, natural days", "2026-12-18 09:00", "2026-12-21 18:00", NaturalDays, 4, 4},
		// A range ending at midnight ends the day before.
		{"to midnight", "2026-12-07 00:00", "2026-12-09 00:00", WorkingDays, 2, 2},
	} {
		d, err := Compute(c, Rules{Unit: UnitDay, Counting: tc.counting, MinutesPerDay: day}, at(tc.from), at(tc.to))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Minutes != tc.wantDays*day || len(d.Days) != tc.wantShares {
			t.Errorf("%s: %d minutes in %d shares, want %d days in %d", tc.name, d.Minutes, len(d.Days), tc.wantDays, tc.wantShares)
		}
	}
}

func TestHalfDaysStartInTheAfternoonAndEndAtNoon(t *testing.T) {
	c := testCalendar(t)
	r := Rules{Unit: UnitHalfDay, Counting: WorkingDays, MinutesPerDay: day, StepMinutes: day / 2}
	d, err := Compute(c, r, at("2026-12-07 13:00"), at("2026-12-09 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Minutes != 2*day || len(d.Days) != 3 || d.Days[0].Part != PartPM || d.Days[1].Part != PartFull || d.Days[2].Part != PartAM {
		t.Fatalf("Mon afternoon to Wed noon: %+v", d)
	}
	d, err = Compute(c, r, at("2026-12-07 09:00"), at("2026-12-07 12:00"))
	if err != nil || d.Minutes != day/2 || d.Days[0].Part != PartAM {
		t.Fatalf("one morning: %+v %v", d, err)
	}
}

func TestHourLeaveDeductsLunchAndStaysInWorkingHours(t *testing.T) {
	c := testCalendar(t)
	r := Rules{Unit: UnitHour, Counting: WorkingDays, MinutesPerDay: day, StepMinutes: 30}
	// 10:00-15:00 is five hours less an hour of lunch.
	d, err := Compute(c, r, at("2026-12-07 10:00"), at("2026-12-07 15:00"))
	if err != nil || d.Minutes != 4*60 {
		t.Fatalf("10-15: %+v %v", d, err)
	}
	// 16:00 Monday to 10:00 Tuesday: two hours, then one.
	d, err = Compute(c, r, at("2026-12-07 16:00"), at("2026-12-08 10:00"))
	if err != nil || d.Minutes != 3*60 || len(d.Days) != 2 {
		t.Fatalf("overnight: %+v %v", d, err)
	}
	// Friday 17:00 to Monday 10:00: the weekend is shown, counting nothing.
	d, err = Compute(c, r, at("2026-12-11 17:00"), at("2026-12-14 10:00"))
	if err != nil || d.Minutes != 2*60 || len(d.Days) != 4 || d.Days[1].Minutes != 0 || d.Days[2].Minutes != 0 {
		t.Fatalf("over a weekend: %+v %v", d, err)
	}
	// Inside lunch only: nothing.
	if d, _ := Compute(c, Rules{Unit: UnitHour, Counting: WorkingDays, MinutesPerDay: day}, at("2026-12-07 12:00"), at("2026-12-07 13:00")); d.Minutes != 0 {
		t.Errorf("lunch counted: %+v", d)
	}
}

func TestStepAndRangeAreChecked(t *testing.T) {
	c := testCalendar(t)
	var re *RangeError
	r := Rules{Unit: UnitHour, Counting: WorkingDays, MinutesPerDay: day, StepMinutes: 60}
	d, err := Compute(c, r, at("2026-12-07 09:00"), at("2026-12-07 10:30"))
	if err != nil || d.Minutes != 90 {
		t.Fatalf("90 minutes: %+v %v", d, err)
	}
	if err := r.CheckStep(d.Minutes); !errors.As(err, &re) || re.Field != "end" {
		t.Errorf("90 minutes in steps of 60: %v", err)
	}
	if err := r.CheckStep(120); err != nil {
		t.Errorf("120 minutes in steps of 60: %v", err)
	}
	if _, err := Compute(c, r, at("2026-12-07 10:00"), at("2026-12-07 09:00")); !errors.As(err, &re) || re.Field != "end" {
		t.Errorf("end before start: %v", err)
	}
	if _, err := Compute(c, r, at("2026-12-07 10:00"), at("2027-12-09 10:00")); !errors.As(err, &re) || re.Field != "end" {
		t.Errorf("range past a year: %v", err)
	}
}

func TestReturningEarlyGivesBackExactlyWhatIsLeft(t *testing.T) {
	c := testCalendar(t)
	days := Rules{Unit: UnitDay, Counting: WorkingDays, MinutesPerDay: day}
	d, _ := Compute(c, days, at("2026-12-07 09:00"), at("2026-12-11 18:00")) // Mon-Fri
	kept, back := Since(c, days, d, at("2026-12-10 00:00"))
	if kept.Minutes != 3*day || back.Minutes != 2*day || len(back.Days) != 2 {
		t.Errorf("from Thursday: kept %d, back %d", kept.Minutes, back.Minutes)
	}
	// A day already begun stays taken.
	kept, back = Since(c, days, d, at("2026-12-10 10:00"))
	if kept.Minutes != 4*day || back.Minutes != day {
		t.Errorf("from Thursday 10:00: kept %d, back %d", kept.Minutes, back.Minutes)
	}
	hours := Rules{Unit: UnitHour, Counting: WorkingDays, MinutesPerDay: day}
	d, _ = Compute(c, hours, at("2026-12-07 09:00"), at("2026-12-07 18:00"))
	kept, back = Since(c, hours, d, at("2026-12-07 14:00"))
	if kept.Minutes != 4*60 || back.Minutes != 4*60 {
		t.Errorf("hours from 14:00: kept %d, back %d", kept.Minutes, back.Minutes)
	}
	half := Rules{Unit: UnitHalfDay, Counting: WorkingDays, MinutesPerDay: day}
	d, _ = Compute(c, half, at("2026-12-07 09:00"), at("2026-12-07 18:00"))
	kept, back = Since(c, half, d, at("2026-12-07 11:00"))
	if kept.Minutes != day/2 || back.Minutes != day/2 || back.Days[0].Part != PartPM {
		t.Errorf("half days from 11:00: kept %+v, back %+v", kept, back)
	}
}

func TestGrantProratesAndTiersByService(t *testing.T) {
	fixed := Grant{Kind: GrantFixed, Minutes: 10 * day, Prorate: true, RoundMinutes: day / 2}
	if got := fixed.Amount(2026, calendar.Date{}); got != 10*day {
		t.Errorf("no hire date: %d", got)
	}
	if got := fixed.Amount(2026, calendar.MustDate("2020-03-01")); got != 10*day {
		t.Errorf("hired before the year: %d", got)
	}
	// Hired July 1: 184 of 365 days left, 10 days * 184/365 = 5.04 days,
	// rounded down to half days: 5 days.
	if got := fixed.Amount(2026, calendar.MustDate("2026-07-01")); got != 5*day {
		t.Errorf("hired July 1: %d, want %d", got, 5*day)
	}
	if got := fixed.Amount(2026, calendar.MustDate("2027-01-02")); got != 0 {
		t.Errorf("hired after the year: %d", got)
	}
	tiers := Grant{Kind: GrantByService, Tiers: []Tier{{10, 15 * day}, {0, 5 * day}, {1, 10 * day}}}
	for hired, want := range map[string]int{
		"2026-02-01": 5 * day,  // under a year on Jan 1
		"2025-01-01": 10 * day, // exactly one year on Jan 1 2026
		"2025-01-02": 5 * day,  // a day short
		"2016-01-01": 15 * day,
	} {
		if got := tiers.Amount(2026, calendar.MustDate(hired)); got != want {
			t.Errorf("hired %s: %d, want %d", hired, got, want)
		}
	}
	carry := Grant{Kind: GrantFixed, CarryOverMinutes: 3 * day}
	if c, e := carry.CarryOver(5 * day); c != 3*day || e != 2*day {
		t.Errorf("carry 5 days with a cap of 3: %d %d", c, e)
	}
	if c, e := carry.CarryOver(day); c != day || e != 0 {
		t.Errorf("carry 1 day: %d %d", c, e)
	}
}
