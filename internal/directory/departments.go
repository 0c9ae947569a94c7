package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// DepartmentInput is what creating a department takes.
type DepartmentInput struct {
	Name     string
	ParentID *string
	Order    int
}

// CreateDepartment adds a department under parent (or as a root).
func (s *Service) CreateDepartment(ctx context.Context, in DepartmentInput) (*ent.Department, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageDepartments); err != nil {
		return nil, err
	}
	if err := CheckName("name", in.Name, 100); err != nil {
		return nil, err
	}
	db := s.db(ctx)
	id := ids.New(ids.Department)
	path, depth := "/"+id+"/", 1
	if in.ParentID != nil {
		parent, err := db.Department.Get(ctx, *in.ParentID)
		if err != nil {
			return nil, notFound(err, "parentId", "parent department")
		}
		path, depth = parent.Path+id+"/", parent.Depth+1
		if depth > MaxDepth {
			return nil, apperr.Input("parentId", "departments may be nested at most %d levels deep", MaxDepth)
		}
	}
	d, err := db.Department.Create().
		SetID(id).
		SetName(strings.TrimSpace(in.Name)).
		SetNillableParentID(in.ParentID).
		SetOrder(in.Order).
		SetPath(path).
		SetDepth(depth).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create department: %w", err)
	}
	return d, nil
}

// UpdateDepartment renames or reorders a department.
func (s *Service) UpdateDepartment(ctx context.Context, id string, name *string, order *int) (*ent.Department, error) {
	d, err := s.managedDepartment(ctx, id)
	if err != nil {
		return nil, err
	}
	u := s.db(ctx).Department.UpdateOne(d)
	if name != nil {
		if err := CheckName("name", *name, 100); err != nil {
			return nil, err
		}
		u.SetName(strings.TrimSpace(*name))
	}
	if order != nil {
		u.SetOrder(*order)
	}
	updated, err := u.Save(ctx)
	if err != nil {
		return nil, notFound(err, "id", "department")
	}
	return updated, nil
}

// MoveDepartment puts a department (with its subtree) under a new parent, or
// makes it a root. Moving it under itself or a descendant is refused.
func (s *Service) MoveDepartment(ctx context.Context, id string, parentID *string, order *int) (*ent.Department, error) {
	db := s.db(ctx)
	d, err := s.managedDepartment(ctx, id)
	if err != nil {
		return nil, err
	}
	newPath, newDepth := "/"+d.ID+"/", 1
	if parentID != nil {
		parent, err := db.Department.Get(ctx, *parentID)
		if err != nil {
			return nil, notFound(err, "parentId", "parent department")
		}
		if strings.HasPrefix(parent.Path, d.Path) {
			return nil, apperr.Input("parentId", "a department cannot be moved under itself or one of its sub-departments")
		}
		newPath, newDepth = parent.Path+d.ID+"/", parent.Depth+1
	}
	if err := policy.RequireDepartmentScope(viewer.FromContext(ctx), newPath); err != nil {
		return nil, err
	}
	// The deepest department of the subtree must stay within MaxDepth. This
	// reads as the viewer: a subtree is visible to whoever may move its root.
	deepest, err := db.Department.Query().Where(department.PathHasPrefix(d.Path)).Aggregate(ent.Max(department.FieldDepth)).Int(ctx)
	if err != nil {
		return nil, fmt.Errorf("move department: %w", err)
	}
	if deepest-d.Depth+newDepth > MaxDepth {
		return nil, apperr.Input("parentId", "the move would nest departments more than %d levels deep", MaxDepth)
	}
	u := db.Department.UpdateOne(d).SetPath(newPath).SetDepth(newDepth).SetNillableParentID(parentID)
	if parentID == nil {
		u.ClearParentID()
	}
	if order != nil {
		u.SetOrder(*order)
	}
	moved, err := u.Save(ctx)
	if err != nil {
		return nil, notFound(err, "id", "department")
	}
	// Re-root the subtree. It reads as the viewer: whoever may move a root
	// sees and manages what is under it.
	desc, err := db.Department.Query().Where(department.PathHasPrefix(d.Path), department.IDNEQ(d.ID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("move department: %w", err)
	}
	for _, x := range desc {
		err := db.Department.UpdateOne(x).
			SetPath(newPath + x.Path[len(d.Path):]).
			AddDepth(newDepth - d.Depth).
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("move department: re-root %s: %w", x.ID, err)
		}
	}
	return moved, nil
}

// DeleteDepartment removes a department that has no sub-departments and no members.
func (s *Service) DeleteDepartment(ctx context.Context, id string) error {
	db := s.db(ctx)
	d, err := s.managedDepartment(ctx, id)
	if err != nil {
		return err
	}
	// Emptiness counts every row, seen or not (a tenant-wide read): a
	// department is not empty just because the viewer cannot see who is in it.
	tenant := policy.TenantRead(ctx)
	kids, err := db.Department.Query().Where(department.ParentID(d.ID)).Exist(tenant)
	if err != nil {
		return fmt.Errorf("delete department: %w", err)
	}
	people, err := db.Membership.Query().Where(membership.DepartmentID(d.ID)).Exist(tenant)
	if err != nil {
		return fmt.Errorf("delete department: %w", err)
	}
	if kids || people {
		return apperr.E(apperr.Conflict, "only an empty department can be deleted: move its sub-departments and members first")
	}
	if err := db.Department.DeleteOne(d).Exec(ctx); err != nil {
		return notFound(err, "id", "department")
	}
	return nil
}

// managedDepartment reads a department the viewer is about to change:
// FORBIDDEN without the right, NOT_FOUND when they may not see it, FORBIDDEN
// when it lies outside their subtrees (see policy.RequireRight).
func (s *Service) managedDepartment(ctx context.Context, id string) (*ent.Department, error) {
	v := viewer.FromContext(ctx)
	if err := policy.RequireRight(v, viewer.RightManageDepartments); err != nil {
		return nil, err
	}
	d, err := s.db(ctx).Department.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "id", "department")
	}
	if err := policy.RequireDepartmentScope(v, d.Path); err != nil {
		return nil, err
	}
	return d, nil
}

// notFound turns ent's not-found into NOT_FOUND about field; other errors pass on.
func notFound(err error, field, what string) error {
	if ent.IsNotFound(err) {
		return &apperr.Error{Code: apperr.NotFound, Message: what + " not found", Field: field}
	}
	return err
}
