// Package auth turns credentials into sessions and tokens into viewers.
//
// Every entry point (HTTP middleware, websocket InitFunc, login) goes through
// Service, so there is one definition of a valid token.
package auth

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/ratelimit"
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
	s.perLogin.Now, s.perAddr.Now = o.Now, o.Now
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
		if blocked, wait := k.l.Blocked(k.key); blocked {
			e := apperr.E(apperr.RateLimited, "too many failed logins; try again later")
			// Whole seconds, rounded up: retrying after that many is never early.
			e.Extra = map[string]any{"retryAfter": max(1, int(math.Ceil(wait.Seconds())))}
			return nil, e
		}
	}
	// Login runs before there is a viewer: the system reads the directory to
	// find the member, and writes the session.
	sys := policy.SystemContext(ctx)
	m, err := s.findMember(sys, c.Enterprise, strings.TrimSpace(c.Login))
	if err != nil {
		return nil, err
	}
	hash := dummyHash
	if m != nil && m.PasswordHash != "" {
		hash = m.PasswordHash
	}
	if !CheckPassword(hash, c.Password) || m == nil || m.PasswordHash == "" {
		s.perLogin.Fail(loginKey)
		s.perAddr.Fail(c.ClientAddr)
		return nil, errBadCredentials
	}
	switch m.Status {
	case member.StatusDISABLED:
		return nil, apperr.E(apperr.Forbidden, "this member is disabled; ask an admin to enable it")
	case member.StatusINVITED:
		return nil, apperr.E(apperr.Forbidden, "this member has not followed the enterprise yet")
	}
	s.perLogin.Reset(loginKey)
	token, hashed := newToken()
	expires := s.now().Add(s.tokenTTL)
	ses, err := store.ClientFrom(ctx, s.client).Session.Create().
		SetEnterpriseID(m.EnterpriseID).
		SetMemberID(m.ID).
		SetTokenHash(hashed).
		SetExpiresAt(expires).
		Save(sys)
	if err != nil {
		return nil, fmt.Errorf("login: create session: %w", err)
	}
	v, err := s.LoadViewer(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	v.SessionID = ses.ID
	return &Session{Token: token, ExpiresAt: expires, Viewer: v}, nil
}

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

// errBadToken never says whether a token was unknown, expired or revoked.
var errBadToken = apperr.E(apperr.Unauthenticated, "invalid or expired token")

// Authenticate returns the viewer a bearer token stands for: a member's
// session token, or an app's access token.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	if isAppToken(token) {
		return s.authenticateApp(ctx, token)
	}
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, errBadToken
	}
	// The token is the credential: the system looks it up before a viewer exists.
	ses, err := s.client.Session.Query().
		Where(session.TokenHash(HashToken(token)), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
		Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, apperr.E(apperr.Unauthenticated, "invalid or expired token")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	v, err := s.LoadViewer(ctx, ses.MemberID)
	if err != nil {
		return nil, err
	}
	v.SessionID = ses.ID
	return v, nil
}

// LoadViewer builds the viewer of a member from the database as it is now:
// departments, enterprise setting and admin scope. Subscriptions call it
// again to follow transfers while they run.
func (s *Service) LoadViewer(ctx context.Context, memberID string) (*viewer.Viewer, error) {
	// Building a viewer is the system's job: it reads the facts access is decided by.
	m, err := s.memberFacts(memberID).Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, apperr.E(apperr.Unauthenticated, "invalid or expired token")
	}
	if err != nil {
		return nil, fmt.Errorf("load viewer: %w", err)
	}
	return viewerOf(m)
}

// memberFacts queries members with everything their viewer is built from.
func (s *Service) memberFacts(ids ...string) *ent.MemberQuery {
	return s.client.Member.Query().
		Where(member.IDIn(ids...)).
		WithEnterprise().
		WithDepartments().
		WithTags(func(q *ent.TagQuery) { q.Select(tag.FieldID) }).
		WithAdminRoles(func(q *ent.AdminRoleQuery) { q.WithDepartments() })
}

// viewerOf builds the viewer of a member read by memberFacts.
func viewerOf(m *ent.Member) (*viewer.Viewer, error) {
	if m.Status != member.StatusACTIVE {
		return nil, apperr.E(apperr.Unauthenticated, "this member can no longer sign in")
	}
	v := &viewer.Viewer{
		Kind:         viewer.KindMember,
		EnterpriseID: m.EnterpriseID,
		MemberID:     m.ID,
		Name:         m.Name,
		Visibility:   viewer.Visibility(m.Edges.Enterprise.DirectoryVisibility),
	}
	for _, d := range m.Edges.Departments {
		v.DeptPaths = append(v.DeptPaths, d.Path)
	}
	for _, t := range m.Edges.Tags {
		v.TagIDs = append(v.TagIDs, t.ID)
	}
	if len(m.Edges.AdminRoles) > 0 {
		v.Admin = AdminOf(m.Edges.AdminRoles[0])
	}
	return v, nil
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
	n, err := store.ClientFrom(ctx, s.client).Session.Update().
		Where(session.ID(v.SessionID), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(ctx)
	if err != nil {
		return false, fmt.Errorf("logout: %w", err)
	}
	return n > 0, nil
}
