package messaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// SendInput is what sendMessage takes.
type SendInput struct {
	Kind         msgtype.Kind
	Body         msgtype.Body
	Targets      audience.Audience
	Confidential bool
	// IdempotencyKey makes a retry within IdempotencyWindow answer with
	// the first attempt's result instead of sending again.
	IdempotencyKey string
	// Strict refuses the whole send when any target is unknown or out of
	// range, instead of reporting it and sending to the rest.
	Strict bool
}

// Result is what a send did.
type Result struct {
	Message *ent.Message
	Report  msgtype.Report
	// Replayed is true when an earlier send with the same idempotency key
	// answered: nothing was sent this time.
	Replayed bool
}

// Send sends a message from an app or an admin holding SEND_MESSAGES to
// targets cut to the sender's range.
func (s *Service) Send(ctx context.Context, in SendInput) (*Result, error) {
	v := viewer.FromContext(ctx)
	if !policy.CanBroadcast(v) {
		return nil, apperr.E(apperr.Forbidden, "sending messages needs an app token or the SEND_MESSAGES right")
	}
	if err := in.Body.Check(in.Kind); err != nil {
		return nil, err
	}
	targets, err := checkTargets(in.Targets, in.Confidential)
	if err != nil {
		return nil, err
	}
	body := in.Body
	return s.broadcast(ctx, v, outgoing{
		kind: in.Kind, body: &body, targets: targets, confidential: in.Confidential,
		key: in.IdempotencyKey, strict: in.Strict,
	})
}

// outgoing is a message about to be broadcast, by Send or Forward.
type outgoing struct {
	kind          msgtype.Kind
	body          *msgtype.Body // nil: content withheld (a confidential forward)
	targets       audience.Audience
	confidential  bool
	key           string
	strict        bool
	forwardedFrom string
	// conversationID is set for a message posted in a conversation.
	conversationID string
}

func (s *Service) broadcast(ctx context.Context, v *viewer.Viewer, o outgoing) (*Result, error) {
	hash := o.hash()
	if res, err := s.replay(ctx, v, o.key, hash); res != nil || err != nil {
		return res, err
	}
	if err := s.takeToken(v); err != nil {
		return nil, err
	}
	r := policy.ReachOf(v)
	res, err := s.resolveTargets(ctx, o.targets, r)
	if err != nil {
		return nil, err
	}
	if err := refuseUnreachable(res, o.strict); err != nil {
		return nil, err
	}
	members, err := s.recipients(ctx, res, r)
	if err != nil {
		return nil, err
	}
	report := msgtype.Report{RecipientCount: len(members), UnknownTargets: res.unknown, OutOfRangeTargets: res.outOfRange}
	m, err := s.createMessage(ctx, v, o, report, hash)
	if err != nil {
		return nil, err
	}
	d := delivery{enterpriseID: v.EnterpriseID, message: m, members: members, withheld: o.body == nil}
	if v.Kind == viewer.KindApp {
		d.appID = &v.AppID
	}
	if err := s.deliver(ctx, d); err != nil {
		return nil, err
	}
	return &Result{Message: m, Report: report}, nil
}

// refuseUnreachable fails a send that would reach no target, or, when
// strict, one that names any target it cannot reach.
func refuseUnreachable(res resolved, strict bool) error {
	extra := map[string]any{"unknownTargets": res.unknown, "outOfRangeTargets": res.outOfRange}
	switch {
	case res.targets.IsEmpty() && len(res.unknown) > 0 && len(res.outOfRange) == 0,
		strict && len(res.unknown) > 0:
		e := apperr.E(apperr.NotFound, "unknown targets: %v", res.unknown)
		e.Field, e.Extra = "targets", extra
		return e
	case res.targets.IsEmpty(), strict && len(res.outOfRange) > 0:
		e := apperr.E(apperr.Forbidden, "targets outside your range: %v", res.outOfRange)
		e.Field, e.Extra = "targets", extra
		return e
	}
	return nil
}

func (s *Service) createMessage(ctx context.Context, v *viewer.Viewer, o outgoing, report msgtype.Report, hash []byte) (*ent.Message, error) {
	c := s.db(ctx).Message.Create().
		SetKind(o.kind).
		SetConfidential(o.confidential).
		SetTargets(o.targets).
		SetReport(report).
		SetSenderRef(policy.SenderRef(v)).
		SetRequestHash(hash).
		SetCreatedAt(s.now())
	if o.body != nil {
		c.SetBody(o.body)
	}
	if o.key != "" {
		c.SetIdempotencyKey(o.key)
	}
	if o.forwardedFrom != "" {
		c.SetForwardedFromID(o.forwardedFrom)
	}
	if o.conversationID != "" {
		c.SetConversationID(o.conversationID)
	}
	if v.Kind == viewer.KindApp {
		c.SetAppID(v.AppID)
	} else {
		c.SetSenderMemberID(v.MemberID)
	}
	m, err := c.Save(ctx)
	if ent.IsConstraintError(err) && o.key != "" {
		return nil, apperr.E(apperr.Conflict, "a send with this idempotency key is in progress; retry to get its result")
	}
	if err != nil {
		return nil, fmt.Errorf("create message: %w", err)
	}
	return m, nil
}

// replay answers a retried send with the first attempt's result. A key
// older than IdempotencyWindow is released for a new send.
func (s *Service) replay(ctx context.Context, v *viewer.Viewer, key string, hash []byte) (*Result, error) {
	if key == "" {
		return nil, nil
	}
	if len(key) > MaxIdempotencyKey {
		return nil, apperr.Input("idempotencyKey", "an idempotency key is at most %d bytes", MaxIdempotencyKey)
	}
	// The sender's own earlier message, found by key whatever has become of
	// it: a sender sees every message it sent, recalled ones included.
	db := s.db(ctx)
	m, err := db.Message.Query().
		Where(message.SenderRef(policy.SenderRef(v)), message.IdempotencyKey(key)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency: %w", err)
	}
	if s.now().Sub(m.CreatedAt) >= IdempotencyWindow {
		if err := db.Message.UpdateOne(m).ClearIdempotencyKey().Exec(ctx); err != nil {
			return nil, fmt.Errorf("idempotency: release key: %w", err)
		}
		return nil, nil
	}
	if !bytes.Equal(m.RequestHash, hash) {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "idempotencyKey",
			Message: "this idempotency key was used for a different message"}
	}
	return &Result{Message: m, Report: m.Report, Replayed: true}, nil
}

// takeToken spends one of the sender's sends, or answers RATE_LIMITED
// with how long to wait: a send is refused whole, never dropped.
func (s *Service) takeToken(v *viewer.Viewer) error {
	if ok, wait := s.senders.Take(policy.SenderRef(v)); !ok {
		e := apperr.E(apperr.RateLimited, "too many messages from this sender; retry later")
		e.Extra = map[string]any{"retryAfterMs": wait.Milliseconds() + 1}
		return e
	}
	return nil
}

// hash identifies a request, so a key reused for a different one is refused.
func (o outgoing) hash() []byte {
	b, _ := json.Marshal(struct {
		Kind          msgtype.Kind
		Body          *msgtype.Body
		Targets       audience.Audience
		Confidential  bool
		Strict        bool
		ForwardedFrom string
		Conversation  string
	}{o.kind, o.body, o.targets, o.confidential, o.strict, o.forwardedFrom, o.conversationID})
	h := sha256.Sum256(b)
	return h[:]
}
