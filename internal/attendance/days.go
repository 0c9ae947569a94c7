package attendance

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/attendancerequest"
	"github.com/corpline/corpline/ent/checkin"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/leaverequest"
	"github.com/corpline/corpline/ent/leavetype"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance/judge"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/leave/amount"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// MaxDays is the longest range of days one attendanceDays query returns.
const MaxDays = 62

// DayLeave is the part of an approved leave on a day, as the API shows it.
type DayLeave struct {
	LeaveRequestID string
	LeaveTypeID    string
	LeaveTypeName  string
	Part           amount.Part
	Minutes        int
	From, To       string
}

// DayView is one member's attendance day, as the API shows it.
type DayView struct {
	MemberID      string
	Date          calendar.Date
	DayKind       calendar.DayKind
	Status        judge.Status
	CheckIn       *ent.CheckIn
	CheckOut      *ent.CheckIn
	LateMinutes   int
	EarlyMinutes  int
	SeriouslyLate bool
	Leaves        []DayLeave
}

// Days are the attendance days of a member from first to last (the
// viewer's own when memberID is empty), up to the last day that has ended.
// A member whose attendance the viewer may not see is NOT_FOUND, as one
// that does not exist.
func (s *Service) Days(ctx context.Context, memberID string, first, last calendar.Date) ([]DayView, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	if memberID == "" {
		memberID = v.MemberID
	}
	if last.Before(first) {
		return nil, apperr.Input("to", "the end must not be before the start")
	}
	if first.DaysUntil(last) >= MaxDays {
		return nil, apperr.Input("to", "at most %d days at once", MaxDays)
	}
	subjects, err := s.subjects(ctx, member.ID(memberID))
	if err != nil {
		return nil, err
	}
	if len(subjects) == 0 {
		return nil, apperr.ErrNotFound
	}
	byMember, err := s.compute(ctx, subjects, first, last)
	if err != nil {
		return nil, err
	}
	return byMember[memberID], nil
}

// subject is a member whose days are computed, with what picks their rule.
type subject struct {
	id, name string
	facts    audience.Facts
}

// subjects are the members matching where whose attendance the viewer
// sees (policy.AttendanceSubjects), by name.
func (s *Service) subjects(ctx context.Context, where ...predicate.Member) ([]subject, error) {
	q := s.db(ctx).Member.Query().Where(where...).Where(member.StatusNEQ(member.StatusDELETED))
	if p := policy.AttendanceSubjects(viewer.FromContext(ctx)); p != nil {
		q.Where(p)
	}
	ms, err := q.
		WithDepartments(func(q *ent.DepartmentQuery) { q.Select(department.FieldID, department.FieldPath) }).
		WithTags(func(q *ent.TagQuery) { q.Select(tag.FieldID) }).
		Order(ent.Asc(member.FieldName), ent.Asc(member.FieldID)).
		Limit(MaxSummaryMembers + 1).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("attendance members: %w", err)
	}
	if len(ms) > MaxSummaryMembers {
		return nil, apperr.Input("departmentId", "a summary covers at most %d members", MaxSummaryMembers)
	}
	out := make([]subject, 0, len(ms))
	for _, m := range ms {
		f := audience.Facts{MemberID: m.ID}
		for _, d := range m.Edges.Departments {
			f.DeptPaths = append(f.DeptPaths, d.Path)
		}
		for _, t := range m.Edges.Tags {
			f.TagIDs = append(f.TagIDs, t.ID)
		}
		out = append(out, subject{id: m.ID, name: m.Name, facts: f})
	}
	return out, nil
}

// inChunks calls f with ids a thousand at a time: IN lists stay small
// enough for every database.
func inChunks(ids []string, f func([]string) error) error {
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		if err := f(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// facts are what a range of days of several members is computed from.
type facts struct {
	punches map[string][]*ent.CheckIn           // by member
	leaves  map[string][]*ent.LeaveRequest      // by member, approved
	away    map[string][]*ent.AttendanceRequest // by member, approved trips and outings
	types   map[string]string                   // leave type names
}

// load reads the facts of members' days from first to last, a few
// statements whatever the number of members.
func (s *Service) load(ctx context.Context, ids []string, first, last calendar.Date) (*facts, error) {
	f := &facts{punches: map[string][]*ent.CheckIn{}, leaves: map[string][]*ent.LeaveRequest{},
		away: map[string][]*ent.AttendanceRequest{}, types: map[string]string{}}
	from, to := first.String(), last.String()
	var typeIDs []string
	err := inChunks(ids, func(part []string) error {
		ps, err := s.db(ctx).CheckIn.Query().
			Where(checkin.MemberIDIn(part...), checkin.WorkDateGTE(from), checkin.WorkDateLTE(to)).
			Order(ent.Asc(checkin.FieldAt)).All(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			f.punches[p.MemberID] = append(f.punches[p.MemberID], p)
		}
		ls, err := s.db(ctx).LeaveRequest.Query().
			Where(leaverequest.MemberIDIn(part...), leaverequest.StatusEQ(leaverequest.StatusAPPROVED),
				leaverequest.FirstDayLTE(to), leaverequest.LastDayGTE(from)).All(ctx)
		if err != nil {
			return err
		}
		for _, l := range ls {
			f.leaves[l.MemberID] = append(f.leaves[l.MemberID], l)
			typeIDs = append(typeIDs, l.LeaveTypeID)
		}
		as, err := s.db(ctx).AttendanceRequest.Query().
			Where(attendancerequest.MemberIDIn(part...), attendancerequest.StatusEQ(attendancerequest.StatusAPPROVED),
				attendancerequest.KindIn(attendancerequest.KindBUSINESS_TRIP, attendancerequest.KindOUTING),
				attendancerequest.FirstDayLTE(to), attendancerequest.LastDayGTE(from)).All(ctx)
		if err != nil {
			return err
		}
		for _, a := range as {
			f.away[a.MemberID] = append(f.away[a.MemberID], a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("attendance facts: %w", err)
	}
	if len(typeIDs) > 0 {
		slices.Sort(typeIDs)
		ts, err := s.db(ctx).LeaveType.Query().Where(leavetype.IDIn(slices.Compact(typeIDs)...)).
			Select(leavetype.FieldID, leavetype.FieldName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("leave type names: %w", err)
		}
		for _, t := range ts {
			f.types[t.ID] = t.Name
		}
	}
	return f, nil
}

// compute works out the ended days from first to last of each subject.
func (s *Service) compute(ctx context.Context, subjects []subject, first, last calendar.Date) (map[string][]DayView, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(subjects))
	for i, sub := range subjects {
		ids[i] = sub.id
	}
	f, err := s.load(ctx, ids, first, last)
	if err != nil {
		return nil, err
	}
	now, loc := clock.Now(ctx), cal.Location()
	out := make(map[string][]DayView, len(subjects))
	for _, sub := range subjects {
		rule := rs.For(sub.facts)
		current := rule.WorkDate(now, loc)
		byDate := map[calendar.Date][]*ent.CheckIn{}
		for _, p := range f.punches[sub.id] {
			d, _ := calendar.ParseDate(p.WorkDate)
			byDate[d] = append(byDate[d], p)
		}
		var days []DayView
		for d := first; !d.After(last) && d.Before(current); d = d.AddDays(1) {
			days = append(days, f.day(sub.id, d, cal, rule, byDate[d], loc))
		}
		out[sub.id] = days
	}
	return out, nil
}

// day computes one member's day from the loaded facts.
func (f *facts) day(memberID string, d calendar.Date, cal *calendar.Calendar, rule *judge.Rule, rows []*ent.CheckIn, loc *time.Location) DayView {
	in := judge.Facts{Date: d, DayKind: cal.Kind(d), Rule: rule}
	byID := map[string]*ent.CheckIn{}
	for _, p := range rows {
		byID[p.ID] = p
		in.Punches = append(in.Punches, judge.Punch{ID: p.ID, At: p.At, Kind: judge.PunchKind(p.Kind), Location: judge.LocationResult(p.LocationResult)})
	}
	ds := d.String()
	for _, l := range f.leaves[memberID] {
		for _, share := range l.Days {
			if share.Date == d && share.Minutes > 0 {
				in.Leaves = append(in.Leaves, judge.LeaveShare{RequestID: l.ID, LeaveTypeID: l.LeaveTypeID, Share: share})
			}
		}
	}
	for _, a := range f.away[memberID] {
		if a.FirstDay <= ds && ds <= a.LastDay {
			in.Trip = in.Trip || a.Kind == attendancerequest.KindBUSINESS_TRIP
			in.Outing = in.Outing || a.Kind == attendancerequest.KindOUTING
		}
	}
	res := judge.Evaluate(in, loc)
	view := DayView{MemberID: memberID, Date: d, DayKind: res.DayKind, Status: res.Status,
		LateMinutes: res.LateMinutes, EarlyMinutes: res.EarlyMinutes, SeriouslyLate: res.SeriouslyLate}
	if res.CheckIn != nil {
		view.CheckIn = byID[res.CheckIn.ID]
	}
	if res.CheckOut != nil {
		view.CheckOut = byID[res.CheckOut.ID]
	}
	for _, l := range res.Leaves {
		view.Leaves = append(view.Leaves, DayLeave{LeaveRequestID: l.RequestID, LeaveTypeID: l.LeaveTypeID,
			LeaveTypeName: f.types[l.LeaveTypeID], Part: l.Part, Minutes: l.Minutes,
			From: calendar.Clock(l.From), To: calendar.Clock(l.To)})
	}
	return view
}
