package leave

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/leavebalance"
	"github.com/corpline/corpline/ent/leavebalancechange"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/leave/amount"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// DurationView is a duration with the day length of its type.
type DurationView struct {
	amount.Duration
	MinutesPerDay int
}

// rulesOf are the counting rules of a type.
func rulesOf(t *ent.LeaveType) amount.Rules {
	return amount.Rules{Unit: amount.Unit(t.Unit), Counting: amount.Counting(t.Counting), MinutesPerDay: t.MinutesPerDay, StepMinutes: t.StepMinutes}
}

// inputError turns a refused range into the API's error.
func inputError(err error) error {
	var re *amount.RangeError
	if errors.As(err, &re) {
		return apperr.Input(re.Field, "%s", re.Message)
	}
	return err
}

// Duration is what leave of a type over start-end counts for, day by day.
func (s *Service) Duration(ctx context.Context, typeID string, start, end time.Time) (*DurationView, error) {
	t, err := s.db(ctx).LeaveType.Get(ctx, typeID)
	if err != nil {
		return nil, err
	}
	cal, err := s.attendance.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	d, err := amount.Compute(cal, rulesOf(t), start, end)
	if err != nil {
		return nil, inputError(err)
	}
	return &DurationView{Duration: d, MinutesPerDay: t.MinutesPerDay}, nil
}

// requireAttendanceAdmin refuses viewers not holding MANAGE_ATTENDANCE.
func requireAttendanceAdmin(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if err := policy.RequireRight(v, viewer.RightManageAttendance); err != nil {
		return nil, err
	}
	if v.Kind != viewer.KindMember {
		return nil, apperr.ErrForbidden
	}
	return v, nil
}

// AdjustInput adds to (or takes from) a member's balance, with a reason.
type AdjustInput struct {
	MemberID    string
	LeaveTypeID string
	Year        int
	Minutes     int
	Reason      string
}

// Adjust changes what is available of a balance by hand, never below zero.
func (s *Service) Adjust(ctx context.Context, in AdjustInput) (*ent.LeaveBalance, error) {
	v, err := requireAttendanceAdmin(ctx)
	if err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "" || len(in.Reason) > 500:
		return nil, apperr.Input("reason", "an adjustment says why, in up to 500 bytes")
	case in.Minutes == 0 || in.Minutes > 366*24*60 || in.Minutes < -366*24*60:
		return nil, apperr.Input("minutes", "an adjustment moves 1 minute to a year, up or down")
	case in.Year < 1970 || in.Year > 9999:
		return nil, apperr.Input("year", "not a year")
	}
	if err := s.requireSubject(ctx, v, in.MemberID, "memberId"); err != nil {
		return nil, err
	}
	if _, err := s.db(ctx).LeaveType.Get(ctx, in.LeaveTypeID); err != nil {
		return nil, err
	}
	b, err := s.balance(ctx, in.MemberID, in.LeaveTypeID, in.Year)
	if err != nil {
		return nil, err
	}
	n, err := s.db(ctx).LeaveBalance.Update().
		Where(leavebalance.ID(b.ID), leavebalance.AvailableMinutesGTE(max(0, -in.Minutes))).
		AddAvailableMinutes(in.Minutes).
		AddGrantedMinutes(in.Minutes).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("adjust balance: %w", err)
	}
	if n == 0 {
		return nil, apperr.Input("minutes", "only %d minutes are available", b.AvailableMinutes)
	}
	return s.logChange(ctx, b.ID, change{kind: leavebalancechange.KindADJUST, minutes: in.Minutes, reason: in.Reason})
}

// requireSubject answers NOT_FOUND for a member whose leave the viewer may
// not see, as for one that does not exist.
func (s *Service) requireSubject(ctx context.Context, v *viewer.Viewer, memberID, field string) error {
	q := s.db(ctx).Member.Query().Where(member.ID(memberID), member.StatusNEQ(member.StatusDELETED))
	if p := policy.AttendanceSubjects(v); p != nil {
		q.Where(p)
	}
	ok, err := q.Exist(ctx)
	if err != nil {
		return fmt.Errorf("leave subject: %w", err)
	}
	if !ok {
		return &apperr.Error{Code: apperr.NotFound, Message: "no such member", Field: field}
	}
	return nil
}

// balance is the balance of a member, type and year, created empty when
// there is none yet (valid to the year's last day).
func (s *Service) balance(ctx context.Context, memberID, typeID string, year int) (*ent.LeaveBalance, error) {
	q := func() (*ent.LeaveBalance, error) {
		return s.db(ctx).LeaveBalance.Query().
			Where(leavebalance.MemberID(memberID), leavebalance.LeaveTypeID(typeID), leavebalance.Year(year)).
			Only(ctx)
	}
	b, err := q()
	if !ent.IsNotFound(err) {
		return b, err
	}
	err = s.db(ctx).LeaveBalance.Create().
		SetMemberID(memberID).SetLeaveTypeID(typeID).SetYear(year).
		SetValidUntil(calendar.Date{Year: year, Month: 12, Day: 31}.String()).
		OnConflictColumns(leavebalance.FieldMemberID, leavebalance.FieldLeaveTypeID, leavebalance.FieldYear).
		DoNothing().
		Exec(ctx)
	if err != nil && !errors.Is(err, stdsql.ErrNoRows) {
		return nil, fmt.Errorf("create balance: %w", err)
	}
	return q()
}

// change is one line of a balance's log.
type change struct {
	kind       leavebalancechange.Kind
	minutes    int
	reason     string
	requestID  string
	approvalID string
}

// logChange writes a line of balance b's log after the change was made, and
// returns the balance as it is now.
func (s *Service) logChange(ctx context.Context, balanceID string, c change) (*ent.LeaveBalance, error) {
	b, err := s.db(ctx).LeaveBalance.Get(ctx, balanceID)
	if err != nil {
		return nil, fmt.Errorf("reload balance: %w", err)
	}
	lc := s.db(ctx).LeaveBalanceChange.Create().
		SetMemberID(b.MemberID).SetBalanceID(b.ID).SetKind(c.kind).SetMinutes(c.minutes).
		SetAvailableAfter(b.AvailableMinutes).SetReason(c.reason)
	if c.requestID != "" {
		lc.SetLeaveRequestID(c.requestID)
	}
	if c.approvalID != "" {
		lc.SetApprovalID(c.approvalID)
	}
	if v := viewer.FromContext(ctx); v != nil && v.MemberID != "" {
		lc.SetActorID(v.MemberID)
	}
	if err := lc.Exec(ctx); err != nil {
		return nil, fmt.Errorf("log balance change: %w", err)
	}
	return b, nil
}

// GrantReport says what a yearly grant did.
type GrantReport struct {
	Granted        int
	Skipped        int
	GrantedMinutes int
}

// Grant gives the members (every member of the type's audience in the
// admin's scope when memberIDs is empty) their yearly grant of a type for
// year, by the type's grant rule and each member's hire date. A member who
// already has a balance of the type and year is skipped, so a grant may be
// run again for newcomers.
func (s *Service) Grant(ctx context.Context, typeID string, year int, memberIDs []string) (*GrantReport, error) {
	v, err := requireAttendanceAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if year < 1970 || year > 9999 {
		return nil, apperr.Input("year", "not a year")
	}
	t, err := s.db(ctx).LeaveType.Get(ctx, typeID)
	if err != nil {
		return nil, err
	}
	if t.Grant.Kind == amount.GrantNone || t.Grant.Kind == "" {
		return nil, apperr.Input("leaveTypeId", "%s grants nothing by itself: adjust balances instead", t.Name)
	}
	q := s.db(ctx).Member.Query().Where(member.StatusNEQ(member.StatusDELETED))
	if len(memberIDs) > 0 {
		q.Where(member.IDIn(memberIDs...))
	}
	if p := policy.AudienceMembers(t.Audience); p != nil {
		q.Where(p)
	}
	if p := policy.AttendanceSubjects(v); p != nil {
		q.Where(p)
	}
	ms, err := q.Select(member.FieldID, member.FieldHiredOn).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("grant members: %w", err)
	}
	if len(memberIDs) > 0 && len(ms) < len(dedupe(memberIDs)) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "a member is unknown, outside your scope or outside the type's audience", Field: "memberIds"}
	}
	have := map[string]bool{}
	err = inChunks(idsOf(ms), func(part []string) error {
		got, err := s.db(ctx).LeaveBalance.Query().
			Where(leavebalance.LeaveTypeID(typeID), leavebalance.Year(year), leavebalance.MemberIDIn(part...)).
			Select(leavebalance.FieldMemberID).Strings(ctx)
		for _, id := range got {
			have[id] = true
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("existing balances: %w", err)
	}
	rep := &GrantReport{}
	until := calendar.Date{Year: year, Month: 12, Day: 31}.String()
	var bs []*ent.LeaveBalanceCreate
	var cs []*ent.LeaveBalanceChangeCreate
	for _, m := range ms {
		if have[m.ID] {
			rep.Skipped++
			continue
		}
		var hired calendar.Date
		if m.HiredOn != nil {
			hired, _ = calendar.ParseDate(*m.HiredOn)
		}
		n := t.Grant.Amount(year, hired)
		id := ids.New(ids.LeaveBalance)
		bs = append(bs, s.db(ctx).LeaveBalance.Create().SetID(id).SetMemberID(m.ID).SetLeaveTypeID(typeID).
			SetYear(year).SetValidUntil(until).SetGrantedMinutes(n).SetAvailableMinutes(n))
		cs = append(cs, s.db(ctx).LeaveBalanceChange.Create().SetMemberID(m.ID).SetBalanceID(id).
			SetKind(leavebalancechange.KindGRANT).SetMinutes(n).SetAvailableAfter(n).
			SetReason(fmt.Sprintf("yearly grant %d", year)).SetActorID(v.MemberID))
		rep.Granted++
		rep.GrantedMinutes += n
	}
	for len(bs) > 0 {
		k := min(len(bs), 500)
		if err := s.db(ctx).LeaveBalance.CreateBulk(bs[:k]...).Exec(ctx); err != nil {
			return nil, fmt.Errorf("grant balances: %w", err)
		}
		if err := s.db(ctx).LeaveBalanceChange.CreateBulk(cs[:k]...).Exec(ctx); err != nil {
			return nil, fmt.Errorf("grant log: %w", err)
		}
		bs, cs = bs[k:], cs[k:]
	}
	return rep, nil
}

func idsOf(ms []*ent.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func dedupe(in []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range in {
		out[s] = true
	}
	return out
}

// inChunks calls f with ids a thousand at a time.
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
