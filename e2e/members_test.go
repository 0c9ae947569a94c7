package e2e

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

func TestBadMemberInputIsRefusedWithItsFieldAndWritesNothing(t *testing.T) {
	tr := newTree(t)
	var tag struct{ CreateTag struct{ ID string } }
	tr.admin.MustDo(mCreateTag, map[string]any{"in": map[string]any{"name": "Project"}}, &tag)
	before := snapshot(t, tr.admin)

	ok := func() map[string]any {
		return map[string]any{"userid": "newbie", "name": "Newbie", "departments": place2(tr.sales)}
	}
	cases := []struct {
		name, field, code string
		set               map[string]any
	}{
		{"taken userid", "userid", "CONFLICT", map[string]any{"userid": "sam"}},
		{"malformed userid", "userid", "BAD_USER_INPUT", map[string]any{"userid": "-no spaces-"}},
		{"empty name", "name", "BAD_USER_INPUT", map[string]any{"name": "  "}},
		{"email without domain", "email", "BAD_USER_INPUT", map[string]any{"email": "newbie@"}},
		{"email with a display name", "email", "BAD_USER_INPUT", map[string]any{"email": "Newbie <newbie@acme.test>"}},
		{"email without a dot", "email", "BAD_USER_INPUT", map[string]any{"email": "newbie@localhost"}},
		{"mobile with letters", "mobile", "BAD_USER_INPUT", map[string]any{"mobile": "138-ABCD-0000"}},
		{"mobile too short", "mobile", "BAD_USER_INPUT", map[string]any{"mobile": "12345"}},
		{"no department", "departments", "BAD_USER_INPUT", map[string]any{"departments": []any{}}},
		{"unknown department", "departments", "BAD_USER_INPUT", map[string]any{"departments": place2("dep_00000000000000000000000000000000")}},
		{"two primaries", "departments", "BAD_USER_INPUT", map[string]any{"departments": []any{
			map[string]any{"departmentId": tr.sales, "isPrimary": true}, map[string]any{"departmentId": tr.rnd, "isPrimary": true}}}},
		{"a department twice", "departments", "BAD_USER_INPUT", map[string]any{"departments": []any{
			map[string]any{"departmentId": tr.sales}, map[string]any{"departmentId": tr.sales}}}},
		{"unknown tag", "tagIds", "BAD_USER_INPUT", map[string]any{"tagIds": []any{tag.CreateTag.ID, "tag_00000000000000000000000000000000"}}},
		{"short password", "password", "BAD_USER_INPUT", map[string]any{"password": "short"}},
	}
	for _, c := range cases {
		in := ok()
		for k, v := range c.set {
			in[k] = v
		}
		r := tr.admin.Do(mCreateMember, map[string]any{"in": in})
		if len(r.Errors) != 1 || r.Errors[0].Code() != c.code || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("createMember with %s: %v, want %s on %s", c.name, r.Errors, c.code, c.field)
		}
	}
	updates := []struct {
		name, field string
		set         map[string]any
	}{
		{"malformed email", "email", map[string]any{"email": "sam(at)acme"}},
		{"malformed mobile", "mobile", map[string]any{"mobile": "call me"}},
		{"empty name", "name", map[string]any{"name": ""}},
		{"two primaries", "departments", map[string]any{"departments": []any{
			map[string]any{"departmentId": tr.sales, "isPrimary": true}, map[string]any{"departmentId": tr.east, "isPrimary": true}}}},
		{"no department", "departments", map[string]any{"departments": []any{}}},
		{"unknown department", "departments", map[string]any{"name": "Renamed", "departments": place2("dep_00000000000000000000000000000000")}},
	}
	for _, c := range updates {
		in := map[string]any{"id": tr.sam}
		for k, v := range c.set {
			in[k] = v
		}
		r := tr.admin.Do(mUpdateMember, map[string]any{"in": in})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("updateMember with %s: %v, want BAD_USER_INPUT on %s", c.name, r.Errors, c.field)
		}
	}
	if after := snapshot(t, tr.admin); after != before {
		t.Errorf("refused member writes changed the directory:\nbefore %s\nafter  %s", before, after)
	}
}

func place2(dept string) []any { return []any{map[string]any{"departmentId": dept}} }

func TestCreateMemberWithTagsAndContacts(t *testing.T) {
	tr := newTree(t)
	var tag struct{ CreateTag struct{ ID string } }
	tr.admin.MustDo(mCreateTag, map[string]any{"in": map[string]any{"name": "Project"}}, &tag)
	var out struct {
		CreateMember struct {
			Userid, Mobile, Email, Status string
			Tags                          []struct{ Name string }
			PrimaryDepartment             struct{ ID string }
		}
	}
	tr.admin.MustDo(`mutation($in: CreateMemberInput!) { createMember(input: $in) {
		userid mobile email status tags { name } primaryDepartment { id } } }`, map[string]any{"in": map[string]any{
		"userid": "tina", "name": "Tina", "mobile": "+8613800000001", "email": "tina@acme.test",
		"departments": []any{map[string]any{"departmentId": tr.east}, map[string]any{"departmentId": tr.rnd}},
		"tagIds":      []any{tag.CreateTag.ID},
	}}, &out)
	m := out.CreateMember
	if m.Userid != "tina" || m.Mobile != "+8613800000001" || m.Email != "tina@acme.test" || m.Status != "INVITED" ||
		len(m.Tags) != 1 || m.Tags[0].Name != "Project" || m.PrimaryDepartment.ID != tr.east {
		t.Errorf("created member = %+v", m)
	}
}

// importRows makes n valid rows into dept, with userids prefix0000...
func importRows(prefix string, n int, dept string) []map[string]any {
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = map[string]any{
			"userid": fmt.Sprintf("%s%04d", prefix, i), "name": fmt.Sprintf("Imported %d", i),
			"mobile": fmt.Sprintf("+86139%08d", i), "email": fmt.Sprintf("%s%04d@acme.test", prefix, i),
			"position": "Engineer", "departments": place2(dept),
		}
	}
	return rows
}

type importResult struct {
	Created int
	Errors  []struct {
		Index       int
		Field, Code string
	}
}

func importMembers(t *testing.T, c *apitest.Client, rows []map[string]any, allOrNothing bool) importResult {
	t.Helper()
	var out struct{ ImportMembers importResult }
	c.MustDo(`mutation($in: ImportMembersInput!) { importMembers(input: $in) { created errors { index field code message } } }`,
		map[string]any{"in": map[string]any{"rows": rows, "allOrNothing": allOrNothing}}, &out)
	return out.ImportMembers
}

func TestImportOfAThousandRowsWithThreeBadOnes(t *testing.T) {
	tr := newTree(t)
	wantErrors := []string{
		"17 rows[17].email BAD_USER_INPUT",
		"500 rows[500].userid CONFLICT",
		"999 rows[999].mobile BAD_USER_INPUT",
	}
	spoil := func(rows []map[string]any) {
		rows[17]["email"] = "not-an-email"
		rows[500]["userid"] = "sam" // already in the directory
		rows[999]["mobile"] = "0"
	}
	errs := func(r importResult) []string {
		var out []string
		for _, e := range r.Errors {
			out = append(out, fmt.Sprintf("%d %s %s", e.Index, e.Field, e.Code))
		}
		return out
	}
	members := totalCount(t, tr.admin, "members")

	// All or nothing: nothing is written, and every bad row is reported.
	rows := importRows("aon", 1000, tr.sales)
	spoil(rows)
	res := importMembers(t, tr.admin, rows, true)
	if res.Created != 0 || !reflect.DeepEqual(errs(res), wantErrors) {
		t.Errorf("allOrNothing: created %d, errors %v; want 0 and %v", res.Created, errs(res), wantErrors)
	}
	if got := totalCount(t, tr.admin, "members"); got != members {
		t.Errorf("allOrNothing import wrote %d members", got-members)
	}

	// Partial: the 997 good rows are written.
	rows = importRows("imp", 1000, tr.sales)
	spoil(rows)
	start := time.Now()
	res = importMembers(t, tr.admin, rows, false)
	t.Logf("partial import of 1,000 rows: %v", time.Since(start))
	if res.Created != 997 || !reflect.DeepEqual(errs(res), wantErrors) {
		t.Errorf("partial: created %d, errors %v; want 997 and %v", res.Created, errs(res), wantErrors)
	}
	if got := totalCount(t, tr.admin, "members"); got != members+997 {
		t.Errorf("members = %d, want %d", got, members+997)
	}
	var check struct {
		Members struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Userid, Status, Email string
					Departments           []struct{ ID string }
				}
			}
		}
	}
	tr.admin.MustDo(`{ members(first: 2, where: {useridIn: ["imp0016", "imp0017", "imp0018"]}, orderBy: {field: USERID}) {
		totalCount edges { node { userid status email departments { id } } } } }`, nil, &check)
	if check.Members.TotalCount != 2 || check.Members.Edges[0].Node.Userid != "imp0016" || check.Members.Edges[1].Node.Userid != "imp0018" {
		t.Fatalf("imported around the bad row 17: %+v", check.Members)
	}
	if n := check.Members.Edges[0].Node; n.Status != "INVITED" || n.Email != "imp0016@acme.test" || len(n.Departments) != 1 || n.Departments[0].ID != tr.sales {
		t.Errorf("imported member = %+v", n)
	}
}

func TestImportReportsDuplicatesUnknownAndOutOfScopeDepartments(t *testing.T) {
	tr := newTree(t)
	rows := importRows("row", 5, tr.sales)
	rows[2]["userid"] = "row0000"                                           // repeats row 0
	rows[3]["departments"] = place2("dep_00000000000000000000000000000000") // unknown
	rows[4]["departments"] = place2(tr.rnd)                                 // visible, outside Sales
	res := importMembers(t, tr.salesAdmin, rows, false)
	got := fmt.Sprint(res)
	want := "{2 [{2 rows[2].userid CONFLICT} {3 rows[3].departments BAD_USER_INPUT} {4 rows[4].departments FORBIDDEN}]}"
	if got != want {
		t.Errorf("import = %s, want %s", got, want)
	}
}

func TestImportOfMoreThanTenThousandRowsIsRefused(t *testing.T) {
	tr := newTree(t)
	members := totalCount(t, tr.admin, "members")
	rows := make([]map[string]any, 10_001)
	for i := range rows {
		rows[i] = map[string]any{"userid": fmt.Sprintf("u%05d", i), "name": "n", "departments": place2(tr.sales)}
	}
	r := mustFailWith(t, tr.admin, "BAD_USER_INPUT", mImport, map[string]any{"in": map[string]any{"rows": rows}})
	if f := r.Errors[0].Extensions["field"]; f != "rows" {
		t.Errorf("field = %v, want rows", f)
	}
	if got := totalCount(t, tr.admin, "members"); got != members {
		t.Errorf("refused import wrote %d members", got-members)
	}
	// Exactly 10,000 is within the limit.
	start := time.Now()
	if res := importMembers(t, tr.admin, rows[:10_000], true); res.Created != 10_000 || len(res.Errors) != 0 {
		t.Fatalf("import of 10,000 rows: %+v", res)
	}
	t.Logf("import of 10,000 rows: %v", time.Since(start))
	if got := totalCount(t, tr.admin, "members"); got != members+10_000 {
		t.Errorf("members = %d, want %d", got, members+10_000)
	}
}

func TestAMobileOrEmailNamesOneMemberOnly(t *testing.T) {
	tr := newTree(t)
	var out struct{ CreateMember struct{ ID, Email string } }
	tr.admin.MustDo(`mutation($in: CreateMemberInput!) { createMember(input: $in) { id email } }`, map[string]any{"in": map[string]any{
		"userid": "tina", "name": "Tina", "mobile": "+8613800000001", "email": "Tina.Wu@Acme.test",
		"departments": place2(tr.sales), "password": apitest.TestPassword,
	}}, &out)
	tina := out.CreateMember.ID
	if out.CreateMember.Email != "tina.wu@acme.test" {
		t.Errorf("email stored as %q, want it in lower case", out.CreateMember.Email)
	}
	before := snapshot(t, tr.admin)
	for _, c := range []struct {
		name, field string
		q           string
		in          map[string]any
	}{
		{"create with her mobile", "mobile", mCreateMember, map[string]any{"userid": "x", "name": "X", "mobile": "+8613800000001", "departments": place2(tr.sales)}},
		{"create with her email in capitals", "email", mCreateMember, map[string]any{"userid": "x", "name": "X", "email": "TINA.WU@acme.test", "departments": place2(tr.sales)}},
		{"give sam her mobile", "mobile", mUpdateMember, map[string]any{"id": tr.sam, "mobile": "+8613800000001"}},
		{"give sam her email", "email", mUpdateMember, map[string]any{"id": tr.sam, "email": "tina.wu@ACME.test"}},
	} {
		r := tr.admin.Do(c.q, map[string]any{"in": c.in})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "CONFLICT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %v, want CONFLICT on %s", c.name, r.Errors, c.field)
		}
	}
	if after := snapshot(t, tr.admin); after != before {
		t.Errorf("refused writes changed the directory")
	}
	// Her own mobile and email are hers to keep.
	tr.admin.MustDo(mUpdateMember, map[string]any{"in": map[string]any{"id": tina, "mobile": "+8613800000001", "email": "tina.wu@acme.test"}}, nil)

	rows := importRows("imp", 3, tr.sales)
	rows[0]["mobile"] = "+8613800000001"
	rows[2]["email"] = "IMP0001@acme.test" // row 1's email
	res := importMembers(t, tr.admin, rows, false)
	if got, want := fmt.Sprint(res), "{1 [{0 rows[0].mobile CONFLICT} {2 rows[2].email CONFLICT}]}"; got != want {
		t.Errorf("import = %s, want %s", got, want)
	}
	if c := tr.env.Login("acme", "TINA.WU@ACME.TEST", apitest.TestPassword); c.MemberID != tina {
		t.Errorf("login by email signed in as %s", c.MemberID)
	}
}
