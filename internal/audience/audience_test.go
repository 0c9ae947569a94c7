package audience_test

import (
	"testing"

	"github.com/corpline/corpline/internal/audience"
)

// The directory of these tests: Sales (/s/) with East (/s/e/), R&D (/r/).
var (
	sam   = audience.Facts{MemberID: "mem_sam", DeptPaths: []string{"/dep_s/dep_e/"}, TagIDs: []string{"tag_mgr"}}
	rita  = audience.Facts{MemberID: "mem_rita", DeptPaths: []string{"/dep_r/"}}
	both  = audience.Facts{MemberID: "mem_both", DeptPaths: []string{"/dep_r/", "/dep_s/"}}
	loner = audience.Facts{MemberID: "mem_loner"}
)

func TestContainsDecidesByEveryRule(t *testing.T) {
	cases := []struct {
		name string
		a    audience.Audience
		f    audience.Facts
		want bool
	}{
		{"everyone includes a member without departments", audience.Everyone(), loner, true},
		{"an empty audience includes nobody", audience.Audience{}, sam, false},
		{"a department includes its sub-departments", audience.Audience{DepartmentIDs: []string{"dep_s"}}, sam, true},
		{"a sub-department does not include its parent", audience.Audience{DepartmentIDs: []string{"dep_e"}}, both, false},
		{"a sub-department includes its own members", audience.Audience{DepartmentIDs: []string{"dep_e"}}, sam, true},
		{"another department does not", audience.Audience{DepartmentIDs: []string{"dep_r"}}, sam, false},
		{"any of several departments", audience.Audience{DepartmentIDs: []string{"dep_x", "dep_s"}}, both, true},
		{"an ID that is a prefix of another is not a match", audience.Audience{DepartmentIDs: []string{"dep_"}}, sam, false},
		{"a tag", audience.Audience{TagIDs: []string{"tag_mgr"}}, sam, true},
		{"another tag", audience.Audience{TagIDs: []string{"tag_mgr"}}, rita, false},
		{"a named member", audience.Audience{MemberIDs: []string{"mem_rita"}}, rita, true},
		{"someone else named", audience.Audience{MemberIDs: []string{"mem_rita"}}, sam, false},
		{"an empty member ID never matches", audience.Audience{MemberIDs: []string{""}}, audience.Facts{}, false},
	}
	for _, c := range cases {
		if got := audience.Contains(c.a, c.f); got != c.want {
			t.Errorf("%s: Contains = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestContainsAllCutsTargetsToARange(t *testing.T) {
	targets := audience.Audience{DepartmentIDs: []string{"dep_s", "dep_r"}}
	rangeSales := audience.Audience{DepartmentIDs: []string{"dep_s"}}
	if !audience.ContainsAll(sam, targets, rangeSales) {
		t.Error("sam is in the targets and in the range")
	}
	if audience.ContainsAll(rita, targets, rangeSales) {
		t.Error("rita is a target but outside the range")
	}
	if !audience.ContainsAll(rita) {
		t.Error("no audience at all cuts nothing")
	}
}

func TestNormalizeDropsBlanksAndRepeatsAndEveryoneClearsLists(t *testing.T) {
	a := audience.Audience{DepartmentIDs: []string{"dep_b", " ", "dep_a", "dep_b"}, MemberIDs: []string{}}.Normalize()
	if len(a.DepartmentIDs) != 2 || a.DepartmentIDs[0] != "dep_a" || a.MemberIDs != nil {
		t.Fatalf("normalized = %+v", a)
	}
	e := audience.Audience{Everyone: true, TagIDs: []string{"tag_x"}}.Normalize()
	if !e.Everyone || e.TagIDs != nil {
		t.Fatalf("everyone normalized = %+v", e)
	}
	if !(audience.Audience{TagIDs: []string{"b", "a"}}).Equal(audience.Audience{TagIDs: []string{"a", "b", "a"}}) {
		t.Fatal("order and repeats must not make audiences differ")
	}
	if (audience.Audience{}).Equal(audience.Everyone()) || !(audience.Audience{}).IsEmpty() || audience.Everyone().IsEmpty() {
		t.Fatal("empty and everyone are different and only empty is empty")
	}
}

func TestFactsListEveryDepartmentOnTheirPathsOnce(t *testing.T) {
	got := both.DepartmentIDs()
	if len(got) != 2 || got[0] != "dep_r" || got[1] != "dep_s" {
		t.Fatalf("DepartmentIDs = %v", got)
	}
	if got := sam.DepartmentIDs(); len(got) != 2 || got[0] != "dep_s" || got[1] != "dep_e" {
		t.Fatalf("DepartmentIDs = %v", got)
	}
}
