package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/operator"
	"github.com/corpline/corpline/ent/operatorsession"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// operatorTokenPrefix marks platform operators' tokens, which are looked up
// in their own table: an operator belongs to no enterprise.
const operatorTokenPrefix = "clo_"

// OperatorLogin signs a platform operator in.
func (s *Service) OperatorLogin(ctx context.Context, login, password, clientAddr string) (*Session, error) {
	key := "\x00operator\x00" + strings.ToLower(strings.TrimSpace(login))
	for _, k := range []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.perLogin, key}, {s.perAddr, clientAddr}} {
		if blocked, wait := k.l.Blocked(ctx, k.key); blocked {
			e := apperr.E(apperr.RateLimited, "too many failed logins; try again later")
			e.Extra = map[string]any{"retryAfter": int(wait.Seconds()) + 1}
			return nil, e
		}
	}
	// Before there is a viewer, the system looks the operator up.
	sys := policy.SystemContext(ctx)
	op, err := s.client.Operator.Query().Where(operator.Login(strings.TrimSpace(login))).Only(sys)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("operator login: %w", err)
	}
	hash := dummyHash
	if op != nil {
		hash = op.PasswordHash
	}
	if !CheckPassword(hash, password) || op == nil {
		s.perLogin.Fail(ctx, key)
		s.perAddr.Fail(ctx, clientAddr)
		return nil, apperr.E(apperr.Unauthenticated, "wrong login or password")
	}
	s.perLogin.Reset(key)
	token, _ := newToken()
	token = operatorTokenPrefix + strings.TrimPrefix(token, tokenPrefix)
	hashed := HashToken(token)
	expires := s.now().Add(s.tokenTTL)
	ses, err := store.ClientFrom(ctx, s.client).OperatorSession.Create().
		SetOperatorID(op.ID).
		SetTokenHash(hashed).
		SetExpiresAt(expires).
		Save(sys)
	if err != nil {
		return nil, fmt.Errorf("operator login: %w", err)
	}
	return &Session{Token: token, ExpiresAt: expires, Viewer: operatorViewer(op, ses.ID)}, nil
}

func operatorViewer(op *ent.Operator, sessionID string) *viewer.Viewer {
	return &viewer.Viewer{Kind: viewer.KindOperator, OperatorID: op.ID, Name: op.Name, SessionID: sessionID}
}

func (s *Service) authenticateOperator(ctx context.Context, token string) (*viewer.Viewer, error) {
	ses, err := s.client.OperatorSession.Query().
		Where(
			operatorsession.TokenHash(HashToken(token)),
			operatorsession.RevokedAtIsNil(),
			operatorsession.ExpiresAtGT(s.now()),
		).
		WithOperator().
		Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate operator: %w", err)
	}
	return operatorViewer(ses.Edges.Operator, ses.ID), nil
}

func (s *Service) logoutOperator(ctx context.Context, sessionID string) (bool, error) {
	// Operator sessions are the system's rows; the viewer revokes only their own.
	n, err := store.ClientFrom(ctx, s.client).OperatorSession.Update().
		Where(operatorsession.ID(sessionID), operatorsession.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(policy.SystemContext(ctx))
	if err != nil {
		return false, fmt.Errorf("logout: %w", err)
	}
	return n > 0, nil
}
