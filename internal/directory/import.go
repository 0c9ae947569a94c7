package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/logins"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// RowError reports why one import row was refused.
type RowError struct {
	Index   int
	Field   string
	Code    apperr.Code
	Message string
}

// ImportResult is the outcome of ImportMembers.
type ImportResult struct {
	Created int
	Errors  []RowError
}

// importChunk bounds the rows of one INSERT, well under SQLite's and
// PostgreSQL's limits on bound parameters.
const importChunk = 500

// ImportMembers writes members in bulk. Every row is checked first; then all
// valid rows are written (or, with allOrNothing, nothing when any row is bad).
// Rows are never written one by one: a thousand rows are a few statements.
func (s *Service) ImportMembers(ctx context.Context, rows []MemberInput, allOrNothing bool) (*ImportResult, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageMembers); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.Input("rows", "no rows to import")
	}
	if len(rows) > MaxImportRows {
		return nil, apperr.Input("rows", "at most %d rows per import, got %d", MaxImportRows, len(rows))
	}
	res := &ImportResult{}
	bad := func(i int, err error) {
		var e *apperr.Error
		if !errors.As(err, &e) {
			e = apperr.E(apperr.Internal, "internal error")
		}
		res.Errors = append(res.Errors, RowError{Index: i, Field: e.Field, Code: e.Code, Message: e.Message})
	}
	placeable, err := s.placeableDepartmentIDs(ctx)
	if err != nil {
		return nil, err
	}
	var keys []string
	for i := range rows {
		rows[i].Password = nil // imported members follow (activate) to set a password
		keys = append(keys, keysOf(namesOf(rows[i].Userid, emptyToNil(rows[i].Mobile), normalizeEmail(emptyToNil(rows[i].Email))))...)
	}
	taken, err := logins.Taken(ctx, s.db(ctx), "", keys)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{} // login key -> the row that signs in with it
	valid := make([]int, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		if err := checkMember(fmt.Sprintf("rows[%d].", i), r); err != nil {
			bad(i, err)
			continue
		}
		if err := checkKnown(i, r.Departments, placeable); err != nil {
			bad(i, err)
			continue
		}
		ns := namesOf(r.Userid, r.Mobile, r.Email)
		if err := checkLoginsFree(i, ns, taken, seen); err != nil {
			bad(i, err)
			continue
		}
		for _, n := range ns {
			seen[n.key] = i
		}
		valid = append(valid, i)
	}
	if allOrNothing && len(res.Errors) > 0 {
		return res, nil
	}
	if err := s.insertMembers(ctx, rows, valid); err != nil {
		return nil, err
	}
	res.Created = len(valid)
	return res, nil
}

// checkLoginsFree refuses row i when one of its login names belongs to a
// member already, or to an earlier row.
func checkLoginsFree(i int, ns []loginName, taken map[string]bool, seen map[string]int) error {
	prefix := fmt.Sprintf("rows[%d].", i)
	for _, n := range ns {
		if taken[n.key] {
			return loginTaken(prefix, n)
		}
		if j, dup := seen[n.key]; dup {
			return &apperr.Error{Code: apperr.Conflict, Field: prefix + n.field,
				Message: fmt.Sprintf("this %s is also a login name of row %d", n.what, j)}
		}
	}
	return nil
}

func checkKnown(i int, ps []Placement, placeable map[string]bool) error {
	field := fmt.Sprintf("rows[%d].departments", i)
	for _, p := range ps {
		in, seen := placeable[p.DepartmentID]
		switch {
		case !seen:
			return apperr.Input(field, "unknown department %s", p.DepartmentID)
		case !in:
			return &apperr.Error{Code: apperr.Forbidden, Field: field,
				Message: fmt.Sprintf("department %s is outside the subtrees you manage", p.DepartmentID)}
		}
	}
	return nil
}

// placeableDepartmentIDs maps the departments the viewer sees (the policy
// decides) to whether they may place members there (a scoped admin: inside
// their subtrees).
func (s *Service) placeableDepartmentIDs(ctx context.Context) (map[string]bool, error) {
	ds, err := s.db(ctx).Department.Query().Select(department.FieldID, department.FieldPath).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: departments: %w", err)
	}
	v := viewer.FromContext(ctx)
	m := make(map[string]bool, len(ds))
	for _, d := range ds {
		m[d.ID] = v.Kind == viewer.KindOperator || v.Admin.InScope(d.Path)
	}
	return m, nil
}

// insertMembers writes the rows at idx, in chunks, with their memberships.
func (s *Service) insertMembers(ctx context.Context, rows []MemberInput, idx []int) error {
	db := s.db(ctx)
	for start := 0; start < len(idx); start += importChunk {
		chunk := idx[start:min(start+importChunk, len(idx))]
		creates := make([]*ent.MemberCreate, 0, len(chunk))
		for _, i := range chunk {
			r := rows[i]
			creates = append(creates, db.Member.Create().
				SetUserid(r.Userid).
				SetName(r.Name).
				SetNillableMobile(r.Mobile).
				SetNillableEmail(r.Email).
				SetPosition(r.Position))
		}
		ms, err := db.Member.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return fmt.Errorf("import: insert members: %w", err)
		}
		var places []*ent.MembershipCreate
		for k, i := range chunk {
			for _, p := range rows[i].Departments {
				places = append(places, db.Membership.Create().
					SetMemberID(ms[k].ID).
					SetDepartmentID(p.DepartmentID).
					SetIsPrimary(p.IsPrimary).
					SetIsLeader(p.IsLeader))
			}
		}
		for ps := 0; ps < len(places); ps += importChunk {
			if err := db.Membership.CreateBulk(places[ps:min(ps+importChunk, len(places))]...).Exec(ctx); err != nil {
				return fmt.Errorf("import: insert memberships: %w", err)
			}
		}
	}
	return nil
}
