package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	contract "github.com/corpline/corpline/frontend-contract"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/store"
)

const benchPassword = "bench-password-1"

// membersPageDocument is the file of frontend-contract that holds MembersPage.
var membersPageDocument = func() string {
	op, err := contract.Find("MembersPage")
	if err != nil {
		panic(err)
	}
	return op.Document
}()

// seeded is what seed made: the enterprise, its root department and the
// tokens of its super admin and of the member who reads the directory.
type seeded struct {
	enterpriseID, rootID string
	admin, reader        string
}

// seed provisions a new enterprise, builds 20 departments under 4 divisions,
// imports members through the API (one importMembers call, each member in a
// primary department and every fifth in a second one), and signs in a member
// who reads the directory.
func seed(ctx context.Context, c *client, db *store.DB, members int) (seeded, error) {
	var s seeded
	b := make([]byte, 4)
	rand.Read(b)
	code := "bench-" + hex.EncodeToString(b)
	res, err := provision.Create(ctx, db.Client, provision.Enterprise{
		Code: code, Name: "Bench " + code, AdminLogin: "admin", AdminPassword: benchPassword,
	})
	if err != nil {
		return s, err
	}
	s.enterpriseID, s.rootID = res.EnterpriseID, res.DepartmentID
	admin, err := login(ctx, c, code, "admin")
	if err != nil {
		return s, err
	}
	s.admin = admin
	var depts []string
	for d := range 4 {
		div, err := createDepartment(ctx, c, admin, fmt.Sprintf("Division %d", d), res.DepartmentID)
		if err != nil {
			return s, err
		}
		for t := range 5 {
			team, err := createDepartment(ctx, c, admin, fmt.Sprintf("Team %d.%d", d, t), div)
			if err != nil {
				return s, err
			}
			depts = append(depts, team)
		}
	}
	rows := make([]map[string]any, members)
	for i := range rows {
		placements := []map[string]any{{"departmentId": depts[i%len(depts)], "isPrimary": true, "isLeader": i < len(depts)}}
		if i%5 == 0 {
			placements = append(placements, map[string]any{"departmentId": depts[(i+7)%len(depts)]})
		}
		rows[i] = map[string]any{
			"userid": fmt.Sprintf("m%05d", i), "name": fmt.Sprintf("Member %05d", i),
			"email": fmt.Sprintf("m%05d@bench.example", i), "position": "Staff", "departments": placements,
		}
	}
	var imported struct {
		ImportMembers struct {
			Created int
			Errors  []struct{ Message string }
		}
	}
	err = c.do(ctx, admin, `mutation($in: ImportMembersInput!) { importMembers(input: $in) { created errors { message } } }`,
		map[string]any{"in": map[string]any{"rows": rows, "allOrNothing": true}}, &imported)
	if err != nil {
		return s, err
	}
	if imported.ImportMembers.Created != members {
		return s, fmt.Errorf("imported %d of %d members: %v", imported.ImportMembers.Created, members, imported.ImportMembers.Errors)
	}
	// The reader: a member with a password (imported members have none yet).
	err = c.do(ctx, admin, `mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"userid": "reader", "name": "Reader", "password": benchPassword,
		"departments": []map[string]any{{"departmentId": depts[0], "isPrimary": true}},
	}}, nil)
	if err != nil {
		return s, err
	}
	s.reader, err = login(ctx, c, code, "reader")
	return s, err
}

func login(ctx context.Context, c *client, code, userid string) (string, error) {
	var out struct{ Login struct{ Token string } }
	err := c.do(ctx, "", `mutation($in: LoginInput!) { login(input: $in) { token } }`,
		map[string]any{"in": map[string]any{"enterprise": code, "login": userid, "password": benchPassword}}, &out)
	return out.Login.Token, err
}

func createDepartment(ctx context.Context, c *client, token, name, parent string) (string, error) {
	var out struct{ CreateDepartment struct{ ID string } }
	err := c.do(ctx, token, `mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "parentId": parent}}, &out)
	return out.CreateDepartment.ID, err
}
