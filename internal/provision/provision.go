// Package provision creates enterprises with their first super admin: the
// bootstrap command, the demo seed and (later) the platform operator use it.
package provision

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audit"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/invite"
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

	// ContactMobile and ContactEmail are the trial developer's; both are
	// required for a TRIAL account.
	ContactMobile string
	ContactEmail  string
	// FollowerQuota and CertifiedUntil make a CERTIFIED account.
	FollowerQuota  *int
	CertifiedUntil *time.Time
}

// TrialLength is how long a TRIAL enterprise lives before it is reclaimed.
const TrialLength = 90 * 24 * time.Hour

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
	if err := checkAccount(&e); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(e.AdminPassword)
	if err != nil {
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	if tx := ent.TxFromContext(ctx); tx != nil {
		// Inside a request's transaction (createEnterprise): write there, or
		// SQLite's one writer would wait for itself.
		res, err := create(sys, tx.Client(), e, hash)
		if ent.IsConstraintError(err) {
			return nil, apperr.E(apperr.Conflict, "an enterprise with code %q already exists", e.Code)
		}
		return res, err
	}
	tx, err := client.Tx(sys)
	if err != nil {
		return nil, fmt.Errorf("provision: %w", err)
	}
	res, err := create(sys, tx.Client(), e, hash)
	if err == nil {
		// Outside a request (bootstrap, demo, tests) the system is the actor;
		// createEnterprise through the API is recorded with its operator.
		err = audit.Record(sys, tx.Client(), audit.Entry{
			EnterpriseID: res.EnterpriseID, Action: "bootstrapEnterprise", TargetID: res.EnterpriseID,
			Details: map[string]any{"code": e.Code, "name": e.Name, "accountType": string(e.AccountType), "adminLogin": e.AdminLogin},
		})
	}
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
	ec := c.Enterprise.Create().
		SetCode(e.Code).
		SetName(e.Name).
		SetAccountType(e.AccountType).
		SetInviteSecret(invite.NewSecret()).
		SetNillableFollowerQuota(e.FollowerQuota).
		SetNillableCertifiedUntil(e.CertifiedUntil)
	if e.AccountType == enterprise.AccountTypeTRIAL {
		ec.SetTrialEndsAt(clock.Now(ctx).Add(TrialLength)).
			SetContactMobile(e.ContactMobile).
			SetContactEmail(e.ContactEmail)
	}
	ent_, err := ec.Save(ctx)
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
