// Package conversation holds the rules of members talking to each other:
// one direct conversation per pair, groups of members who can all see each
// other, membership changes, and posting into the members' inboxes (through
// package messaging, so conversations share the one inbox stream).
package conversation

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/corpline/corpline/ent"
	entconv "github.com/corpline/corpline/ent/conversation"
	"github.com/corpline/corpline/ent/conversationmember"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// MaxMembers is the size limit of a group conversation.
const MaxMembers = 100

// Service applies conversation rules.
type Service struct {
	client *ent.Client
	auth   *auth.Service
	msgs   *messaging.Service
}

// New returns a Service.
func New(client *ent.Client, authn *auth.Service, msgs *messaging.Service) *Service {
	return &Service{client: client, auth: authn, msgs: msgs}
}

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// member returns the viewer when it is a member: apps and operators do not talk.
func asMember(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members take part in conversations")
	}
	return v, nil
}

// Create starts a conversation of the viewer with others. A DIRECT one is
// with exactly one other member and exists once per pair: creating it again
// returns the existing one (created is then false).
func (s *Service) Create(ctx context.Context, kind entconv.Kind, others []string, title string) (c *ent.Conversation, created bool, err error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, false, err
	}
	title = strings.TrimSpace(title)
	if len([]rune(title)) > 100 {
		return nil, false, apperr.Input("title", "a title is at most 100 characters")
	}
	members := dedupe(append([]string{v.MemberID}, others...))
	var key *string
	switch kind {
	case entconv.KindDIRECT:
		if len(members) != 2 {
			return nil, false, apperr.Input("memberIds", "a direct conversation is with exactly one other member")
		}
		k := members[0] + "|" + members[1] // sorted by dedupe
		key = &k
		// A tenant-wide read: the pair's conversation exists once, whether
		// or not the viewer is still in it, and the viewer is one of the pair.
		existing, err := s.db(ctx).Conversation.Query().
			Where(entconv.DirectKey(k)).
			Only(policy.TenantRead(ctx))
		if err == nil {
			return existing, false, nil
		}
		if !ent.IsNotFound(err) {
			return nil, false, fmt.Errorf("create conversation: %w", err)
		}
	case entconv.KindGROUP:
		if len(members) < 2 {
			return nil, false, apperr.Input("memberIds", "a group needs at least one other member")
		}
	}
	if err := s.checkMembers(ctx, v, members); err != nil {
		return nil, false, err
	}
	c, err = s.db(ctx).Conversation.Create().
		SetKind(kind).
		SetTitle(title).
		SetNillableDirectKey(key).
		SetCreatedBy(v.MemberID).
		Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, false, apperr.E(apperr.Conflict, "this direct conversation was just created; retry to get it")
	}
	if err != nil {
		return nil, false, fmt.Errorf("create conversation: %w", err)
	}
	if err := s.join(ctx, c, members); err != nil {
		return nil, false, err
	}
	return c, true, nil
}

// AddMembers adds members to a group the viewer is in.
func (s *Service) AddMembers(ctx context.Context, id string, add []string) (*ent.Conversation, error) {
	v, c, current, err := s.group(ctx, id)
	if err != nil {
		return nil, err
	}
	add = dedupe(add)
	var fresh []string
	for _, m := range add {
		if !slices.Contains(current, m) {
			fresh = append(fresh, m)
		}
	}
	if len(fresh) == 0 {
		return c, nil
	}
	if err := s.checkMembers(ctx, v, append(slices.Clone(current), fresh...)); err != nil {
		return nil, err
	}
	return c, s.join(ctx, c, fresh)
}

// RemoveMembers takes members out of a group: its creator removes anyone,
// everyone else only themselves (leaving). They stop receiving its
// messages and keep the entries they had.
func (s *Service) RemoveMembers(ctx context.Context, id string, remove []string) (*ent.Conversation, error) {
	v, c, current, err := s.group(ctx, id)
	if err != nil {
		return nil, err
	}
	remove = dedupe(remove)
	for _, m := range remove {
		if !slices.Contains(current, m) {
			return nil, &apperr.Error{Code: apperr.NotFound, Message: "not a member of this conversation", Field: "memberIds"}
		}
		if m != v.MemberID && c.CreatedBy != v.MemberID {
			return nil, apperr.E(apperr.Forbidden, "only the group's creator removes others; anyone may leave")
		}
	}
	_, err = s.db(ctx).ConversationMember.Delete().
		Where(conversationmember.ConversationID(c.ID), conversationmember.MemberIDIn(remove...)).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("remove conversation members: %w", err)
	}
	return c, nil
}

// Send posts a message into a conversation the viewer is in, to its
// current members who are active.
func (s *Service) Send(ctx context.Context, id string, kind msgtype.Kind, body msgtype.Body, key string) (*messaging.Result, error) {
	if _, err := asMember(ctx); err != nil {
		return nil, err
	}
	c, current, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	// Only active members receive. A tenant-wide read: the conversation
	// holds its members whatever the directory shows the poster today.
	active, err := s.db(ctx).Member.Query().
		Where(member.IDIn(current...), member.StatusEQ(member.StatusACTIVE)).
		IDs(policy.TenantRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("conversation send: %w", err)
	}
	res, err := s.msgs.Post(ctx, messaging.Post{ConversationID: c.ID, Members: active, Kind: kind, Body: body, IdempotencyKey: key})
	if err != nil {
		return nil, err
	}
	if !res.Replayed {
		if err := s.db(ctx).Conversation.UpdateOne(c).SetUpdatedAt(res.Message.CreatedAt).Exec(ctx); err != nil {
			return nil, fmt.Errorf("conversation send: %w", err)
		}
	}
	return res, nil
}

// load reads a conversation the viewer is in (the policy hides others) and
// its current members.
func (s *Service) load(ctx context.Context, id string) (*ent.Conversation, []string, error) {
	c, err := s.db(ctx).Conversation.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil, &apperr.Error{Code: apperr.NotFound, Message: "conversation not found", Field: "conversationId"}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load conversation: %w", err)
	}
	ids, err := s.db(ctx).ConversationMember.Query().
		Where(conversationmember.ConversationID(c.ID)).
		Select(conversationmember.FieldMemberID).
		Strings(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load conversation: %w", err)
	}
	return c, ids, nil
}

func (s *Service) group(ctx context.Context, id string) (*viewer.Viewer, *ent.Conversation, []string, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	c, current, err := s.load(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if c.Kind != entconv.KindGROUP {
		return nil, nil, nil, apperr.Input("conversationId", "a direct conversation keeps its two members")
	}
	return v, c, current, nil
}

// join places members in a conversation.
func (s *Service) join(ctx context.Context, c *ent.Conversation, members []string) error {
	db := s.db(ctx)
	creates := make([]*ent.ConversationMemberCreate, len(members))
	for i, m := range members {
		creates[i] = db.ConversationMember.Create().SetConversationID(c.ID).SetMemberID(m)
	}
	if err := db.ConversationMember.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("join conversation: %w", err)
	}
	return nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Members lists a conversation's current members that the viewer can see.
func (s *Service) Members(ctx context.Context, c *ent.Conversation) ([]*ent.Member, error) {
	ids, err := s.db(ctx).ConversationMember.Query().
		Where(conversationmember.ConversationID(c.ID)).
		Select(conversationmember.FieldMemberID).
		Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("conversation members: %w", err)
	}
	return s.db(ctx).Member.Query().Where(member.IDIn(ids...)).Order(member.ByName()).All(ctx)
}
