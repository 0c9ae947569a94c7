package messaging

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Receipts are who has read a message, for its sender and super admins.
type Receipts struct {
	MessageID      string
	RecipientCount int
	ReadCount      int
	UnreadCount    int
}

// Receipt is one recipient's read state.
type Receipt struct {
	MemberID string
	ReadAt   *time.Time
}

// ReceiptPage is one page of recipients.
type ReceiptPage struct {
	Receipts   []Receipt
	Cursors    []entgql.Cursor[string]
	PageInfo   entgql.PageInfo[string]
	TotalCount int
}

// canSeeReceipts: the sender and super admins; recipients only see their own.
func canSeeReceipts(m *ent.Message, v *viewer.Viewer) error {
	if sentBy(m, v) || v.IsSuperAdmin() {
		return nil
	}
	return apperr.E(apperr.Forbidden, "read receipts are for the sender and super admins")
}

// Receipts counts who has and has not read m (recalled entries aside).
func (s *Service) Receipts(ctx context.Context, m *ent.Message) (*Receipts, error) {
	if err := canSeeReceipts(m, viewer.FromContext(ctx)); err != nil {
		return nil, err
	}
	// A tenant-wide count: the sender may count the recipients' entries,
	// not read them (the inbox policy shows each member only their own).
	tenant := policy.TenantRead(ctx)
	q := s.db(ctx).InboxEntry.Query().Where(inboxentry.MessageID(m.ID), inboxentry.RecalledAtIsNil())
	total, err := q.Clone().Count(tenant)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	read, err := q.Clone().Where(inboxentry.ReadAtNotNil()).Count(tenant)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	return &Receipts{MessageID: m.ID, RecipientCount: total, ReadCount: read, UnreadCount: total - read}, nil
}

// ReceiptList pages through m's recipients who have (read) or have not read
// it, in delivery order. The caller got r from Receipts, which authorized it.
func (s *Service) ReceiptList(ctx context.Context, r *Receipts, read bool, after *entgql.Cursor[string], first *int, before *entgql.Cursor[string], last *int) (*ReceiptPage, error) {
	state := inboxentry.ReadAtIsNil()
	if read {
		state = inboxentry.ReadAtNotNil()
	}
	tenant := policy.TenantRead(ctx) // see Receipts
	conn, err := s.db(ctx).InboxEntry.Query().
		Where(inboxentry.MessageID(r.MessageID), inboxentry.RecalledAtIsNil(), state).
		Paginate(tenant, after, first, before, last)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	p := &ReceiptPage{PageInfo: conn.PageInfo, TotalCount: conn.TotalCount}
	for _, e := range conn.Edges {
		p.Receipts = append(p.Receipts, Receipt{MemberID: e.Node.MemberID, ReadAt: e.Node.ReadAt})
		p.Cursors = append(p.Cursors, e.Cursor)
	}
	return p, nil
}
