package messages

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

// Post delivers a conversation message to its members (through broadcast,
// like every message), the poster's own entry born read so their other
// devices show it in the same stream.
func (s *Service) Post(ctx context.Context, p Post) (*Result, error) {
	v := viewer.FromContext(ctx)
	if !slices.Contains(PostKinds, p.Kind) {
		return nil, apperr.Input("kind", "conversations carry text, markdown, files and images")
	}
	if err := p.Body.Check(p.Kind); err != nil {
		return nil, err
	}
	body := p.Body
	return s.broadcast(ctx, v, outgoing{
		kind: p.Kind, body: &body, key: p.IdempotencyKey,
		conversationID: p.ConversationID, members: p.Members,
	})
}
