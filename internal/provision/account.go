package provision

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audit"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/policy"
)

// MaxFollowerQuota bounds what an operator may grant a certified enterprise.
const MaxFollowerQuota = 1_000_000

// CheckQuota validates a follower quota.
func CheckQuota(field string, q int) error {
	if q < 1 || q > MaxFollowerQuota {
		return apperr.Input(field, "followerQuota must be between 1 and %d", MaxFollowerQuota)
	}
	return nil
}

// checkAccount applies the rules of the account types to a new enterprise:
// a TRIAL is created with a phone number and an email; a quota is a
// CERTIFIED account's.
func checkAccount(e *Enterprise) error {
	e.ContactMobile, e.ContactEmail = strings.TrimSpace(e.ContactMobile), strings.TrimSpace(e.ContactEmail)
	if e.AccountType == enterprise.AccountTypeTRIAL {
		if e.ContactMobile == "" {
			return apperr.Input("contactMobile", "a trial account is created with a phone number")
		}
		if e.ContactEmail == "" {
			return apperr.Input("contactEmail", "a trial account is created with an email")
		}
	}
	if err := directory.CheckMobile("contactMobile", &e.ContactMobile); err != nil {
		return err
	}
	if err := directory.CheckEmail("contactEmail", &e.ContactEmail); err != nil {
		return err
	}
	if e.FollowerQuota != nil {
		if e.AccountType != enterprise.AccountTypeCERTIFIED {
			return apperr.Input("followerQuota", "only a CERTIFIED account has a follower quota")
		}
		if err := CheckQuota("followerQuota", *e.FollowerQuota); err != nil {
			return err
		}
	}
	if e.AccountType == enterprise.AccountTypeCERTIFIED && e.FollowerQuota == nil {
		return apperr.Input("followerQuota", "a CERTIFIED account needs a follower quota")
	}
	return nil
}

// CreateOperator adds a platform operator (`corpline bootstrap --operator`),
// recorded in the audit log as done by the system.
func CreateOperator(ctx context.Context, client *ent.Client, login, name, password string) (*ent.Operator, error) {
	if err := directory.CheckUserid("login", strings.TrimSpace(login)); err != nil {
		return nil, err
	}
	if len(password) < auth.MinPasswordLength {
		return nil, apperr.Input("password", "password must be at least %d characters", auth.MinPasswordLength)
	}
	if name == "" {
		name = login
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	// Bootstrap runs before any operator exists: the system writes.
	sys := policy.SystemContext(ctx)
	tx, err := client.Tx(sys)
	if err != nil {
		return nil, fmt.Errorf("create operator: %w", err)
	}
	op, err := tx.Operator.Create().SetLogin(strings.TrimSpace(login)).SetName(name).SetPasswordHash(hash).Save(sys)
	if err == nil {
		err = audit.Record(sys, tx.Client(), audit.Entry{Action: "bootstrapOperator", TargetID: op.ID,
			Details: map[string]any{"login": op.Login, "name": op.Name}})
	}
	if err != nil {
		tx.Rollback()
		if ent.IsConstraintError(err) {
			return nil, apperr.E(apperr.Conflict, "an operator with login %q already exists", login)
		}
		return nil, err
	}
	return op, tx.Commit()
}
