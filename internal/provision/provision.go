// Package provision creates enterprises with their first super admin: the
// bootstrap command, the demo seed and (later) the platform operator use it.
package provision

import (
	"context"
	"fmt"
	"regexp"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
)

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,31}$`)

// Enterprise is what a new enterprise needs.
type Enterprise struct {
	Code          string
	Name          string
	AccountType   enterprise.AccountType // default REGISTERED
	AdminLogin    string                 // userid of the first super admin
	AdminName     string                 // default "Administrator"
	AdminPassword string
}

// Result names what was created.
type Result struct {
	EnterpriseID string `json:"enterpriseId"`
	AdminID      string `json:"adminId"`
	DepartmentID string `json:"departmentId"`
}

// Create makes an enterprise with a root department and an active super
// admin, in one transaction. It acts as the system: no viewer exists yet.
func Create(ctx context.Context, client *ent.Client, e Enterprise) (*Result, error) {
	if !codeRe.MatchString(e.Code) {
		return nil, apperr.Input("code", "code must be 2 to 32 lowercase letters, digits or '-'")
	}
	if err := directory.CheckName("name", e.Name, 200); err != nil {
		return nil, err
	}
	if err := directory.CheckUserid("adminLogin", e.AdminLogin); err != nil {
		return nil, err
	}
	if len(e.AdminPassword) < auth.MinPasswordLength {
		return nil, apperr.Input("adminPassword", "password must be at least %d characters", auth.MinPasswordLength)
	}
	if e.AdminName == "" {
		e.AdminName = "Administrator"
	}
	if e.AccountType == "" {
		e.AccountType = enterprise.AccountTypeREGISTERED
	}
	hash, err := auth.HashPassword(e.AdminPassword)
	if err != nil {
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	tx, err := client.Tx(sys)
	if err != nil {
		return nil, fmt.Errorf("provision: %w", err)
	}
	res, err := create(sys, tx.Client(), e, hash)
	if err != nil {
		tx.Rollback()
		if ent.IsConstraintError(err) {
			return nil, apperr.E(apperr.Conflict, "an enterprise with code %q already exists", e.Code)
		}
		return nil, err
	}
	return res, tx.Commit()
}

func create(ctx context.Context, c *ent.Client, e Enterprise, hash string) (*Result, error) {
	ent_, err := c.Enterprise.Create().SetCode(e.Code).SetName(e.Name).SetAccountType(e.AccountType).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("provision: enterprise: %w", err)
	}
	depID := ids.New(ids.Department)
	dep, err := c.Department.Create().SetID(depID).SetEnterpriseID(ent_.ID).
		SetName(e.Name).SetPath("/" + depID + "/").SetDepth(1).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("provision: root department: %w", err)
	}
	admin, err := c.Member.Create().SetEnterpriseID(ent_.ID).SetUserid(e.AdminLogin).SetName(e.AdminName).
		SetPasswordHash(hash).SetStatus(member.StatusACTIVE).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("provision: admin: %w", err)
	}
	if err := c.Membership.Create().SetEnterpriseID(ent_.ID).SetMemberID(admin.ID).SetDepartmentID(dep.ID).
		SetIsPrimary(true).Exec(ctx); err != nil {
		return nil, fmt.Errorf("provision: admin placement: %w", err)
	}
	if err := c.AdminRole.Create().SetEnterpriseID(ent_.ID).SetMemberID(admin.ID).SetKind(adminrole.KindSUPER).Exec(ctx); err != nil {
		return nil, fmt.Errorf("provision: admin role: %w", err)
	}
	return &Result{EnterpriseID: ent_.ID, AdminID: admin.ID, DepartmentID: dep.ID}, nil
}
