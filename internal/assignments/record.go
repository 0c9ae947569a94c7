package assignments

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/viewer"
)

// record writes the timeline line of a change by the viewer and, for
// members in notify, an inbox entry referencing the assignment: in the
// request's transaction, with the change itself.
func (s *Service) record(ctx context.Context, st *state, kind assignmentevent.Kind, body string, notify []string) error {
	_, err := s.recordEvent(ctx, st, kind, body, notify)
	return err
}

func (s *Service) recordEvent(ctx context.Context, st *state, kind assignmentevent.Kind, body string, notify []string) (*ent.AssignmentEvent, error) {
	v := viewer.FromContext(ctx)
	ev, err := s.db(ctx).AssignmentEvent.Create().
		SetAssignmentID(st.a.ID).
		SetActorID(v.MemberID).
		SetKind(kind).
		SetBody(body).
		SetCreatedAt(clock.Now(ctx)).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("assignment timeline: %w", err)
	}
	err = s.notify.Notify(ctx, st.a.EnterpriseID, messaging.Notice{
		SubjectType: inboxentry.SubjectTypeASSIGNMENT,
		SubjectID:   st.a.ID,
		Event:       string(kind),
		ActorID:     v.MemberID,
		Members:     notify,
	})
	if err != nil {
		return nil, fmt.Errorf("assignment notice: %w", err)
	}
	return ev, nil
}
