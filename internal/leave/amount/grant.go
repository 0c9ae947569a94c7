package amount

import (
	"sort"

	"github.com/corpline/corpline/internal/calendar"
)

// GrantKind says how a type's yearly grant is worked out.
type GrantKind string

const (
	// GrantNone grants nothing by itself: balances move only by adjustment.
	GrantNone GrantKind = "NONE"
	// GrantFixed grants the same amount to everyone.
	GrantFixed GrantKind = "FIXED"
	// GrantByService grants by completed years of service, in tiers.
	GrantByService GrantKind = "BY_SERVICE"
)

// Tier grants Minutes to members with at least Years of service.
type Tier struct {
	Years   int `json:"years"`
	Minutes int `json:"minutes"`
}

// Grant is a leave type's yearly grant.
type Grant struct {
	Kind    GrantKind `json:"kind"`
	Minutes int       `json:"minutes,omitempty"`
	Tiers   []Tier    `json:"tiers,omitempty"`
	// Prorate grants a member hired during the year the share of the year
	// left from their hire date, rounded down to RoundMinutes.
	Prorate      bool `json:"prorate,omitempty"`
	RoundMinutes int  `json:"roundMinutes,omitempty"`
	// CarryOverMinutes is how much of a year's unused balance moves into the
	// next year when it expires; the rest expires.
	CarryOverMinutes int `json:"carryOverMinutes,omitempty"`
}

// ServiceYears is the number of whole years from hired to on.
func ServiceYears(hired, on calendar.Date) int {
	y := on.Year - hired.Year
	if on.Month < hired.Month || (on.Month == hired.Month && on.Day < hired.Day) {
		y--
	}
	return max(y, 0)
}

// Amount is what g grants for year to a member hired on hired (zero when
// unknown: a full year, the lowest tier). Years of service are counted on
// the first day of the year; a member hired after it gets the share of the
// year from the hire date, both ends included, when g prorates.
func (g Grant) Amount(year int, hired calendar.Date) int {
	jan1 := calendar.Date{Year: year, Month: 1, Day: 1}
	dec31 := calendar.Date{Year: year, Month: 12, Day: 31}
	if !hired.IsZero() && hired.After(dec31) {
		return 0
	}
	var full int
	switch g.Kind {
	case GrantFixed:
		full = g.Minutes
	case GrantByService:
		years := 0
		if !hired.IsZero() {
			years = ServiceYears(hired, jan1)
		}
		tiers := append([]Tier(nil), g.Tiers...)
		sort.Slice(tiers, func(i, j int) bool { return tiers[i].Years < tiers[j].Years })
		for _, t := range tiers {
			if years >= t.Years {
				full = t.Minutes
			}
		}
	default:
		return 0
	}
	if !g.Prorate || hired.IsZero() || !hired.After(jan1) {
		return full
	}
	daysInYear := jan1.DaysUntil(dec31) + 1
	left := hired.DaysUntil(dec31) + 1
	amount := full * left / daysInYear
	if g.RoundMinutes > 0 {
		amount -= amount % g.RoundMinutes
	}
	return amount
}

// CarryOver splits an expiring balance into what moves on and what expires.
func (g Grant) CarryOver(available int) (carried, expired int) {
	if available <= 0 {
		return 0, 0
	}
	carried = min(available, max(g.CarryOverMinutes, 0))
	return carried, available - carried
}
