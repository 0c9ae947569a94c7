// Package attendance holds the rules of attendance: the enterprise's work
// calendar, attendance rules by audience, check-ins stamped by the server's
// clock, and each member's daily results and monthly summary.
//
// Daily results are computed when read, from the punches, the member's rule,
// the calendar and the approved leave, trips and outings of the days asked
// for (package judge decides each day): an approval, a cancellation or a
// revoke changes the result of every day it touches at once, with nothing
// to recompute or to go stale. A day is shown once it has ended (its
// attendance day, which for a night shift ends the next morning).
//
// Who sees whose attendance is policy.AttendanceSubjects: the member, the
// leaders of their departments, admins holding MANAGE_ATTENDANCE in their
// scope; nobody else.
package attendance

import (
	"context"
	"fmt"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Service applies attendance rules.
type Service struct {
	client *ent.Client
}

// New returns a Service.
func New(client *ent.Client) *Service { return &Service{client: client} }

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// asMember returns the viewer when it is a member: apps have no attendance.
func asMember(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members have attendance")
	}
	return v, nil
}

// Calendar is the viewer's enterprise's work calendar, or the default one
// when it never edited its own.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	row, err := s.db(ctx).WorkCalendar.Query().Only(ctx)
	if ent.IsNotFound(err) {
		return calendar.Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	return FromRow(row)
}

// FromRow turns a stored calendar into a Calendar.
func FromRow(row *ent.WorkCalendar) (*calendar.Calendar, error) {
	week := make([]time.Weekday, 0, len(row.WorkingWeek))
	for _, d := range row.WorkingWeek {
		week = append(week, time.Weekday(d))
	}
	hs := make([]calendar.HolidayDate, 0, len(row.Holidays))
	for _, h := range row.Holidays {
		d, err := calendar.ParseDate(h.Date)
		if err != nil {
			return nil, fmt.Errorf("stored holiday: %w", err)
		}
		hs = append(hs, calendar.HolidayDate{Date: d, Name: h.Name})
	}
	ms := make([]calendar.Date, 0, len(row.MakeUpDays))
	for _, s := range row.MakeUpDays {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return nil, fmt.Errorf("stored make-up day: %w", err)
		}
		ms = append(ms, d)
	}
	return calendar.New(row.TimeZone, week, hs, ms, row.Hours)
}

// CalendarInput changes a calendar; nil fields stay as they are. Holidays
// and MakeUpDays replace those of Year.
type CalendarInput struct {
	TimeZone    *string
	WorkingWeek []time.Weekday
	Hours       *calendar.Hours
	Year        *int
	Holidays    []calendar.HolidayDate
	MakeUpDays  []calendar.Date
}

// UpdateCalendar edits the enterprise's calendar (super admins only, by
// the WorkCalendar policy).
func (s *Service) UpdateCalendar(ctx context.Context, in CalendarInput) (*calendar.Calendar, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	if !v.IsSuperAdmin() {
		return nil, apperr.ErrForbidden
	}
	cur, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	zone, week, hours, hs, ms := cur.TimeZone, cur.WorkingWeek, cur.Hours, cur.Holidays, cur.MakeUpDays
	if in.TimeZone != nil {
		zone = *in.TimeZone
	}
	if in.WorkingWeek != nil {
		week = in.WorkingWeek
	}
	if in.Hours != nil {
		hours = *in.Hours
	}
	if in.Holidays != nil || in.MakeUpDays != nil {
		if in.Year == nil || *in.Year < 1970 || *in.Year > 9999 {
			return nil, apperr.Input("year", "holidays and make-up days are given for one year")
		}
		for _, h := range in.Holidays {
			if h.Date.Year != *in.Year {
				return nil, apperr.Input("holidays", "%s is not in %d", h.Date, *in.Year)
			}
		}
		for _, d := range in.MakeUpDays {
			if d.Year != *in.Year {
				return nil, apperr.Input("makeUpDays", "%s is not in %d", d, *in.Year)
			}
		}
		keepHs, keepMs := cur.ReplaceYear(*in.Year, nil, nil)
		hs, ms = keepHs, keepMs
		if in.Holidays != nil {
			hs = append(hs, in.Holidays...)
		} else {
			hs = append(hs, yearOf(cur.Holidays, *in.Year)...)
		}
		if in.MakeUpDays != nil {
			ms = append(ms, in.MakeUpDays...)
		} else {
			ms = append(ms, yearDates(cur.MakeUpDays, *in.Year)...)
		}
	}
	next, err := calendar.New(zone, week, hs, ms, hours)
	if err != nil {
		if fe, ok := err.(*calendar.FieldError); ok {
			return nil, apperr.Input(fe.Field, "%s", fe.Message)
		}
		return nil, err
	}
	if err := s.save(ctx, next); err != nil {
		return nil, err
	}
	return next, nil
}

func yearOf(hs []calendar.HolidayDate, year int) []calendar.HolidayDate {
	var out []calendar.HolidayDate
	for _, h := range hs {
		if h.Date.Year == year {
			out = append(out, h)
		}
	}
	return out
}

func yearDates(ds []calendar.Date, year int) []calendar.Date {
	var out []calendar.Date
	for _, d := range ds {
		if d.Year == year {
			out = append(out, d)
		}
	}
	return out
}

// save writes c as the enterprise's one calendar row.
func (s *Service) save(ctx context.Context, c *calendar.Calendar) error {
	week := make([]int, 0, len(c.WorkingWeek))
	for _, d := range c.WorkingWeek {
		week = append(week, int(d))
	}
	hs := make([]calendar.StoredHoliday, 0, len(c.Holidays))
	for _, h := range c.Holidays {
		hs = append(hs, calendar.StoredHoliday{Date: h.Date.String(), Name: h.Name})
	}
	ms := make([]string, 0, len(c.MakeUpDays))
	for _, d := range c.MakeUpDays {
		ms = append(ms, d.String())
	}
	db := s.db(ctx)
	row, err := db.WorkCalendar.Query().Only(ctx)
	switch {
	case ent.IsNotFound(err):
		err = db.WorkCalendar.Create().SetTimeZone(c.TimeZone).SetWorkingWeek(week).SetHolidays(hs).
			SetMakeUpDays(ms).SetHours(c.Hours).Exec(ctx)
	case err == nil:
		err = row.Update().SetTimeZone(c.TimeZone).SetWorkingWeek(week).SetHolidays(hs).
			SetMakeUpDays(ms).SetHours(c.Hours).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("save calendar: %w", err)
	}
	return nil
}
