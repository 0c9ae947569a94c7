// Package audience says who a piece of content is for: the whole enterprise,
// departments (with their sub-departments), tags, or named members.
//
// An app's visible range, a message's targets and (later) the readers of an
// announcement, a post or an approval template are all an Audience. Whether a
// member is in one is decided by Contains, and only there; the SQL form of the
// same rule (policy.AudienceMembers) is tested against it.
//
// The package imports nothing of the data layer, so the viewer and the ent
// schema can both carry an Audience.
package audience

import (
	"slices"
	"strings"
)

// Audience is a set of members described by rules, not by a list: a member
// who joins a department of the audience later is in it from then on.
type Audience struct {
	// Everyone is the whole enterprise; the lists are then empty.
	Everyone bool `json:"everyone,omitempty"`
	// DepartmentIDs include every sub-department of each.
	DepartmentIDs []string `json:"departmentIds,omitempty"`
	TagIDs        []string `json:"tagIds,omitempty"`
	MemberIDs     []string `json:"memberIds,omitempty"`
}

// Everyone is the audience of the whole enterprise.
func Everyone() Audience { return Audience{Everyone: true} }

// Facts are what decides whether a member is in an audience: who they are,
// where they sit in the department tree and which tags they carry.
type Facts struct {
	MemberID string
	// DeptPaths are the materialized paths ("/dep_a/dep_b/") of the member's
	// departments: each names the department and all its ancestors.
	DeptPaths []string
	TagIDs    []string
}

// DepartmentIDs lists every department on the member's paths, once each:
// their own departments and all the ancestors of those.
func (f Facts) DepartmentIDs() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range f.DeptPaths {
		for _, id := range strings.Split(p, "/") {
			if id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Contains reports whether the member described by f is in a. It is the one
// definition of audience membership.
func Contains(a Audience, f Facts) bool {
	if a.Everyone {
		return true
	}
	if f.MemberID != "" && slices.Contains(a.MemberIDs, f.MemberID) {
		return true
	}
	for _, t := range f.TagIDs {
		if slices.Contains(a.TagIDs, t) {
			return true
		}
	}
	for _, p := range f.DeptPaths {
		for _, d := range a.DepartmentIDs {
			if PathUnder(p, d) {
				return true
			}
		}
	}
	return false
}

// ContainsAll reports whether f is in every one of as: a message's targets
// cut to its app's visible range is ContainsAll(f, targets, range).
func ContainsAll(f Facts, as ...Audience) bool {
	for _, a := range as {
		if !Contains(a, f) {
			return false
		}
	}
	return true
}

// PathUnder reports whether the department at path is departmentID or lies
// below it. Paths are made of IDs between slashes, so the match is exact.
func PathUnder(path, departmentID string) bool {
	return departmentID != "" && strings.Contains(path, "/"+departmentID+"/")
}

// IsEmpty reports whether a names nobody at all.
func (a Audience) IsEmpty() bool {
	return !a.Everyone && len(a.DepartmentIDs) == 0 && len(a.TagIDs) == 0 && len(a.MemberIDs) == 0
}

// Normalize returns a with blank and repeated IDs dropped and each list
// sorted, so equal audiences compare and store alike. Everyone clears the
// lists: they add nothing to it.
func (a Audience) Normalize() Audience {
	if a.Everyone {
		return Audience{Everyone: true}
	}
	return Audience{
		DepartmentIDs: clean(a.DepartmentIDs),
		TagIDs:        clean(a.TagIDs),
		MemberIDs:     clean(a.MemberIDs),
	}
}

// Equal reports whether a and b name the same rules.
func (a Audience) Equal(b Audience) bool {
	a, b = a.Normalize(), b.Normalize()
	return a.Everyone == b.Everyone &&
		slices.Equal(a.DepartmentIDs, b.DepartmentIDs) &&
		slices.Equal(a.TagIDs, b.TagIDs) &&
		slices.Equal(a.MemberIDs, b.MemberIDs)
}

func clean(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}
