package policy

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/ent/announcementread"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/viewer"
)

// ManagedAnnouncements is the predicate of the announcements v manages
// (edits, publishes, follows the reading of): every one for a super admin,
// for a scoped admin holding MANAGE_ANNOUNCEMENTS those whose author belongs
// to their subtrees, and for anyone else their own. It is nil for all.
func ManagedAnnouncements(v *viewer.Viewer) predicate.Announcement {
	switch {
	case v == nil || v.Kind != viewer.KindMember:
		return announcement.IDIn()
	case v.IsSuperAdmin():
		return nil
	case v.Admin.Can(viewer.RightManageAnnouncements):
		return announcement.Or(announcement.AuthorID(v.MemberID), announcement.HasAuthorWith(MembersInScope(v)))
	}
	return announcement.AuthorID(v.MemberID)
}

// InAudienceNow is the predicate of the published announcements whose
// audience holds the member v describes, as v is now: a viewer is loaded
// afresh for each request and re-checked on live connections after a
// transfer, so audiences are never a snapshot.
func InAudienceNow(f audience.Facts) predicate.Announcement {
	return announcement.And(
		announcement.StatusEQ(announcement.StatusPUBLISHED),
		predicate.Announcement(AudienceIncludes(announcement.FieldAudience, f)),
	)
}

// VisibleAnnouncements is the predicate of the announcements v may see:
// published ones whose audience holds v now, and those v manages. Apps and
// operators see none. It is nil for all.
func VisibleAnnouncements(v *viewer.Viewer) predicate.Announcement {
	if v == nil || v.Kind != viewer.KindMember {
		return announcement.IDIn()
	}
	managed := ManagedAnnouncements(v)
	if managed == nil {
		return nil
	}
	return announcement.Or(InAudienceNow(v.Facts()), managed)
}

// FilterVisibleAnnouncements applies VisibleAnnouncements to every announcement query.
func FilterVisibleAnnouncements() privacy.QueryRule {
	return privacy.AnnouncementQueryRuleFunc(func(ctx context.Context, q *ent.AnnouncementQuery) error {
		if p := VisibleAnnouncements(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterAnnouncementWrites lets admins holding MANAGE_ANNOUNCEMENTS write
// announcements in their own name and change those they manage.
func FilterAnnouncementWrites() privacy.MutationRule {
	return privacy.AnnouncementMutationRuleFunc(func(ctx context.Context, m *ent.AnnouncementMutation) error {
		v := viewer.FromContext(ctx)
		if err := RequireRight(v, viewer.RightManageAnnouncements); err != nil {
			return privacy.Denyf("%w", err)
		}
		if m.Op().Is(ent.OpCreate) {
			if id, ok := m.AuthorID(); !ok || id != v.MemberID {
				return denyForbidden()
			}
			return privacy.Skip
		}
		if p := ManagedAnnouncements(v); p != nil {
			m.Where(p)
		}
		return privacy.Skip
	})
}

// VisibleAnnouncementReads is the predicate of the readings v may see: their
// own, and all those of the announcements v manages.
func VisibleAnnouncementReads(v *viewer.Viewer) predicate.AnnouncementRead {
	if v == nil || v.Kind != viewer.KindMember {
		return announcementread.IDIn()
	}
	managed := ManagedAnnouncements(v)
	if managed == nil {
		return nil
	}
	return announcementread.Or(
		announcementread.And(announcementread.MemberID(v.MemberID), announcementread.HasAnnouncementWith(VisibleAnnouncements(v))),
		announcementread.HasAnnouncementWith(managed),
	)
}

// FilterVisibleAnnouncementReads applies VisibleAnnouncementReads to every query of readings.
func FilterVisibleAnnouncementReads() privacy.QueryRule {
	return privacy.AnnouncementReadQueryRuleFunc(func(ctx context.Context, q *ent.AnnouncementReadQuery) error {
		if p := VisibleAnnouncementReads(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterAnnouncementReadWrites lets a member record only their own reading,
// of an announcement they see; readings are never changed or deleted.
func FilterAnnouncementReadWrites() privacy.MutationRule {
	return privacy.AnnouncementReadMutationRuleFunc(func(ctx context.Context, m *ent.AnnouncementReadMutation) error {
		v := viewer.FromContext(ctx)
		if !m.Op().Is(ent.OpCreate) {
			return denyForbidden()
		}
		member, _ := m.MemberID()
		id, ok := m.AnnouncementID()
		if !ok || member != v.MemberID {
			return denyForbidden()
		}
		seen, err := m.Client().Announcement.Query().Where(announcement.ID(id)).Exist(ctx)
		if err != nil {
			return privacy.Denyf("announcement reads: %v", err)
		}
		if !seen {
			return denyForbidden()
		}
		return privacy.Skip
	})
}

// RequireAudienceScope fails with FORBIDDEN unless v may address a: a super
// admin anyone; a scoped admin only departments inside their subtrees,
// members they manage and tags whose members are all theirs, never the
// whole enterprise. Unknown or invisible targets are NOT_FOUND, naming field.
func RequireAudienceScope(ctx context.Context, c *ent.Client, field string, a audience.Audience) error {
	v := viewer.FromContext(ctx)
	if !a.Everyone && len(a.DepartmentIDs)+len(a.TagIDs)+len(a.MemberIDs) == 0 {
		return apperr.Input(field, "an audience needs everyone, or departments, tags or members")
	}
	roots, limited := scopeOf(v)
	if a.Everyone && limited {
		return apperr.E(apperr.Forbidden, "only a super admin addresses the whole enterprise")
	}
	if len(a.DepartmentIDs) > 0 {
		ds, err := c.Department.Query().Where(department.IDIn(a.DepartmentIDs...)).All(ctx)
		if err != nil {
			return fmt.Errorf("audience scope: %w", err)
		}
		if len(ds) != len(dedupe(a.DepartmentIDs)) {
			return &apperr.Error{Code: apperr.NotFound, Message: "an audience department does not exist", Field: field}
		}
		for _, d := range ds {
			if limited && !viewer.UnderAny(d.Path, roots) {
				return apperr.E(apperr.Forbidden, "department %s is outside the subtrees you manage", d.ID)
			}
		}
	}
	if len(a.MemberIDs) > 0 {
		q := c.Member.Query().Where(member.IDIn(a.MemberIDs...))
		n, err := q.Count(ctx)
		if err != nil {
			return fmt.Errorf("audience scope: %w", err)
		}
		if n != len(dedupe(a.MemberIDs)) {
			return &apperr.Error{Code: apperr.NotFound, Message: "an audience member does not exist", Field: field}
		}
		if p := MembersInScope(v); p != nil {
			in, err := c.Member.Query().Where(member.IDIn(a.MemberIDs...), p).Count(ctx)
			if err != nil {
				return fmt.Errorf("audience scope: %w", err)
			}
			if in != n {
				return apperr.E(apperr.Forbidden, "an audience member is outside the subtrees you manage")
			}
		}
	}
	if len(a.TagIDs) > 0 {
		n, err := c.Tag.Query().Where(tag.IDIn(a.TagIDs...)).Count(ctx)
		if err != nil {
			return fmt.Errorf("audience scope: %w", err)
		}
		if n != len(dedupe(a.TagIDs)) {
			return &apperr.Error{Code: apperr.NotFound, Message: "an audience tag does not exist", Field: field}
		}
		if p := tagsInScope(v); p != nil {
			in, err := c.Tag.Query().Where(tag.IDIn(a.TagIDs...), p).Count(ctx)
			if err != nil {
				return fmt.Errorf("audience scope: %w", err)
			}
			if in != n {
				return apperr.E(apperr.Forbidden, "an audience tag has members outside the subtrees you manage")
			}
		}
	}
	return nil
}
