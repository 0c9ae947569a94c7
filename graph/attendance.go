package graph

import (
	"time"

	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance"
	"github.com/corpline/corpline/internal/calendar"
)

// weekday maps the schema's Weekday (Monday first) to Go's (Sunday first).
func weekday(w model.Weekday) time.Weekday {
	for i, d := range model.AllWeekday {
		if d == w {
			return time.Weekday((i + 1) % 7)
		}
	}
	return time.Sunday
}

// weekdayOut is the inverse of weekday.
func weekdayOut(d time.Weekday) model.Weekday { return model.AllWeekday[(int(d)+6)%7] }

// calendarInput reads updateWorkCalendar's input.
func calendarInput(in model.UpdateWorkCalendarInput) (attendance.CalendarInput, error) {
	out := attendance.CalendarInput{TimeZone: in.TimeZone, Year: in.Year}
	if in.WorkingWeek != nil {
		out.WorkingWeek = []time.Weekday{}
		for _, w := range in.WorkingWeek {
			out.WorkingWeek = append(out.WorkingWeek, weekday(w))
		}
	}
	if h := in.WorkingHours; h != nil {
		var hours calendar.Hours
		for _, c := range []struct {
			s   string
			dst *int
		}{{h.Start, &hours.Start}, {h.End, &hours.End}, {h.LunchStart, &hours.LunchStart}, {h.LunchEnd, &hours.LunchEnd}} {
			m, err := calendar.ParseClock(c.s)
			if err != nil {
				return out, apperr.Input("workingHours", "%s", err.Error())
			}
			*c.dst = m
		}
		out.Hours = &hours
	}
	if in.Holidays != nil {
		out.Holidays = []calendar.HolidayDate{}
		for _, h := range in.Holidays {
			out.Holidays = append(out.Holidays, *h)
		}
	}
	if in.MakeUpDays != nil {
		out.MakeUpDays = []calendar.Date{}
		for _, d := range in.MakeUpDays {
			out.MakeUpDays = append(out.MakeUpDays, *d)
		}
	}
	return out, nil
}

// ptrs returns pointers to each element of s, as gqlgen's lists want them.
func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// dateString writes an optional date as stored ("2006-01-02").
func dateString(d *calendar.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}
