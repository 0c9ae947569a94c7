package policy

import (
	"strings"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/viewer"
)

// Reach is where a sender may deliver: a message and its inbox entries
// are written only for the members inside it (AllowMessageWrites,
// AllowInboxEntryWrites trust the recipients read through it).
type Reach struct {
	// Range is the sender's range as an audience (an app's visible range, a
	// scoped admin's subtrees), when it is one.
	Range *audience.Audience
	// Members is the predicate of the members inside the reach; nil is the
	// whole enterprise.
	Members predicate.Member
	// Hidden is true when what lies outside the reach must look unknown:
	// a plain member forwarding may not learn who exists beyond what they see.
	Hidden bool
}

// ReachOf is the reach of v: an app its visible range, a super admin the
// whole enterprise, a scoped admin their subtrees, a member what they see.
func ReachOf(v *viewer.Viewer) Reach {
	switch {
	case v.Kind == viewer.KindApp && v.Range != nil:
		r := *v.Range
		return Reach{Range: &r, Members: AudienceMembers(r)}
	case v.Kind == viewer.KindApp:
		return Reach{Range: &audience.Audience{}, Members: member.IDIn()}
	case v.IsSuperAdmin():
		return Reach{}
	case CanBroadcast(v):
		r := audience.Audience{}
		for _, p := range v.Admin.ScopePaths {
			parts := strings.Split(strings.Trim(p, "/"), "/")
			r.DepartmentIDs = append(r.DepartmentIDs, parts[len(parts)-1])
		}
		return Reach{Range: &r, Members: AudienceMembers(r)}
	}
	return Reach{Members: VisibleMembers(v), Hidden: true}
}
