package announcements

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/ent/announcementread"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// MarkRead records that the viewer read an announcement they see: the
// first reading decides readAt; on a confidential announcement every
// reading is kept as well.
func (s *Service) MarkRead(ctx context.Context, id string) (*ent.Announcement, error) {
	if _, err := asMember(ctx); err != nil {
		return nil, err
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return a, s.recordRead(ctx, a)
}

// recordRead writes the viewer's reading of a, when it is their first or a
// is confidential.
func (s *Service) recordRead(ctx context.Context, a *ent.Announcement) error {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	first, err := db.AnnouncementRead.Query().
		Where(announcementread.AnnouncementID(a.ID), announcementread.MemberID(v.MemberID)).
		Exist(ctx)
	if err != nil {
		return fmt.Errorf("read announcement: %w", err)
	}
	first = !first
	if !first && !a.Confidential {
		return nil
	}
	c := db.AnnouncementRead.Create().
		SetAnnouncementID(a.ID).
		SetMemberID(v.MemberID).
		SetFirst(first).
		SetCreatedAt(clock.Now(ctx))
	if first {
		c.SetFirstKey(v.MemberID)
	}
	err = c.Exec(ctx)
	if ent.IsConstraintError(err) {
		return nil // read at the same moment on another device: the first stands
	}
	if err != nil {
		return fmt.Errorf("read announcement: %w", err)
	}
	return nil
}

// Body is what the viewer reads of an announcement: reading a confidential
// one is recorded, each time.
func (s *Service) Body(ctx context.Context, a *ent.Announcement) (string, error) {
	if a.Confidential && a.Status == announcement.StatusPUBLISHED {
		if err := s.recordRead(ctx, a); err != nil {
			return "", err
		}
	}
	return a.Body, nil
}

// Watermark is the name a confidential announcement shows across its body,
// so that a screenshot traces back to its reader; nil for others.
func Watermark(ctx context.Context, a *ent.Announcement) *string {
	v := viewer.FromContext(ctx)
	if !a.Confidential || v == nil {
		return nil
	}
	w := v.Name
	if w == "" {
		w = v.MemberID
	}
	return &w
}

// ReadAt is when the viewer first read a, or nil.
func (s *Service) ReadAt(ctx context.Context, a *ent.Announcement) (*time.Time, error) {
	v := viewer.FromContext(ctx)
	r, err := s.db(ctx).AnnouncementRead.Query().
		Where(announcementread.AnnouncementID(a.ID), announcementread.MemberID(v.MemberID), announcementread.First(true)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("announcement read: %w", err)
	}
	return &r.CreatedAt, nil
}

// Manages reports whether the viewer manages a (its author, or an admin
// over the author's departments): readers and unread members are theirs.
func (s *Service) Manages(ctx context.Context, a *ent.Announcement) (bool, error) {
	p := policy.ManagedAnnouncements(viewer.FromContext(ctx))
	if p == nil {
		return true, nil
	}
	return s.db(ctx).Announcement.Query().Where(announcement.ID(a.ID), p).Exist(ctx)
}

// Readings pages the readings of a for a manager (nil otherwise): first
// readings only, or every reading.
func (s *Service) Readings(ctx context.Context, a *ent.Announcement, firstOnly bool, after *entgql.Cursor[string], first *int, before *entgql.Cursor[string], last *int) (*ent.AnnouncementReadConnection, error) {
	if ok, err := s.Manages(ctx, a); err != nil || !ok {
		return nil, err
	}
	q := s.db(ctx).AnnouncementRead.Query().Where(announcementread.AnnouncementID(a.ID))
	if firstOnly {
		q.Where(announcementread.First(true))
	}
	return q.Paginate(ctx, after, first, before, last,
		ent.WithAnnouncementReadOrder(&ent.AnnouncementReadOrder{Direction: entgql.OrderDirectionDesc, Field: ent.AnnouncementReadOrderFieldCreatedAt}))
}

// UnreadMembers pages the active members of a's audience who have not read
// it, for a manager (nil otherwise), as far as the manager sees them.
func (s *Service) UnreadMembers(ctx context.Context, a *ent.Announcement, after *entgql.Cursor[string], first *int, before *entgql.Cursor[string], last *int) (*ent.MemberConnection, error) {
	if ok, err := s.Manages(ctx, a); err != nil || !ok {
		return nil, err
	}
	ps := []predicate.Member{
		member.StatusEQ(member.StatusACTIVE),
		notReadYet(a.ID),
	}
	if a.AuthorID != nil {
		ps = append(ps, member.IDNEQ(*a.AuthorID))
	}
	if p := policy.AudienceMembers(a.Audience); p != nil {
		ps = append(ps, p)
	}
	return s.db(ctx).Member.Query().Where(ps...).Paginate(ctx, after, first, before, last)
}

// notReadYet selects the members without a reading of announcement id. The
// subquery reads the readings table directly: it runs only for managers,
// who see every reading of the announcement anyway.
func notReadYet(id string) predicate.Member {
	return func(s *sql.Selector) {
		t := sql.Table(announcementread.Table)
		s.Where(sql.NotIn(s.C(member.FieldID),
			sql.Select(t.C(announcementread.FieldMemberID)).From(t).
				Where(sql.EQ(t.C(announcementread.FieldAnnouncementID), id))))
	}
}
