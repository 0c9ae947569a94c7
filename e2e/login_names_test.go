package e2e

import (
	"context"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/policy"
)

const createMemberMutation = `mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`

// A member signs in with their userid, mobile or email, so an admin who
// could give a new member a userid equal to someone's mobile or email would
// take over that login string (issue 8, finding 3). Userids, mobiles and
// emails are one namespace per enterprise, without case.
func TestLoginNamesCannotShadowAnotherMembersLogin(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	dept := admin.CreateDepartment("Staff", acme.RootID)
	alice := admin.CreateMember(apitest.MemberSpec{Userid: "alice", Depts: []string{dept}, Mobile: "13800000001", Email: "alice@acme.test"})
	carol := admin.CreateMember(apitest.MemberSpec{Userid: "carol@corp.test", Depts: []string{dept}})
	bob := admin.CreateMember(apitest.MemberSpec{Userid: "bob", Depts: []string{dept}})

	member := func(userid, mobile, email string) map[string]any {
		in := map[string]any{"userid": userid, "name": "Mallory", "password": apitest.TestPassword,
			"departments": []map[string]any{{"departmentId": dept, "isPrimary": true}}}
		if mobile != "" {
			in["mobile"] = mobile
		}
		if email != "" {
			in["email"] = email
		}
		return map[string]any{"in": in}
	}
	for _, c := range []struct {
		name, field string
		vars        map[string]any
	}{
		{"userid equal to a mobile", "userid", member("13800000001", "", "")},
		{"userid equal to an email, other case", "userid", member("ALICE@acme.test", "", "")},
		{"userid differing only in case", "userid", member("ALICE", "", "")},
		{"email equal to a userid, other case", "email", member("mallory", "", "Carol@Corp.test")},
		{"mobile equal to a mobile", "mobile", member("mallory", "13800000001", "")},
	} {
		r := admin.Do(createMemberMutation, c.vars)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "CONFLICT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("createMember with %s: %v, want CONFLICT on %s", c.name, r.Errors, c.field)
		}
	}
	update := `mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`
	r := admin.Do(update, map[string]any{"in": map[string]any{"id": bob, "email": "CAROL@corp.test"}})
	if len(r.Errors) != 1 || r.Errors[0].Code() != "CONFLICT" || r.Errors[0].Extensions["field"] != "email" {
		t.Errorf("updateMember to another's userid as email: %v, want CONFLICT on email", r.Errors)
	}
	// A member's own names may coincide.
	admin.MustDo(update, map[string]any{"in": map[string]any{"id": alice, "email": "ALICE@acme.test"}}, nil)

	res := importMembers(t, admin, []map[string]any{
		{"userid": "Alice", "name": "A", "departments": place2(dept)},
		{"userid": "dave", "name": "D", "mobile": "13900000009", "departments": place2(dept)},
		{"userid": "13900000009", "name": "E", "departments": place2(dept)},
		{"userid": "erin", "name": "E", "email": "erin@acme.test", "departments": place2(dept)},
		{"userid": "ERIN", "name": "E2", "departments": place2(dept)},
		{"userid": "frank", "name": "F", "email": "bob@acme.test", "departments": place2(dept)},
	}, false)
	got := map[int]string{}
	for _, e := range res.Errors {
		got[e.Index] = e.Field + " " + e.Code
	}
	want := map[int]string{0: "rows[0].userid CONFLICT", 2: "rows[2].userid CONFLICT", 4: "rows[4].userid CONFLICT"}
	if res.Created != 3 || len(got) != len(want) {
		t.Fatalf("import: created %d, errors %v; want 3 created, errors %v", res.Created, got, want)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("import row %d: %q, want %q", i, got[i], w)
		}
	}

	// The victim still signs in with each of their names, as themselves.
	for _, login := range []string{"alice", "ALICE", "13800000001", "Alice@Acme.test"} {
		if c := env.Login("acme", login, apitest.TestPassword); c.MemberID != alice {
			t.Errorf("login %q signs in as %s, want alice", login, c.MemberID)
		}
	}
	if c := env.Login("acme", "Carol@corp.test", apitest.TestPassword); c.MemberID != carol {
		t.Errorf("carol's userid in other case signs in as %s", c.MemberID)
	}

	// Another enterprise has its own namespace.
	other := env.NewEnterprise("other")
	otherAdmin := env.Admin(other)
	od := otherAdmin.CreateDepartment("Staff", other.RootID)
	otherAdmin.CreateMember(apitest.MemberSpec{Userid: "ALICE", Depts: []string{od}, Mobile: "13800000001", Email: "alice@acme.test"})

	// The database holds the case rule by itself, on every write path.
	sys := policy.SystemContext(context.Background())
	if err := env.DB.Client.Member.Create().SetEnterpriseID(acme.ID).SetUserid("aLiCe").SetName("x").Exec(sys); err == nil {
		t.Fatalf("the database accepted a userid differing only in case")
	}
}
