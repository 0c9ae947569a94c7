package graph

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/approval"
	"github.com/corpline/corpline/internal/approval/flow"
)

func templateInput(in model.ApprovalTemplateInput) approval.TemplateInput {
	return approval.TemplateInput{
		Name: in.Name, Icon: deref(in.Icon), Group: deref(in.Group), Kind: deref(in.Kind),
		Audience: deref(in.Audience), Controls: vals(in.Controls), Flow: deref(in.Flow),
	}
}

func values(in []*flow.Field) flow.Form { return vals(in) }

// vals turns gqlgen's list of pointers into values.
func vals[T any](in []*T) []T {
	out := make([]T, 0, len(in))
	for _, p := range in {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// ptrs turns values into the pointers gqlgen lists.
func ptrs[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}

func chosen(in []*model.ChosenApproversInput) map[string][]string {
	out := map[string][]string{}
	for _, c := range in {
		out[c.NodeID] = append(out[c.NodeID], c.MemberIds...)
	}
	return out
}

func decision(in model.ApprovalDecisionInput) approval.Decision {
	return approval.Decision{TaskID: in.TaskID, Comment: deref(in.Comment), Attachments: vals(in.Attachments)}
}

func listFilter(f *model.ApprovalListFilter) approval.ListFilter {
	if f == nil {
		return approval.ListFilter{}
	}
	out := approval.ListFilter{Statuses: f.Status, TemplateID: deref(f.TemplateID),
		SubmittedAfter: f.SubmittedAfter, SubmittedBefore: f.SubmittedBefore}
	if f.Role != nil {
		out.Role = approval.Role(*f.Role)
	}
	return out
}

// visibleMembers are the members with ids the viewer may see, in the order given.
func visibleMembers(ctx context.Context, c *ent.Client, ids []string) ([]*ent.Member, error) {
	if len(ids) == 0 {
		return []*ent.Member{}, nil
	}
	ms, err := c.Member.Query().Where(member.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*ent.Member, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
	}
	out := make([]*ent.Member, 0, len(ids))
	for _, id := range ids {
		if m := byID[id]; m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}
