package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// CreateTag adds a tag with its first members.
func (s *Service) CreateTag(ctx context.Context, name string, memberIDs []string) (*ent.Tag, error) {
	name = strings.TrimSpace(name)
	if err := CheckName("name", name, 64); err != nil {
		return nil, err
	}
	if err := s.requireFreeTagName(ctx, name, ""); err != nil {
		return nil, err
	}
	if err := s.requireMembers(ctx, "memberIds", memberIDs); err != nil {
		return nil, err
	}
	t, err := s.db(ctx).Tag.Create().SetName(name).AddMemberIDs(memberIDs...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create tag: %w", err)
	}
	return t, nil
}

// UpdateTag renames a tag and adds or removes members.
func (s *Service) UpdateTag(ctx context.Context, id string, name *string, add, remove []string) (*ent.Tag, error) {
	db := s.db(ctx)
	u := db.Tag.UpdateOneID(id)
	if name != nil {
		n := strings.TrimSpace(*name)
		if err := CheckName("name", n, 64); err != nil {
			return nil, err
		}
		if err := s.requireFreeTagName(ctx, n, id); err != nil {
			return nil, err
		}
		u.SetName(n)
	}
	if err := s.requireMembers(ctx, "addMemberIds", add); err != nil {
		return nil, err
	}
	if err := s.requireMembers(ctx, "removeMemberIds", remove); err != nil {
		return nil, err
	}
	t, err := u.AddMemberIDs(add...).RemoveMemberIDs(remove...).Save(ctx)
	if err != nil {
		return nil, notFound(err, "id", "tag")
	}
	return t, nil
}

// DeleteTag removes a tag (its members stay).
func (s *Service) DeleteTag(ctx context.Context, id string) error {
	if err := s.db(ctx).Tag.DeleteOneID(id).Exec(ctx); err != nil {
		return notFound(err, "id", "tag")
	}
	return nil
}

func (s *Service) requireFreeTagName(ctx context.Context, name string, exceptID string) error {
	taken, err := s.db(ctx).Tag.Query().Where(tag.Name(name), tag.IDNEQ(exceptID)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("check tag name: %w", err)
	}
	if taken {
		return &apperr.Error{Code: apperr.Conflict, Message: fmt.Sprintf("tag %q already exists", name), Field: "name"}
	}
	return nil
}

// requireMembers fails unless the viewer sees every member of ids and, as a
// scoped admin, manages them: tagging is managing.
func (s *Service) requireMembers(ctx context.Context, field string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	q := s.db(ctx).Member.Query().Where(member.IDIn(ids...))
	if p := policy.MembersInScope(viewer.FromContext(ctx)); p != nil {
		q.Where(p)
	}
	n, err := q.Count(ctx)
	if err != nil {
		return fmt.Errorf("check members: %w", err)
	}
	if n != len(dedupe(ids)) {
		return apperr.Input(field, "unknown member")
	}
	return nil
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
