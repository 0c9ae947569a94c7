package attendance

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/checkin"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/attendance/judge"
	"github.com/corpline/corpline/internal/clock"
)

// CheckInInput is a punch as the phone sends it: where, how precisely, and
// what kind. The time is the server's.
type CheckInInput struct {
	Kind      checkin.Kind
	Latitude  float64
	Longitude float64
	Accuracy  float64
	Note      *string
	PhotoRef  *string
}

// CheckIn records a punch of the viewer at the server's time, with its time
// and location results judged by the viewer's rule. A punch away from every
// place of the rule is OUTSIDE (recorded, not counted) unless it is a FIELD
// check-in, which needs a note and is refused when the rule refuses them.
func (s *Service) CheckIn(ctx context.Context, in CheckInInput) (*ent.CheckIn, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case math.IsNaN(in.Latitude) || in.Latitude < -90 || in.Latitude > 90:
		return nil, apperr.Input("latitude", "latitude is -90 to 90 degrees")
	case math.IsNaN(in.Longitude) || in.Longitude < -180 || in.Longitude > 180:
		return nil, apperr.Input("longitude", "longitude is -180 to 180 degrees")
	case math.IsNaN(in.Accuracy) || in.Accuracy < 0 || in.Accuracy > judge.MaxAccuracy:
		return nil, apperr.Input("accuracy", "a position less precise than %d m says nothing about the place", judge.MaxAccuracy)
	}
	note, photo := strings.TrimSpace(deref(in.Note)), strings.TrimSpace(deref(in.PhotoRef))
	if len(note) > 500 {
		return nil, apperr.Input("note", "a note is at most 500 bytes")
	}
	if len(photo) > 500 {
		return nil, apperr.Input("photoRef", "a photo reference is at most 500 bytes")
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	rule := rs.For(v.Facts())
	kind := judge.PunchKind(in.Kind)
	if kind == judge.FieldPunch {
		if rule != nil && rule.Field == judge.FieldRefuse {
			return nil, apperr.E(apperr.Forbidden, "your attendance rule does not allow field check-ins")
		}
		if note == "" {
			return nil, apperr.Input("note", "a field check-in says where and why in a note")
		}
	}
	now := clock.Now(ctx)
	loc := cal.Location()
	day := rule.WorkDate(now, loc)
	timeRes, minutes := rule.JudgeTime(kind, now, day, loc)
	placeRes, place := rule.JudgePlace(kind, in.Latitude, in.Longitude)
	c := s.db(ctx).CheckIn.Create().
		SetMemberID(v.MemberID).
		SetAt(now).
		SetWorkDate(day.String()).
		SetKind(in.Kind).
		SetLatitude(in.Latitude).
		SetLongitude(in.Longitude).
		SetAccuracy(in.Accuracy).
		SetNote(note).
		SetPhotoRef(photo).
		SetTimeResult(checkin.TimeResult(timeRes)).
		SetMinutes(minutes).
		SetLocationResult(checkin.LocationResult(placeRes))
	if rule != nil && rule.ID != "" {
		c.SetRuleID(rule.ID)
	}
	if place != nil {
		c.SetPlaceName(place.Name).
			SetDistance(math.Round(judge.Distance(in.Latitude, in.Longitude, place.Latitude, place.Longitude)*10) / 10)
	}
	row, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("check in: %w", err)
	}
	return row, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
