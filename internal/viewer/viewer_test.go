package viewer

import (
	"reflect"
	"testing"
)

func TestAncestorsAreTheDepartmentsAboveEachPath(t *testing.T) {
	for _, c := range []struct {
		paths []string
		want  []string
	}{
		{nil, nil},
		{[]string{"/root/"}, nil},
		{[]string{"/root/sales/"}, []string{"root"}},
		{[]string{"/root/sales/east/"}, []string{"root", "sales"}},
		// Shared ancestors once, in the order first met; the departments
		// themselves are not their own ancestors.
		{[]string{"/root/sales/east/", "/root/rnd/platform/", "/root/sales/"}, []string{"root", "sales", "rnd"}},
		{[]string{"", "/"}, nil},
	} {
		if got := Ancestors(c.paths); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Ancestors(%q) = %q, want %q", c.paths, got, c.want)
		}
	}
}

func TestUnderAnyMatchesWholeSubtreesOnly(t *testing.T) {
	roots := []string{"/root/sales/", "/root/hr/"}
	for path, want := range map[string]bool{
		"/root/sales/":          true, // a root is in its own subtree
		"/root/sales/east/":     true,
		"/root/sales/east/lab/": true,
		"/root/hr/":             true,
		"/root/":                false, // an ancestor is not
		"/root/salesforce/":     false, // a sibling sharing a name prefix is not
		"/root/rnd/":            false,
		"":                      false,
	} {
		if got := UnderAny(path, roots); got != want {
			t.Errorf("UnderAny(%q) = %v, want %v", path, got, want)
		}
	}
	if UnderAny("/root/sales/", nil) {
		t.Errorf("no roots contain a path")
	}
	if UnderAny("/root/sales/", []string{""}) {
		t.Errorf("an empty root must not contain every path")
	}
}

func TestAdminScopeAndRights(t *testing.T) {
	var none *Admin
	if none.Can(RightManageMembers) || none.InScope("/root/") {
		t.Errorf("a nil admin may do nothing")
	}
	super := &Admin{Super: true}
	if !super.Can(RightManageApps) || !super.InScope("/anything/") {
		t.Errorf("a super admin holds every right everywhere")
	}
	scoped := &Admin{ScopePaths: []string{"/root/sales/"}, Rights: map[Right]bool{RightManageMembers: true}}
	if !scoped.Can(RightManageMembers) || scoped.Can(RightManageDepartments) {
		t.Errorf("scoped rights: %+v", scoped.Rights)
	}
	if !scoped.InScope("/root/sales/east/") || scoped.InScope("/root/rnd/") {
		t.Errorf("scoped admin scope is wrong")
	}
}

func TestWhoSeesTheWholeDirectory(t *testing.T) {
	for _, c := range []struct {
		v    Viewer
		want bool
	}{
		{Viewer{Kind: KindOperator}, true},
		{Viewer{Kind: KindMember, Visibility: VisibilityEveryone}, true},
		{Viewer{Kind: KindMember, Visibility: VisibilityDepartment}, false},
		{Viewer{Kind: KindMember, Visibility: VisibilityDepartment, Admin: &Admin{Super: true}}, true},
		{Viewer{Kind: KindMember, Visibility: VisibilityDepartment, Admin: &Admin{ScopePaths: []string{"/r/"}}}, false},
		// Apps see by their visible range, never the whole directory by default.
		{Viewer{Kind: KindApp, Visibility: VisibilityEveryone}, false},
	} {
		if got := c.v.SeesWholeDirectory(); got != c.want {
			t.Errorf("%+v sees the whole directory: %v, want %v", c.v, got, c.want)
		}
	}
}

func TestViewerTravelsInTheContextAndLoginAdoptsOne(t *testing.T) {
	ctx := WithSlot(t.Context())
	if FromContext(ctx) != nil {
		t.Fatalf("an empty slot holds a viewer")
	}
	v := &Viewer{Kind: KindMember, MemberID: "mem_1"}
	Adopt(ctx, v)
	if FromContext(ctx) != v {
		t.Errorf("adopted viewer not found")
	}
	w := &Viewer{Kind: KindMember, MemberID: "mem_2"}
	if FromContext(NewContext(ctx, w)) != w {
		t.Errorf("an explicit viewer must win over the slot")
	}
}
