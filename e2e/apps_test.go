package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

const appsQuery = `{ apps(first: 50) { totalCount edges { node { id name } } } }`

type appsPage struct {
	Apps struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID, Name string } }
	}
}

func (p appsPage) names() []string {
	var out []string
	for _, e := range p.Apps.Edges {
		out = append(out, e.Node.Name)
	}
	slices.Sort(out)
	return out
}

func TestAppReadsTheDirectoryOnlyInsideItsVisibleRange(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	crm := o.env.AsApp("acme", id, secret)

	var members struct {
		Members struct {
			TotalCount int
			Edges      []struct{ Node struct{ Userid string } }
		}
	}
	crm.MustDo(`{ members(first: 50) { totalCount edges { node { userid } } } }`, nil, &members)
	if members.Members.TotalCount != 2 || len(members.Members.Edges) != 2 {
		t.Fatalf("the app sees %+v, want sam and eve only", members.Members)
	}
	var depts struct {
		Departments struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
		}
	}
	crm.MustDo(`{ departments(first: 50) { totalCount edges { node { name } } } }`, nil, &depts)
	if depts.Departments.TotalCount != 2 {
		t.Fatalf("the app sees departments %+v, want Sales and East", depts.Departments)
	}
	mustNotFind(t, crm, o.rita)
	mustNotFind(t, crm, o.rnd)
	mustFind(t, crm, o.sam)
	mustFind(t, crm, id)
	var across struct{ Members struct{ TotalCount int } }
	crm.MustDo(`query($n: String!) { members(first: 5, where: {hasDepartmentsWith: {name: $n}}) { totalCount } }`,
		map[string]any{"n": "R&D"}, &across)
	if across.Members.TotalCount != 0 {
		t.Fatalf("a where-filter reached R&D members: %d", across.Members.TotalCount)
	}
	var tags struct{ Tags struct{ TotalCount int } }
	crm.MustDo(`{ tags(first: 10) { totalCount } }`, nil, &tags)
	if tags.Tags.TotalCount != 0 {
		t.Fatalf("an app whose range names no tag sees %d tags", tags.Tags.TotalCount)
	}
	var viewer struct {
		Viewer struct {
			Member     *struct{ ID string }
			Enterprise struct{ Code string }
		}
	}
	crm.MustDo(`{ viewer { member { id } enterprise { code } } }`, nil, &viewer)
	if viewer.Viewer.Member != nil || viewer.Viewer.Enterprise.Code != "acme" {
		t.Fatalf("an app's viewer = %+v", viewer.Viewer)
	}
	crm.MustFail("FORBIDDEN", `mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"userid": "x", "name": "x", "departments": []any{map[string]any{"departmentId": o.sales}}}})
	crm.MustFail("FORBIDDEN", `mutation($in: CreateAppInput!) { createApp(input: $in) { secret } }`,
		map[string]any{"in": map[string]any{"name": "evil", "visibleRange": map[string]any{"everyone": true}}})
}

func TestAppWithATagRangeSeesTheTagAndItsMembersOnly(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("hr", apitest.Range{Tags: []string{o.mgrTag}, Members: []string{o.eve}})
	hr := o.env.AsApp("acme", id, secret)
	var out struct {
		Members struct{ TotalCount int }
		Tags    struct{ TotalCount int }
		Depts   struct{ TotalCount int } `json:"departments"`
	}
	hr.MustDo(`{ members(first: 10) { totalCount } tags(first: 10) { totalCount } departments(first: 10) { totalCount } }`, nil, &out)
	if out.Members.TotalCount != 2 || out.Tags.TotalCount != 1 || out.Depts.TotalCount != 0 {
		t.Fatalf("tag+member range: %+v, want 2 members (rita, eve), 1 tag, no department", out)
	}
}

func TestAppWithEveryoneInRangeSeesTheWholeDirectoryOfItsEnterpriseOnly(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("all", apitest.Range{Everyone: true})
	all := o.env.AsApp("acme", id, secret)
	var out struct{ Members struct{ TotalCount int } }
	all.MustDo(`{ members(first: 10) { totalCount } }`, nil, &out)
	if out.Members.TotalCount != 5 { // admin, sam, eve, rita, ray
		t.Fatalf("everyone range sees %d members, want the 5 of acme", out.Members.TotalCount)
	}
	mustNotFind(t, all, o.olga)
}

func TestANewAppTokenNeverEndsAnOlderOneAndRotationEndsThemAll(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	var first struct {
		AppToken struct{ AccessToken, ExpiresAt string }
	}
	o.env.Anonymous().MustDo(`mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken expiresAt } }`,
		map[string]any{"in": map[string]any{"enterprise": "acme", "appId": id, "secret": secret}}, &first)
	exp, err := time.Parse(time.RFC3339Nano, first.AppToken.ExpiresAt)
	if err != nil || time.Until(exp) < 119*time.Minute || time.Until(exp) > 121*time.Minute {
		t.Fatalf("expiresAt %q is not two hours ahead (%v)", first.AppToken.ExpiresAt, err)
	}
	a, b := o.env.Anonymous(), o.env.AsApp("acme", id, secret)
	a.Token = first.AppToken.AccessToken
	for _, c := range []*apitest.Client{a, b} {
		c.MustDo(`{ members(first: 1) { totalCount } }`, nil, nil)
	}

	var rotated struct{ RotateAppSecret struct{ Secret string } }
	o.admin.MustDo(`mutation($id: ID!) { rotateAppSecret(input: {id: $id}) { secret } }`, map[string]any{"id": id}, &rotated)
	for _, c := range []*apitest.Client{a, b} {
		c.MustFail("UNAUTHENTICATED", `{ members(first: 1) { totalCount } }`, nil)
	}
	o.env.Anonymous().MustFail("UNAUTHENTICATED", `mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken } }`,
		map[string]any{"in": map[string]any{"enterprise": "acme", "appId": id, "secret": secret}})
	o.env.AsApp("acme", id, rotated.RotateAppSecret.Secret).MustDo(`{ members(first: 1) { totalCount } }`, nil, nil)
}

func TestAppTokenRefusesAWrongSecretAppOrEnterprise(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Everyone: true})
	for name, in := range map[string]map[string]any{
		"wrong secret":     {"enterprise": "acme", "appId": id, "secret": secret + "x"},
		"another secret":   {"enterprise": "acme", "appId": id, "secret": "cls_guess"},
		"unknown app":      {"enterprise": "acme", "appId": "app_0000", "secret": secret},
		"other enterprise": {"enterprise": "other", "appId": id, "secret": secret},
	} {
		r := o.env.Anonymous().Do(`mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken } }`, map[string]any{"in": in})
		if !r.HasCode("UNAUTHENTICATED") {
			t.Errorf("%s: got %v", name, r.Errors)
		}
	}
	bad := o.env.Anonymous()
	bad.Token = "cla_forged"
	bad.MustFail("UNAUTHENTICATED", `{ apps(first: 1) { totalCount } }`, nil)
}

func TestMembersSeeOnlyTheAppsWhoseRangeIncludesThem(t *testing.T) {
	o := newOrg(t)
	salesApp, _ := o.admin.CreateApp("sales-crm", apitest.Range{Departments: []string{o.sales}})
	o.admin.CreateApp("mgr-tool", apitest.Range{Tags: []string{o.mgrTag}})
	o.admin.CreateApp("eve-only", apitest.Range{Members: []string{o.eve}})
	o.admin.CreateApp("all-hands", apitest.Range{Everyone: true})
	o.env.Admin(o.other).CreateApp("other-app", apitest.Range{Everyone: true})

	cases := map[string][]string{
		"sam":  {"all-hands", "sales-crm"},
		"eve":  {"all-hands", "eve-only", "sales-crm"},
		"rita": {"all-hands", "mgr-tool"},
		"ray":  {"all-hands"},
	}
	for userid, want := range cases {
		var page appsPage
		o.login(userid).MustDo(appsQuery, nil, &page)
		if got := page.names(); !slices.Equal(got, want) || page.Apps.TotalCount != len(want) {
			t.Errorf("%s sees apps %v (totalCount %d), want %v", userid, got, page.Apps.TotalCount, want)
		}
	}
	mustNotFind(t, o.login("ray"), salesApp)
	mustFind(t, o.login("sam"), salesApp)
	var page appsPage
	o.admin.MustDo(appsQuery, nil, &page)
	if page.Apps.TotalCount != 4 {
		t.Fatalf("the super admin sees %v, want the 4 apps of acme", page.names())
	}
}

func TestAppRangeShowsOnlyWhatTheViewerMaySee(t *testing.T) {
	o := newOrg(t)
	o.admin.SetVisibility("DEPARTMENT")
	o.admin.CreateApp("both", apitest.Range{Departments: []string{o.sales, o.rnd}})
	var out struct {
		Apps struct {
			Edges []struct {
				Node struct {
					VisibleRange struct{ Departments []struct{ Name string } }
				}
			}
		}
	}
	o.login("sam").MustDo(`{ apps(first: 5) { edges { node { visibleRange { departments { name } } } } } }`, nil, &out)
	if len(out.Apps.Edges) != 1 || len(out.Apps.Edges[0].Node.VisibleRange.Departments) != 1 {
		t.Fatalf("sam sees the range %+v, want only Sales (R&D is hidden from him)", out.Apps.Edges)
	}
}

func TestScopedAdminGivesAppsRangesOnlyInsideTheirScope(t *testing.T) {
	o := newOrg(t)
	o.admin.GrantScoped(o.sam, []string{o.sales}, "MANAGE_APPS")
	sam := o.login("sam")
	create := `mutation($in: CreateAppInput!) { createApp(input: $in) { app { id } } }`
	in := func(r apitest.Range) map[string]any {
		return map[string]any{"in": map[string]any{"name": "x", "visibleRange": r.Input()}}
	}
	sam.MustDo(create, in(apitest.Range{Departments: []string{o.east}, Members: []string{o.eve}}), nil)
	for name, r := range map[string]apitest.Range{
		"another department": {Departments: []string{o.rnd}},
		"everyone":           {Everyone: true},
		"a tag":              {Tags: []string{o.mgrTag}},
		"a member outside":   {Members: []string{o.rita}},
	} {
		if res := sam.Do(create, in(r)); !res.HasCode("FORBIDDEN") {
			t.Errorf("%s: got %v", name, res.Errors)
		}
	}
	wide, _ := o.admin.CreateApp("wide", apitest.Range{Everyone: true})
	sam.MustFail("FORBIDDEN", `mutation($id: ID!) { updateApp(input: {id: $id, name: "mine"}) { id } }`, map[string]any{"id": wide})
	sam.MustFail("FORBIDDEN", `mutation($id: ID!) { rotateAppSecret(input: {id: $id}) { secret } }`, map[string]any{"id": wide})

	o.admin.GrantScoped(o.eve, []string{o.east}, "MANAGE_MEMBERS")
	o.login("eve").MustFail("FORBIDDEN", create, in(apitest.Range{Departments: []string{o.east}}))
	o.login("ray").MustFail("FORBIDDEN", create, in(apitest.Range{Members: []string{o.ray}}))

	var page appsPage
	o.admin.MustDo(appsQuery, nil, &page)
	if page.Apps.TotalCount != 2 {
		t.Fatalf("refused creates left apps behind: %v", page.names())
	}
}

func TestAppRangeRefusesEmptyUnknownAndOverlongInput(t *testing.T) {
	o := newOrg(t)
	create := `mutation($in: CreateAppInput!) { createApp(input: $in) { app { id } } }`
	many := make([]string, 101)
	for i := range many {
		many[i] = o.sales + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	for name, in := range map[string]map[string]any{
		"empty range":        {"name": "x", "visibleRange": map[string]any{}},
		"unknown department": {"name": "x", "visibleRange": map[string]any{"departmentIds": []string{"dep_nope"}}},
		"foreign member":     {"name": "x", "visibleRange": map[string]any{"memberIds": []string{o.olga}}},
		"101 departments":    {"name": "x", "visibleRange": map[string]any{"departmentIds": many}},
		"blank name":         {"name": " ", "visibleRange": map[string]any{"everyone": true}},
	} {
		if r := o.admin.Do(create, map[string]any{"in": in}); !r.HasCode("BAD_USER_INPUT") {
			t.Errorf("%s: got %v", name, r.Errors)
		}
	}
	var page appsPage
	o.admin.MustDo(appsQuery, nil, &page)
	if page.Apps.TotalCount != 0 {
		t.Fatalf("refused creates left apps behind: %v", page.names())
	}
}
