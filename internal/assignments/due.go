package assignments

import (
	"context"
	"fmt"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
)

// DefaultTimeZone is the time zone of enterprises that set none.
const DefaultTimeZone = "Asia/Shanghai"

const dateLayout = "2006-01-02"

// zone is the enterprise's time zone, in which due dates end.
func (s *Service) zone(ctx context.Context, enterpriseID string) (*time.Location, error) {
	e, err := s.db(ctx).Enterprise.Get(ctx, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("enterprise time zone: %w", err)
	}
	return location(e.TimeZone), nil
}

func location(name string) *time.Location {
	if name == "" {
		name = DefaultTimeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The setting is checked when written; an unknown zone on an old row
		// falls back to the default rather than failing every read.
		loc, _ = time.LoadLocation(DefaultTimeZone)
	}
	return loc
}

// parseDate reads a YYYY-MM-DD date of input field.
func parseDate(field, s string) (time.Time, error) {
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, apperr.Input(field, "%s is a date as YYYY-MM-DD", field)
	}
	return d, nil
}

// dates checks a start and due date (either may be empty) and returns the
// instant the due date ends in loc.
func dates(start, due string, loc *time.Location) (*time.Time, error) {
	var s, d time.Time
	var err error
	if start != "" {
		if s, err = parseDate("startDate", start); err != nil {
			return nil, err
		}
	}
	if due == "" {
		return nil, nil
	}
	if d, err = parseDate("dueDate", due); err != nil {
		return nil, err
	}
	if start != "" && d.Before(s) {
		return nil, apperr.Input("dueDate", "the due date is before the start date")
	}
	end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).UTC()
	return &end, nil
}

// Overdue reports whether a is past its due date and not done. due_at is
// the instant the due date ended in the enterprise's time zone, set with the
// date, so this reads no more than the row.
func Overdue(ctx context.Context, a *ent.Assignment) bool {
	return a.DueAt != nil && open(a.Status) && !clock.Now(ctx).Before(*a.DueAt)
}

func open(st assignment.Status) bool {
	return st != assignment.StatusDONE && st != assignment.StatusVERIFIED
}

// OverdueFilter selects the assignments that are (or, with false, are not)
// overdue at ctx's time, like Overdue. It spells out both sides: NOT of a
// comparison with a null due_at is null in SQL, not true.
func OverdueFilter(ctx context.Context, overdue bool) predicate.Assignment {
	now := clock.Now(ctx)
	if overdue {
		return assignment.And(
			assignment.StatusNotIn(assignment.StatusDONE, assignment.StatusVERIFIED),
			assignment.DueAtNotNil(),
			assignment.DueAtLTE(now),
		)
	}
	return assignment.Or(
		assignment.StatusIn(assignment.StatusDONE, assignment.StatusVERIFIED),
		assignment.DueAtIsNil(),
		assignment.DueAtGT(now),
	)
}
