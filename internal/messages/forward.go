package messages

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ForwardInput is what forwardMessage takes.
type ForwardInput struct {
	MessageID      string
	Targets        audience.Audience
	IdempotencyKey string
	Strict         bool
}

// Forward sends a message the viewer can read on to new targets, as a new
// message from the viewer. Members without SEND_MESSAGES forward to named
// members they can see. A confidential message (or a forward of one) is
// forwarded without its content: the new recipients get entries that are
// marked confidential and withheld, and reading them is FORBIDDEN.
func (s *Service) Forward(ctx context.Context, in ForwardInput) (*Result, error) {
	v := viewer.FromContext(ctx)
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members forward messages")
	}
	db := s.db(ctx)
	m, err := db.Message.Get(ctx, in.MessageID)
	if ent.IsNotFound(err) || (err == nil && m.RecalledAt != nil) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "message not found", Field: "messageId"}
	}
	if err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}
	if !sentBy(m, v) {
		held, err := db.InboxEntry.Query().Where(inboxentry.MessageID(m.ID)).Exist(ctx) // own entries only
		if err != nil {
			return nil, fmt.Errorf("forward: %w", err)
		}
		if !held {
			return nil, apperr.E(apperr.Forbidden, "only the sender and the recipients forward a message")
		}
	}
	withhold := m.Confidential || m.Body == nil
	if !policy.CanBroadcast(v) && (in.Targets.Everyone || len(in.Targets.DepartmentIDs) > 0 || len(in.Targets.TagIDs) > 0) {
		return nil, apperr.E(apperr.Forbidden, "members forward to named members; departments, tags and everyone need the SEND_MESSAGES right")
	}
	targets, err := checkTargets(in.Targets, withhold)
	if err != nil {
		return nil, err
	}
	o := outgoing{kind: m.Kind, targets: targets, confidential: withhold, key: in.IdempotencyKey, strict: in.Strict, forwardedFrom: m.ID}
	if !withhold {
		body := *m.Body
		o.body = &body
	}
	return s.broadcast(ctx, v, o)
}
