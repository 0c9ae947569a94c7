package e2e

import (
	"encoding/json"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// org is the enterprise most messaging tests run in:
//
//	acme (root)
//	├── Sales          sam
//	│   └── East       eve
//	└── R&D            rita, ray
//
// Tag "mgr" holds rita. A second enterprise, other, has its own member olga.
type org struct {
	env   *apitest.Env
	acme  *apitest.Enterprise
	other *apitest.Enterprise
	admin *apitest.Client

	sales, east, rnd string
	sam, eve, rita   string
	ray, olga        string
	mgrTag           string
}

// Tests built on it run in parallel: each has its own server and database,
// and on PostgreSQL most of their time is spent waiting on the disk.
func newOrg(t *testing.T, opts ...apitest.Option) *org {
	t.Helper()
	t.Parallel()
	return buildOrg(t, opts...)
}

// newSerialOrg is newOrg for tests that must run alone: those that check
// no goroutine outlives them (apitest.CheckGoroutineLeaks) would see the
// servers of tests running beside them.
func newSerialOrg(t *testing.T, opts ...apitest.Option) *org {
	t.Helper()
	apitest.CheckGoroutineLeaks(t)
	return buildOrg(t, opts...)
}

func buildOrg(t *testing.T, opts ...apitest.Option) *org {
	t.Helper()
	env := apitest.Start(t, opts...)
	o := &org{env: env, acme: env.NewEnterprise("acme"), other: env.NewEnterprise("other")}
	o.admin = env.Admin(o.acme)
	o.sales = o.admin.CreateDepartment("Sales", o.acme.RootID)
	o.east = o.admin.CreateDepartment("East", o.sales)
	o.rnd = o.admin.CreateDepartment("R&D", o.acme.RootID)
	o.sam = o.admin.CreateMember(apitest.MemberSpec{Userid: "sam", Name: "Sam Sales", Depts: []string{o.sales}})
	o.eve = o.admin.CreateMember(apitest.MemberSpec{Userid: "eve", Name: "Eve East", Depts: []string{o.east}})
	o.rita = o.admin.CreateMember(apitest.MemberSpec{Userid: "rita", Name: "Rita Research", Depts: []string{o.rnd}})
	o.ray = o.admin.CreateMember(apitest.MemberSpec{Userid: "ray", Name: "Ray Research", Depts: []string{o.rnd}})
	o.mgrTag = o.admin.CreateTag("mgr", o.rita)
	otherAdmin := env.Admin(o.other)
	o.olga = otherAdmin.CreateMember(apitest.MemberSpec{Userid: "olga", Depts: []string{o.other.RootID}})
	return o
}

// login signs a member of acme in.
func (o *org) login(userid string) *apitest.Client {
	return o.env.Login("acme", userid, apitest.TestPassword)
}

// mustNotFind asserts that node(id) does not reveal id to c: NOT_FOUND, no data.
func mustNotFind(t *testing.T, c *apitest.Client, id string) {
	t.Helper()
	r := c.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	var out struct{ Node *struct{ ID string } }
	r.Decode(t, &out)
	if out.Node != nil || !r.HasCode("NOT_FOUND") {
		t.Fatalf("node(%s) = %+v, errors %v; want NOT_FOUND", id, out.Node, r.Errors)
	}
}

// mustFind asserts that node(id) shows id to c.
func mustFind(t *testing.T, c *apitest.Client, id string) {
	t.Helper()
	var out struct{ Node *struct{ ID string } }
	c.MustDo(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, &out)
	if out.Node == nil || out.Node.ID != id {
		t.Fatalf("node(%s) = %+v", id, out.Node)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
