package calendar

import (
	"errors"
	"testing"
	"time"
)

func decCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := New("Asia/Shanghai", []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		[]HolidayDate{{MustDate("2026-12-25"), "Company day"}}, []Date{MustDate("2026-12-19")}, DefaultHours)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDayKindsOfWeekendHolidayAndMakeUpDay(t *testing.T) {
	c := decCalendar(t)
	for day, want := range map[string]DayKind{
		"2026-12-18": Workday, // Friday
		"2026-12-19": Workday, // Saturday, a make-up working day
		"2026-12-20": RestDay, // Sunday
		"2026-12-24": Workday, // Thursday
		"2026-12-25": Holiday, // Friday, a public holiday
		"2026-12-26": RestDay,
	} {
		if got := c.Kind(MustDate(day)); got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
	if c.HolidayName(MustDate("2026-12-25")) != "Company day" {
		t.Errorf("holiday name lost")
	}
}

func TestCalendarRefusesUnknownZoneAndDuplicateDates(t *testing.T) {
	var fe *FieldError
	if _, err := New("Mars/Olympus", nil, nil, nil, DefaultHours); !errors.As(err, &fe) || fe.Field != "timeZone" {
		t.Errorf("unknown zone: %v", err)
	}
	if _, err := New("Local", nil, nil, nil, DefaultHours); !errors.As(err, &fe) || fe.Field != "timeZone" {
		t.Errorf("Local zone: %v", err)
	}
	d := MustDate("2026-10-01")
	if _, err := New("UTC", nil, []HolidayDate{{d, "a"}, {d, "b"}}, nil, DefaultHours); !errors.As(err, &fe) || fe.Field != "holidays" {
		t.Errorf("duplicate holiday: %v", err)
	}
	if _, err := New("UTC", nil, []HolidayDate{{d, "a"}}, []Date{d}, DefaultHours); !errors.As(err, &fe) || fe.Field != "makeUpDays" {
		t.Errorf("holiday that is a make-up day: %v", err)
	}
}

func TestReplaceYearKeepsOtherYears(t *testing.T) {
	c := decCalendar(t)
	hs, ms := c.ReplaceYear(2027, []HolidayDate{{MustDate("2027-01-01"), "New year"}}, nil)
	if len(hs) != 2 || len(ms) != 1 {
		t.Fatalf("replace 2027: %v %v", hs, ms)
	}
	hs, ms = c.ReplaceYear(2026, nil, nil)
	if len(hs) != 0 || len(ms) != 0 {
		t.Fatalf("replace 2026 with nothing: %v %v", hs, ms)
	}
}

func TestDatesAcrossMonthsAndZones(t *testing.T) {
	if got := MustDate("2026-12-31").AddDays(1); got != MustDate("2027-01-01") {
		t.Errorf("Dec 31 + 1 = %s", got)
	}
	if n := MustDate("2026-12-01").DaysUntil(MustDate("2027-01-01")); n != 31 {
		t.Errorf("days until = %d", n)
	}
	c := Default()
	// 17:30 UTC on Dec 31 is already Jan 1 in Shanghai.
	if got := c.Today(time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)); got != MustDate("2027-01-01") {
		t.Errorf("today in Shanghai = %s", got)
	}
	first, last, err := MonthRange("2027-02")
	if err != nil || first != MustDate("2027-02-01") || last != MustDate("2027-02-28") {
		t.Errorf("February: %s %s %v", first, last, err)
	}
}
