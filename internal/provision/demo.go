package provision

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Demo credentials, printed at first start.
const (
	DemoCode     = "demo"
	DemoPassword = "demo-password"
)

// Demo seeds the demo enterprise unless it exists, and reports whether it did.
// Everything after the enterprise itself is written as its super admin, so
// the seed goes through the same rules as the API.
func Demo(ctx context.Context, client *ent.Client, authn *auth.Service) (bool, error) {
	exists, err := client.Enterprise.Query().Where(enterprise.Code(DemoCode)).Exist(policy.SystemContext(ctx))
	if err != nil || exists {
		return false, err
	}
	res, err := Create(ctx, client, Enterprise{
		Code: DemoCode, Name: "Demo Corp", AdminLogin: "admin", AdminName: "Ada Admin", AdminPassword: DemoPassword,
	})
	if err != nil {
		return false, err
	}
	admin, err := authn.LoadViewer(ctx, res.AdminID)
	if err != nil {
		return false, err
	}
	actx := viewer.NewContext(ctx, admin)
	tx, err := client.Tx(actx)
	if err != nil {
		return false, err
	}
	if err := seed(ent.NewContext(actx, tx.Client()), directory.New(client), res.DepartmentID); err != nil {
		tx.Rollback()
		return false, fmt.Errorf("demo: %w", err)
	}
	return true, tx.Commit()
}

func seed(ctx context.Context, dir *directory.Service, root string) error {
	dep := map[string]string{}
	for _, d := range []struct{ key, name, parent string }{
		{"sales", "Sales", ""}, {"east", "Sales East", "sales"}, {"west", "Sales West", "sales"},
		{"rnd", "R&D", ""}, {"platform", "Platform", "rnd"},
	} {
		parent := root
		if d.parent != "" {
			parent = dep[d.parent]
		}
		created, err := dir.CreateDepartment(ctx, directory.DepartmentInput{Name: d.name, ParentID: &parent})
		if err != nil {
			return err
		}
		dep[d.key] = created.ID
	}
	pw := DemoPassword
	people := []struct {
		userid, name, dept, position string
		leader                       bool
	}{
		{"alice", "Alice Chen", "sales", "Head of Sales", true},
		{"bob", "Bob Li", "east", "Account Manager", false},
		{"carol", "Carol Wang", "rnd", "Head of R&D", true},
		{"dave", "Dave Zhou", "platform", "Engineer", false},
	}
	mem := map[string]string{}
	for _, p := range people {
		email := p.userid + "@demo.example.com"
		m, err := dir.CreateMember(ctx, directory.MemberInput{
			Userid: p.userid, Name: p.name, Email: &email, Position: p.position, Password: &pw,
			Departments: []directory.Placement{{DepartmentID: dep[p.dept], IsPrimary: true, IsLeader: p.leader}},
		})
		if err != nil {
			return err
		}
		mem[p.userid] = m.ID
	}
	if _, err := dir.CreateTag(ctx, "Managers", []string{mem["alice"], mem["carol"]}); err != nil {
		return err
	}
	_, err := dir.GrantAdmin(ctx, directory.Grant{
		MemberID: mem["alice"], DepartmentIDs: []string{dep["sales"]},
		Rights: []viewer.Right{viewer.RightManageMembers, viewer.RightManageDepartments},
	})
	return err
}
