package announcements

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Input is what an author writes; nil fields of an update stay as they are.
type Input struct {
	Title        *string
	Body         *string
	Category     *string
	Audience     *audience.Audience
	Confidential *bool
}

// Create writes a DRAFT.
func (s *Service) Create(ctx context.Context, in Input) (*ent.Announcement, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	if err := policy.RequireRight(v, viewer.RightManageAnnouncements); err != nil {
		return nil, err
	}
	if in.Title == nil || in.Body == nil || in.Audience == nil {
		return nil, apperr.Input("input", "title, body and audience are required")
	}
	c := s.db(ctx).Announcement.Create().SetAuthorID(v.MemberID)
	if err := s.apply(ctx, in, c.Mutation()); err != nil {
		return nil, err
	}
	now := clock.Now(ctx)
	a, err := c.SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create announcement: %w", err)
	}
	return a, nil
}

// Update changes a DRAFT or SCHEDULED announcement.
func (s *Service) Update(ctx context.Context, id string, in Input) (*ent.Announcement, error) {
	a, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != announcement.StatusDRAFT && a.Status != announcement.StatusSCHEDULED {
		return nil, apperr.E(apperr.Conflict, "a %s announcement is not edited", a.Status)
	}
	u := s.db(ctx).Announcement.UpdateOne(a)
	if err := s.apply(ctx, in, u.Mutation()); err != nil {
		return nil, err
	}
	a, err = u.SetUpdatedAt(clock.Now(ctx)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update announcement: %w", err)
	}
	return a, nil
}

// apply checks in and sets it on m.
func (s *Service) apply(ctx context.Context, in Input, m *ent.AnnouncementMutation) error {
	if in.Title != nil {
		t, err := checkText("title", *in.Title, 1, MaxTitle)
		if err != nil {
			return err
		}
		m.SetTitle(t)
	}
	if in.Body != nil {
		if n := utf8.RuneCountInString(strings.TrimSpace(*in.Body)); n == 0 || n > MaxBody {
			return apperr.Input("body", "body is 1 to %d characters", MaxBody)
		}
		m.SetBody(*in.Body)
	}
	if in.Category != nil {
		c, err := checkText("category", *in.Category, 0, MaxCategory)
		if err != nil {
			return err
		}
		m.SetCategory(c)
	}
	if in.Audience != nil {
		if err := policy.RequireAudienceScope(ctx, s.db(ctx), "audience", *in.Audience); err != nil {
			return err
		}
		m.SetAudience(*in.Audience)
	}
	if in.Confidential != nil {
		if *in.Confidential && in.Audience != nil && in.Audience.Everyone {
			return apperr.Input("confidential", "a confidential announcement names departments, tags or members")
		}
		m.SetConfidential(*in.Confidential)
	}
	return nil
}

// Publish publishes a DRAFT now, or schedules it for at.
func (s *Service) Publish(ctx context.Context, id string, at *time.Time) (*ent.Announcement, error) {
	a, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	now := clock.Now(ctx)
	if at != nil && !at.After(now) {
		return nil, apperr.Input("at", "a schedule is in the future")
	}
	if at != nil && at.Sub(now) > MaxSchedule {
		return nil, apperr.Input("at", "publishing is scheduled at most a year ahead")
	}
	if a.Status != announcement.StatusDRAFT && !(a.Status == announcement.StatusSCHEDULED && at != nil) {
		return nil, apperr.E(apperr.Conflict, "a %s announcement is not published again", a.Status)
	}
	if at != nil {
		a, err = s.db(ctx).Announcement.UpdateOne(a).
			SetStatus(announcement.StatusSCHEDULED).SetPublishAt(*at).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("schedule announcement: %w", err)
		}
		return a, nil
	}
	a, err = markPublished(ctx, s.db(ctx), a, now)
	if err != nil {
		return nil, err
	}
	return a, s.deliver(ctx, s.db(ctx), a)
}

// markPublished makes a PUBLISHED at now, in the transaction of db.
func markPublished(ctx context.Context, db *ent.Client, a *ent.Announcement, now time.Time) (*ent.Announcement, error) {
	a, err := db.Announcement.UpdateOne(a).
		SetStatus(announcement.StatusPUBLISHED).
		SetPublishedAt(now).
		SetUpdatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("publish announcement: %w", err)
	}
	return a, nil
}

// deliver puts a published announcement into its audience's inboxes, in
// the transaction of db.
func (s *Service) deliver(ctx context.Context, db *ent.Client, a *ent.Announcement) error {
	members, err := s.audienceMembers(ctx, db, a)
	if err != nil {
		return err
	}
	if err := s.inbox.Notify(ctx, a.EnterpriseID, notice(a, members)); err != nil {
		return fmt.Errorf("publish announcement: %w", err)
	}
	return nil
}

// Withdraw takes a SCHEDULED or PUBLISHED announcement back; the entries
// about it leave its audience's inboxes.
func (s *Service) Withdraw(ctx context.Context, id string) (*ent.Announcement, error) {
	a, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != announcement.StatusSCHEDULED && a.Status != announcement.StatusPUBLISHED {
		return nil, apperr.E(apperr.Conflict, "a %s announcement is not withdrawn", a.Status)
	}
	now := clock.Now(ctx)
	a, err = s.db(ctx).Announcement.UpdateOne(a).
		SetStatus(announcement.StatusWITHDRAWN).SetWithdrawnAt(now).ClearPinnedUntil().SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("withdraw announcement: %w", err)
	}
	if _, err := s.inbox.Retract(ctx, a.EnterpriseID, retraction(a.ID, nil)); err != nil {
		return nil, fmt.Errorf("withdraw announcement: %w", err)
	}
	return a, nil
}

// Pin pins a PUBLISHED announcement until a future time, or unpins it (nil).
func (s *Service) Pin(ctx context.Context, id string, until *time.Time) (*ent.Announcement, error) {
	a, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != announcement.StatusPUBLISHED {
		return nil, apperr.E(apperr.Conflict, "only a PUBLISHED announcement is pinned; this one is %s", a.Status)
	}
	now := clock.Now(ctx)
	u := s.db(ctx).Announcement.UpdateOne(a).SetUpdatedAt(now)
	switch {
	case until == nil:
		u.ClearPinnedUntil()
	case !until.After(now) || (a.PublishedAt != nil && !until.After(*a.PublishedAt)):
		return nil, apperr.Input("until", "a pin ends in the future, after publishing")
	default:
		u.SetPinnedUntil(*until)
	}
	a, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("pin announcement: %w", err)
	}
	return a, nil
}

// managed reads an announcement the viewer manages: FORBIDDEN without the
// right, NOT_FOUND when they do not see it, FORBIDDEN when they see it (as
// its audience) but do not manage it.
func (s *Service) managed(ctx context.Context, id string) (*ent.Announcement, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	if err := policy.RequireRight(v, viewer.RightManageAnnouncements); err != nil {
		return nil, err
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if p := policy.ManagedAnnouncements(v); p != nil {
		ok, err := s.db(ctx).Announcement.Query().Where(announcement.ID(id), p).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("announcement: %w", err)
		}
		if !ok {
			return nil, apperr.E(apperr.Forbidden, "this announcement is not yours to manage")
		}
	}
	return a, nil
}

func checkText(field, s string, minLen, maxLen int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < minLen {
		return "", apperr.Input(field, "%s is required", field)
	}
	if n > maxLen {
		return "", apperr.Input(field, "%s is at most %d characters", field, maxLen)
	}
	return s, nil
}
