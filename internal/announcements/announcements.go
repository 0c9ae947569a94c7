// Package announcements holds the rules of news and announcements (新闻公告).
//
// An admin holding MANAGE_ANNOUNCEMENTS writes an announcement for an
// audience inside their scope (the whole enterprise for super admins only)
// as a DRAFT, then publishes it now (PUBLISHED) or at a time (SCHEDULED:
// the publishing job publishes it then, exactly once whatever the number of
// server processes), and may withdraw it (WITHDRAWN) or pin it until a time.
//
// The audience is evaluated at every read, never snapshotted: who sees a
// published announcement is policy.VisibleAnnouncements of the viewer as
// they are now. Publishing puts an inbox entry referencing the announcement
// into each active audience member's inbox; when a member's departments
// change, Reconcile brings their inbox in line in the same transaction
// (entries of announcements they no longer see are retracted, those of
// recent ones they now see arrive), so open inbox subscriptions follow a
// transfer live.
//
// Reading is recorded per member (AnnouncementRead: the first reading,
// and every reading of a confidential announcement), which feeds readAt,
// readers and unreadMembers.
package announcements

import (
	"context"
	"sync"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Limits of an announcement.
const (
	MaxTitle    = 200    // characters
	MaxBody     = 50_000 // characters
	MaxCategory = 50     // characters
	// MaxSchedule is how far ahead publishing can be scheduled.
	MaxSchedule = 365 * 24 * time.Hour
	// ArrivalWindow is how old a published announcement may be and still
	// arrive in the inbox of a member who joins its audience later (it is
	// in their announcements list whatever its age).
	ArrivalWindow = 30 * 24 * time.Hour
)

// EventPublished is the inbox entries' subjectEvent of an announcement.
const EventPublished = "PUBLISHED"

// Inbox is what the package needs of the inbox (messaging.Service).
type Inbox interface {
	Notify(ctx context.Context, enterpriseID string, n messaging.Notice) error
	Retract(ctx context.Context, enterpriseID string, r messaging.Retraction) ([]string, error)
}

// Service applies the announcement rules.
type Service struct {
	client *ent.Client
	inbox  Inbox
	pub    bus.Publisher

	mu      sync.Mutex
	pending map[*ent.Tx]*pending // reconciliations waiting for their commit
}

// New returns a Service.
func New(client *ent.Client, inbox Inbox, pub bus.Publisher) *Service {
	return &Service{client: client, inbox: inbox, pub: pub}
}

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

func asMember(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members read and write announcements")
	}
	return v, nil
}

// load reads an announcement the viewer sees, NOT_FOUND otherwise.
func (s *Service) load(ctx context.Context, id string) (*ent.Announcement, error) {
	a, err := s.db(ctx).Announcement.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "announcement not found", Field: "id"}
	}
	return a, err
}
