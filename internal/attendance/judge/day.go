package judge

import (
	"time"

	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/leave/amount"
)

// Status is the result of one member's attendance day.
type Status string

const (
	Normal         Status = "NORMAL"
	LateArrival    Status = "LATE"
	EarlyLeave     Status = "EARLY_LEAVE"
	MissingCheckIn Status = "MISSING_CHECK_IN"
	Absent         Status = "ABSENT"
	OnLeave        Status = "ON_LEAVE"
	OnTrip         Status = "ON_TRIP"
	Outing         Status = "OUTING"
	RestDay        Status = "REST_DAY"
	Holiday        Status = "HOLIDAY"
)

// Punch is a check-in as the day's result needs it.
type Punch struct {
	ID       string
	At       time.Time
	Kind     PunchKind
	Location LocationResult
}

// counts reports whether p is a punch of the day (not one made outside).
func (p Punch) counts() bool { return p.Location != Outside }

// LeaveShare is the part of an approved leave that falls on a day.
type LeaveShare struct {
	RequestID   string
	LeaveTypeID string
	amount.Share
}

// Facts are everything a day's result is computed from.
type Facts struct {
	Date    calendar.Date
	DayKind calendar.DayKind
	// Rule is nil for a member no rule applies to: days are then judged as
	// FREE.
	Rule    *Rule
	Punches []Punch
	Leaves  []LeaveShare
	// Trip and Outing are approved business trips and outings on the day.
	Trip, Outing bool
}

// Day is one member's attendance day.
type Day struct {
	Date         calendar.Date
	DayKind      calendar.DayKind
	Status       Status
	CheckIn      *Punch
	CheckOut     *Punch
	LateMinutes  int
	EarlyMinutes int
	// SeriouslyLate is set when the arrival was past the rule's serious limit.
	SeriouslyLate bool
	Leaves        []LeaveShare
}

// Evaluate computes one day's result. Approved absences come first (a trip,
// an outing, leave for the whole day), then the calendar (holidays and rest
// days), then the punches against the rule, with a partial leave moving the
// expected on or off duty time.
func Evaluate(f Facts, loc *time.Location) Day {
	day := Day{Date: f.Date, DayKind: f.DayKind, Leaves: f.Leaves}
	r := f.Rule
	if r == nil {
		r = &Rule{Kind: Free}
	}
	day.CheckIn, day.CheckOut = pickPunches(f.Punches)
	away := f.Trip || f.Outing || fullDayLeave(f, r)
	switch {
	case away && r.CheckInOnLeave && day.CheckIn == nil && day.CheckOut == nil && f.DayKind == calendar.Workday:
		day.Status = MissingCheckIn
	case f.Trip:
		day.Status = OnTrip
	case f.Outing:
		day.Status = Outing
	case away:
		day.Status = OnLeave
	case f.DayKind == calendar.Holiday:
		day.Status = Holiday
	case f.DayKind == calendar.RestDay:
		day.Status = RestDay
	case day.CheckIn == nil && day.CheckOut == nil:
		day.Status = Absent
	case r.Kind == Free:
		day.Status = Normal
	case day.CheckIn == nil || day.CheckOut == nil:
		day.Status = MissingCheckIn
	default:
		judge(&day, f, r, loc)
	}
	return day
}

// pickPunches takes the day's first counting ON_DUTY or FIELD punch as the
// check-in and its last counting OFF_DUTY or FIELD punch after that as the
// check-out.
func pickPunches(ps []Punch) (in, out *Punch) {
	for i := range ps {
		p := &ps[i]
		if !p.counts() || p.Kind == OffDuty {
			continue
		}
		if in == nil || p.At.Before(in.At) {
			in = p
		}
	}
	for i := range ps {
		p := &ps[i]
		if !p.counts() || p.Kind == OnDuty || p == in {
			continue
		}
		if in != nil && !p.At.After(in.At) {
			continue
		}
		if out == nil || p.At.After(out.At) {
			out = p
		}
	}
	return in, out
}

// fullDayLeave reports whether leave covers the whole working day: a FULL
// share, or shares that together leave no working time between on and off.
func fullDayLeave(f Facts, r *Rule) bool {
	for _, l := range f.Leaves {
		if l.Part == amount.PartFull {
			return true
		}
	}
	if len(f.Leaves) == 0 || r.Kind != Fixed {
		return false
	}
	on, off := expected(f, r)
	return on >= off
}

// expected is the day's on and off duty minutes after partial leave moved
// them: leave over the start moves the start to its end (past lunch, if it
// ends in lunch), leave over the end moves the end to its start.
func expected(f Facts, r *Rule) (on, off int) {
	on, off = r.OnDuty, r.OffDuty
	if off <= on {
		off += 24 * 60
	}
	for changed := true; changed; {
		changed = false
		for _, l := range f.Leaves {
			if l.From <= on && l.To > on {
				on, changed = l.To, true
				if on >= r.LunchStart && on < r.LunchEnd {
					on = r.LunchEnd
				}
			}
			if l.From < off && l.To >= off {
				off, changed = l.From, true
				if off > r.LunchStart && off <= r.LunchEnd {
					off = r.LunchStart
				}
			}
		}
	}
	return on, off
}

// judge sets the status of a working day with both punches.
func judge(day *Day, f Facts, r *Rule, loc *time.Location) {
	in, out := day.CheckIn.At, day.CheckOut.At
	switch r.Kind {
	case Fixed:
		on, off := expected(f, r)
		late := int(in.Sub(f.Date.At(on, loc)) / time.Minute)
		early := int(f.Date.At(off, loc).Sub(out) / time.Minute)
		if late > r.LateGrace {
			day.LateMinutes = late
			serious := r.SeriousLate
			if serious == 0 {
				serious = DefaultSeriousLate
			}
			day.SeriouslyLate = late > r.LateGrace+serious
		}
		if early > r.EarlyGrace {
			day.EarlyMinutes = early
		}
	case Flexible:
		coreOn, coreOff := r.Shift(f.Date, loc)
		if late := int(in.Sub(coreOn) / time.Minute); late > r.LateGrace {
			day.LateMinutes = late
		}
		early := int(coreOff.Sub(out) / time.Minute)
		if short := r.RequiredMinutes - int(out.Sub(in)/time.Minute); short > early {
			early = short
		}
		if early > r.EarlyGrace {
			day.EarlyMinutes = early
		}
	}
	switch {
	case day.LateMinutes > 0:
		day.Status = LateArrival
	case day.EarlyMinutes > 0:
		day.Status = EarlyLeave
	case len(f.Leaves) > 0:
		day.Status = OnLeave
	default:
		day.Status = Normal
	}
}

// Attended reports whether a day counts as attended in a summary.
func (d Day) Attended() bool {
	switch d.Status {
	case Normal, LateArrival, EarlyLeave, OnTrip, Outing:
		return true
	}
	return false
}
