package amount

import (
	"fmt"
	"time"

	"github.com/corpline/corpline/internal/calendar"
)

// Unit is how leave of a type is taken.
type Unit string

const (
	// UnitDay takes whole days.
	UnitDay Unit = "DAY"
	// UnitHalfDay takes mornings and afternoons.
	UnitHalfDay Unit = "HALF_DAY"
	// UnitHour takes working time to the minute, lunch break deducted.
	UnitHour Unit = "HOUR"
)

// Counting says which days of a range count.
type Counting string

const (
	// WorkingDays counts only the calendar's working days.
	WorkingDays Counting = "WORKING_DAYS"
	// NaturalDays counts every day, weekends and holidays too.
	NaturalDays Counting = "NATURAL_DAYS"
)

// Part is the part of a day a leave takes.
type Part string

const (
	PartFull  Part = "FULL"
	PartAM    Part = "AM"
	PartPM    Part = "PM"
	PartHours Part = "HOURS"
)

// Rules are what a leave type says about counting its duration.
type Rules struct {
	Unit          Unit
	Counting      Counting
	MinutesPerDay int
	// StepMinutes is the smallest amount taken; a duration is a multiple of it.
	StepMinutes int
}

// MinStep is the smallest step a unit allows.
func (r Rules) MinStep() int {
	switch r.Unit {
	case UnitDay:
		return r.MinutesPerDay
	case UnitHalfDay:
		return r.MinutesPerDay / 2
	}
	return 30
}

// Share is one day of a leave.
type Share struct {
	Date calendar.Date    `json:"date"`
	Kind calendar.DayKind `json:"kind"`
	Part Part             `json:"part"`
	// Minutes is what the day counts for; 0 for a day that does not count
	// (a weekend under WORKING_DAYS).
	Minutes int `json:"minutes"`
	// From and To bound the leave within the day (local clock minutes), for
	// HOUR leave; 0 and 1440 for a whole day.
	From int `json:"from"`
	To   int `json:"to"`
}

// Duration is the breakdown of a leave range.
type Duration struct {
	Minutes int
	Days    []Share
}

// RangeError is a refused range, naming the input field at fault.
type RangeError struct{ Field, Message string }

func (e *RangeError) Error() string { return e.Field + ": " + e.Message }

// CheckRange refuses an end not after the start, and a range past a year.
func CheckRange(start, end time.Time) error {
	if !end.After(start) {
		return &RangeError{"end", "the end must be after the start"}
	}
	if end.After(start.AddDate(1, 0, 0)) {
		return &RangeError{"end", "a range spans at most one year"}
	}
	return nil
}

// Compute breaks the range start-end down by day against cal. For DAY units
// the range covers the whole days from start's date to end's date; for
// HALF_DAY it starts in the morning when start is before the end of lunch
// and ends at noon when end is no later than the end of lunch; for HOUR it is
// the working time between the two instants, lunch deducted.
func Compute(cal *calendar.Calendar, r Rules, start, end time.Time) (Duration, error) {
	if err := CheckRange(start, end); err != nil {
		return Duration{}, err
	}
	loc := cal.Location()
	start, end = start.In(loc), end.In(loc)
	first, last := calendar.DateOf(start), calendar.DateOf(end)
	if r.Unit != UnitHour && minuteOf(end) == 0 && last.After(first) {
		last = last.AddDays(-1) // ends at midnight: the day before is the last
	}
	h := cal.Hours
	var out Duration
	for d := first; !d.After(last); d = d.AddDays(1) {
		s := Share{Date: d, Kind: cal.Kind(d), Part: PartFull, From: 0, To: 24 * 60}
		counts := r.Counting == NaturalDays || s.Kind == calendar.Workday
		switch r.Unit {
		case UnitDay:
			s.Minutes = r.MinutesPerDay
		case UnitHalfDay:
			startsPM := d == first && minuteOf(start) >= h.LunchEnd
			endsAM := d == last && minuteOf(end) <= h.LunchEnd && !(minuteOf(end) == 0 && d != calendar.DateOf(end))
			switch {
			case startsPM && endsAM:
				return Duration{}, &RangeError{"end", "a half-day leave cannot end in the morning of the afternoon it starts"}
			case startsPM:
				s.Part, s.From, s.Minutes = PartPM, h.LunchEnd, r.MinutesPerDay/2
			case endsAM:
				s.Part, s.To, s.Minutes = PartAM, h.LunchStart, r.MinutesPerDay/2
			default:
				s.Minutes = r.MinutesPerDay
			}
		case UnitHour:
			from, to := h.Start, h.End
			if d == first {
				from = max(from, minuteOf(start))
			}
			if d == calendar.DateOf(end) {
				to = min(to, minuteOf(end))
			}
			if to <= from {
				continue
			}
			s.Part, s.From, s.To = PartHours, from, to
			s.Minutes = to - from - overlap(from, to, h.LunchStart, h.LunchEnd)
			if s.From == h.Start && s.To == h.End {
				s.Part = PartFull
			}
		default:
			return Duration{}, fmt.Errorf("leave: unknown unit %q", r.Unit)
		}
		if !counts {
			s.Minutes = 0
		}
		out.Minutes += s.Minutes
		out.Days = append(out.Days, s)
	}
	return out, nil
}

// CheckStep refuses a duration that is not a whole number of steps.
func (r Rules) CheckStep(minutes int) error {
	if r.StepMinutes > 0 && minutes%r.StepMinutes != 0 {
		return &RangeError{"end", fmt.Sprintf("leave of this type is taken in steps of %d minutes; this range counts %d", r.StepMinutes, minutes)}
	}
	return nil
}

func minuteOf(t time.Time) int { return t.Hour()*60 + t.Minute() }

// overlap is the length of the intersection of [a1,a2) and [b1,b2).
func overlap(a1, a2, b1, b2 int) int { return max(0, min(a2, b2)-max(a1, b1)) }

// Since cuts a duration at a moment: the shares of the days from the moment
// on, the part of the moment's own day after it included (for HOUR and
// HALF_DAY leave), so that returning early gives back exactly what is left.
// It returns what remains taken and what is given back.
func Since(cal *calendar.Calendar, r Rules, d Duration, at time.Time) (kept, back Duration) {
	at = at.In(cal.Location())
	day, minute := calendar.DateOf(at), minuteOf(at)
	for _, s := range d.Days {
		switch {
		case s.Date.Before(day):
			kept.add(s)
		case s.Date.After(day):
			back.add(s)
		case minute <= s.From:
			back.add(s)
		case minute >= s.To:
			kept.add(s)
		default:
			k, b := splitShare(cal, r, s, minute)
			kept.add(k)
			if b != nil {
				back.add(*b)
			}
		}
	}
	return kept, back
}

func (d *Duration) add(s Share) {
	d.Minutes += s.Minutes
	d.Days = append(d.Days, s)
}

// splitShare cuts one day's share at minute: what was taken before it
// stays; back is nil when nothing of the day is given back (a whole day
// already begun, a half day already begun).
func splitShare(cal *calendar.Calendar, r Rules, s Share, minute int) (kept Share, back *Share) {
	h := cal.Hours
	counts := s.Minutes > 0
	kept, b := s, s
	back = &b
	switch r.Unit {
	case UnitDay:
		return s, nil
	case UnitHalfDay:
		if s.Part != PartFull || minute >= h.LunchEnd {
			return s, nil
		}
		kept.Part, kept.To, kept.Minutes = PartAM, h.LunchStart, r.MinutesPerDay/2
		back.Part, back.From, back.Minutes = PartPM, h.LunchEnd, r.MinutesPerDay/2
	default:
		kept.To, back.From = minute, minute
		kept.Minutes = minute - s.From - overlap(s.From, minute, h.LunchStart, h.LunchEnd)
		back.Minutes = s.To - minute - overlap(minute, s.To, h.LunchStart, h.LunchEnd)
		kept.Part, back.Part = PartHours, PartHours
	}
	if !counts {
		kept.Minutes, back.Minutes = 0, 0
	}
	return kept, back
}
