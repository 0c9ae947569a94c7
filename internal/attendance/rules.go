package attendance

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/attendancerule"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance/judge"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/calendar"
)

// MaxPlaces is how many check-in places one rule may have.
const MaxPlaces = 50

// RuleInput creates or changes an attendance rule; nil fields are left as
// they are (on create: their defaults).
type RuleInput struct {
	ID                 *string
	Name               *string
	Audience           *audience.Audience
	Priority           *int
	Kind               *attendancerule.Kind
	OnDuty             *string
	OffDuty            *string
	LateGraceMinutes   *int
	EarlyGraceMinutes  *int
	SeriousLateMinutes *int
	LunchStart         *string
	LunchEnd           *string
	CoreStart          *string
	CoreEnd            *string
	RequiredMinutes    *int
	DayStartsAt        *string
	Places             []judge.Place
	FieldCheckIn       *attendancerule.FieldCheckIn
	CheckInOnLeave     *bool
}

// CreateRule creates a rule (admins holding MANAGE_ATTENDANCE, by policy).
func (s *Service) CreateRule(ctx context.Context, in RuleInput) (*ent.AttendanceRule, error) {
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, apperr.Input("name", "a rule has a name")
	}
	if in.Kind == nil {
		return nil, apperr.Input("kind", "a rule has a kind")
	}
	if in.Audience == nil {
		return nil, apperr.Input("audience", "a rule has an audience")
	}
	c := s.db(ctx).AttendanceRule.Create().SetName(*in.Name).SetAudience(*in.Audience).SetKind(*in.Kind).SetPlaces([]judge.Place{})
	applyRule(c.Mutation(), in)
	if err := checkRule(c.Mutation()); err != nil {
		return nil, err
	}
	return c.Save(ctx)
}

// UpdateRule changes a rule.
func (s *Service) UpdateRule(ctx context.Context, in RuleInput) (*ent.AttendanceRule, error) {
	if in.ID == nil {
		return nil, apperr.Input("id", "which rule")
	}
	if _, err := s.db(ctx).AttendanceRule.Get(ctx, *in.ID); err != nil {
		return nil, err
	}
	u := s.db(ctx).AttendanceRule.UpdateOneID(*in.ID)
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return nil, apperr.Input("name", "a rule has a name")
		}
		u.SetName(*in.Name)
	}
	if in.Audience != nil {
		u.SetAudience(*in.Audience)
	}
	if in.Kind != nil {
		u.SetKind(*in.Kind)
	}
	applyRule(u.Mutation(), in)
	// The rule as it would be after the change must hold together.
	old, err := s.db(ctx).AttendanceRule.Get(ctx, *in.ID)
	if err != nil {
		return nil, err
	}
	if err := checkRule(merged(old, u.Mutation())); err != nil {
		return nil, err
	}
	return u.Save(ctx)
}

func applyRule(m *ent.AttendanceRuleMutation, in RuleInput) {
	setStr := func(p *string, set func(string), clear func()) {
		switch {
		case p == nil:
		case *p == "":
			clear()
		default:
			set(*p)
		}
	}
	if in.Priority != nil {
		m.SetPriority(*in.Priority)
	}
	setStr(in.OnDuty, m.SetOnDuty, m.ClearOnDuty)
	setStr(in.OffDuty, m.SetOffDuty, m.ClearOffDuty)
	setStr(in.LunchStart, m.SetLunchStart, m.ClearLunchStart)
	setStr(in.LunchEnd, m.SetLunchEnd, m.ClearLunchEnd)
	setStr(in.CoreStart, m.SetCoreStart, m.ClearCoreStart)
	setStr(in.CoreEnd, m.SetCoreEnd, m.ClearCoreEnd)
	if in.DayStartsAt != nil {
		m.SetDayStartsAt(*in.DayStartsAt)
	}
	for _, f := range []struct {
		v   *int
		set func(int)
	}{
		{in.LateGraceMinutes, m.SetLateGraceMinutes}, {in.EarlyGraceMinutes, m.SetEarlyGraceMinutes},
		{in.SeriousLateMinutes, m.SetSeriousLateMinutes}, {in.RequiredMinutes, m.SetRequiredMinutes},
	} {
		if f.v != nil {
			f.set(*f.v)
		}
	}
	if in.Places != nil {
		m.SetPlaces(in.Places)
	}
	if in.FieldCheckIn != nil {
		m.SetFieldCheckIn(*in.FieldCheckIn)
	}
	if in.CheckInOnLeave != nil {
		m.SetCheckInOnLeave(*in.CheckInOnLeave)
	}
}

// merged is old with the mutation's changes applied, for checking.
func merged(old *ent.AttendanceRule, m *ent.AttendanceRuleMutation) *ent.AttendanceRuleMutation {
	out := old.Update().Mutation()
	out.SetKind(old.Kind)
	out.SetDayStartsAt(old.DayStartsAt)
	out.SetPlaces(old.Places)
	for _, f := range []struct {
		v   *string
		set func(string)
	}{{old.OnDuty, out.SetOnDuty}, {old.OffDuty, out.SetOffDuty}, {old.LunchStart, out.SetLunchStart},
		{old.LunchEnd, out.SetLunchEnd}, {old.CoreStart, out.SetCoreStart}, {old.CoreEnd, out.SetCoreEnd}} {
		if f.v != nil {
			f.set(*f.v)
		}
	}
	for _, name := range m.Fields() {
		v, _ := m.Field(name)
		_ = out.SetField(name, v)
	}
	for _, name := range m.ClearedFields() {
		_ = out.ClearField(name)
	}
	return out
}

// checkRule refuses a rule that cannot judge a day, naming the input.
func checkRule(m *ent.AttendanceRuleMutation) error {
	kind, _ := m.Kind()
	clock := func(field string, get func() (string, bool), required bool) (int, bool, error) {
		s, ok := get()
		if !ok {
			if required {
				return 0, false, apperr.Input(field, "a %s rule needs %s", kind, field)
			}
			return 0, false, nil
		}
		v, err := calendar.ParseClock(s)
		if err != nil {
			return 0, false, apperr.Input(field, "%s", err.Error())
		}
		return v, true, nil
	}
	fixed, flexible := kind == attendancerule.KindFIXED, kind == attendancerule.KindFLEXIBLE
	on, _, err := clock("onDuty", m.OnDuty, fixed)
	if err != nil {
		return err
	}
	off, _, err := clock("offDuty", m.OffDuty, fixed)
	if err != nil {
		return err
	}
	ls, hasLS, err := clock("lunchStart", m.LunchStart, false)
	if err != nil {
		return err
	}
	le, hasLE, err := clock("lunchEnd", m.LunchEnd, hasLS)
	if err != nil {
		return err
	}
	if hasLE && !hasLS {
		return apperr.Input("lunchStart", "a lunch break has a start and an end")
	}
	if hasLS && le < ls {
		return apperr.Input("lunchEnd", "lunch ends after it starts")
	}
	if _, _, err := clock("coreStart", m.CoreStart, flexible); err != nil {
		return err
	}
	if _, _, err := clock("coreEnd", m.CoreEnd, flexible); err != nil {
		return err
	}
	dayStart, _, err := clock("dayStartsAt", m.DayStartsAt, false)
	if err != nil {
		return err
	}
	if fixed && on == off {
		return apperr.Input("offDuty", "off duty is not on duty")
	}
	if fixed && off < on && (dayStart <= off || dayStart > on) {
		return apperr.Input("dayStartsAt", "a shift ending after midnight needs its day to start between its off duty (%s) and on duty (%s) times",
			calendar.Clock(off), calendar.Clock(on))
	}
	if fixed && off > on && dayStart > on {
		return apperr.Input("dayStartsAt", "the attendance day must start no later than on duty")
	}
	for _, f := range []string{attendancerule.FieldLateGraceMinutes, attendancerule.FieldEarlyGraceMinutes, attendancerule.FieldSeriousLateMinutes, attendancerule.FieldRequiredMinutes} {
		if v, ok := m.Field(f); ok && (v.(int) < 0 || v.(int) > 24*60) {
			return apperr.Input(fieldName(f), "minutes between 0 and 1440")
		}
	}
	places, _ := m.Places()
	if len(places) > MaxPlaces {
		return apperr.Input("places", "at most %d places", MaxPlaces)
	}
	for _, p := range places {
		if !judge.ValidPosition(p.Latitude, p.Longitude) {
			return apperr.Input("places", "coordinates out of range: latitude -90..90, longitude -180..180")
		}
		if p.Radius < 10 || p.Radius > 10000 {
			return apperr.Input("places", "a radius is 10 to 10,000 meters")
		}
		if strings.TrimSpace(p.Name) == "" {
			return apperr.Input("places", "a place has a name")
		}
	}
	return nil
}

// fieldName is the API name of a rule column.
func fieldName(column string) string {
	parts := strings.Split(column, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// toJudge turns a stored rule into what package judge computes with.
func toJudge(r *ent.AttendanceRule) *judge.Rule {
	clock := func(p *string) int {
		if p == nil {
			return 0
		}
		v, _ := calendar.ParseClock(*p)
		return v
	}
	ds, _ := calendar.ParseClock(r.DayStartsAt)
	return &judge.Rule{
		ID: r.ID, Kind: judge.Kind(r.Kind),
		OnDuty: clock(r.OnDuty), OffDuty: clock(r.OffDuty),
		LateGrace: r.LateGraceMinutes, EarlyGrace: r.EarlyGraceMinutes, SeriousLate: r.SeriousLateMinutes,
		LunchStart: clock(r.LunchStart), LunchEnd: clock(r.LunchEnd),
		CoreStart: clock(r.CoreStart), CoreEnd: clock(r.CoreEnd), RequiredMinutes: r.RequiredMinutes,
		DayStart: ds, Places: r.Places, Field: judge.FieldPolicy(r.FieldCheckIn), CheckInOnLeave: r.CheckInOnLeave,
	}
}

// rules are an enterprise's rules, highest priority first, then newest.
type rules []*ent.AttendanceRule

func (s *Service) rules(ctx context.Context) (rules, error) {
	rs, err := s.db(ctx).AttendanceRule.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	slices.SortStableFunc(rs, func(a, b *ent.AttendanceRule) int {
		if a.Priority != b.Priority {
			return b.Priority - a.Priority
		}
		return strings.Compare(b.ID, a.ID)
	})
	return rs, nil
}

// For is the rule of the member described by f, or nil.
func (rs rules) For(f audience.Facts) *judge.Rule {
	for _, r := range rs {
		if audience.Contains(r.Audience, f) {
			return toJudge(r)
		}
	}
	return nil
}
