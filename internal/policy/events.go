package policy

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/event"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/viewer"
)

// EventRetention is how long an event stays readable; older rows exist
// for nobody until they are purged.
const EventRetention = 7 * 24 * time.Hour

// VisibleEvents is the predicate of the events v may read at now: for an
// app, those of the last EventRetention whose subject is a member inside
// its visible range as it is now; for everyone else none. Events are the
// integrator's feed: members read the directory itself.
func VisibleEvents(v *viewer.Viewer, now time.Time) predicate.Event {
	if v.Kind != viewer.KindApp || v.Range == nil {
		return event.IDIn()
	}
	recent := event.OccurredAtGT(now.Add(-EventRetention))
	inRange := AudienceMembers(*v.Range)
	if inRange == nil {
		return recent
	}
	return event.And(recent, predicate.Event(func(s *sql.Selector) {
		t := sql.Table(member.Table)
		sub := sql.Select(t.C(member.FieldID)).From(t)
		inRange(sub)
		s.Where(sql.In(s.C(event.FieldSubjectID), sub))
	}))
}

// FilterVisibleEvents applies VisibleEvents to every event query.
func FilterVisibleEvents() privacy.QueryRule {
	return privacy.EventQueryRuleFunc(func(ctx context.Context, q *ent.EventQuery) error {
		q.Where(VisibleEvents(viewer.FromContext(ctx), clock.Now(ctx)))
		return privacy.Skip
	})
}

// AllowEventAppends lets the writer of a change record its event (the
// tenant wall has already stamped the enterprise); events never change.
func AllowEventAppends() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if m.Op().Is(ent.OpCreate) {
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// SeesAppCallback reports whether v may read where app appID's events are
// delivered: the app itself, its managers and operators. The URL can carry
// a receiver's path secret, so members who merely use the app do not.
func SeesAppCallback(v *viewer.Viewer, appID string) bool {
	return v != nil && (v.Kind == viewer.KindOperator ||
		(v.Kind == viewer.KindApp && v.AppID == appID) ||
		(v.Kind == viewer.KindMember && v.Admin.Can(viewer.RightManageApps)))
}
