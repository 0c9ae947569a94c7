package graph

import (
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/directory"
)

func placements(in []*model.MemberDepartmentInput) []directory.Placement {
	if in == nil {
		return nil
	}
	out := make([]directory.Placement, 0, len(in))
	for _, p := range in {
		out = append(out, directory.Placement{
			DepartmentID: p.DepartmentID,
			IsPrimary:    p.IsPrimary != nil && *p.IsPrimary,
			IsLeader:     p.IsLeader != nil && *p.IsLeader,
		})
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func importRows(rows []*model.ImportMemberRow) []directory.MemberInput {
	out := make([]directory.MemberInput, 0, len(rows))
	for _, r := range rows {
		out = append(out, directory.MemberInput{
			Userid:      r.Userid,
			Name:        r.Name,
			Mobile:      r.Mobile,
			Email:       r.Email,
			Position:    deref(r.Position),
			Departments: placements(r.Departments),
		})
	}
	return out
}

func importPayload(res *directory.ImportResult) *model.ImportMembersPayload {
	p := &model.ImportMembersPayload{Created: res.Created, Errors: []*model.ImportRowError{}}
	for _, e := range res.Errors {
		field := e.Field
		p.Errors = append(p.Errors, &model.ImportRowError{Index: e.Index, Field: &field, Code: string(e.Code), Message: e.Message})
	}
	return p
}
