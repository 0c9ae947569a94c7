package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/events"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Placement puts a member in one department.
type Placement struct {
	DepartmentID string
	IsPrimary    bool
	IsLeader     bool
}

// MemberInput is what creating or importing a member takes.
type MemberInput struct {
	Userid      string
	Name        string
	Mobile      *string
	Email       *string
	Position    string
	Departments []Placement
	TagIDs      []string
	Password    *string
}

// MemberUpdate is a partial update of a member; nil fields stay as they are.
type MemberUpdate struct {
	ID          string
	Name        *string
	Mobile      *string
	Email       *string
	Position    *string
	Departments []Placement // nil keeps them; non-nil replaces them
}

// checkMember validates the fields of a new member, prefixing field names.
func checkMember(prefix string, in *MemberInput) error {
	in.Mobile, in.Email = emptyToNil(in.Mobile), normalizeEmail(emptyToNil(in.Email))
	in.Userid, in.Name = strings.TrimSpace(in.Userid), strings.TrimSpace(in.Name)
	for _, err := range []error{
		CheckUserid(prefix+"userid", in.Userid),
		CheckName(prefix+"name", in.Name, 100),
		CheckMobile(prefix+"mobile", in.Mobile),
		CheckEmail(prefix+"email", in.Email),
		checkLen(prefix+"position", in.Position, 100),
		checkPlacements(prefix+"departments", in.Departments, true),
	} {
		if err != nil {
			return err
		}
	}
	if in.Password != nil && len(*in.Password) < auth.MinPasswordLength {
		return apperr.Input(prefix+"password", "password must be at least %d characters", auth.MinPasswordLength)
	}
	return nil
}

func checkLen(field, s string, max int) error {
	if len([]rune(s)) > max {
		return apperr.Input(field, "%s must be at most %d characters", field, max)
	}
	return nil
}

// checkPlacements requires distinct departments with at most one primary;
// when none is primary the first becomes primary.
func checkPlacements(field string, ps []Placement, required bool) error {
	if err := checkPlacementSet(field, ps, required); err != nil {
		return err
	}
	if len(ps) > 0 && !hasPrimary(ps) {
		ps[0].IsPrimary = true
	}
	return nil
}

func hasPrimary(ps []Placement) bool {
	for _, p := range ps {
		if p.IsPrimary {
			return true
		}
	}
	return false
}

// checkPlacementSet requires distinct departments with at most one primary.
func checkPlacementSet(field string, ps []Placement, required bool) error {
	if len(ps) == 0 {
		if required {
			return apperr.Input(field, "a member belongs to at least one department")
		}
		return nil
	}
	seen, primaries := map[string]bool{}, 0
	for _, p := range ps {
		if seen[p.DepartmentID] {
			return apperr.Input(field, "department %s is listed twice", p.DepartmentID)
		}
		seen[p.DepartmentID] = true
		if p.IsPrimary {
			primaries++
		}
	}
	if primaries > 1 {
		return apperr.Input(field, "only one department can be primary")
	}
	return nil
}

// CreateMember adds one member with their departments and tags.
func (s *Service) CreateMember(ctx context.Context, in MemberInput) (*ent.Member, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageMembers); err != nil {
		return nil, err
	}
	if err := checkMember("", &in); err != nil {
		return nil, err
	}
	db := s.db(ctx)
	if err := s.requireDepartments(ctx, "departments", in.Departments); err != nil {
		return nil, err
	}
	if err := s.requireFreeUserids(ctx, in.Userid); err != nil {
		return nil, err
	}
	if err := s.requireFreeContacts(ctx, "", in.Mobile, in.Email); err != nil {
		return nil, err
	}
	c := db.Member.Create().
		SetUserid(in.Userid).
		SetName(in.Name).
		SetNillableMobile(in.Mobile).
		SetNillableEmail(in.Email).
		SetPosition(in.Position)
	if in.Password != nil {
		hash, err := auth.HashPassword(*in.Password)
		if err != nil {
			return nil, err
		}
		c.SetPasswordHash(hash).SetStatus(member.StatusACTIVE)
	}
	if len(in.TagIDs) > 0 {
		n, err := db.Tag.Query().Where(tag.IDIn(in.TagIDs...)).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("create member: %w", err)
		}
		if n != len(in.TagIDs) {
			return nil, apperr.Input("tagIds", "unknown tag")
		}
		c.AddTagIDs(in.TagIDs...)
	}
	m, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create member: %w", err)
	}
	if err := s.place(ctx, m.ID, in.Departments); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateMember changes a member's fields and, when given, their departments.
//
// Departments are replaced only where the viewer manages them: a scoped
// admin's replace touches the member's placements inside their subtrees and
// leaves the others as they are. When a kept placement is primary it stays
// primary, and naming another primary is refused.
func (s *Service) UpdateMember(ctx context.Context, in MemberUpdate) (*ent.Member, error) {
	db := s.db(ctx)
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageMembers); err != nil {
		return nil, err
	}
	if _, err := db.Member.Get(ctx, in.ID); err != nil {
		return nil, notFound(err, "id", "member")
	}
	if err := policy.RequireMemberScope(ctx, db, in.ID); err != nil {
		return nil, err
	}
	in.Mobile, in.Email = emptyToNil(in.Mobile), normalizeEmail(emptyToNil(in.Email))
	checks := []error{CheckMobile("mobile", in.Mobile), CheckEmail("email", in.Email)}
	if in.Name != nil {
		checks = append(checks, CheckName("name", *in.Name, 100))
	}
	if in.Position != nil {
		checks = append(checks, checkLen("position", *in.Position, 100))
	}
	if in.Departments != nil {
		checks = append(checks, checkPlacementSet("departments", in.Departments, true))
	}
	for _, err := range checks {
		if err != nil {
			return nil, err
		}
	}
	if err := s.requireFreeContacts(ctx, in.ID, in.Mobile, in.Email); err != nil {
		return nil, err
	}
	u := db.Member.UpdateOneID(in.ID).
		SetNillableMobile(in.Mobile).
		SetNillableEmail(in.Email).
		SetNillablePosition(in.Position)
	if in.Name != nil {
		u.SetName(strings.TrimSpace(*in.Name))
	}
	m, err := u.Save(ctx)
	if err != nil {
		return nil, notFound(err, "id", "member")
	}
	if in.Departments != nil {
		if err := s.replacePlacements(ctx, m.ID, in.Departments); err != nil {
			return nil, err
		}
		if err := events.RecordMember(ctx, db, events.MemberMoved, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// replacePlacements replaces the member's placements that the viewer manages.
func (s *Service) replacePlacements(ctx context.Context, memberID string, ps []Placement) error {
	db := s.db(ctx)
	if err := s.requireDepartments(ctx, "departments", ps); err != nil {
		return err
	}
	// The policy narrows this delete to the viewer's subtrees.
	if _, err := db.Membership.Delete().Where(membership.MemberID(memberID)).Exec(ctx); err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	// What is left lies outside the viewer's subtrees; a tenant-wide read,
	// because those placements may be invisible to the viewer, and the one
	// primary rule counts them all.
	keptPrimary, err := db.Membership.Query().
		Where(membership.MemberID(memberID), membership.IsPrimary(true)).
		Exist(policy.TenantRead(ctx))
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	switch {
	case keptPrimary && hasPrimary(ps):
		return apperr.E(apperr.Forbidden, "the member's primary department is outside the subtrees you manage")
	case !keptPrimary && !hasPrimary(ps):
		ps[0].IsPrimary = true
	}
	return s.place(ctx, memberID, ps)
}

// requireDepartments fails unless every placement names a department the viewer sees.
func (s *Service) requireDepartments(ctx context.Context, field string, ps []Placement) error {
	want := make([]string, 0, len(ps))
	for _, p := range ps {
		want = append(want, p.DepartmentID)
	}
	n, err := s.db(ctx).Department.Query().Where(department.IDIn(want...)).Count(ctx)
	if err != nil {
		return fmt.Errorf("check departments: %w", err)
	}
	if n != len(want) {
		return apperr.Input(field, "unknown department")
	}
	return nil
}

// requireFreeUserids fails with CONFLICT when a userid is taken in the
// enterprise, by anyone: uniqueness does not depend on what the viewer sees.
func (s *Service) requireFreeUserids(ctx context.Context, userids ...string) error {
	taken, err := s.takenUserids(ctx, userids)
	if err != nil {
		return err
	}
	for _, u := range userids {
		if taken[u] {
			return &apperr.Error{Code: apperr.Conflict, Message: fmt.Sprintf("userid %q is already taken", u), Field: "userid"}
		}
	}
	return nil
}

func (s *Service) takenUserids(ctx context.Context, userids []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for start := 0; start < len(userids); start += 1000 {
		chunk := userids[start:min(start+1000, len(userids))]
		// A tenant-wide read: former members keep their userid too.
		got, err := s.db(ctx).Member.Query().
			Where(member.UseridIn(chunk...)).
			Select(member.FieldUserid).
			Strings(policy.TenantRead(ctx))
		if err != nil {
			return nil, fmt.Errorf("check userids: %w", err)
		}
		for _, u := range got {
			taken[u] = true
		}
	}
	return taken, nil
}

// place creates a member's memberships.
func (s *Service) place(ctx context.Context, memberID string, ps []Placement) error {
	bulk := make([]*ent.MembershipCreate, 0, len(ps))
	for _, p := range ps {
		bulk = append(bulk, s.db(ctx).Membership.Create().
			SetMemberID(memberID).
			SetDepartmentID(p.DepartmentID).
			SetIsPrimary(p.IsPrimary).
			SetIsLeader(p.IsLeader))
	}
	if err := s.db(ctx).Membership.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("place member: %w", err)
	}
	return nil
}
