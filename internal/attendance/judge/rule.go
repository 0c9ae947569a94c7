package judge

import (
	"time"

	"github.com/corpline/corpline/internal/calendar"
)

// Kind is how an attendance rule judges a day.
type Kind string

const (
	// Fixed hours: on and off duty times, with grace minutes and lunch.
	Fixed Kind = "FIXED"
	// Flexible hours: core hours to be present and a total to work.
	Flexible Kind = "FLEXIBLE"
	// Free: check-ins are recorded, never judged late or early.
	Free Kind = "FREE"
)

// FieldPolicy says what a check-in away from every place may be.
type FieldPolicy string

const (
	// FieldAllow accepts a FIELD check-in (with a note) away from the places.
	FieldAllow FieldPolicy = "ALLOW"
	// FieldRefuse refuses every check-in away from the places.
	FieldRefuse FieldPolicy = "REFUSE"
)

// DefaultSeriousLate is how late, past the grace minutes, an arrival is
// SERIOUSLY_LATE unless the rule says otherwise.
const DefaultSeriousLate = 30

// Rule is an attendance rule as the computations need it. Times are
// minutes after midnight in the enterprise's zone; an off-duty time not
// after the on-duty time is on the next day (a night shift).
type Rule struct {
	ID                   string
	Kind                 Kind
	OnDuty, OffDuty      int
	LateGrace            int
	EarlyGrace           int
	SeriousLate          int
	LunchStart, LunchEnd int
	CoreStart, CoreEnd   int
	RequiredMinutes      int
	// DayStart is when an attendance day begins: a punch before it belongs
	// to the day before, so a shift that ends after midnight stays one day.
	DayStart       int
	Places         []Place
	Field          FieldPolicy
	CheckInOnLeave bool
}

// CrossesMidnight reports whether a FIXED shift ends the next day.
func (r *Rule) CrossesMidnight() bool { return r.Kind == Fixed && r.OffDuty <= r.OnDuty }

// WorkDate is the attendance day a punch at t belongs to.
func (r *Rule) WorkDate(t time.Time, loc *time.Location) calendar.Date {
	t = t.In(loc)
	d := calendar.DateOf(t)
	if r != nil && t.Hour()*60+t.Minute() < r.DayStart {
		return d.AddDays(-1)
	}
	return d
}

// Shift is the expected on and off duty instants of day d (for FIXED), or
// the core hours (for FLEXIBLE).
func (r *Rule) Shift(d calendar.Date, loc *time.Location) (on, off time.Time) {
	start, end := r.OnDuty, r.OffDuty
	if r.Kind == Flexible {
		start, end = r.CoreStart, r.CoreEnd
	}
	if end <= start {
		end += 24 * 60
	}
	return d.At(start, loc), d.At(end, loc)
}

// PunchKind is what a check-in says it is.
type PunchKind string

const (
	OnDuty  PunchKind = "ON_DUTY"
	OffDuty PunchKind = "OFF_DUTY"
	// FieldPunch is a check-in away from the places (on a trip, at a client).
	FieldPunch PunchKind = "FIELD"
)

// TimeResult judges a punch's time.
type TimeResult string

const (
	TimeNormal    TimeResult = "NORMAL"
	Late          TimeResult = "LATE"
	SeriouslyLate TimeResult = "SERIOUSLY_LATE"
	Early         TimeResult = "EARLY"
)

// LocationResult judges a punch's place.
type LocationResult string

const (
	// LocationNormal is inside one of the rule's places.
	LocationNormal LocationResult = "NORMAL"
	// Outside is an ON_DUTY or OFF_DUTY punch away from every place: recorded,
	// but it does not count as a punch.
	Outside LocationResult = "OUTSIDE"
	// LocationField is a FIELD punch, which counts wherever it is made.
	LocationField LocationResult = "FIELD"
)

// JudgeTime is the time result of a punch of kind at t on attendance day d,
// with the minutes late or early.
func (r *Rule) JudgeTime(kind PunchKind, t time.Time, d calendar.Date, loc *time.Location) (TimeResult, int) {
	if r == nil || r.Kind == Free || kind == FieldPunch {
		return TimeNormal, 0
	}
	on, off := r.Shift(d, loc)
	switch kind {
	case OnDuty:
		late := int(t.Sub(on) / time.Minute)
		if late <= r.LateGrace {
			return TimeNormal, 0
		}
		serious := r.SeriousLate
		if serious == 0 {
			serious = DefaultSeriousLate
		}
		if late > r.LateGrace+serious {
			return SeriouslyLate, late
		}
		return Late, late
	case OffDuty:
		early := int(off.Sub(t) / time.Minute)
		if early > r.EarlyGrace {
			return Early, early
		}
	}
	return TimeNormal, 0
}

// JudgePlace is the location result of a punch of kind at a position, with
// the place matched.
func (r *Rule) JudgePlace(kind PunchKind, lat, lng float64) (LocationResult, *Place) {
	if r == nil {
		// Without a rule there are no places to be away from.
		if kind == FieldPunch {
			return LocationField, nil
		}
		return LocationNormal, nil
	}
	p, _ := Nearest(r.Places, lat, lng)
	switch {
	case kind == FieldPunch:
		return LocationField, p
	case p != nil:
		return LocationNormal, p
	case len(r.Places) == 0:
		// A rule without places does not judge location.
		return LocationNormal, nil
	}
	return Outside, nil
}
