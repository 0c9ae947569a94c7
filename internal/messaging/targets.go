package messaging

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

// checkTargets refuses targets that are empty, too many, or malformed, and
// confidential messages to everyone.
func checkTargets(t audience.Audience, confidential bool) (audience.Audience, error) {
	t = t.Normalize()
	switch {
	case t.IsEmpty():
		return t, apperr.Input("targets", "name everyone, or at least one member, department or tag")
	case t.Everyone && confidential:
		return t, apperr.Input("targets.everyone", "a confidential message goes to named members, departments or tags, not to everyone")
	case len(t.MemberIDs) > MaxTargetMembers:
		return t, apperr.Input("targets.memberIds", "at most %d members per send", MaxTargetMembers)
	case len(t.DepartmentIDs) > MaxTargetDepartments:
		return t, apperr.Input("targets.departmentIds", "at most %d departments per send", MaxTargetDepartments)
	case len(t.TagIDs) > MaxTargetTags:
		return t, apperr.Input("targets.tagIds", "at most %d tags per send", MaxTargetTags)
	}
	for _, c := range []struct {
		field, prefix string
		ids           []string
	}{
		{"targets.memberIds", ids.Member, t.MemberIDs},
		{"targets.departmentIds", ids.Department, t.DepartmentIDs},
		{"targets.tagIds", ids.Tag, t.TagIDs},
	} {
		for _, id := range c.ids {
			if ids.Prefix(id) != c.prefix {
				return t, apperr.Input(c.field, "%q is not a %s ID", id, c.prefix)
			}
		}
	}
	return t, nil
}

// resolved are targets sorted into those that reach someone inside the
// sender's reach, and those that do not exist or lie wholly outside it.
type resolved struct {
	targets    audience.Audience
	unknown    []string
	outOfRange []string
}

// resolveTargets sorts targets. A target is out of range when none of its
// members is inside the reach; one partly inside is kept and cut later.
// Lookups are tenant-wide reads: an app must learn which of its targets are
// out of range, not just that they are unseen.
func (s *Service) resolveTargets(ctx context.Context, t audience.Audience, r policy.Reach) (resolved, error) {
	tenant := policy.TenantRead(ctx)
	db := s.db(ctx)
	res := resolved{targets: audience.Audience{Everyone: t.Everyone}}
	classify := func(known []string, all []string, inReach func(string) (bool, error), keep *[]string) error {
		for _, id := range all {
			if !slices.Contains(known, id) {
				res.unknown = append(res.unknown, id)
				continue
			}
			ok, err := inReach(id)
			if err != nil {
				return err
			}
			switch {
			case ok:
				*keep = append(*keep, id)
			case r.Hidden:
				res.unknown = append(res.unknown, id)
			default:
				res.outOfRange = append(res.outOfRange, id)
			}
		}
		return nil
	}
	if len(t.MemberIDs) > 0 {
		known, err := db.Member.Query().Where(member.IDIn(t.MemberIDs...)).IDs(tenant)
		if err != nil {
			return res, fmt.Errorf("resolve members: %w", err)
		}
		inside := known
		if r.Members != nil {
			if inside, err = db.Member.Query().Where(member.IDIn(known...), r.Members).IDs(tenant); err != nil {
				return res, fmt.Errorf("resolve members: %w", err)
			}
		}
		err = classify(known, t.MemberIDs, func(id string) (bool, error) { return slices.Contains(inside, id), nil }, &res.targets.MemberIDs)
		if err != nil {
			return res, err
		}
	}
	if len(t.DepartmentIDs) > 0 {
		deps, err := db.Department.Query().Where(department.IDIn(t.DepartmentIDs...)).All(tenant)
		if err != nil {
			return res, fmt.Errorf("resolve departments: %w", err)
		}
		paths := map[string]string{}
		var known []string
		for _, d := range deps {
			paths[d.ID], known = d.Path, append(known, d.ID)
		}
		err = classify(known, t.DepartmentIDs, func(id string) (bool, error) {
			if r.Members == nil || (r.Range != nil && insideRange(paths[id], *r.Range)) {
				return true, nil
			}
			return db.Member.Query().Where(r.Members,
				member.HasMembershipsWith(membership.HasDepartmentWith(department.PathHasPrefix(paths[id])))).Exist(tenant)
		}, &res.targets.DepartmentIDs)
		if err != nil {
			return res, err
		}
	}
	if len(t.TagIDs) > 0 {
		known, err := db.Tag.Query().Where(tag.IDIn(t.TagIDs...)).IDs(tenant)
		if err != nil {
			return res, fmt.Errorf("resolve tags: %w", err)
		}
		err = classify(known, t.TagIDs, func(id string) (bool, error) {
			if r.Members == nil || (r.Range != nil && slices.Contains(r.Range.TagIDs, id)) {
				return true, nil
			}
			return db.Member.Query().Where(r.Members, member.HasTagsWith(tag.ID(id))).Exist(tenant)
		}, &res.targets.TagIDs)
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// insideRange reports whether the department at path lies wholly inside
// one of rng's department subtrees.
func insideRange(path string, rng audience.Audience) bool {
	if rng.Everyone {
		return true
	}
	for _, d := range rng.DepartmentIDs {
		if audience.PathUnder(path, d) {
			return true
		}
	}
	return false
}

// recipients lists the active members of the resolved targets inside the
// reach: the audience cut to the range, resolved now, once.
func (s *Service) recipients(ctx context.Context, res resolved, r policy.Reach) ([]string, error) {
	if res.targets.IsEmpty() {
		return nil, nil
	}
	q := s.db(ctx).Member.Query().Where(member.StatusEQ(member.StatusACTIVE))
	if p := policy.AndMembers(policy.AudienceMembers(res.targets), r.Members); p != nil {
		q.Where(p)
	}
	// The audience and the reach decide, not what the sender sees: an app
	// sees members only through its range, which the reach already is.
	ids, err := q.IDs(policy.TenantRead(ctx))
	if err != nil {
		return nil, fmt.Errorf("resolve recipients: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}
