package leave

import (
	"context"
	"fmt"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/leavebalance"
	"github.com/corpline/corpline/ent/leavebalancechange"
	"github.com/corpline/corpline/ent/workcalendar"
	"github.com/corpline/corpline/internal/calendar"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
)

// Expirer ends balances whose last day has passed in their enterprise's
// time zone: what the type lets carry over moves into the next year's
// balance (a GRANT line, "carried over"), the rest expires (an EXPIRE
// line). It is a background job: it acts as the system, one balance per
// transaction, and claims each balance with a conditional update, so any
// number of processes may run it side by side.
type Expirer struct {
	client *ent.Client
	now    clock.Clock
}

// NewExpirer returns an Expirer reading the time from now.
func NewExpirer(client *ent.Client, now clock.Clock) *Expirer {
	return &Expirer{client: client, now: now}
}

// Run expires balances every interval until ctx ends.
func (e *Expirer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		_, _ = e.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce expires what is due now and returns how many balances it ended.
func (e *Expirer) RunOnce(ctx context.Context) (int, error) {
	// The job works across enterprises, without a viewer.
	sys := policy.SystemContext(ctx)
	now := e.now()
	// No zone is more than 14 hours ahead of UTC: the UTC date of now+14h
	// bounds every enterprise's today from above.
	latest := calendar.DateOf(now.UTC().Add(14 * time.Hour)).String()
	due, err := e.client.LeaveBalance.Query().
		Where(leavebalance.ExpiredAtIsNil(), leavebalance.ValidUntilLT(latest)).
		WithLeaveType().
		Limit(1000).
		All(sys)
	if err != nil {
		return 0, fmt.Errorf("due balances: %w", err)
	}
	if len(due) == 0 {
		return 0, nil
	}
	cals, err := e.client.WorkCalendar.Query().Select(workcalendar.FieldEnterpriseID, workcalendar.FieldTimeZone).All(sys)
	if err != nil {
		return 0, fmt.Errorf("calendars: %w", err)
	}
	zones := map[string]*time.Location{}
	for _, c := range cals {
		if l, err := calendar.LoadZone(c.TimeZone); err == nil {
			zones[c.EnterpriseID] = l
		}
	}
	done := 0
	for _, b := range due {
		loc, ok := zones[b.EnterpriseID]
		if !ok {
			loc = calendar.Default().Location()
		}
		if b.ValidUntil >= calendar.DateOf(now.In(loc)).String() {
			continue
		}
		ok, err := e.expire(sys, b, now)
		if err != nil {
			return done, err
		}
		if ok {
			done++
		}
	}
	return done, nil
}

// expire ends one balance in its own transaction.
func (e *Expirer) expire(ctx context.Context, b *ent.LeaveBalance, now time.Time) (bool, error) {
	tx, err := e.client.Tx(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	n, err := tx.LeaveBalance.Update().Where(leavebalance.ID(b.ID), leavebalance.ExpiredAtIsNil()).SetExpiredAt(now).Save(ctx)
	if err != nil || n == 0 {
		return false, err
	}
	cur, err := tx.LeaveBalance.Get(ctx, b.ID)
	if err != nil {
		return false, err
	}
	carried, expired := b.Edges.LeaveType.Grant.CarryOver(cur.AvailableMinutes)
	if carried+expired > 0 {
		if err := tx.LeaveBalance.UpdateOneID(b.ID).AddAvailableMinutes(-(carried + expired)).AddExpiredMinutes(expired).Exec(ctx); err != nil {
			return false, err
		}
		reason := "expired"
		if carried > 0 {
			reason = fmt.Sprintf("expired; %d minutes carried over to %d", carried, b.Year+1)
		}
		if err := tx.LeaveBalanceChange.Create().SetEnterpriseID(b.EnterpriseID).SetMemberID(b.MemberID).SetBalanceID(b.ID).
			SetKind(leavebalancechange.KindEXPIRE).SetMinutes(carried + expired).SetAvailableAfter(0).SetReason(reason).Exec(ctx); err != nil {
			return false, err
		}
	}
	if carried > 0 {
		if err := carryInto(ctx, tx, b, carried); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

// carryInto adds carried minutes to the member's balance of the next year.
func carryInto(ctx context.Context, tx *ent.Tx, b *ent.LeaveBalance, carried int) error {
	year := b.Year + 1
	next, err := tx.LeaveBalance.Query().
		Where(leavebalance.MemberID(b.MemberID), leavebalance.LeaveTypeID(b.LeaveTypeID), leavebalance.Year(year)).Only(ctx)
	if ent.IsNotFound(err) {
		next, err = tx.LeaveBalance.Create().SetEnterpriseID(b.EnterpriseID).SetMemberID(b.MemberID).
			SetLeaveTypeID(b.LeaveTypeID).SetYear(year).
			SetValidUntil(calendar.Date{Year: year, Month: 12, Day: 31}.String()).Save(ctx)
	}
	if err != nil {
		return err
	}
	if err := tx.LeaveBalance.UpdateOneID(next.ID).AddAvailableMinutes(carried).AddGrantedMinutes(carried).Exec(ctx); err != nil {
		return err
	}
	return tx.LeaveBalanceChange.Create().SetEnterpriseID(b.EnterpriseID).SetMemberID(b.MemberID).SetBalanceID(next.ID).
		SetKind(leavebalancechange.KindGRANT).SetMinutes(carried).SetAvailableAfter(next.AvailableMinutes + carried).
		SetReason(fmt.Sprintf("carried over from %d", b.Year)).Exec(ctx)
}
