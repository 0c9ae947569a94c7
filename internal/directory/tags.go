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
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageMembers); err != nil {
		return nil, err
	}
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
	if err := s.requireTag(ctx, id, name != nil); err != nil {
		return nil, err
	}
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
	if err := s.requireTag(ctx, id, true); err != nil {
		return err
	}
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

// requireTag checks the viewer may change tag id: FORBIDDEN without the
// right, NOT_FOUND when unseen, and for renaming or deleting (whole) FORBIDDEN
// when the tag has members outside a scoped admin's subtrees.
func (s *Service) requireTag(ctx context.Context, id string, whole bool) error {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageMembers); err != nil {
		return err
	}
	if _, err := s.db(ctx).Tag.Get(ctx, id); err != nil {
		return notFound(err, "id", "tag")
	}
	if whole {
		return policy.RequireTagScope(ctx, s.db(ctx), id)
	}
	return nil
}

// requireMembers fails unless the viewer sees every member of ids. Whether
// they also manage them is the policies' question (FORBIDDEN).
func (s *Service) requireMembers(ctx context.Context, field string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := s.db(ctx).Member.Query().Where(member.IDIn(ids...)).Count(ctx)
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
