// Package apps holds the rules of enterprise apps beyond one builder chain:
// a visible range that names real departments, tags and members, a scoped
// admin who may only give an app a range inside their own scope, and secrets
// that are shown once and stored hashed.
//
// Who may write apps at all (MANAGE_APPS) is the ent policy's decision; who
// sees them is policy.VisibleApps.
package apps

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/apptoken"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/events"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Service applies app rules over an ent client.
type Service struct {
	client *ent.Client
}

// New returns a Service over client.
func New(client *ent.Client) *Service { return &Service{client: client} }

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// Input is what creating an app takes; on update, nil fields stay as they are.
type Input struct {
	Name         *string
	Description  *string
	VisibleRange *audience.Audience
	// EventTypes replaces the app's event subscriptions (update only).
	EventTypes []string
	// CallbackURL sets where events are delivered; "" clears it (update only).
	CallbackURL *string
}

// Create adds an app and returns it with its secret, which is shown only now.
func (s *Service) Create(ctx context.Context, in Input) (*ent.App, string, error) {
	if in.Name == nil || in.VisibleRange == nil {
		return nil, "", apperr.Input("name", "an app needs a name and a visible range")
	}
	if err := checkText(in); err != nil {
		return nil, "", err
	}
	rng, err := s.checkRange(ctx, *in.VisibleRange)
	if err != nil {
		return nil, "", err
	}
	secret, hash := auth.NewAppSecret()
	a, err := s.db(ctx).App.Create().
		SetName(strings.TrimSpace(*in.Name)).
		SetNillableDescription(in.Description).
		SetVisibleRange(rng).
		SetSecretHash(hash).
		Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("create app: %w", err)
	}
	return a, secret, nil
}

// Update renames an app, changes its visible range, its event types or its
// callback URL.
func (s *Service) Update(ctx context.Context, id string, in Input) (*ent.App, error) {
	if err := checkText(in); err != nil {
		return nil, err
	}
	a, err := s.manageable(ctx, id)
	if err != nil {
		return nil, err
	}
	u := s.db(ctx).App.UpdateOne(a).SetNillableDescription(in.Description)
	if in.Name != nil {
		u.SetName(strings.TrimSpace(*in.Name))
	}
	if in.VisibleRange != nil {
		rng, err := s.checkRange(ctx, *in.VisibleRange)
		if err != nil {
			return nil, err
		}
		u.SetVisibleRange(rng)
	}
	if in.EventTypes != nil {
		types, err := events.CheckTypes("eventTypes", in.EventTypes)
		if err != nil {
			return nil, err
		}
		u.SetEventTypes(types)
	}
	if in.CallbackURL != nil {
		if err := checkCallbackURL(*in.CallbackURL); err != nil {
			return nil, err
		}
		u.SetCallbackURL(*in.CallbackURL)
	}
	a, err = u.Save(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// RotateSecret gives an app a new secret and ends every token of the old
// one: rotating is what an admin does when a secret leaked, and a token
// minted with a leaked secret is as leaked as the secret.
func (s *Service) RotateSecret(ctx context.Context, id string) (*ent.App, string, error) {
	a, err := s.manageable(ctx, id)
	if err != nil {
		return nil, "", err
	}
	secret, hash := auth.NewAppSecret()
	a, err = s.db(ctx).App.UpdateOne(a).SetSecretHash(hash).Save(ctx)
	if err != nil {
		return nil, "", notFound(err)
	}
	if _, err := s.db(ctx).AppToken.Delete().Where(apptoken.AppID(a.ID)).Exec(ctx); err != nil {
		return nil, "", fmt.Errorf("rotate app secret: %w", err)
	}
	return a, secret, nil
}

// manageable loads an app the viewer may change: a scoped admin only an app
// whose whole range lies inside their scope.
func (s *Service) manageable(ctx context.Context, id string) (*ent.App, error) {
	if v := viewer.FromContext(ctx); v.Kind != viewer.KindOperator && !v.Admin.Can(viewer.RightManageApps) {
		return nil, apperr.ErrForbidden
	}
	a, err := s.db(ctx).App.Get(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.insideScope(ctx, a.VisibleRange); err != nil {
		return nil, apperr.E(apperr.Forbidden, "this app reaches outside your scope")
	}
	return a, nil
}

// checkCallbackURL accepts "" (no callback) or an absolute https URL: events
// carry directory data, which never travels in the clear.
func checkCallbackURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(raw) > 2048 {
		return apperr.Input("callbackUrl", "a callback URL is an absolute https URL without credentials")
	}
	return nil
}

func checkText(in Input) error {
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		if n == "" || len([]rune(n)) > 100 {
			return apperr.Input("name", "an app's name is 1 to 100 characters")
		}
	}
	if in.Description != nil && len([]rune(*in.Description)) > 500 {
		return apperr.Input("description", "an app's description is at most 500 characters")
	}
	return nil
}

func notFound(err error) error {
	if ent.IsNotFound(err) {
		return &apperr.Error{Code: apperr.NotFound, Message: "app not found", Field: "id"}
	}
	return err
}
