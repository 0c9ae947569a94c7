// Package calendar is an enterprise's work calendar: its time zone, its
// working week, its public holidays and its make-up working days (调休: a
// weekend day that is a working day in exchange for a holiday), and the
// working hours that hour-based leave is counted within.
//
// Every leave duration and every attendance day is computed against one
// Calendar. A day is a working day when it is a make-up working day, or when
// it is in the working week and not a public holiday; a make-up day wins over
// everything, a holiday over the working week.
package calendar

import (
	"fmt"
	"slices"
	"time"
)

// DefaultTimeZone is the zone of an enterprise that never set one.
const DefaultTimeZone = "Asia/Shanghai"

// DayKind says what sort of day a date is for an enterprise.
type DayKind string

const (
	// Workday is a day of work: in the working week, or a make-up day.
	Workday DayKind = "WORKDAY"
	// RestDay is a day off that is not a public holiday (a weekend).
	RestDay DayKind = "REST_DAY"
	// Holiday is a public holiday.
	Holiday DayKind = "HOLIDAY"
)

// Holiday names one public holiday.
type HolidayDate struct {
	Date Date
	Name string
}

// Hours are the working hours of a day, in minutes after midnight, with the
// lunch break that hour-based leave does not count.
type Hours struct {
	Start, End           int
	LunchStart, LunchEnd int
}

// DefaultHours are 09:00-18:00 with lunch 12:00-13:00: eight working hours.
var DefaultHours = Hours{Start: 9 * 60, End: 18 * 60, LunchStart: 12 * 60, LunchEnd: 13 * 60}

// Minutes is the working time of h, lunch deducted.
func (h Hours) Minutes() int { return h.End - h.Start - (h.LunchEnd - h.LunchStart) }

// Calendar is one enterprise's calendar.
type Calendar struct {
	// TimeZone is an IANA zone name.
	TimeZone string
	// WorkingWeek lists the weekdays worked in an ordinary week.
	WorkingWeek []time.Weekday
	Holidays    []HolidayDate
	// MakeUpDays are days off of the working week that are worked.
	MakeUpDays []Date
	Hours      Hours

	loc      *time.Location
	holidays map[Date]string
	makeUp   map[Date]bool
}

// Default is the calendar of an enterprise that never edited its own:
// Asia/Shanghai, Monday to Friday, no holidays, 09:00-18:00.
func Default() *Calendar {
	c, err := New(DefaultTimeZone, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, nil, nil, DefaultHours)
	if err != nil {
		panic(err)
	}
	return c
}

// New checks and indexes a calendar. Errors name the field at fault.
func New(zone string, week []time.Weekday, holidays []HolidayDate, makeUp []Date, hours Hours) (*Calendar, error) {
	loc, err := LoadZone(zone)
	if err != nil {
		return nil, &FieldError{"timeZone", err.Error()}
	}
	c := &Calendar{TimeZone: zone, WorkingWeek: slices.Clone(week), Holidays: holidays, MakeUpDays: makeUp, Hours: hours,
		loc: loc, holidays: map[Date]string{}, makeUp: map[Date]bool{}}
	slices.Sort(c.WorkingWeek)
	c.WorkingWeek = slices.Compact(c.WorkingWeek)
	for _, h := range holidays {
		if _, dup := c.holidays[h.Date]; dup {
			return nil, &FieldError{"holidays", fmt.Sprintf("%s is listed twice", h.Date)}
		}
		c.holidays[h.Date] = h.Name
	}
	for _, d := range makeUp {
		if c.makeUp[d] {
			return nil, &FieldError{"makeUpDays", fmt.Sprintf("%s is listed twice", d)}
		}
		if _, hol := c.holidays[d]; hol {
			return nil, &FieldError{"makeUpDays", fmt.Sprintf("%s is both a holiday and a make-up working day", d)}
		}
		c.makeUp[d] = true
	}
	if hours.Start < 0 || hours.End > 24*60 || hours.Start >= hours.End ||
		hours.LunchStart < hours.Start || hours.LunchEnd > hours.End || hours.LunchStart > hours.LunchEnd {
		return nil, &FieldError{"workingHours", "working hours must be start < end within one day, lunch inside them"}
	}
	return c, nil
}

// LoadZone loads an IANA zone, refusing the empty name and "Local" (which
// would mean the server's own zone).
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("%q is not an IANA time zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone", name)
	}
	return loc, nil
}

// FieldError is a refused calendar, naming the input field at fault.
type FieldError struct {
	Field, Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Today is the date of t in the calendar's zone.
func (c *Calendar) Today(t time.Time) Date { return DateOf(t.In(c.loc)) }

// Kind says whether d is a working day, a rest day or a public holiday.
func (c *Calendar) Kind(d Date) DayKind {
	if c.makeUp[d] {
		return Workday
	}
	if _, ok := c.holidays[d]; ok {
		return Holiday
	}
	if slices.Contains(c.WorkingWeek, d.Weekday()) {
		return Workday
	}
	return RestDay
}

// HolidayName is the name of the holiday on d, or "".
func (c *Calendar) HolidayName(d Date) string { return c.holidays[d] }

// ReplaceYear returns the holidays and make-up days of c with those of year
// replaced by the given ones: the calendar is edited a year at a time.
func (c *Calendar) ReplaceYear(year int, holidays []HolidayDate, makeUp []Date) ([]HolidayDate, []Date) {
	var hs []HolidayDate
	for _, h := range c.Holidays {
		if h.Date.Year != year {
			hs = append(hs, h)
		}
	}
	var ms []Date
	for _, d := range c.MakeUpDays {
		if d.Year != year {
			ms = append(ms, d)
		}
	}
	hs = append(hs, holidays...)
	ms = append(ms, makeUp...)
	slices.SortFunc(hs, func(a, b HolidayDate) int { return a.Date.Compare(b.Date) })
	slices.SortFunc(ms, Date.Compare)
	return hs, ms
}

// StoredHoliday is a holiday as the database keeps it.
type StoredHoliday struct {
	Date string `json:"date"`
	Name string `json:"name"`
}
