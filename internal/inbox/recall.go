package inbox

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/policy"
)

// Recall takes m back from every inbox at now. Entries stay as rows,
// marked recalled with a new version, so live subscriptions and ones
// resuming later both learn of it. The caller (its sender) decided it may.
func (s *Service) Recall(ctx context.Context, m *ent.Message, now time.Time) error {
	db := s.db(ctx)
	// Whose entries these are is a tenant-wide read: the sender may recall
	// entries of other inboxes (policy.AllowInboxEntryWrites) but not read them.
	members, err := db.InboxEntry.Query().
		Where(inboxentry.MessageID(m.ID), inboxentry.RecalledAtIsNil()).
		Select(inboxentry.FieldMemberID).
		Strings(policy.TenantRead(ctx))
	if err != nil {
		return fmt.Errorf("recall: %w", err)
	}
	if _, err := s.bump(ctx, m.EnterpriseID, members, false); err != nil {
		return err
	}
	// Each entry takes its member's new version, which bump just wrote.
	err = db.InboxEntry.Update().
		Where(inboxentry.MessageID(m.ID), inboxentry.RecalledAtIsNil()).
		SetRecalledAt(now).
		Modify(setVersionFromCounter).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("recall: %w", err)
	}
	s.publish(ctx, members)
	return nil
}

// setVersionFromCounter sets each updated entry's version to its member's
// counter, which a bump just advanced.
func setVersionFromCounter(u *sql.UpdateBuilder) {
	u.Set(inboxentry.FieldVersion, sql.Expr(fmt.Sprintf("(SELECT %s FROM %s WHERE %s.%s = %s.%s)",
		inboxcounter.FieldVersion, inboxcounter.Table,
		inboxcounter.Table, inboxcounter.FieldMemberID, inboxentry.Table, inboxentry.FieldMemberID)))
}
