package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/app"
	"github.com/corpline/corpline/ent/apptoken"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// AppTokenTTL is how long an app's access token lives. Integrators fetch a
// new one before it ends; older ones stay valid until their own end.
const AppTokenTTL = 2 * time.Hour

// AppCredentials are what an app presents for a token.
type AppCredentials struct {
	Enterprise string
	AppID      string
	Secret     string
	ClientAddr string
}

// AppToken is an issued app access token.
type AppToken struct {
	Token     string
	ExpiresAt time.Time
}

var errBadAppCredentials = apperr.E(apperr.Unauthenticated, "wrong enterprise, app or secret")

// IssueAppToken exchanges an app's secret for an access token valid
// AppTokenTTL. It never touches the app's other tokens, except to sweep
// those already expired.
func (s *Service) IssueAppToken(ctx context.Context, c AppCredentials) (*AppToken, error) {
	key := "app\x00" + c.AppID
	for _, k := range []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.perLogin, key}, {s.perAddr, c.ClientAddr}} {
		if blocked, wait := k.l.Blocked(ctx, k.key); blocked {
			e := apperr.E(apperr.RateLimited, "too many failed attempts; try again later")
			e.Extra = map[string]any{"retryAfter": int(wait.Seconds()) + 1}
			return nil, e
		}
	}
	// The secret is the credential: the system finds the app before any viewer exists.
	sys := policy.SystemContext(ctx)
	a, err := s.client.App.Query().
		Where(app.ID(c.AppID), app.HasEnterpriseWith(enterprise.Code(c.Enterprise))).
		Only(sys)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("app token: %w", err)
	}
	want := dummySecretHash
	if a != nil {
		want = a.SecretHash
	}
	if subtle.ConstantTimeCompare(HashToken(c.Secret), want) != 1 || a == nil {
		s.perLogin.Fail(ctx, key)
		s.perAddr.Fail(ctx, c.ClientAddr)
		return nil, errBadAppCredentials
	}
	s.perLogin.Reset(key)
	if _, err := s.LoadAppViewer(ctx, a.ID); err != nil { // a reclaimed enterprise's apps get no token
		return nil, err
	}
	token, hashed := newTokenWith(appTokenPrefix)
	now := s.now()
	db := store.ClientFrom(ctx, s.client)
	if _, err := db.AppToken.Delete().Where(apptoken.AppID(a.ID), apptoken.ExpiresAtLTE(now)).Exec(sys); err != nil {
		return nil, fmt.Errorf("app token: sweep: %w", err)
	}
	expires := now.Add(AppTokenTTL)
	err = db.AppToken.Create().
		SetEnterpriseID(a.EnterpriseID).
		SetAppID(a.ID).
		SetTokenHash(hashed).
		SetExpiresAt(expires).
		Exec(sys)
	if err != nil {
		return nil, fmt.Errorf("app token: %w", err)
	}
	return &AppToken{Token: token, ExpiresAt: expires}, nil
}

// authenticateApp returns the viewer of an app access token.
func (s *Service) authenticateApp(ctx context.Context, token string) (*viewer.Viewer, error) {
	// The token is the credential: the system looks it up before a viewer exists.
	t, err := s.client.AppToken.Query().
		Where(apptoken.TokenHash(HashToken(token))).
		Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate app: %w", err)
	}
	// The app first: a reclaimed enterprise's app hears why (as members do).
	v, err := s.LoadAppViewer(ctx, t.AppID)
	if err != nil {
		return nil, err
	}
	if !t.ExpiresAt.After(s.now()) {
		return nil, errBadToken
	}
	v.AppTokenID = t.ID
	return v, nil
}

// LoadAppViewer builds the viewer of an app from the database as it is now,
// with its visible range.
func (s *Service) LoadAppViewer(ctx context.Context, appID string) (*viewer.Viewer, error) {
	// Building a viewer is the system's job: it reads the facts access is decided by.
	a, err := s.client.App.Query().Where(app.ID(appID)).WithEnterprise().Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("load app viewer: %w", err)
	}
	if a.Edges.Enterprise.Status == enterprise.StatusRECLAIMED {
		return nil, errReclaimed
	}
	rng := a.VisibleRange
	return &viewer.Viewer{
		Kind:         viewer.KindApp,
		EnterpriseID: a.EnterpriseID,
		AppID:        a.ID,
		Name:         a.Name,
		Range:        &rng,
	}, nil
}

// isAppToken tells app tokens from member session tokens by their prefix.
func isAppToken(token string) bool { return strings.HasPrefix(token, appTokenPrefix) }

// dummySecretHash is compared against when no app matches, so an unknown
// app costs as much as a wrong secret.
var dummySecretHash = HashToken("corpline-timing-equalizer")
