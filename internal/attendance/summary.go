package attendance

import (
	"context"
	"slices"
	"strings"

	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance/judge"
	"github.com/corpline/corpline/internal/calendar"
)

// MaxSummaryMembers is the most members one summary covers.
const MaxSummaryMembers = 10000

// LeaveTaken is leave of one type in a summary.
type LeaveTaken struct {
	LeaveTypeID   string
	LeaveTypeName string
	Minutes       int
}

// Counts are the days of a month by result.
type Counts struct {
	Workdays       int
	DaysAttended   int
	Normal         int
	Late           int
	SeriouslyLate  int
	EarlyLeave     int
	MissingCheckIn int
	Absent         int
	OnLeave        int
	OnTrip         int
	Outing         int
	Leave          []LeaveTaken
}

// add counts one day.
func (c *Counts) add(d DayView) {
	if d.DayKind == calendar.Workday {
		c.Workdays++
	}
	if (judge.Day{Status: d.Status}).Attended() {
		c.DaysAttended++
	}
	switch d.Status {
	case judge.Normal:
		c.Normal++
	case judge.LateArrival:
		c.Late++
	case judge.EarlyLeave:
		c.EarlyLeave++
	case judge.MissingCheckIn:
		c.MissingCheckIn++
	case judge.Absent:
		c.Absent++
	case judge.OnLeave:
		c.OnLeave++
	case judge.OnTrip:
		c.OnTrip++
	case judge.Outing:
		c.Outing++
	}
	if d.SeriouslyLate {
		c.SeriouslyLate++
	}
	for _, l := range d.Leaves {
		c.addLeave(LeaveTaken{LeaveTypeID: l.LeaveTypeID, LeaveTypeName: l.LeaveTypeName, Minutes: l.Minutes})
	}
}

func (c *Counts) addLeave(l LeaveTaken) {
	for i := range c.Leave {
		if c.Leave[i].LeaveTypeID == l.LeaveTypeID {
			c.Leave[i].Minutes += l.Minutes
			return
		}
	}
	c.Leave = append(c.Leave, l)
}

// merge adds o to c.
func (c *Counts) merge(o Counts) {
	c.Workdays += o.Workdays
	c.DaysAttended += o.DaysAttended
	c.Normal += o.Normal
	c.Late += o.Late
	c.SeriouslyLate += o.SeriouslyLate
	c.EarlyLeave += o.EarlyLeave
	c.MissingCheckIn += o.MissingCheckIn
	c.Absent += o.Absent
	c.OnLeave += o.OnLeave
	c.OnTrip += o.OnTrip
	c.Outing += o.Outing
	for _, l := range o.Leave {
		c.addLeave(l)
	}
}

// MemberSummary is one member's month.
type MemberSummary struct {
	MemberID   string
	MemberName string
	Counts     Counts
}

// Summary is a month of one member or of a department's members.
type Summary struct {
	Month    string
	From, To calendar.Date
	Totals   Counts
	Members  []MemberSummary
}

// Summary sums the month (YYYY-MM) of one member, or of the members of a
// department and its sub-departments whose attendance the viewer sees, or
// of the viewer. A member or department the viewer cannot see is NOT_FOUND.
func (s *Service) Summary(ctx context.Context, month, memberID, departmentID string) (*Summary, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	first, last, err := calendar.MonthRange(month)
	if err != nil {
		return nil, apperr.Input("month", "%s", err.Error())
	}
	var where predicate.Member
	switch {
	case memberID != "" && departmentID != "":
		return nil, apperr.Input("departmentId", "a summary is of one member or one department")
	case departmentID != "":
		dep, err := s.db(ctx).Department.Get(ctx, departmentID)
		if err != nil {
			return nil, err
		}
		where = member.HasMembershipsWith(membership.HasDepartmentWith(department.PathHasPrefix(dep.Path)))
	case memberID != "":
		where = member.ID(memberID)
	default:
		where = member.ID(v.MemberID)
	}
	subjects, err := s.subjects(ctx, where)
	if err != nil {
		return nil, err
	}
	if memberID != "" && len(subjects) == 0 {
		return nil, apperr.ErrNotFound
	}
	days, err := s.compute(ctx, subjects, first, last)
	if err != nil {
		return nil, err
	}
	out := &Summary{Month: month, From: first, To: first.AddDays(-1)}
	for _, sub := range subjects {
		ms := MemberSummary{MemberID: sub.id, MemberName: sub.name}
		for _, d := range days[sub.id] {
			ms.Counts.add(d)
			if d.Date.After(out.To) {
				out.To = d.Date
			}
		}
		out.Totals.merge(ms.Counts)
		out.Members = append(out.Members, ms)
	}
	if out.To.Before(first) {
		out.To = first.AddDays(-1)
	} else if out.To.After(last) {
		out.To = last
	}
	slices.SortStableFunc(out.Totals.Leave, func(a, b LeaveTaken) int { return strings.Compare(a.LeaveTypeName, b.LeaveTypeName) })
	return out, nil
}
