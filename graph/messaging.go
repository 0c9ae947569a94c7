package graph

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/app"
	"github.com/corpline/corpline/ent/conversation"
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/inbox"
	"github.com/corpline/corpline/internal/messages"
)

// sendPayload is the answer to a send or a forward.
func sendPayload(res *messages.Result, err error) (*model.SendMessagePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.SendMessagePayload{
		Message:           res.Message,
		RecipientCount:    res.Report.RecipientCount,
		UnknownTargets:    nonNil(res.Report.UnknownTargets),
		OutOfRangeTargets: nonNil(res.Report.OutOfRangeTargets),
		Replayed:          res.Replayed,
	}, nil
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// receiptConnection turns a page of receipts into its GraphQL connection.
func receiptConnection(p *messages.ReceiptPage, err error) (*model.MessageReceiptConnection, error) {
	if err != nil {
		return nil, err
	}
	c := &model.MessageReceiptConnection{Edges: []*model.MessageReceiptEdge{}, PageInfo: &p.PageInfo, TotalCount: p.TotalCount}
	for i := range p.Receipts {
		c.Edges = append(c.Edges, &model.MessageReceiptEdge{Node: &p.Receipts[i], Cursor: p.Cursors[i]})
	}
	return c, nil
}

// unreadApps pairs unread counts with the apps the viewer can see.
func (r *Resolver) unreadApps(ctx context.Context, counts []inbox.UnreadCount) ([]*model.AppUnread, error) {
	byID := map[string]*ent.App{}
	apps, err := r.Client.App.Query().Where(app.IDIn(unreadIDs(counts)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		byID[a.ID] = a
	}
	out := make([]*model.AppUnread, 0, len(counts))
	for _, c := range counts {
		out = append(out, &model.AppUnread{App: byID[c.ID], Count: c.Count})
	}
	return out, nil
}

// unreadConversations pairs unread counts with the viewer's conversations.
func (r *Resolver) unreadConversations(ctx context.Context, counts []inbox.UnreadCount) ([]*model.ConversationUnread, error) {
	byID := map[string]*ent.Conversation{}
	cs, err := r.Client.Conversation.Query().Where(conversation.IDIn(unreadIDs(counts)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := make([]*model.ConversationUnread, 0, len(counts))
	for _, c := range counts {
		out = append(out, &model.ConversationUnread{Conversation: byID[c.ID], Count: c.Count})
	}
	return out, nil
}

func unreadIDs(counts []inbox.UnreadCount) []string {
	out := make([]string, len(counts))
	for i, c := range counts {
		out[i] = c.ID
	}
	return out
}
