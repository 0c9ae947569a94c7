// Package leave holds the rules of leave: leave types, balances with their
// change log, durations against the work calendar, leave requests through
// approvals and cancelling leave (销假).
//
// Amounts are exact integer minutes (package amount). A balance is one row
// per member, type and year; every change of it is a conditional update of
// that row (so concurrent requests never take more than is there) and a
// line of its log (LeaveBalanceChange), in the same transaction:
//
//	GRANT    +available                         yearly grant, carry-over in
//	ADJUST   ±available                         by an admin, with a reason
//	RESERVE  -available +reserved               a request is submitted
//	SPEND    -reserved  +used                   the request is approved
//	RELEASE  -reserved  +available              rejected, withdrawn, returned
//	RESTORE  -used      +available              approved leave cancelled
//	EXPIRE   -available                         the year is over
package leave

import (
	"context"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/leavetype"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/leave/amount"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// DefaultMinutesPerDay is a working day of eight hours.
const DefaultMinutesPerDay = 480

// Service applies leave rules.
type Service struct {
	client     *ent.Client
	attendance *attendance.Service
}

// New returns a Service; attendance gives it the work calendar.
func New(client *ent.Client, att *attendance.Service) *Service {
	return &Service{client: client, attendance: att}
}

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// TypeInput creates or changes a leave type; nil fields are left alone (on
// create: their defaults).
type TypeInput struct {
	ID                 *string
	Name               *string
	Unit               *leavetype.Unit
	Counting           *leavetype.Counting
	MinutesPerDay      *int
	Paid               *bool
	Audience           *audience.Audience
	NeedsBalance       *bool
	StepMinutes        *int
	MaxDaysInAdvance   *int
	MaxDaysLate        *int
	ApprovalTemplateID *string
	Grant              *amount.Grant
	Active             *bool
}

// CreateType creates a leave type (admins holding MANAGE_ATTENDANCE, by policy).
func (s *Service) CreateType(ctx context.Context, in TypeInput) (*ent.LeaveType, error) {
	if in.Name == nil || in.Unit == nil || in.Counting == nil {
		return nil, apperr.Input("name", "a leave type has a name, a unit and a counting")
	}
	perDay := DefaultMinutesPerDay
	if in.MinutesPerDay != nil {
		perDay = *in.MinutesPerDay
	}
	if perDay < 60 || perDay > 24*60 || perDay%2 != 0 {
		return nil, apperr.Input("minutesPerDay", "a day counts an even number of minutes, 60 to 1440")
	}
	rules := amount.Rules{Unit: amount.Unit(*in.Unit), MinutesPerDay: perDay}
	step := rules.MinStep()
	if in.StepMinutes != nil {
		step = *in.StepMinutes
	}
	aud := audience.Everyone()
	if in.Audience != nil {
		aud = *in.Audience
	}
	grant := amount.Grant{Kind: amount.GrantNone}
	if in.Grant != nil {
		grant = *in.Grant
	}
	if err := checkType(strings.TrimSpace(*in.Name), rules, step, in, grant); err != nil {
		return nil, err
	}
	c := s.db(ctx).LeaveType.Create().
		SetName(strings.TrimSpace(*in.Name)).
		SetUnit(*in.Unit).
		SetCounting(*in.Counting).
		SetMinutesPerDay(perDay).
		SetAudience(aud).
		SetStepMinutes(step).
		SetGrant(grant).
		SetNillablePaid(in.Paid).
		SetNillableNeedsBalance(in.NeedsBalance).
		SetNillableMaxDaysInAdvance(in.MaxDaysInAdvance).
		SetNillableMaxDaysLate(in.MaxDaysLate).
		SetNillableApprovalTemplateID(in.ApprovalTemplateID)
	return c.Save(ctx)
}

// UpdateType changes a leave type. Its unit, counting and day length stay:
// balances and past requests were counted by them.
func (s *Service) UpdateType(ctx context.Context, in TypeInput) (*ent.LeaveType, error) {
	t, err := s.db(ctx).LeaveType.Get(ctx, deref(in.ID))
	if err != nil {
		return nil, err
	}
	rules := amount.Rules{Unit: amount.Unit(t.Unit), MinutesPerDay: t.MinutesPerDay}
	name, step, grant := t.Name, t.StepMinutes, t.Grant
	if in.Name != nil {
		name = strings.TrimSpace(*in.Name)
	}
	if in.StepMinutes != nil {
		step = *in.StepMinutes
	}
	if in.Grant != nil {
		grant = *in.Grant
	}
	if err := checkType(name, rules, step, in, grant); err != nil {
		return nil, err
	}
	u := t.Update().
		SetName(name).
		SetStepMinutes(step).
		SetGrant(grant).
		SetNillablePaid(in.Paid).
		SetNillableNeedsBalance(in.NeedsBalance).
		SetNillableMaxDaysInAdvance(in.MaxDaysInAdvance).
		SetNillableMaxDaysLate(in.MaxDaysLate).
		SetNillableApprovalTemplateID(in.ApprovalTemplateID).
		SetNillableActive(in.Active)
	if in.Audience != nil {
		u.SetAudience(*in.Audience)
	}
	return u.Save(ctx)
}

// checkType refuses what a leave type cannot be, naming the input.
func checkType(name string, r amount.Rules, step int, in TypeInput, g amount.Grant) error {
	switch {
	case name == "" || len([]rune(name)) > 64:
		return apperr.Input("name", "a name is 1 to 64 characters")
	case step < r.MinStep():
		return apperr.Input("stepMinutes", "a %s type is taken in steps of at least %d minutes", r.Unit, r.MinStep())
	case step%r.MinStep() != 0 && r.Unit != amount.UnitHour:
		return apperr.Input("stepMinutes", "a %s type is taken in multiples of %d minutes", r.Unit, r.MinStep())
	case in.MaxDaysInAdvance != nil && (*in.MaxDaysInAdvance < 0 || *in.MaxDaysInAdvance > 366):
		return apperr.Input("maxDaysInAdvance", "0 to 366 days")
	case in.MaxDaysLate != nil && (*in.MaxDaysLate < 0 || *in.MaxDaysLate > 366):
		return apperr.Input("maxDaysLate", "0 to 366 days")
	}
	return checkGrant(g)
}

func checkGrant(g amount.Grant) error {
	const most = 366 * 24 * 60
	bad := func(v int) bool { return v < 0 || v > most }
	switch {
	case g.Kind == amount.GrantFixed && (bad(g.Minutes) || g.Minutes == 0):
		return apperr.Input("grant", "a fixed grant is a positive number of minutes")
	case g.Kind == amount.GrantByService && len(g.Tiers) == 0:
		return apperr.Input("grant", "a grant by service has tiers")
	case bad(g.CarryOverMinutes) || bad(g.RoundMinutes):
		return apperr.Input("grant", "minutes between 0 and a year")
	}
	seen := map[int]bool{}
	for _, t := range g.Tiers {
		if t.Years < 0 || t.Years > 100 || bad(t.Minutes) || seen[t.Years] {
			return apperr.Input("grant", "tiers have distinct years 0 to 100 and minutes up to a year")
		}
		seen[t.Years] = true
	}
	return nil
}

// Usable reports whether the viewer may take leave of type t.
func Usable(ctx context.Context, t *ent.LeaveType) bool {
	v := viewer.FromContext(ctx)
	return v != nil && v.Kind == viewer.KindMember && t.Active && audience.Contains(t.Audience, v.Facts())
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
