// Package auth turns credentials into sessions and tokens into viewers.
//
// Every entry point (HTTP middleware, websocket InitFunc, login) goes through
// Service, so there is one definition of a valid token.
package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Service signs members in and authenticates tokens.
type Service struct {
	client   *ent.Client
	tokenTTL time.Duration
	now      func() time.Time
	perLogin *ratelimit.Limiter
	perAddr  *ratelimit.Limiter
	rechecks rechecker
	cache    *viewerCache // nil: every request reads its viewer
}

// Options tune a Service; zero values take the defaults.
type Options struct {
	TokenTTL time.Duration    // default 30 days
	Now      func() time.Time // default time.Now
	// LoginFailures is how many failed logins one enterprise+login may make per
	// 15 minutes (default 10); an address may make ten times as many.
	LoginFailures int
}

// New returns a Service over client.
func New(client *ent.Client, o Options) *Service {
	if o.TokenTTL == 0 {
		o.TokenTTL = 30 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LoginFailures == 0 {
		o.LoginFailures = 10
	}
	s := &Service{
		client:   client,
		tokenTTL: o.TokenTTL,
		now:      o.Now,
		perLogin: ratelimit.New(o.LoginFailures, 15*time.Minute),
		perAddr:  ratelimit.New(o.LoginFailures*10, 15*time.Minute),
	}
	return s
}

// Credentials are what a login presents.
type Credentials struct {
	Enterprise string
	Login      string
	Password   string
	ClientAddr string
}

// Session is the result of a successful login.
type Session struct {
	Token     string
	ExpiresAt time.Time
	Viewer    *viewer.Viewer
}

// errBadCredentials never says which part was wrong.
var errBadCredentials = apperr.E(apperr.Unauthenticated, "wrong enterprise, login or password")

// Login checks credentials and opens a session.
func (s *Service) Login(ctx context.Context, c Credentials) (*Session, error) {
	loginKey := strings.ToLower(c.Enterprise) + "\x00" + strings.ToLower(strings.TrimSpace(c.Login))
	for _, k := range []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.perLogin, loginKey}, {s.perAddr, c.ClientAddr}} {
		if blocked, wait := k.l.Blocked(ctx, k.key); blocked {
			e := apperr.E(apperr.RateLimited, "too many failed logins; try again later")
			// Whole seconds, rounded up: retrying after that many is never early.
			e.Extra = map[string]any{"retryAfter": max(1, int(math.Ceil(wait.Seconds())))}
			return nil, e
		}
	}
	// Login runs before there is a viewer: the system reads the directory to
	// find the member, and writes the session.
	sys := policy.SystemContext(ctx)
	reclaimed, err := s.client.Enterprise.Query().
		Where(enterprise.Code(c.Enterprise), enterprise.StatusEQ(enterprise.StatusRECLAIMED)).
		Exist(sys)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if reclaimed {
		return nil, errReclaimed
	}
	m, err := s.findMember(sys, c.Enterprise, strings.TrimSpace(c.Login))
	if err != nil {
		return nil, err
	}
	hash := dummyHash
	if m != nil && m.PasswordHash != "" {
		hash = m.PasswordHash
	}
	if !CheckPassword(hash, c.Password) || m == nil || m.PasswordHash == "" {
		s.perLogin.Fail(ctx, loginKey)
		s.perAddr.Fail(ctx, c.ClientAddr)
		return nil, errBadCredentials
	}
	if err := statusError(m.Status); err != nil {
		return nil, err
	}
	s.perLogin.Reset(loginKey)
	return s.OpenSession(ctx, m.ID)
}

// OpenSession signs an ACTIVE member in: a new session and its token. Login
// calls it after checking credentials, activation after matching identity.
func (s *Service) OpenSession(ctx context.Context, memberID string) (*Session, error) {
	v, err := s.LoadViewer(ctx, memberID)
	if err != nil {
		return nil, err
	}
	token, hashed := newToken()
	expires := s.now().Add(s.tokenTTL)
	// Sessions are written by the system: the credentials were checked by the caller.
	ses, err := store.ClientFrom(ctx, s.client).Session.Create().
		SetEnterpriseID(v.EnterpriseID).
		SetMemberID(memberID).
		SetTokenHash(hashed).
		SetExpiresAt(expires).
		Save(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	v.SessionID = ses.ID
	return &Session{Token: token, ExpiresAt: expires, Viewer: v}, nil
}

// statusError is the answer to a member who may not sign in, by status.
func statusError(st member.Status) error {
	switch st {
	case member.StatusACTIVE:
		return nil
	case member.StatusDISABLED:
		return apperr.Because(apperr.Forbidden, apperr.MemberDisabled, "this member is disabled; ask an admin to enable it")
	case member.StatusINVITED:
		return apperr.E(apperr.Forbidden, "this member has not followed the enterprise yet")
	case member.StatusPENDING:
		return apperr.E(apperr.Forbidden, "this member's follow is waiting for the enterprise's approval")
	}
	return apperr.E(apperr.Unauthenticated, "this member can no longer sign in")
}

// errReclaimed answers every call into a reclaimed trial enterprise.
var errReclaimed = apperr.Because(apperr.Forbidden, apperr.EnterpriseReclaimed,
	"this trial enterprise was reclaimed after its 90 days; its data is erased after a grace period")

// findMember looks a login up as userid, then mobile, then email.
func (s *Service) findMember(sys context.Context, code, login string) (*ent.Member, error) {
	if login == "" {
		return nil, nil
	}
	ms, err := s.client.Member.Query().
		Where(
			member.HasEnterpriseWith(enterprise.Code(code)),
			member.Or(member.Userid(login), member.Mobile(login), member.EmailEqualFold(login)),
		).
		Limit(3).
		All(sys)
	if err != nil {
		return nil, fmt.Errorf("login: find member: %w", err)
	}
	for _, pick := range []func(*ent.Member) bool{
		func(m *ent.Member) bool { return m.Userid == login },
		func(m *ent.Member) bool { return m.Mobile != nil && *m.Mobile == login },
		func(m *ent.Member) bool { return m.Email != nil && strings.EqualFold(*m.Email, login) },
	} {
		for _, m := range ms {
			if pick(m) {
				return m, nil
			}
		}
	}
	return nil, nil
}

// Authenticate returns the viewer a bearer token stands for: a member's
// session token, an app's access token or a platform operator's token. A
// token of a disabled member, or of a reclaimed enterprise, is answered with
// that reason's own code (MEMBER_DISABLED, ENTERPRISE_RECLAIMED) rather than
// a bare "invalid token", so clients can tell the person why.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	if isAppToken(token) {
		return s.authenticateApp(ctx, token)
	}
	if strings.HasPrefix(token, operatorTokenPrefix) {
		return s.authenticateOperator(ctx, token)
	}
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, errBadToken
	}
	h := sha256.Sum256([]byte(token))
	if s.cache == nil || uncached(ctx) {
		v, _, err := s.readMemberViewer(ctx, h[:])
		return v, err
	}
	if v, ok := s.cache.get(h, s.now()); ok {
		return v, nil
	}
	// A read may see the state from just before a change whose wake-up
	// comes after it; what it found is stored only if the member's and the
	// enterprise's topics were followed since before the read and stayed
	// quiet. Otherwise follow them now and read again.
	f := s.cache.begin()
	v, expires, err := s.readMemberViewer(ctx, h[:])
	if err != nil || s.cache.settle(&f, h, v, expires, s.now()) {
		return copyViewer(v), err
	}
	v, expires, err = s.readMemberViewer(ctx, h[:])
	if err != nil {
		s.cache.abandon(f)
		return nil, err
	}
	s.cache.put(f, h, v, expires, s.now())
	return copyViewer(v), nil
}

type uncachedKey struct{}

// Uncached makes Authenticate read the viewer of ctx's token from the
// database and leave the cache alone. A websocket authenticates once for a
// connection that may stay open for days, re-checking its viewer at every
// wake-up: caching it would only hold memory per idle subscription.
func Uncached(ctx context.Context) context.Context {
	return context.WithValue(ctx, uncachedKey{}, true)
}

func uncached(ctx context.Context) bool { return ctx.Value(uncachedKey{}) != nil }

// copyViewer gives a request its own copy of a viewer the cache may share.
func copyViewer(v *viewer.Viewer) *viewer.Viewer {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

// CacheViewers makes Authenticate keep the viewers of member sessions in
// this process, following bus for the wake-ups that end them (see
// viewerCache). Call it once, before serving.
func (s *Service) CacheViewers(sub bus.Subscriber, ttl time.Duration) {
	s.cache = newViewerCache(sub, ttl)
}

// CacheWatches counts the bus subscriptions the viewer cache holds (one per
// member and enterprise it has viewers of), for tests that wait for every
// stream's subscription to end.
func (s *Service) CacheWatches() int {
	if s.cache == nil {
		return 0
	}
	return s.cache.watching()
}

// readMemberViewer reads the viewer of the member session whose token
// hashes to hash, and when the session expires.
func (s *Service) readMemberViewer(ctx context.Context, hash []byte) (*viewer.Viewer, time.Time, error) {
	// The token is the credential: the system looks it up before a viewer exists.
	ses, err := s.client.Session.Query().
		Where(session.TokenHash(hash)).
		Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, time.Time{}, errBadToken
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("authenticate: %w", err)
	}
	v, err := s.LoadViewer(ctx, ses.MemberID)
	if err != nil {
		return nil, time.Time{}, err
	}
	if ses.RevokedAt != nil || !ses.ExpiresAt.After(s.now()) {
		return nil, time.Time{}, errBadToken
	}
	v.SessionID = ses.ID
	return v, ses.ExpiresAt, nil
}

// errBadToken never says whether a token was unknown, expired or revoked.
var errBadToken = apperr.E(apperr.Unauthenticated, "invalid or expired token")

// LoadViewer builds the viewer of a member from the database as it is now:
// departments, enterprise setting and admin scope. It fails, with the
// reason's code, for a member who is not ACTIVE or whose enterprise was
// reclaimed. Subscriptions call it again to follow transfers while they run
// (see Recheck, which loads many at once through the same loadViewers).
func (s *Service) LoadViewer(ctx context.Context, memberID string) (*viewer.Viewer, error) {
	vs, err := s.loadViewers(ctx, []string{memberID})
	if err != nil {
		return nil, err
	}
	return viewerOrError(vs[memberID])
}

// AdminOf turns a stored role (with its departments loaded) into viewer.Admin.
func AdminOf(r *ent.AdminRole) *viewer.Admin {
	a := &viewer.Admin{Super: r.Kind == "SUPER", Rights: map[viewer.Right]bool{}}
	for _, right := range r.Rights {
		a.Rights[right] = true
	}
	for _, d := range r.Edges.Departments {
		a.ScopePaths = append(a.ScopePaths, d.Path)
	}
	return a
}

// Logout revokes the session the viewer is using.
func (s *Service) Logout(ctx context.Context) (bool, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.SessionID == "" {
		return false, apperr.ErrUnauthenticated
	}
	if v.Kind == viewer.KindOperator {
		return s.logoutOperator(ctx, v.SessionID)
	}
	n, err := store.ClientFrom(ctx, s.client).Session.Update().
		Where(session.ID(v.SessionID), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(ctx)
	if err != nil {
		return false, fmt.Errorf("logout: %w", err)
	}
	return n > 0, nil
}
