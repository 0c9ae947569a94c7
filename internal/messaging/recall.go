package messaging

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
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
	// Whose entries these are is a tenant-wide read: the sender may recall
	// entries of other inboxes (policy.AllowInboxEntryWrites) but not read them.
	members, err := db.InboxEntry.Query().
		Where(inboxentry.MessageID(m.ID), inboxentry.RecalledAtIsNil()).
		Select(inboxentry.FieldMemberID).
		Strings(policy.TenantRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	if _, err := s.bump(ctx, m.EnterpriseID, members, false); err != nil {
		return nil, err
	}
	// Each entry takes its member's new version, which bump just wrote.
	err = db.InboxEntry.Update().
		Where(inboxentry.MessageID(m.ID), inboxentry.RecalledAtIsNil()).
		SetRecalledAt(now).
		Modify(setVersionFromCounter).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	m, err = db.Message.UpdateOne(m).SetRecalledAt(now).ClearBody().Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	s.publish(ctx, members)
	return m, nil
}

// setVersionFromCounter sets each updated entry's version to its member's
// counter, which a bump just advanced.
func setVersionFromCounter(u *sql.UpdateBuilder) {
	u.Set(inboxentry.FieldVersion, sql.Expr(fmt.Sprintf("(SELECT %s FROM %s WHERE %s.%s = %s.%s)",
		inboxcounter.FieldVersion, inboxcounter.Table,
		inboxcounter.Table, inboxcounter.FieldMemberID, inboxentry.Table, inboxentry.FieldMemberID)))
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
