package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
)

// A member signs in with their userid, mobile or email (auth.Login), so each
// of them names one member of the enterprise: a mobile or email shared by two
// members would sign in as either. Emails are compared without case and
// stored in lower case, so the unique index holds that rule too.

// normalizeEmail lower-cases an email address (nil stays nil).
func normalizeEmail(s *string) *string {
	if s == nil {
		return nil
	}
	l := strings.ToLower(*s)
	return &l
}

// requireFreeContacts fails with CONFLICT when another member of the
// enterprise than exceptID already has mobile or email.
func (s *Service) requireFreeContacts(ctx context.Context, exceptID string, mobile, email *string) error {
	var mobiles, emails []string
	if mobile != nil {
		mobiles = []string{*mobile}
	}
	if email != nil {
		emails = []string{*email}
	}
	takenM, takenE, err := s.takenContacts(ctx, exceptID, mobiles, emails)
	if err != nil {
		return err
	}
	if mobile != nil && takenM[*mobile] {
		return &apperr.Error{Code: apperr.Conflict, Field: "mobile", Message: "another member already has this mobile"}
	}
	if email != nil && takenE[*email] {
		return &apperr.Error{Code: apperr.Conflict, Field: "email", Message: "another member already has this email"}
	}
	return nil
}

// takenContacts returns which of mobiles and (lower-case) emails members of
// the enterprise other than exceptID have. A tenant-wide read: uniqueness
// does not depend on what the viewer sees.
func (s *Service) takenContacts(ctx context.Context, exceptID string, mobiles, emails []string) (map[string]bool, map[string]bool, error) {
	takenM, takenE := map[string]bool{}, map[string]bool{}
	tenant := policy.TenantRead(ctx)
	base := s.db(ctx).Member.Query().Where(member.IDNEQ(exceptID))
	for start := 0; start < len(mobiles); start += 1000 {
		got, err := base.Clone().Where(member.MobileIn(mobiles[start:min(start+1000, len(mobiles))]...)).
			Select(member.FieldMobile).Strings(tenant)
		if err != nil {
			return nil, nil, fmt.Errorf("check mobiles: %w", err)
		}
		for _, m := range got {
			takenM[m] = true
		}
	}
	for start := 0; start < len(emails); start += 1000 {
		got, err := base.Clone().Where(member.EmailIn(emails[start:min(start+1000, len(emails))]...)).
			Select(member.FieldEmail).Strings(tenant)
		if err != nil {
			return nil, nil, fmt.Errorf("check emails: %w", err)
		}
		for _, e := range got {
			takenE[e] = true
		}
	}
	return takenM, takenE, nil
}
