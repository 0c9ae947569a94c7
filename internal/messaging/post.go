package messaging

import (
	"context"
	"slices"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/viewer"
)

// Post is a member's message into a conversation.
type Post struct {
	ConversationID string
	// Members are the conversation's current members, the poster included:
	// package conversation decided them.
	Members        []string
	Kind           msgtype.Kind
	Body           msgtype.Body
	IdempotencyKey string
}

// PostKinds are the kinds members post in conversations.
var PostKinds = []msgtype.Kind{msgtype.Text, msgtype.Markdown, msgtype.File, msgtype.Image}

// Post delivers a conversation message to its members, the poster's own
// entry born read so their other devices show it in the same stream.
func (s *Service) Post(ctx context.Context, p Post) (*Result, error) {
	v := viewer.FromContext(ctx)
	if !slices.Contains(PostKinds, p.Kind) {
		return nil, apperr.Input("kind", "conversations carry text, markdown, files and images")
	}
	if err := p.Body.Check(p.Kind); err != nil {
		return nil, err
	}
	body := p.Body
	o := outgoing{kind: p.Kind, body: &body, key: p.IdempotencyKey, conversationID: p.ConversationID}
	hash := o.hash()
	if res, err := s.replay(ctx, v, o.key, hash); res != nil || err != nil {
		return res, err
	}
	if err := s.takeToken(v); err != nil {
		return nil, err
	}
	report := msgtype.Report{RecipientCount: len(p.Members)}
	m, err := s.createMessage(ctx, v, o, report, hash)
	if err != nil {
		return nil, err
	}
	err = s.deliver(ctx, delivery{
		enterpriseID:   v.EnterpriseID,
		message:        m,
		members:        p.Members,
		conversationID: &p.ConversationID,
		readBy:         v.MemberID,
	})
	if err != nil {
		return nil, err
	}
	return &Result{Message: m, Report: report}, nil
}
