package messages

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// Recall takes a message back from every inbox, within RecallWindow of
// sending. Entries stay as rows, marked recalled with a new version, so
// live subscriptions and ones resuming later both learn of it; the content
// is erased. Recalling twice is not an error.
func (s *Service) Recall(ctx context.Context, id string) (*ent.Message, error) {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	m, err := db.Message.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "message not found", Field: "id"}
	}
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	if !sentBy(m, v) {
		return nil, apperr.E(apperr.Forbidden, "only the sender can recall a message")
	}
	if m.RecalledAt != nil {
		return m, nil
	}
	now := s.now()
	if now.Sub(m.CreatedAt) > RecallWindow {
		return nil, apperr.E(apperr.Forbidden, "a message can be recalled only within %s of sending", RecallWindow)
	}
	if err := s.inbox.Recall(ctx, m, now); err != nil {
		return nil, err
	}
	m, err = db.Message.UpdateOne(m).SetRecalledAt(now).ClearBody().Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	return m, nil
}

// sentBy reports whether v sent m.
func sentBy(m *ent.Message, v *viewer.Viewer) bool {
	switch v.Kind {
	case viewer.KindApp:
		return m.AppID != nil && *m.AppID == v.AppID
	case viewer.KindMember:
		return m.SenderMemberID != nil && *m.SenderMemberID == v.MemberID
	}
	return false
}
