package e2e

import (
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// writeAttempt is one mutation a viewer may not make, with the code it
// must fail with under each visibility setting.
type writeAttempt struct {
	who, name string
	query     string
	vars      func(f *visFixture) map[string]any
	// code under EVERYONE and under DEPARTMENT. NOT_FOUND where the target
	// is out of the viewer's sight: the answer must not reveal it exists.
	everyone, department string
}

func in(fields map[string]any) func(*visFixture) map[string]any {
	return func(*visFixture) map[string]any { return map[string]any{"in": fields} }
}

const (
	mCreateDept   = `mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }`
	mUpdateDept   = `mutation($in: UpdateDepartmentInput!) { updateDepartment(input: $in) { id } }`
	mMoveDept     = `mutation($in: MoveDepartmentInput!) { moveDepartment(input: $in) { id } }`
	mDeleteDept   = `mutation($in: DeleteDepartmentInput!) { deleteDepartment(input: $in) { deletedId } }`
	mCreateMember = `mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`
	mUpdateMember = `mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`
	mImport       = `mutation($in: ImportMembersInput!) { importMembers(input: $in) { created errors { index code } } }`
	mCreateTag    = `mutation($in: CreateTagInput!) { createTag(input: $in) { id } }`
	mUpdateTag    = `mutation($in: UpdateTagInput!) { updateTag(input: $in) { id } }`
	mDeleteTag    = `mutation($in: DeleteTagInput!) { deleteTag(input: $in) { deletedId } }`
	mGrant        = `mutation($in: GrantAdminInput!) { grantAdmin(input: $in) { id } }`
	mRevoke       = `mutation($in: RevokeAdminInput!) { revokeAdmin(input: $in) { memberId } }`
	mSettings     = `mutation($in: UpdateEnterpriseSettingsInput!) { updateEnterpriseSettings(input: $in) { id } }`
)

// with builds variables from fixture IDs: values "#label" become the label's ID.
func with(fields map[string]any) func(*visFixture) map[string]any {
	return func(f *visFixture) map[string]any {
		var resolve func(v any) any
		resolve = func(v any) any {
			switch x := v.(type) {
			case string:
				if strings.HasPrefix(x, "#") {
					return f.ids(x[1:])[0]
				}
			case []any:
				out := make([]any, len(x))
				for i, e := range x {
					out[i] = resolve(e)
				}
				return out
			case map[string]any:
				out := map[string]any{}
				for k, e := range x {
					out[k] = resolve(e)
				}
				return out
			}
			return v
		}
		return map[string]any{"in": resolve(fields)}
	}
}

func place(dept string) []any { return []any{map[string]any{"departmentId": "#" + dept}} }

var writeAttempts = []writeAttempt{
	// A super admin stays inside their enterprise.
	{"admin", "rename globex's root", mUpdateDept, with(map[string]any{"id": "#globex Inc", "name": "pwned"}), "NOT_FOUND", "NOT_FOUND"},
	{"admin", "rename gina", mUpdateMember, with(map[string]any{"id": "#gina", "name": "pwned"}), "NOT_FOUND", "NOT_FOUND"},
	{"admin", "create a member in globex", mCreateMember, with(map[string]any{"userid": "spy", "name": "Spy", "departments": place("globex Inc")}), "BAD_USER_INPUT", "BAD_USER_INPUT"},
	{"admin", "tag gina", mUpdateTag, with(map[string]any{"id": "#Project X", "addMemberIds": []any{"#gina"}}), "BAD_USER_INPUT", "BAD_USER_INPUT"},
	{"admin", "delete globex's tag", mDeleteTag, with(map[string]any{"id": "#Crew"}), "NOT_FOUND", "NOT_FOUND"},
	{"admin", "revoke the last super admin (themselves)", mRevoke, with(map[string]any{"memberId": "#admin"}), "CONFLICT", "CONFLICT"},
	{"admin", "demote the last super admin (themselves)", mGrant, with(map[string]any{"memberId": "#admin", "kind": "SCOPED", "departmentIds": []any{"#Sales"}, "rights": []any{"MANAGE_MEMBERS"}}), "CONFLICT", "CONFLICT"},
	{"globex/admin", "rename sam", mUpdateMember, with(map[string]any{"id": "#sam", "name": "pwned"}), "NOT_FOUND", "NOT_FOUND"},
	{"globex/admin", "make sam an admin", mGrant, with(map[string]any{"memberId": "#sam", "kind": "SUPER"}), "BAD_USER_INPUT", "BAD_USER_INPUT"},
	{"globex/admin", "move acme's Sales", mMoveDept, with(map[string]any{"id": "#Sales", "parentId": "#globex Inc"}), "NOT_FOUND", "NOT_FOUND"},

	// A scoped admin of Sales acts inside Sales only.
	{"salesadmin", "create a department under R&D", mCreateDept, with(map[string]any{"name": "X", "parentId": "#R&D"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "create a department under the root", mCreateDept, with(map[string]any{"name": "X", "parentId": "#acme Inc"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "create a root department", mCreateDept, with(map[string]any{"name": "X"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "rename R&D", mUpdateDept, with(map[string]any{"id": "#R&D", "name": "X"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "rename the root", mUpdateDept, with(map[string]any{"id": "#acme Inc", "name": "X"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "move Sales East under R&D", mMoveDept, with(map[string]any{"id": "#Sales East", "parentId": "#R&D"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "move Platform under Sales", mMoveDept, with(map[string]any{"id": "#Platform", "parentId": "#Sales"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "move Sales out of the root", mMoveDept, with(map[string]any{"id": "#Sales"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "delete Platform", mDeleteDept, with(map[string]any{"id": "#Platform"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "rename rdmem", mUpdateMember, with(map[string]any{"id": "#rdmem", "name": "X"}), "FORBIDDEN", "NOT_FOUND"},
	{"salesadmin", "move sam to R&D", mUpdateMember, with(map[string]any{"id": "#sam", "departments": place("R&D")}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "create a member in R&D", mCreateMember, with(map[string]any{"userid": "x1", "name": "X", "departments": place("R&D")}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "import a member into R&D", mImport, with(map[string]any{"rows": []any{map[string]any{"userid": "x2", "name": "X", "departments": place("R&D")}}, "allOrNothing": true}), "", ""},
	{"salesadmin", "delete the tag that spans R&D", mDeleteTag, with(map[string]any{"id": "#Project X"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "rename the tag that spans R&D", mUpdateTag, with(map[string]any{"id": "#Project X", "name": "Y"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "untag plat", mUpdateTag, with(map[string]any{"id": "#Project X", "removeMemberIds": []any{"#plat"}}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "tag rdmem", mCreateTag, with(map[string]any{"name": "Mine", "memberIds": []any{"#rdmem"}}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "grant SUPER", mGrant, with(map[string]any{"memberId": "#sam", "kind": "SUPER"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "grant a right they lack", mGrant, with(map[string]any{"memberId": "#sam", "kind": "SCOPED", "departmentIds": []any{"#Sales"}, "rights": []any{"SEND_MESSAGES"}}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "grant a scope outside theirs", mGrant, with(map[string]any{"memberId": "#sam", "kind": "SCOPED", "departmentIds": []any{"#R&D"}, "rights": []any{"MANAGE_MEMBERS"}}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "grant themselves more", mGrant, with(map[string]any{"memberId": "#salesadmin", "kind": "SCOPED", "departmentIds": []any{"#acme Inc"}, "rights": []any{"MANAGE_MEMBERS"}}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "grant a role to rdmem", mGrant, with(map[string]any{"memberId": "#rdmem", "kind": "SCOPED", "departmentIds": []any{"#Sales"}, "rights": []any{"MANAGE_MEMBERS"}}), "FORBIDDEN", "BAD_USER_INPUT"},
	{"salesadmin", "revoke the super admin", mRevoke, with(map[string]any{"memberId": "#admin"}), "NOT_FOUND", "NOT_FOUND"},
	{"salesadmin", "revoke themselves", mRevoke, with(map[string]any{"memberId": "#salesadmin"}), "FORBIDDEN", "FORBIDDEN"},
	{"salesadmin", "change the settings", mSettings, in(map[string]any{"directoryVisibility": "EVERYONE"}), "FORBIDDEN", "FORBIDDEN"},

	// Members administer nothing.
	{"sam", "create a department in Sales", mCreateDept, with(map[string]any{"name": "X", "parentId": "#Sales"}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "delete Sales East", mDeleteDept, with(map[string]any{"id": "#Sales East"}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "rename themselves", mUpdateMember, with(map[string]any{"id": "#sam", "name": "X"}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "create a member in Sales", mCreateMember, with(map[string]any{"userid": "x3", "name": "X", "departments": place("Sales")}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "import into Sales", mImport, with(map[string]any{"rows": []any{map[string]any{"userid": "x4", "name": "X", "departments": place("Sales")}}}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "create a tag", mCreateTag, with(map[string]any{"name": "Mine"}), "FORBIDDEN", "FORBIDDEN"},
	{"sam", "grant themselves SUPER", mGrant, with(map[string]any{"memberId": "#sam", "kind": "SUPER"}), "FORBIDDEN", "FORBIDDEN"},
	{"rdmem", "rename sam", mUpdateMember, with(map[string]any{"id": "#sam", "name": "X"}), "FORBIDDEN", "FORBIDDEN"},
	{"rdmem", "delete the tag", mDeleteTag, with(map[string]any{"id": "#Project X"}), "FORBIDDEN", "FORBIDDEN"},
	{"rdmem", "revoke the scoped admin", mRevoke, with(map[string]any{"memberId": "#salesadmin"}), "FORBIDDEN", "FORBIDDEN"},
	{"rdmem", "change the settings", mSettings, in(map[string]any{"directoryVisibility": "EVERYONE"}), "FORBIDDEN", "FORBIDDEN"},
	{"gina", "rename acme's Sales", mUpdateDept, with(map[string]any{"id": "#Sales", "name": "X"}), "FORBIDDEN", "FORBIDDEN"},
	{"gina", "create a member in acme", mCreateMember, with(map[string]any{"userid": "x5", "name": "X", "departments": place("Sales")}), "FORBIDDEN", "FORBIDDEN"},
}

// TestDirectoryWritesOutsideReachAreRefused tries, for each viewer of the
// matrix and under both settings, the mutations they may not make: each
// fails with its code, and both directories read back exactly as before.
func TestDirectoryWritesOutsideReachAreRefused(t *testing.T) {
	f := newVisFixture(t)
	for _, setting := range []string{"EVERYONE", "DEPARTMENT"} {
		f.admin.SetVisibility(setting)
		f.globexAdmin.SetVisibility(setting)
		before := snapshot(t, f.admin) + snapshot(t, f.globexAdmin)
		t.Run(setting, func(t *testing.T) {
			for _, w := range writeAttempts {
				want := w.everyone
				if setting == "DEPARTMENT" {
					want = w.department
				}
				r := f.viewers[w.who].Do(w.query, w.vars(f))
				if want == "" {
					// importMembers answers with row errors, not an error.
					var out struct {
						ImportMembers struct {
							Created int
							Errors  []struct{ Code string }
						}
					}
					r.Decode(t, &out)
					if len(r.Errors) > 0 || out.ImportMembers.Created != 0 || len(out.ImportMembers.Errors) != 1 {
						t.Errorf("%s %s: got %s %v, want one row error and nothing created", w.who, w.name, r.Data, r.Errors)
					}
					continue
				}
				if !r.HasCode(want) || len(r.Errors) != 1 {
					t.Errorf("%s %s: got errors %v data %s, want %s", w.who, w.name, r.Errors, r.Data, want)
				}
			}
		})
		if after := snapshot(t, f.admin) + snapshot(t, f.globexAdmin); after != before {
			t.Errorf("%s: refused writes changed the directory:\nbefore %s\nafter  %s", setting, before, after)
		}
	}
}

// snapshot reads everything of c's enterprise that a write could change.
func snapshot(t *testing.T, c *apitest.Client) string {
	t.Helper()
	r := c.Do(`{
		enterprise { id name directoryVisibility }
		departments(first: 30, orderBy: {field: NAME}) { totalCount edges { node {
			id name order depth parent { id } leaders { id }
		} } }
		members(first: 30, orderBy: {field: USERID}) { totalCount edges { node {
			id userid name mobile email position status
			memberships { department { id } isPrimary isLeader }
			tags { id }
		} } }
		tags(first: 30, orderBy: {field: NAME}) { edges { node { id name members(first: 30) { totalCount } } } }
		adminRoles(first: 30) { edges { node { id kind rights member { id } departments { id } } } }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("snapshot: %v", r.Errors)
	}
	return string(r.Data)
}
